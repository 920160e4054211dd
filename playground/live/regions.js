// The decision regions with the data points, and under them each class's marker and colour (the class key); for a
// regression, the predicted values as a field of colour, the points in their values' colours, and a colour key. The
// wheel or two fingers zoom, a drag pans, a double click shows the whole plane again; paused, a click (a finger
// held LONG_PRESS_MS) adds a point; a hover or a tap shows the class probabilities there, and the arrow keys move a
// probe that shows them too; paused, the network shows its neurons' values at that point. In slow motion (step.js)
// the batch's points stand out, the chosen one ringed, a click or a tap on another chooses it instead of adding a
// point, and the update's regions morph from before the step to after.

import { CodePicture, Surface, drawAxes, drawMarker, drawMarkers, element, outlines, sideRoom, takesKeys } from "./drawing.js";
import {
  ARROWS,
  PlotBox,
  arrowStep,
  bytes,
  floats,
  formatted,
  gridCell,
  halves,
  markerOf,
  percent,
  plotRectangle,
  pointColors,
  pointMarker,
  tickText,
} from "./helpers.js";

const MARGIN = { right: 12, top: 8, bottom: 30 }; // the plot in its canvas, at 11 px text (the left: sideRoom)
const DOUBLE_CLICK_MS = 250; // a click waits this long for a second one before it adds a point
const LONG_PRESS_MS = 500; // paused, a finger held this long on the regions adds a point (a tap shows the tip)
const OUTSIDE_BATCH_ALPHA = 0.25; // in slow motion, the points the step does not use, faded
const CHOOSING_REACH = 10; // px: a click or a tap this close to a batch's point chooses it

export class Regions {
  // ``host``: what the View shares (see View); the regions write their zoom and markers on its root for the tests.
  // ``step``: the step in slow motion (step.js)
  constructor(row, host, step) {
    this.host = host;
    this.step = step;
    const box = element("div", "spl-box spl-regions", row);
    this.surface = new Surface(box, "spl-regions-canvas", 1);
    this.canvas = this.surface.canvas;
    this.canvas.setAttribute("role", "img");
    this.classKey = element("div", "spl-key", box);
    this.setup = null;
    this.zoom = null; // [x1 low, x1 high, x2 low, x2 high] shown, or null for the whole grid
    this.probe = null; // the keyboard's point in the input plane, while the canvas has the keyboard's focus
    this.probabilities = null; // each class's, on a coarse grid, for the hover
    this.values = null; // a regression's predicted values on that grid, for the hover
    this.listen();
    takesKeys(this.canvas, {
      focused: () => this.moveProbe(0, 0),
      blurred: () => {
        this.probe = null;
        host.tip.hide();
        host.probe(null);
        host.draw();
      },
      pressed: (event) => {
        if (!ARROWS.has(event.key)) return false;
        const step = event.shiftKey ? 0.1 : 0.02; // of the window's width
        const [across, up] = arrowStep(event.key);
        this.moveProbe(across * step, up * step);
        return true;
      },
    });
  }

  configure(setup) {
    if (!this.setup || this.setup.dataId !== setup.dataId) this.zoom = null; // the zoom stays for the same points
    this.setup = setup;
    this.points = setup.points.map((group) => ({ xy: floats(group.xy), labels: bytes(group.labels), hollow: group.hollow }));
    this.picture = new CodePicture(setup.grid.resolution);
    this.before = new CodePicture(setup.grid.resolution); // slow motion's update: the regions before the step
    this.canvas.setAttribute("aria-label", setup.labels.regionsName);
    this.drawClassKey(setup);
  }

  take(frame) {
    this.picture.paint(bytes(frame.regions), this.setup.regionPalette);
    if (frame.probabilities) this.probabilities = bytes(frame.probabilities);
    if (frame.values) this.values = halves(frame.values);
  }

  // each class's marker and colour with its name (a regression's: its colours from low to high), and, with the
  // test points, how they differ
  drawClassKey(setup) {
    const ratio = window.devicePixelRatio || 1;
    const items = setup.regression ? [valueKey(setup, ratio)] : [];
    for (let label = 0; label < (setup.regression ? 0 : setup.classes); label++) {
      const item = element("span", "spl-key-item");
      const swatch = element("canvas", "spl-key-marker", item);
      swatch.width = swatch.height = Math.round(16 * ratio);
      const context = swatch.getContext("2d");
      context.scale(ratio, ratio);
      drawMarker(context, markerOf(label), 8, 8, 5, setup.classColors[label % setup.classColors.length], false, 1);
      element("span", "", item).textContent = setup.labels.classKey.replace("{label}", label);
      items.push(item);
    }
    if (setup.points.some((group) => group.hollow)) {
      const note = element("span", "spl-key-item");
      note.textContent = setup.labels.trainTestKey;
      items.push(note);
    }
    this.classKey.replaceChildren(...items);
    this.host.root.dataset.markers = Array.from({ length: setup.classes }, (_, label) => markerOf(label)).join(",");
  }

  // the part of the input plane shown: [x1 low, x1 high, x2 low, x2 high]
  window() {
    const grid = this.setup.grid;
    return this.zoom || [grid.x1[0], grid.x1[1], grid.x2[0], grid.x2[1]];
  }

  // the plot showing the window: MARGIN at the canvas's text size, room for the x2 axis on the left; its
  // rectangle measured once a size
  box() {
    const surface = this.surface;
    const size = `${surface.width}|${surface.font}`;
    if (!this.placed || this.placed.size !== size) {
      const k = surface.scale;
      surface.context.font = `${surface.font}px sans-serif`;
      const left = sideRoom(surface.context, "-0.25", surface.font);
      const margin = { left, right: MARGIN.right * k, top: MARGIN.top * k, bottom: MARGIN.bottom * k };
      this.placed = { size, rectangle: plotRectangle(surface.width, surface.height, margin) };
    }
    const [left, right, bottom, top] = this.window();
    return new PlotBox(this.placed.rectangle, [left, right], [bottom, top]);
  }

  draw() {
    const surface = this.surface;
    const context = surface.start();
    const grid = this.setup.grid;
    const box = this.box();
    context.save();
    context.beginPath();
    context.rect(box.x, box.y, box.width, box.height);
    context.clip();
    const [gridLeft, gridTop] = box.toCanvas(grid.x1[0], grid.x2[1]);
    const [gridRight, gridBottom] = box.toCanvas(grid.x1[1], grid.x2[0]);
    context.imageSmoothingEnabled = !this.setup.hard;
    const place = [gridLeft, gridTop, gridRight - gridLeft, gridBottom - gridTop];
    const morph = this.step.morph(performance.now());
    if (morph) {
      this.before.paint(morph.codes, this.setup.regionPalette);
      context.drawImage(this.before.canvas, ...place);
      context.globalAlpha = morph.share;
      this.morphing = this.morphing || requestAnimationFrame(() => {
        this.morphing = null;
        this.draw();
      });
    }
    context.drawImage(this.picture.canvas, ...place);
    context.globalAlpha = 1;
    this.drawPoints(context, box);
    if (this.probe) crosshair(context, ...box.toCanvas(...this.probe), 8 * surface.scale);
    context.restore();
    surface.canvas.boxes = { plot: box.rectangle };
    this.host.root.dataset.zoom = this.zoom ? this.zoom.map((value) => value.toFixed(3)).join(",") : "";
    drawAxes(surface, box, "x1", "x2");
  }

  // the data's markers; in slow motion the training points outside the batch faded and the chosen one ringed
  drawPoints(context, box) {
    const surface = this.surface;
    const regression = this.setup.regression;
    const colors = pointColors(this.setup);
    const size = 3.6 * surface.scale;
    const step = this.step;
    // the points that look alike drawn together (drawMarkers): ~240 a frame drawn one by one took a tenth of it
    const alike = new Map(); // "label hollow inBatch" -> {label, hollow, inBatch, centres}
    for (const group of this.points) {
      for (let index = 0; index < group.labels.length; index++) {
        const label = group.labels[index];
        const inBatch = !group.hollow && step.position(index) !== undefined;
        const key = `${label} ${group.hollow} ${inBatch}`;
        if (!alike.has(key)) alike.set(key, { label, hollow: group.hollow, inBatch, centres: [] });
        alike.get(key).centres.push(...box.toCanvas(group.xy[2 * index], group.xy[2 * index + 1]));
      }
    }
    for (const { label, hollow, inBatch, centres } of alike.values()) {
      context.globalAlpha = step.on && !inBatch ? OUTSIDE_BATCH_ALPHA : 1;
      const radius = size * (inBatch ? 1.25 : 1);
      drawMarkers(context, pointMarker(this.setup, label), centres, radius, colors[label % colors.length], hollow, surface.scale);
      if (regression) outlines(context, centres, radius + surface.scale, surface.scale); // a value near 0 is white
    }
    context.globalAlpha = 1;
    const chosen = step.chosenRow;
    if (chosen !== null) {
      const xy = this.points[0].xy;
      ring(context, ...box.toCanvas(xy[2 * chosen], xy[2 * chosen + 1]), 9 * surface.scale);
    }
  }

  // in slow motion, the position in the batch of the training point nearest canvas (x, y) within reach, or null
  batchPointAt(x, y, reach) {
    const box = this.box();
    const xy = this.points[0].xy;
    let best = null;
    for (const [row, position] of this.step.positions) {
      const [px, py] = box.toCanvas(xy[2 * row], xy[2 * row + 1]);
      const distance = Math.hypot(px - x, py - y);
      if (distance <= reach && (!best || distance < best[0])) best = [distance, position];
    }
    return best && best[1];
  }

  // --- the pointer: hover, zoom and pan, a click or a long press to add a point ----------------------------------

  listen() {
    const canvas = this.canvas;
    const tip = this.host.tip;
    let drag = null;
    const fingers = new Map(); // pointer id -> [x, y] of each finger on the regions
    let pinch = null;
    let held = null; // the long press's timer
    canvas.addEventListener("wheel", (event) => {
      event.preventDefault();
      this.zoomAt(event.offsetX, event.offsetY, event.deltaY < 0 ? 0.8 : 1.25);
    }, { passive: false });
    canvas.addEventListener("pointerdown", (event) => {
      this.pointerType = event.pointerType;
      const box = this.box();
      drag = { x: event.offsetX, y: event.offsetY, box, point: box.toPlane(event.offsetX, event.offsetY), moved: false };
      canvas.setPointerCapture(event.pointerId);
      if (event.pointerType !== "touch") return;
      fingers.set(event.pointerId, [event.offsetX, event.offsetY]);
      clearTimeout(held);
      if (fingers.size === 2) [pinch, drag] = [this.pinchStart(fingers), null];
      else held = this.pressed(event);
      this.hover(event);
    });
    canvas.addEventListener("pointermove", (event) => {
      if (fingers.has(event.pointerId)) fingers.set(event.pointerId, [event.offsetX, event.offsetY]);
      if (pinch && fingers.size === 2) return this.pinchMove(pinch, fingers);
      if (drag && Math.hypot(event.offsetX - drag.x, event.offsetY - drag.y) > 4) {
        clearTimeout(held);
        drag.moved = true;
        this.zoom = drag.box.window(drag.point, event.offsetX, event.offsetY, 1); // the plane follows the pointer
        this.host.draw();
      }
      this.hover(event);
    });
    let dragged = false;
    let pendingAdd = null;
    const lifted = (event) => {
      dragged = Boolean(drag && drag.moved) || Boolean(pinch);
      drag = null;
      fingers.delete(event.pointerId);
      if (fingers.size < 2) pinch = null;
      clearTimeout(held);
    };
    canvas.addEventListener("pointerup", lifted);
    canvas.addEventListener("pointercancel", lifted);
    canvas.addEventListener("click", (event) => {
      // paused, a mouse's click adds a point there; not a drag's end, and not a double click, which resets the
      // zoom; a finger's tap only shows the tip. In slow motion a click or a tap chooses the batch's point there
      clearTimeout(pendingAdd);
      if (this.step.on) return dragged || this.choosePoint(event);
      if (this.pointerType === "touch" || dragged || event.detail > 1 || this.setup.playing) return;
      const box = this.box();
      if (!box.contains(event.offsetX, event.offsetY)) return;
      const [x1, x2] = box.toPlane(event.offsetX, event.offsetY);
      pendingAdd = setTimeout(() => this.host.trigger("add", [x1, x2]), DOUBLE_CLICK_MS);
    });
    canvas.addEventListener("dblclick", () => {
      clearTimeout(pendingAdd);
      this.zoom = null;
      this.host.draw();
    });
    canvas.addEventListener("contextmenu", (event) => {
      if (this.pointerType === "touch") event.preventDefault(); // the long press is the view's own
    });
    tip.hiddenOnLeaving(canvas);
    canvas.addEventListener("pointerleave", (event) => event.pointerType !== "touch" && this.host.probe(null));
  }

  // the batch's point under a click or a tap followed through the stages (the page runs to show it)
  choosePoint(event) {
    const reach = CHOOSING_REACH * (this.pointerType === "touch" ? 2 : 1) * this.surface.scale;
    const position = this.batchPointAt(event.offsetX, event.offsetY, reach);
    if (position !== null) this.host.trigger("point", position);
  }

  // paused, a finger held still LONG_PRESS_MS on the plot adds a point there (not in slow motion): the timer, or null
  pressed(event) {
    const box = this.box();
    if (this.setup.playing || this.step.on || !box.contains(event.offsetX, event.offsetY)) return null;
    const [x1, x2] = box.toPlane(event.offsetX, event.offsetY);
    return setTimeout(() => this.host.trigger("add", [x1, x2]), LONG_PRESS_MS);
  }

  // the window ``factor`` times as wide, the plane's point at canvas (x, y) staying where it is
  zoomAt(x, y, factor) {
    const box = this.box();
    this.zoom = box.window(box.toPlane(x, y), x, y, factor);
    this.host.draw();
  }

  pinchStart(fingers) {
    const [[ax, ay], [bx, by]] = fingers.values();
    const box = this.box();
    return { box, distance: Math.hypot(ax - bx, ay - by) || 1, point: box.toPlane((ax + bx) / 2, (ay + by) / 2) };
  }

  // the two fingers' midpoint keeps the plane's point it started on, the window as much narrower as they spread
  pinchMove(pinch, fingers) {
    const [[ax, ay], [bx, by]] = fingers.values();
    const factor = pinch.distance / Math.max(Math.hypot(ax - bx, ay - by), 1);
    this.zoom = pinch.box.window(pinch.point, (ax + bx) / 2, (ay + by) / 2, factor);
    this.host.tip.hide();
    this.host.draw();
  }

  // the tip at the pointer, and the network's values there
  hover(event) {
    const [x, y] = [event.offsetX, event.offsetY];
    this.host.tip.showAt(event, this.probedLines(this.planePoint(x, y), this.tipLines(x, y)));
  }

  // the network shows its values at ``point`` (null: none): the tip's ``lines`` say so
  probedLines(point, lines) {
    const note = this.host.probe(point);
    return lines && note ? [...lines, note] : lines;
  }

  // the plane's point at canvas (x, y), or null outside the plot
  planePoint(x, y) {
    const box = this.box();
    return box.contains(x, y) ? box.toPlane(x, y) : null;
  }

  // the probe moved by fractions of the window across and up, kept in it; the tip shows what a hover there shows
  moveProbe(across, up) {
    const [left, right, bottom, top] = this.window();
    const [x1, x2] = this.probe || [(left + right) / 2, (bottom + top) / 2];
    const inside = (value, low, high) => Math.min(Math.max(value, low), high);
    this.probe = [inside(x1 + across * (right - left), left, right), inside(x2 + up * (top - bottom), bottom, top)];
    this.host.draw();
    const [x, y] = this.box().toCanvas(...this.probe);
    this.host.tip.showByKeys(this.canvas, x, y, this.probedLines(this.probe, this.tipLines(x, y)));
  }

  // what the regions say at canvas (x, y): the point of the plane and each class's probability (a regression's
  // predicted value), or null outside
  tipLines(x, y) {
    const box = this.box();
    const regression = this.setup.regression;
    if (!box.contains(x, y) || !(regression ? this.values : this.probabilities)) return null;
    const [x1, x2] = box.toPlane(x, y);
    const size = this.setup.probabilityResolution;
    const cell = gridCell(this.setup.grid, size, x1, x2);
    if (!cell) return null;
    const [column, row] = cell;
    const lines = [`x1 ${x1.toFixed(2)}, x2 ${x2.toFixed(2)}`];
    if (regression) return [...lines, this.setup.labels.valueAt.replace("{value}", formatted(this.values[row * size + column]))];
    const classes = this.setup.classes;
    const first = (row * size + column) * classes;
    for (let label = 0; label < classes; label++) {
      const share = percent(this.probabilities[first + label] / 255);
      lines.push(this.setup.labels.classProbability.replace("{label}", label).replace("{p}", share));
    }
    return lines;
  }
}

// a regression's key: its name, the low end, the points' colours from low to high, the high end, and what is what
function valueKey(setup, ratio) {
  const item = element("span", "spl-key-item");
  const [low, high] = setup.regression.range;
  const palette = setup.regression.pointPalette;
  element("span", "", item).textContent = `${setup.labels.valueKey} ${tickText(low)}`;
  const bar = element("canvas", "spl-key-bar", item);
  bar.width = Math.round(64 * ratio);
  bar.height = Math.round(10 * ratio);
  const context = bar.getContext("2d");
  palette.forEach((rgb, index) => {
    context.fillStyle = `rgb(${rgb.join(",")})`;
    context.fillRect((index / palette.length) * bar.width, 0, bar.width / palette.length + 1, bar.height);
  });
  element("span", "", item).textContent = `${tickText(high)} · ${setup.labels.valueKeyNote}`;
  return item;
}

// slow motion's chosen point: a dark ring on a white one, seen on every tint
function ring(context, x, y, radius) {
  for (const [color, width] of [["white", 4], ["#222", 2]]) {
    context.beginPath();
    context.arc(x, y, radius, 0, 2 * Math.PI);
    context.strokeStyle = color;
    context.lineWidth = width;
    context.stroke();
  }
}

// the keyboard's probe: a cross of dark and white lines, seen on every tint
function crosshair(context, x, y, size) {
  for (const [color, width] of [["white", 4], ["#222", 1.5]]) {
    context.beginPath();
    context.moveTo(x - size, y);
    context.lineTo(x + size, y);
    context.moveTo(x, y - size);
    context.lineTo(x, y + size);
    context.strokeStyle = color;
    context.lineWidth = width;
    context.stroke();
  }
}
