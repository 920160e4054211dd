// What the live view does when its socket closes, and when its screen reader's region speaks
// (playground/live/live.js), run by `node --test` (tests/test_live_js.py): the close codes are
// playground/live/socket.py's.

import assert from "node:assert/strict";
import { test } from "node:test";

import { afterClose, announcing } from "../../playground/live/live.js";

const REPLACED = 4001;
const TAB_CLOSED = 4002;

test("a socket replaced by a newer one of its tab is not opened again, nor is a page run asked for", () => {
  assert.deepEqual(afterClose(REPLACED, true), { reopen: false, askForRun: false });
});

test("a socket ended while its tab's session is gone keeps trying, and asks for a page run", () => {
  assert.deepEqual(afterClose(TAB_CLOSED, true), { reopen: true, askForRun: true });
});

test("a socket refused before it opened, or lost with the server, tries again", () => {
  assert.deepEqual(afterClose(1006, false), { reopen: true, askForRun: false }); // refused, or no server
  assert.deepEqual(afterClose(1006, true), { reopen: true, askForRun: true }); // the network or the server went
  assert.deepEqual(afterClose(1003, true), { reopen: true, askForRun: true }); // it sent what is no acknowledgement
});

test("a screen reader hears a paused run's new status at once, a playing run's as it starts and every 15 s", () => {
  assert.equal(announcing("Epoch 3", "Epoch 2", false, true, 10), true); // a step, a stop
  assert.equal(announcing("Epoch 3", "Epoch 2", true, false, 10), true); // Play: the first playing frame
  assert.equal(announcing("Epoch 3", "Epoch 2", true, true, 10), false); // every frame of a playing run: not yet
  assert.equal(announcing("Epoch 3", "Epoch 2", true, true, 15000), true);
  assert.equal(announcing("Epoch 3", "Epoch 3", false, false, 60000), false); // nothing twice
});
