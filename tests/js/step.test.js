// Slow motion as the live view reads it (playground/live/step.js), run by `node --test` (tests/test_live_js.py): where
// each number sent goes in the diagram, what the tips add per stage, and the update's morph.

import assert from "node:assert/strict";
import { test } from "node:test";

import { MORPH_MS, Step, byColumn, morphShare, shapes } from "../../playground/live/step.js";

// base64 of little-endian arrays, as Python's ``encoded`` sends them
const b64 = (TypedArray, values) => Buffer.from(new TypedArray(values).buffer).toString("base64");
const LABELS = {
  slowBatch: "step {step}: {size} points",
  slowForward: "step {step} forward",
  slowBackward: "step {step} backward",
  slowUpdate: "step {step} update",
  slowThinned: "first {shown} of {sizes}",
  stageValue: "value {value}",
  stageDout: "dout {value}",
  stageGradient: "gradient {name} {value}",
  stageChange: "{name} {before} → {after}",
  stageRate: "{optimizer} lr {lr}",
  stageState: "state {name} {value}",
};
// a 2-3-2 network's diagram, every neuron shown; a batch of the training points 4, 0 and 7, the second followed
const COMMON = { step: 5, size: 3, point: 1, pointRow: 0, batch: b64(Int32Array, [4, 0, 7]), sizes: [2, 3, 2], shown: [2, 3, 2], thinned: false };

test("the per-node values sent become one array per column, from the first column sent", () => {
  const values = new Float32Array([1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(byColumn(values, [2, 3, 2]).map((column) => [...column]), [[1, 2], [3, 4, 5], [6, 7]]);
  const dout = byColumn(values.subarray(0, 5), [2, 3, 2], 1);
  assert.equal(dout[0], null);
  assert.deepEqual(dout.slice(1).map((column) => [...column]), [[1, 2, 3], [4, 5]]);
});

test("each column's shape for the batch is written as the book's graph writes it", () => {
  assert.deepEqual(shapes(30, [2, 10, 3]), ["30×2", "30×10", "30×3"]);
});

test("the batch's points are found by their row, the chosen one by its own", () => {
  const step = new Step();
  assert.equal(step.on, false);
  step.take({ ...COMMON, stage: "batch" }, 0);
  assert.equal(step.on, true);
  assert.deepEqual([4, 0, 7, 1].map((row) => step.position(row)), [0, 1, 2, undefined]);
  assert.equal(step.chosenRow, 0);
  assert.deepEqual(step.caption(LABELS), ["step 5: 3 points"]);
  assert.equal(step.links, null);
  assert.equal(step.columnShapes(), null); // the batch has not gone through the layers yet
  step.take(undefined, 0);
  assert.equal(step.on, false);
  assert.equal(step.position(4), undefined);
  assert.equal(step.chosenRow, null);
  assert.deepEqual(step.caption(LABELS), []);
});

test("forward: every node's value for the chosen point, each column's shape, and a thinned diagram said", () => {
  const step = new Step();
  const nodes = { first: 0, values: b64(Float32Array, [0.5, -1, 0.25, 0.75, 0.125, 0.625, 0.375]) };
  step.take({ ...COMMON, stage: "forward", nodes, thinned: true, shown: [2, 3, 2], sizes: [2, 256, 2] }, 0);
  assert.deepEqual(step.nodes.map((column) => [...column]), [[0.5, -1], [0.25, 0.75, 0.125], [0.625, 0.375]]);
  assert.deepEqual(step.columnShapes(), ["3×2", "3×256", "3×2"]);
  assert.deepEqual(step.caption(LABELS), ["step 5 forward", "first 2 · 3 · 2 of 2 · 256 · 2"]);
  assert.deepEqual(step.nodeLines({ kind: "hidden", bias: 1 }, 1, 1, LABELS), ["value 0.7500"]);
  assert.deepEqual(step.linkLines(0, LABELS), []); // the links are the weights, whose tip says them
});

test("backward: dout at the hidden and output nodes, links by dW, and the tips say dW and db", () => {
  const step = new Step();
  step.take({
    ...COMMON,
    stage: "backward",
    nodes: { first: 1, values: b64(Float32Array, [0.5, -0.25, 0.125, 0.0625, -0.0625]) },
    links: b64(Float32Array, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
    biases: b64(Float32Array, [0.5, 0.25, 0.125, -1, 1]),
  }, 0);
  assert.equal(step.nodes[0], null); // the data need no gradient
  assert.deepEqual([...step.nodes[2]], [0.0625, -0.0625]);
  assert.equal(step.links[11], 12);
  assert.deepEqual(step.linkLines(6, LABELS), ["gradient dW 7.0000"]);
  assert.deepEqual(step.nodeLines({ kind: "output", bias: 3 }, 2, 0, LABELS), ["dout 0.0625", "gradient db -1.0000"]);
  assert.deepEqual(step.nodeLines({ kind: "input" }, 0, 0, LABELS), []);
});

test("update: links by their change; a link's tip has its weight before and after, dW, the rate and the state", () => {
  const step = new Step();
  const tips = {
    W_before: b64(Float32Array, [1, 2]),
    W_after: b64(Float32Array, [0.5, 2.5]),
    dW: b64(Float32Array, [0.25, -0.25]),
    b_before: b64(Float32Array, [0]),
    b_after: b64(Float32Array, [-0.125]),
    W_m: b64(Float32Array, [0.025, -0.025]),
    W_v: b64(Float32Array, [0.0625, 0.0625]),
  };
  const update = { optimizer: "Adam", lr: 0.01, state: ["m", "v"], tips };
  const sent = { ...COMMON, stage: "update", links: b64(Float32Array, [-0.5, 0.5]), biases: b64(Float32Array, [-0.125]), update, regionsBefore: "AAEC" };
  step.take(sent, 1000);
  assert.deepEqual([...step.links], [-0.5, 0.5]);
  assert.deepEqual(step.linkLines(1, LABELS), [
    "W 2.0000 → 2.5000",
    "gradient dW -0.2500",
    "Adam lr 0.0100",
    "state m -0.0250",
    "state v 0.0625",
  ]);
  assert.deepEqual(step.nodeLines({ kind: "hidden", bias: 0 }, 1, 0, LABELS), ["b 0.0000 → -0.1250"]);
  // the regions morph from before the step, for MORPH_MS after the update arrived, then hold after
  assert.deepEqual([...step.morph(1000).codes], [0, 1, 2]);
  assert.equal(step.morph(1000).share, 0);
  assert.ok(step.morph(1000 + MORPH_MS / 2).share > 0.4 && step.morph(1000 + MORPH_MS / 2).share < 0.6);
  assert.equal(step.morph(1000 + MORPH_MS), null);
  step.take(sent, 5000); // the same stage again (the page run's frame after the socket's): no second morph
  assert.equal(step.morph(5000), null);
  step.take({ ...sent, step: 6 }, 5000); // the next step's update morphs again
  assert.equal(step.morph(5000).share, 0);
});

test("the morph eases in and out", () => {
  assert.deepEqual([morphShare(-5), morphShare(0), morphShare(MORPH_MS / 2), morphShare(MORPH_MS), morphShare(1e6)], [0, 0, 0.5, 1, 1]);
  assert.ok(morphShare(MORPH_MS * 0.1) < 0.1);
});
