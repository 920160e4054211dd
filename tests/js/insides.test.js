// "Inside the training" as the live view reads it (playground/live/insides.js), run by `node --test`
// (tests/test_live_js.py): which snapshots it keeps of those sent, a histogram column drawn in a wider range, and
// the shares split per layer.

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  binOf,
  binRange,
  endLabels,
  columnShares,
  fullest,
  gradientBand,
  keptSnapshots,
  significant,
  snapshotShares,
} from "../../playground/live/insides.js";

const numbers = (snapshots) => snapshots.map((snapshot) => snapshot.n);
const numbered = (...values) => values.map((n) => ({ n }));

test("the new snapshots are added once, and those the server thinned away go as it says", () => {
  const kept = numbered(0, 1, 2);
  assert.deepEqual(numbers(keptSnapshots(kept, numbered(2, 3), 1)), [0, 1, 2, 3]); // 2 again: taken once
  // the server took 4 and thinned to the even numbers: the view keeps what it keeps, 4 included
  assert.deepEqual(numbers(keptSnapshots(numbered(0, 1, 2, 3), numbered(4), 2)), [0, 2, 4]);
});

test("sent a few at a time or all at once, the view keeps the same snapshots", () => {
  // the server's rule (insides.py): a snapshot every ``every`` chances, past ``limit`` every doubles and thins
  const limit = 8;
  let server = [];
  let every = 1;
  let view = [];
  for (let chance = 0; chance < 100; chance++) {
    if (chance % every === 0) server.push({ n: chance });
    if (server.length > limit) {
      every *= 2;
      server = server.filter((snapshot) => snapshot.n % every === 0);
    }
    if (chance % 3 === 0) view = keptSnapshots(view, server, every);
  }
  view = keptSnapshots(view, server, every);
  assert.deepEqual(numbers(view), numbers(server));
  assert.equal(view[0].n, 0);
});

test("a column binned over a narrower range keeps its values' places in the wider range shown", () => {
  // 2 bins over [0, 1]: a share of 255 in [0, 0.5), 51 in [0.5, 1]; shown over [0, 2] in 4 pixels, top first
  const column = columnShares(new Uint8Array([255, 51]), [0, 1], [0, 2], 4, 255);
  assert.deepEqual([...column].map((share) => Number(share.toFixed(2))), [0, 0, 0.2, 1]);
});

test("a snapshot's shares are split into one array per layer", () => {
  const b64 = (values) => Buffer.from(new Uint8Array(values)).toString("base64");
  const snapshot = snapshotShares({ n: 4, activations: b64([1, 2, 3, 4]), gradients: b64([5, 6, 7]) }, { activationBins: 2, gradientBins: 1 });
  assert.deepEqual(snapshot.activations.map((layer) => [...layer]), [[1, 2], [3, 4]]);
  assert.deepEqual(snapshot.gradients.map((layer) => [...layer]), [[5], [6], [7]]);
  assert.equal(snapshot.n, 4);
});

test("a tip's bin: where a value falls among equal bins, none outside them", () => {
  assert.equal(binOf(0.49, [0, 1], 32), 15);
  assert.equal(binOf(-0.99, [-1, 1], 32), 0);
  assert.equal(binOf(1.5, [-1, 1], 32), null);
  assert.equal(binOf(1, [-1, 1], 32), 31); // the top edge: the last bin, as insides.py clips it
  assert.deepEqual(binRange(15, 32, [0, 1]), [15 / 32, 16 / 32]);
  assert.equal(fullest(Uint8Array.from([3, 9, 2, 9])), 1); // the first of the fullest
});

test("a gradient bin's ends are powers of ten, the first from 0 and the last without end", () => {
  // insides.py: 36 bins over 1e-8 to 1e1, four a decade
  assert.deepEqual(gradientBand(20, 36, [-8, 1]), ["0.001", "0.00178"]);
  assert.deepEqual(gradientBand(1, 36, [-8, 1]), ["1.78e-8", "3.16e-8"]);
  assert.deepEqual(gradientBand(0, 36, [-8, 1]), ["0", "1.78e-8"]);
  assert.deepEqual(gradientBand(35, 36, [-8, 1]), ["5.62", "∞"]);
  assert.equal(significant(0.03125), "0.0313");
});

test("the weight norm's ends read apart, in as few digits as that takes", () => {
  assert.deepEqual(endLabels(0.03512, 0.03546), ["0.0351", "0.0355"]);
  assert.deepEqual(endLabels(0.035012, 0.035046), ["0.03501", "0.03505"]);
  assert.deepEqual(endLabels(2.5, 7.25), ["2.5", "7.25"]);
  assert.deepEqual(endLabels(1234.5, 1300), ["1,230", "1,300"]);
  assert.deepEqual(endLabels(0.5, 0.5), ["0.5", "0.5"]); // one value: the same at both ends
});
