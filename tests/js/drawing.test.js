// A chart's text size (playground/live/drawing.js), run by `node --test` (tests/test_live_js.py).

import assert from "node:assert/strict";
import { test } from "node:test";

import { fontSize } from "../../playground/live/drawing.js";

test("chart text grows with the chart between 11 and 20 px", () => {
  assert.equal(fontSize(180), 11);
  assert.equal(fontSize(484), 11);
  assert.equal(fontSize(722), 16);
  assert.equal(fontSize(1200), 20);
});

test("the page's text scale multiplies it, its limits too", () => {
  assert.equal(fontSize(660, 1.5), 23); // presenter mode's chart at 1920 × 1080: 15 px made 23
  assert.equal(fontSize(180, 1.5), 17);
  assert.equal(fontSize(1200, 1.5), 30);
});
