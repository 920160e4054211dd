// The hidden space's pure parts (playground/live/helpers.js), run by `node --test` (tests/test_live_js.py).

import assert from "node:assert/strict";
import { test } from "node:test";

import { pointColors, pointMarker, spaceCoordinates } from "../../playground/live/helpers.js";

// uint16 codes as a frame sends them (little-endian), base64
function coded(codes) {
  return Buffer.from(new Uint16Array(codes).buffer).toString("base64");
}

test("a frame's codes become the axes' values, each axis in its own range", () => {
  const ranges = [[-2, 2], [10, 20]];
  const points = spaceCoordinates(coded([0, 0, 100, 100, 50, 25]), ranges, 100);
  assert.deepEqual(Array.from(points), [-2, 10, 2, 20, 0, 12.5]);
});

test("a code past the largest is a point not drawn", () => {
  const points = spaceCoordinates(coded([65535, 3, 7, 65535]), [[0, 1], [0, 1]], 65534);
  assert.ok(Number.isNaN(points[0]) && Number.isNaN(points[3]));
  assert.ok(Math.abs(points[1] - 3 / 65534) < 1e-9 && Math.abs(points[2] - 7 / 65534) < 1e-9);
});

test("a point takes its class's colour and marker, the colours reused past the last", () => {
  const setup = { classColors: ["#111111", "#222222", "#333333"], regression: null };
  assert.deepEqual(pointColors(setup), setup.classColors);
  assert.equal(pointMarker(setup, 1), "cross");
  assert.equal(pointMarker(setup, 4), "diamond");
});

test("a regression's point takes its value's colour on a circle", () => {
  const setup = { classColors: ["#111111"], regression: { pointPalette: [[0, 0, 255], [255, 128, 0]] } };
  assert.deepEqual(pointColors(setup), ["rgb(0,0,255)", "rgb(255,128,0)"]);
  assert.equal(pointMarker(setup, 1), "circle");
});
