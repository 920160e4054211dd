// The live view's pure helpers (playground/live/helpers.js), run by `node --test` (tests/test_live_js.py runs it
// with the rest of the tests).

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  PlotBox,
  arrowStep,
  bytes,
  columnsByName,
  curveScale,
  everyFitting,
  filled,
  fillImage,
  fitsApart,
  fitting,
  floats,
  formatted,
  halves,
  gridCell,
  keyboardKey,
  largestSize,
  logTicks,
  markerOf,
  networkLayout,
  niceCeiling,
  paletteLevel,
  percent,
  plotRectangle,
  segmentDistance,
  spacedTicks,
  thinned,
  tickText,
  ticks,
} from "../../playground/live/helpers.js";

const close = (actual, expected, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);

test("the data's base64 comes back as its bytes and as float32", () => {
  assert.deepEqual([...bytes("AAH/")], [0, 1, 255]);
  assert.deepEqual([...floats("AADAPwAAAMA=")], [1.5, -2]); // Python: np.float32([1.5, -2]).tobytes()
});

test("float16 comes back as its values, the smallest and what is not finite included", () => {
  // Python: np.float16([1.5, -2, 0.0001, 65504, 6e-8, inf, -inf, nan]).tobytes()
  const values = halves("AD4AwI4G/3sBAAB8APwAfg==");
  assert.deepEqual([...values.subarray(0, 2)], [1.5, -2]);
  close(values[2], 0.0001, 1e-7);
  assert.equal(values[3], 65504);
  close(values[4], 6e-8, 1e-9); // subnormal
  assert.deepEqual([...values.subarray(5, 7)], [Infinity, -Infinity]);
  assert.ok(Number.isNaN(values[7]));
});

test("numbers read as text: three decimals, a power of ten when very large or small, what is not finite as it is", () => {
  assert.equal(formatted(0.5), "0.500");
  assert.equal(formatted(-0.12345, 4), "-0.1235");
  assert.equal(formatted(0), "0.000");
  assert.equal(formatted(12345), "1.23e+4");
  assert.equal(formatted(0.0004), "4.00e-4");
  assert.equal(formatted(NaN), "NaN");
  assert.equal(formatted(null), "null"); // a history row's NaN, sent as JSON null
  assert.equal(percent(0.1234), "12.3 %");
  assert.equal(percent(NaN), "NaN");
  assert.equal(tickText(0.12345), "0.123");
  assert.equal(tickText(250), "250");
  assert.equal(tickText(20000), "2e+4");
});

test("ticks are a round step apart and cover the range", () => {
  assert.deepEqual(ticks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(ticks(-1.5, 1.5, 5), [-1, 0, 1]); // a 0.6 step rounds up to 1
  assert.deepEqual(ticks(0, 30, 4), [0, 10, 20, 30]); // 7.5 rounds up to 10
  assert.deepEqual(ticks(0.1, 0.3, 2), [0.1, 0.2, 0.3]); // no 0.30000000000000004
  assert.deepEqual(ticks(2, 2, 5), [2]);
});

test("the loss axis's top is the next round number at or above the largest loss", () => {
  assert.deepEqual([0.93, 1, 1.1, 1.3, 3.3, 7, 45].map(niceCeiling), [1, 1, 1.2, 1.5, 4, 8, 50]);
  close(niceCeiling(0.0013), 0.0015, 1e-15);
  assert.deepEqual([0, -1, NaN, Infinity].map(niceCeiling), [1, 1, 1, 1]);
});

test("a log axis gets the powers of ten, and 2, 3 and 5 times them where the range is short", () => {
  const loss = (values) => values.map((value) => Number((10 ** value).toPrecision(6)));
  assert.deepEqual(loss(logTicks([Math.log10(0.25), Math.log10(1.5)])), [0.3, 0.5, 1]);
  assert.deepEqual(loss(logTicks([Math.log10(0.06), Math.log10(2)])), [0.1, 0.2, 0.5, 1, 2]); // over a decade: no 3
  assert.deepEqual(logTicks([-3, 1]), [-3, -2, -1, 0, 1]);
  assert.deepEqual(logTicks([0.1, 0.2]), [0.1, 0.2]); // no round value inside: the ends
});

test("spaced ticks take the most that leave their labels apart, else every n-th", () => {
  const position = (value) => value * 10; // px
  assert.deepEqual(spacedTicks(0, 10, position, () => 15, 0), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(spacedTicks(0, 10, position, () => 30, 0), [0, 5, 10]); // 2 and 2.5 apart are too close
  assert.deepEqual(spacedTicks(0, 10, position, () => 80, 0), [0, 10]); // 0, 5, 10 do not fit: every second
  assert.deepEqual(spacedTicks(0, 10, position, () => 120, 0), [0]); // not even two fit
  const apart = fitsApart(position, () => 10, 5); // centres 15 px apart at least
  assert.equal(apart([0, 1, 2]), false);
  assert.equal(apart([0, 2, 4]), true);
  assert.deepEqual(everyFitting([0, 1, 2, 3, 4], apart), [0, 2, 4]);
});

test("a long history is thinned to evenly spread rows and its last", () => {
  const rows = Array.from({ length: 10 }, (_, index) => index);
  assert.deepEqual(thinned(rows, 4), [0, 2, 5, 7, 9]);
  assert.equal(thinned(rows, 10), rows);
});

test("history columns are found by name", () => {
  const at = columnsByName(["epoch", "step", "train_loss"]);
  assert.deepEqual(at, { epoch: 0, step: 1, train_loss: 2 });
});

test("the plot box converts values and canvas positions both ways", () => {
  const rectangle = plotRectangle(130, 100, { left: 10, right: 20, top: 20, bottom: 30 });
  assert.deepEqual(rectangle, { x: 10, y: 20, width: 100, height: 50 });
  const box = new PlotBox(rectangle, [0, 10], [-1, 1]);
  assert.deepEqual(box.toCanvas(0, 1), [10, 20]); // the top left corner shows the smallest x and the largest y
  assert.deepEqual(box.toCanvas(10, -1), [110, 70]);
  assert.deepEqual(box.toCanvas(5, 0), [60, 45]);
  assert.deepEqual(box.toPlane(60, 45), [5, 0]);
  assert.deepEqual(box.rectangle, rectangle);
  assert.equal(box.contains(10, 20), true);
  assert.equal(box.contains(110.5, 45), false);
  const other = box.showing([0, 1], [0, 2]);
  assert.deepEqual(other.toCanvas(1, 2), [110, 20]);
});

test("a zoom keeps the point under the pointer, a pan moves the point it began on with the pointer", () => {
  const box = new PlotBox({ x: 10, y: 20, width: 100, height: 50 }, [0, 10], [-1, 1]);
  assert.deepEqual(box.window(box.toPlane(60, 45), 60, 45, 0.5), [2.5, 7.5, -0.5, 0.5]); // zoomed in at the centre
  const zoomed = box.window(box.toPlane(30, 30), 30, 30, 1.25);
  const after = new PlotBox(box.rectangle, zoomed.slice(0, 2), zoomed.slice(2));
  after.toCanvas(...box.toPlane(30, 30)).forEach((value, index) => close(value, [30, 30][index]));
  close(zoomed[1] - zoomed[0], 12.5);
  // a drag from (60, 45) to (70, 40): 10 px right and 5 up move the plane 1 left and 0.2 down
  const panned = box.window(box.toPlane(60, 45), 70, 40, 1);
  [-1, 9, -1.2, 0.8].forEach((value, index) => close(panned[index], value));
});

test("the curves' scales: epochs across, the loss from 0 to a round number or on a log scale, accuracy to 102 %", () => {
  const rows = [
    [0, 0, 1.1, 1.2, 0.3, 0.35],
    [4, 32, 0.2, 0.5, 0.9, 0.8],
  ];
  const curves = [
    { column: 2, accuracy: false },
    { column: 3, accuracy: false },
    { column: 4, accuracy: true },
  ];
  const rectangle = { x: 0, y: 0, width: 400, height: 102 };
  const plain = curveScale(rows, curves, 0, false, rectangle);
  assert.equal(plain.lastEpoch, 4);
  assert.deepEqual(plain.loss.up, [0, 1.2]);
  assert.equal(plain.loss.xOf(2), 200);
  close(plain.yLoss(0.6), 51);
  close(plain.accuracy.yOf(0.51), 51);
  close(plain.accuracy.yOf(1.02), 0);
  const log = curveScale(rows, curves, 0, true, rectangle);
  assert.equal(log.log, true);
  [Math.log10(0.2) - 0.05, Math.log10(1.2) + 0.05].forEach((value, index) => close(log.loss.up[index], value));
  close(log.yLoss(1.2), log.loss.yOf(Math.log10(1.2)));
  const empty = curveScale([], curves, 0, true, rectangle);
  assert.equal(empty.log, false); // no loss yet: a plain axis
  assert.deepEqual([empty.lastEpoch, ...empty.loss.up], [1, 0, 1]);
});

test("a regression's R² axis reaches down to its lowest value, -1 at most, a classifier's accuracy starts at 0", () => {
  const curves = [{ column: 1, accuracy: true }];
  const rectangle = { x: 0, y: 0, width: 100, height: 100 };
  const rows = (values) => values.map((value, epoch) => [epoch, value]);
  assert.deepEqual(curveScale(rows([-0.4, 0.5]), curves, 0, false, rectangle, true).accuracy.up, [-0.4, 1.02]);
  assert.deepEqual(curveScale(rows([-87, 0.5, null]), curves, 0, false, rectangle, true).accuracy.up, [-1, 1.02]);
  assert.deepEqual(curveScale(rows([0.2, 0.5]), curves, 0, false, rectangle, true).accuracy.up, [0, 1.02]);
  assert.deepEqual(curveScale(rows([-0.4, 0.5]), curves, 0, false, rectangle).accuracy.up, [0, 1.02]);
});

test("a point of the plane falls in the nearest cell of the hover's grid, none off it", () => {
  const grid = { x1: [-1, 1], x2: [-1, 1] };
  assert.deepEqual(gridCell(grid, 3, 0, 0), [1, 1]);
  assert.deepEqual(gridCell(grid, 3, -1, 1), [0, 2]);
  assert.deepEqual(gridCell(grid, 3, 1.2, -0.9), [2, 0]);
  assert.equal(gridCell(grid, 3, 1.6, 0), null);
  assert.equal(gridCell(grid, 3, 0, -1.6), null);
});

test("the diagram's layout: a column a layer, every link between neighbours, the biases in order", () => {
  const layout = networkLayout({
    inputs: ["x1", "x2"],
    hidden: [{ names: ["h1", "h2", "h3"] }],
    outputs: ["class 0", "class 1"],
    more: [[1, "+7 more"]],
    pictureSize: 25,
  });
  const names = layout.columns.map((column) => column.map((node) => node.name));
  assert.deepEqual(names, [["x1", "x2"], ["h1", "h2", "h3"], ["class 0", "class 1"]]);
  assert.deepEqual(layout.columns[1][2], { kind: "hidden", name: "h3", layer: 0, index: 2, bias: 2 });
  assert.deepEqual(layout.columns[2].map((node) => node.bias), [3, 4]);
  assert.equal(layout.links.length, 2 * 3 + 3 * 2);
  assert.deepEqual(layout.links[0], [{ column: 0, row: 0 }, { column: 1, row: 0 }]);
  const positions = layout.place(500, 260, 70, 50, 11);
  assert.deepEqual(positions.map((column) => column[0][0]), [70, 260, 450]); // evenly across, names' room kept
  const slot = (260 - 20 - 11 * 1.4) / 6; // at least six rows tall; a row of "+n more" below
  close(positions[1][1][1], 10 + slot / 2 + (1 + 1.5) * slot); // a short column centred
  close(positions.side, Math.min(slot * 0.84, 44));
  const headed = layout.place(500, 260, 70, 50, 11, true); // a row above for each column's shape
  const headedSlot = (260 - 10 - (10 + 11 * 1.4) - 11 * 1.4) / 6;
  close(headed.top, 10 + 11 * 1.4);
  close(headed[1][1][1], headed.top + headedSlot / 2 + (1 + 1.5) * headedSlot);
  close(headed.side, Math.min(headedSlot * 0.84, 44));
});

test("a node's number takes fewer decimals until it fits its node", () => {
  const measure = (text) => text.length * 6; // 6 px a character
  assert.equal(fitting(-0.123456, 60, measure), "-0.123");
  assert.equal(fitting(-0.123456, 30, measure), "-0.12");
  assert.equal(fitting(-0.123456, 24, measure), "-0.1");
  assert.equal(fitting(12.5, 12, measure), "13");
  assert.equal(fitting(0.0123, 24, measure), "0.01");
  assert.equal(fitting(0.0123, 23, measure), null); // not "0.0", which would say nothing true
  assert.equal(fitting(0.0123, 20, measure), null);
  assert.equal(fitting(0.000264, 40, measure), "2.6e-4");
  assert.equal(fitting(-0.000264, 30, measure), "-3e-4");
  assert.equal(fitting(-0.000264, 29, measure), null); // none fits: the node shows its colour alone
  assert.equal(fitting(NaN, 18, measure), "NaN");
});

test("a label's placeholders are filled by name, each wherever it is, an unknown one left as it is", () => {
  assert.equal(filled("{name} before {before} → after {after} ({name})", { name: "W", before: 1, after: 0.5 }),
    "W before 1 → after 0.5 (W)");
  assert.equal(filled("x1 {x1}, {y}", { x1: "0.10" }), "x1 0.10, {y}");
});

test("a value's colour level is its share of the column's largest size, white when it is not finite", () => {
  assert.deepEqual([-2, -1, -0.5, 0, 0.5, 1, 3].map((value) => paletteLevel(value, 1, 15)), [0, 0, 4, 7, 11, 14, 14]);
  assert.equal(paletteLevel(NaN, 1, 15), 7);
  assert.equal(paletteLevel(0.3, 0, 15), 7); // a column of zeros
  assert.equal(largestSize([0.5, -2, NaN, Infinity, 1]), 2);
  assert.equal(largestSize([]), 0);
});

test("codes become pixels with the largest x2 on top, an unknown code white", () => {
  const image = { width: 2, data: new Uint8ClampedArray(16) };
  fillImage(image, [9, 0, 1, 2, 3], 1, [[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  assert.deepEqual([...image.data], [7, 8, 9, 255, 255, 255, 255, 255, 1, 2, 3, 255, 4, 5, 6, 255]);
});

test("a hover finds a link by its distance to the line", () => {
  assert.equal(segmentDistance(0, 1, -1, 0, 1, 0), 1);
  assert.equal(segmentDistance(3, 0, -1, 0, 1, 0), 2); // past its end
  assert.equal(segmentDistance(3, 4, 0, 0, 0, 0), 5);
});

test("the arrows step across and up; a canvas takes them only with the keyboard's focus and no modifier", () => {
  assert.deepEqual(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"].map(arrowStep), [[-1, 0], [1, 0], [0, 1], [0, -1]]);
  const key = (focus, modifiers = {}) => keyboardKey({ currentTarget: { dataset: { keyboardFocus: focus } }, ...modifiers });
  assert.equal(key("yes"), true);
  assert.equal(key(""), false); // focused by a click
  assert.equal(key("yes", { altKey: true }), false); // Alt+← is the browser's Back
  assert.equal(key("yes", { ctrlKey: true }), false);
});

test("each class has its marker, the book's three first", () => {
  assert.deepEqual([0, 1, 2, 3, 7].map(markerOf), ["circle", "cross", "triangle", "square", "circle"]);
});
