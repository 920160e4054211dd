// The loss and accuracy curves by epoch, with their legend above the plot; a hover shows the nearest row of the
// history. The history is kept here: each frame brings the rows after the last frame's.

import { Surface, element, sideRoom, textWidth } from "./drawing.js";
import {
  curveScale,
  everyFitting,
  fitsApart,
  formatted,
  logTicks,
  percent,
  plotRectangle,
  spacedTicks,
  thinned,
  tickText,
} from "./helpers.js";

const DOTS = [2, 3]; // the accuracy curves' dash, times the line width
const CURVE_MARGIN = { bottom: 30 }; // at 11 px text (the legend's rows set the top, sideRoom the sides)

export class Curves {
  // ``host``: what the View shares (see View)
  constructor(row, host) {
    this.host = host;
    const box = element("div", "spl-box spl-curves", row);
    this.surface = new Surface(box, "spl-curves-canvas", 1);
    this.surface.canvas.setAttribute("role", "img");
    this.history = []; // the run's rows, as the session records them (columns: see configure)
    this.run = null;
    this.scale = null; // the last drawing's, for the hover
    // a tap moves no pointer: its tip comes with its click, once the regions, were they focused, have let go of the
    // focus and hidden their tip
    this.surface.canvas.addEventListener("click", (event) => this.hover(event));
    this.surface.canvas.addEventListener("pointermove", (event) => this.hover(event));
    host.tip.hiddenOnLeaving(this.surface.canvas);
  }

  // ``columns``: where each history column is in a row, by name (columnsByName)
  configure(setup, columns) {
    this.setup = setup;
    this.columns = columns;
    this.placed = null;
    this.surface.canvas.setAttribute("aria-label", setup.labels.curvesName);
  }

  // the step of the last row kept, or -1
  lastStep() {
    return this.history.length ? this.history[this.history.length - 1][this.columns.step] : -1;
  }

  // whether rows were missed between those kept and a frame's (sent after step ``frame.after``), or it is another run's
  missed(frame) {
    return frame.run !== this.run || this.lastStep() < frame.after;
  }

  // a frame's rows after those kept; a new run's, or every row, start the history again
  take(frame) {
    if (frame.run !== this.run || frame.allRows) {
      this.run = frame.run;
      this.history = [];
    }
    const last = this.lastStep();
    for (const row of frame.rows) if (row[this.columns.step] > last) this.history.push(row);
  }

  // where the curves go at this size: the legend in rows above the plot, off the data (the start of the loss
  // curve is the ln 3 plateau chapter 1 is about), and margins that follow the text size; measured once a size
  layout(context) {
    const surface = this.surface;
    const size = `${surface.width}|${surface.font}`;
    if (this.placed && this.placed.size === size) return this.placed;
    const [font, k] = [surface.font, surface.scale];
    const margin = {
      left: sideRoom(context, "0.005", font),
      right: sideRoom(context, "100%", font),
      bottom: CURVE_MARGIN.bottom * k,
    };
    const swatch = 18 * k;
    const rowHeight = font * 1.4;
    let [x, y] = [margin.left, font * 0.8];
    const legend = this.setup.curves.map((curve) => {
      const width = swatch + 4 * k + textWidth(context, curve.name);
      if (x > margin.left && x + width > surface.width - margin.right) [x, y] = [margin.left, y + rowHeight];
      const entry = { curve, x, y, width, swatch };
      x += width + font;
      return entry;
    });
    margin.top = y + font * 1.3;
    this.placed = { size, legend, rectangle: plotRectangle(surface.width, surface.height, margin) };
    return this.placed;
  }

  draw() {
    const surface = this.surface;
    const context = surface.start();
    const { legend, rectangle } = this.layout(context);
    const rows = thinned(this.history, Math.max(2 * rectangle.width, 200));
    const curves = this.setup.curves;
    const epoch = this.columns.epoch;
    const scale = curveScale(rows, curves, epoch, this.setup.logLoss, rectangle, Boolean(this.setup.regression));
    this.scale = { ...scale, rows };
    gridLines(context, rectangle);
    strokeCurves(context, rows, curves, scale, epoch, surface.line);
    curveAxes(surface, scale, this.setup.labels, this.setup.regression ? tickText : (value) => `${100 * value}%`);
    drawLegend(surface, legend);
    surface.canvas.boxes = {
      plot: rectangle,
      legend: legend.map((entry) => ({ x: entry.x, y: entry.y - surface.font / 2, width: entry.width, height: surface.font })),
    };
  }

  // how the right axis's values read: accuracies as percentages, a regression's R² as a number (0.95, not 95 %)
  shareText() {
    return this.setup.regression ? (value) => formatted(value, 3) : percent;
  }

  // the row nearest the pointer's epoch: its epoch and step, losses and accuracies
  hover(event) {
    const scale = this.scale;
    const tip = this.host.tip;
    if (!scale || !scale.rows.length) return tip.hide();
    const at = this.columns;
    const [epoch] = scale.loss.toPlane(event.offsetX, 0);
    let nearest = scale.rows[0];
    for (const row of scale.rows) if (Math.abs(row[at.epoch] - epoch) < Math.abs(nearest[at.epoch] - epoch)) nearest = row;
    const labels = this.setup.labels;
    const both = (text, train, test) => text.replace("{train}", train).replace("{test}", test);
    tip.showAt(event, [
      labels.curveEpoch.replace("{epoch}", nearest[at.epoch].toLocaleString()).replace("{step}", nearest[at.step].toLocaleString()),
      both(labels.curveLoss, formatted(nearest[at.train_loss], 4), formatted(nearest[at.test_loss], 4)),
      both(labels.curveAccuracy, ...[nearest[at.train_accuracy], nearest[at.test_accuracy]].map(this.shareText())),
    ]);
  }
}

function gridLines(context, { x, y, width, height }) {
  context.strokeStyle = "#eee";
  context.lineWidth = 1;
  for (let index = 0; index <= 4; index++) {
    const across = y + (index / 4) * height;
    context.beginPath();
    context.moveTo(x, across);
    context.lineTo(x + width, across);
    context.stroke();
  }
}

// Each curve as a line through its rows, broken where a value is not finite, clipped to the plot.
function strokeCurves(context, rows, curves, { loss, accuracy, yLoss }, epoch, line) {
  context.save();
  context.beginPath();
  context.rect(loss.x, loss.y, loss.width, loss.height);
  context.clip();
  const x = (row) => loss.xOf(row[epoch]);
  for (const curve of curves) {
    const [column, y] = [curve.column, curve.accuracy ? (value) => accuracy.yOf(value) : yLoss];
    context.beginPath();
    context.setLineDash(curve.dotted ? DOTS.map((length) => length * line) : []);
    context.strokeStyle = curve.color;
    context.lineWidth = line;
    let started = false;
    for (const row of rows) {
      const value = row[column];
      if (!Number.isFinite(value)) {
        started = false;
        continue;
      }
      const [px, py] = [x(row), y(value)];
      if (started) context.lineTo(px, py);
      else context.moveTo(px, py);
      started = true;
    }
    context.stroke();
    // one row (a run at its start, or from a weights file): a line has no length yet, so its point is a dot
    if (rows.length === 1 && Number.isFinite(rows[0][column])) {
      context.beginPath();
      context.arc(x(rows[0]), y(rows[0][column]), 1.5 * line, 0, 2 * Math.PI);
      context.fillStyle = curve.color;
      context.fill();
    }
  }
  context.restore();
  context.setLineDash([]);
}

// The axes' ticks and titles: epochs below, loss on the left, accuracy (a regression's R²) on the right, its ticks
// as ``shareTick`` writes them.
function curveAxes(surface, { loss, accuracy, log, lastEpoch, lowestShare }, labels, shareTick) {
  const context = surface.context;
  const [font, gap] = [surface.font, surface.font * 0.6];
  const textSize = (value) => textWidth(context, tickText(value));
  const lineSize = () => font;
  const [x, lossY, accuracyY] = [(value) => loss.xOf(value), (value) => loss.yOf(value), (value) => accuracy.yOf(value)];
  context.fillStyle = "#555";
  context.textAlign = "center";
  context.textBaseline = "top";
  const below = loss.y + loss.height + font / 2 + 1; // under the lowest of the side axes' labels
  for (const epoch of spacedTicks(0, lastEpoch, x, textSize, gap)) surface.label(tickText(epoch), x(epoch), below);
  context.textAlign = "right";
  context.textBaseline = "middle";
  // on a log scale the loss box shows log10 of the loss: its ticks are powers of ten and their multiples
  const lossTicks = log
    ? everyFitting(logTicks(loss.up), fitsApart(lossY, lineSize, gap / 2)) // fitting as they are, or thinned
    : spacedTicks(loss.up[0], loss.up[1], lossY, lineSize, gap / 2);
  for (const value of lossTicks) {
    const y = lossY(value);
    if (y >= loss.y - 1 && y <= loss.y + loss.height + 1) surface.label(tickText(log ? 10 ** value : value), loss.x - 4, y);
  }
  context.textAlign = "left";
  const shareTicks = [-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1].filter((value) => value >= lowestShare);
  const shares = everyFitting(shareTicks, fitsApart(accuracyY, lineSize, gap / 2));
  for (const value of shares) surface.label(shareTick(value), loss.x + loss.width + 4, accuracyY(value));
  context.textAlign = "center";
  context.textBaseline = "bottom";
  surface.label(labels.epochAxis, loss.x + loss.width / 2, surface.height - 1);
  surface.verticalLabel(labels.lossAxis, font / 2 + 2, loss.y + loss.height / 2);
  surface.verticalLabel(labels.accuracyAxis, surface.width - font / 2 - 2, loss.y + loss.height / 2);
}

// the curves' key, in rows above the plot (see Curves.layout)
function drawLegend(surface, legend) {
  const context = surface.context;
  context.textAlign = "left";
  context.textBaseline = "middle";
  for (const { curve, x, y, swatch } of legend) {
    context.beginPath();
    context.setLineDash(curve.dotted ? DOTS.map((length) => length * surface.line) : []);
    context.strokeStyle = curve.color;
    context.lineWidth = surface.line;
    context.moveTo(x, y);
    context.lineTo(x + swatch, y);
    context.stroke();
    context.setLineDash([]);
    context.fillStyle = "#444";
    surface.label(curve.name, x + swatch + 4 * surface.scale, y);
  }
}
