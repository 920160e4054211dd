// The hidden space (playground/session/space.py): the input plane's grid lines and the training points as a hidden
// layer maps them, on two of its neurons or its first two principal components, moving frame by frame as the
// network learns, until a line can split the classes (Distill's "Neural Networks, Manifolds, and Topology"). The
// projection and its axes are eased on the server; this draws what a frame says, under the layer's name. A hover or a
// tap on a training point, or the arrow keys stepping through them, say where it was in the input plane and where
// the layer put it. Without hidden layers, it says so in words.

import { Surface, drawAxes, drawMarkers, element, outlines, sideRoom, takesKeys, textWidth } from "./drawing.js";
import {
  PlotBox,
  bytes,
  filled,
  floats,
  formatted,
  plotRectangle,
  pointColors,
  pointMarker,
  spaceCoordinates,
  tickText,
  ticks,
} from "./helpers.js";

const SPACE_MARGIN = { right: 12, top: 8, bottom: 30 }; // the plot in its canvas, at 11 px text (the left: sideRoom)
const LINE_COLORS = ["#8a9bb0", "#b59b7a"]; // the lines across the input plane, then those up it
const LINE_ALPHA = 0.8;
const POINT_REACH = 12; // px at 11 px text: a pointer this close to a training point shows its tip (a finger: twice)

export class Space {
  // ``host``: what the View shares (see View): its tip
  constructor(root, host) {
    this.host = host;
    this.row = element("div", "spl-row spl-space-row", root);
    const box = element("div", "spl-box spl-space", this.row);
    this.title = element("p", "spl-space-title", box);
    this.surface = new Surface(box, "spl-space-canvas", 1);
    this.canvas = this.surface.canvas;
    this.canvas.setAttribute("role", "img");
    this.note = element("p", "spl-space-note", box);
    this.space = null; // the setup's hidden space, while the view shows it
    this.points = null; // the last frame's, as [x, y, ...]: the lines' points, then the training points'
    this.drawn = null; // the points the canvas shows: a drawing of the whole view (a hover, a probe) leaves them
    this.placed = []; // the training points drawn, as [index, x, y] on the canvas, for the tip
    this.canvas.addEventListener("pointermove", (event) => this.hover(event));
    this.canvas.addEventListener("pointerdown", (event) => this.hover(event));
    host.tip.hiddenOnLeaving(this.canvas);
    this.tipping = false; // the shared tip shows one of its points (a mouse's, until it leaves; a finger's, kept)
    this.canvas.addEventListener("pointerleave", (event) => {
      if (event.pointerType !== "touch") this.tipping = false;
    });
    this.keyed = null; // the position in ``placed`` the arrow keys reached, while the keyboard has the canvas
    takesKeys(this.canvas, {
      focused: () => this.stepPoint(0),
      blurred: () => {
        this.keyed = null;
        if (this.tipping) host.tip.hide();
        this.tipping = false;
      },
      pressed: (event) => {
        const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
        if (step) this.stepPoint(step);
        return Boolean(step);
      },
    });
  }

  get surfaces() {
    return [this.surface];
  }

  configure(setup) {
    this.setup = setup;
    const space = (this.space = setup.space);
    this.points = null;
    if (this.tipping) this.host.tip.hide(); // a tapped point's tip stays: the new setup may no longer show it
    this.tipping = false;
    this.row.style.display = space ? "" : "none";
    if (!space) return;
    this.labels = space.labels ? bytes(space.labels) : null;
    this.inputs = space.inputs ? floats(space.inputs) : null;
    this.values = space.values ? floats(space.values) : null;
    this.placed = [];
    this.colors = pointColors(setup);
    this.title.textContent = space.title || "";
    this.note.textContent = space.note;
    this.canvas.style.display = this.labels ? "" : "none"; // no hidden layer: only the words
    const [across, up] = space.axes || ["", ""];
    const labels = setup.labels;
    const name = filled(up ? labels.spaceName : labels.spaceNameOne, { layer: space.title, across, up });
    this.canvas.setAttribute("aria-label", this.labels ? name : space.note);
  }

  take(frame) {
    if (!frame.space || !this.labels) return;
    this.ranges = frame.space.ranges;
    this.points = spaceCoordinates(frame.space.codes, this.ranges, this.space.largest);
  }

  draw() {
    const surface = this.surface;
    if (!this.points || (this.drawn === this.points && !surface.stale)) return;
    this.drawn = this.points;
    const context = surface.start();
    const k = surface.scale;
    const margin = {
      left: sideRoom(context, widestTick(context, this.ranges[1]), surface.font),
      right: SPACE_MARGIN.right * k,
      top: SPACE_MARGIN.top * k,
      bottom: SPACE_MARGIN.bottom * k,
    };
    const box = new PlotBox(plotRectangle(surface.width, surface.height, margin), ...this.ranges);
    context.save();
    context.beginPath();
    context.rect(box.x, box.y, box.width, box.height);
    context.clip();
    this.drawLines(context, box);
    this.drawPoints(context, box);
    context.restore();
    context.strokeStyle = "#ccc";
    context.lineWidth = 1;
    context.strokeRect(box.x, box.y, box.width, box.height);
    surface.canvas.boxes = { plot: box.rectangle };
    surface.canvas.points = this.placed; // for the tests, as its labels and boxes
    drawAxes(surface, box, ...this.space.axes);
  }

  // the tip of the training point under the pointer (a finger reaches twice as far), or none
  hover(event) {
    const reach = POINT_REACH * this.surface.scale * (event.pointerType === "touch" ? 2 : 1);
    const point = this.points && nearest(this.placed, event.offsetX, event.offsetY, reach);
    this.tipping = Boolean(point);
    if (!point) return this.host.tip.hide();
    this.host.tip.show(this.canvas, point[1], point[2], this.tipLines(point[0]));
  }

  // the tip of the training point ``step`` after the one the keys reached (the first, as the keyboard arrives)
  stepPoint(step) {
    const count = this.placed.length;
    if (!count) return;
    this.keyed = this.keyed === null ? 0 : (this.keyed + step + count) % count;
    const [index, x, y] = this.placed[this.keyed];
    this.tipping = true;
    this.host.tip.showByKeys(this.canvas, x, y, this.tipLines(index));
  }

  // a training point's class (a regression's value), where it was in the input plane, and where the layer put it
  tipLines(index) {
    const labels = this.setup.labels;
    const what = this.values
      ? filled(labels.pointValue, { value: formatted(this.values[index]) })
      : filled(labels.classKey, { label: this.labels[index] });
    const [x1, x2] = [this.inputs[2 * index], this.inputs[2 * index + 1]];
    const [across, up] = this.space.axes;
    const [a, b] = this.mapped(index);
    const where = filled(up ? labels.spaceAt : labels.spaceAtOne, { across, up, a: formatted(a), b: formatted(b) });
    return [what, `x1 ${x1.toFixed(2)}, x2 ${x2.toFixed(2)}`, where];
  }

  // where the layer put the ``index``-th training point, [across, up], after the lines' points in the frame's
  mapped(index) {
    const at = 2 * (this.space.lines * this.space.samples + index);
    return [this.points[at], this.points[at + 1]];
  }

  // each grid line through its mapped points, broken where one is not drawn
  drawLines(context, box) {
    const { lines, samples } = this.space;
    const points = this.points;
    context.lineWidth = Math.max(1, this.surface.line / 2);
    context.globalAlpha = LINE_ALPHA;
    for (let line = 0; line < 2 * lines; line++) {
      context.beginPath();
      context.strokeStyle = LINE_COLORS[line < lines ? 0 : 1];
      let started = false;
      for (let sample = 0; sample < samples; sample++) {
        const at = 2 * (line * samples + sample);
        if (!Number.isFinite(points[at]) || !Number.isFinite(points[at + 1])) {
          started = false;
          continue;
        }
        const [x, y] = box.toCanvas(points[at], points[at + 1]);
        if (started) context.lineTo(x, y);
        else context.moveTo(x, y);
        started = true;
      }
      context.stroke();
    }
    context.globalAlpha = 1;
  }

  // the training points, each in its class's (or value's) colour and marker, as the regions draw them: those of
  // one code together
  drawPoints(context, box) {
    const surface = this.surface;
    const size = 3 * surface.scale;
    const byCode = new Map(); // code -> [x, y, ...] on the canvas
    this.placed = [];
    for (let index = 0; index < this.labels.length; index++) {
      const [across, up] = this.mapped(index);
      if (!Number.isFinite(across) || !Number.isFinite(up)) continue;
      const code = this.labels[index];
      if (!byCode.has(code)) byCode.set(code, []);
      const [x, y] = box.toCanvas(across, up);
      byCode.get(code).push(x, y);
      if (box.contains(x, y)) this.placed.push([index, x, y]);
    }
    for (const [code, centres] of byCode) {
      drawMarkers(context, pointMarker(this.setup, code), centres, size, this.colors[code % this.colors.length], false, surface.scale);
      if (this.setup.regression) outlines(context, centres, size + surface.scale, surface.scale); // a value near 0 is white
    }
  }
}

// the training point nearest canvas (x, y) within ``reach`` px, as [index, x, y], or null
function nearest(placed, x, y, reach) {
  let best = null;
  let bestDistance = reach;
  for (const point of placed) {
    const distance = Math.hypot(point[1] - x, point[2] - y);
    if (distance < bestDistance) [best, bestDistance] = [point, distance]; // of points at one place, the first
  }
  return best;
}

// the widest label the up axis may get over ``[low, high]`` (its densest ticks have the most digits): the room
// beside the plot follows the values, which training moves from 0.5 ± 0.01 to ± 10
function widestTick(context, [low, high]) {
  const labels = ticks(low, high, 5).map(tickText);
  return labels.reduce((widest, label) => (textWidth(context, label) > textWidth(context, widest) ? label : widest), "-0.25");
}
