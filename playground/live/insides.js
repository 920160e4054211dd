// Inside the training: for each layer, as the diagram names them, its activations' histogram over the epochs (a
// hidden layer's), its last step's gradients dW on a log scale over the epochs, its weight norm ‖W‖, and the share
// of its ReLUs that are dead, live. The snapshots are kept here: each frame brings those after the last frame's
// (playground/session/insides.py takes them, live/frames.py sends them), and a full one replaces them. A hover (a
// tap) on a strip says what its cell holds at that epoch; by keyboard, the arrow keys step through the epochs.

import { Surface, element, setText, takesKeys, textWidth } from "./drawing.js";
import { bytes, filled, formatted, percent, tickText } from "./helpers.js";

const SHADE = [31, 76, 140]; // a cell's colour, its opacity the square root of its share: a few values still show
const EMPTY = "#f3f3f3";
const NORM_COLOR = "#7a3e9d";
const IMAGE_ROWS = 48; // an activation column's pixels, each at its own value in the layer's widest range
// a hidden layer's canvas's height to its width (activations, gradients, norm); the output layer's, two strips: its
// text grows with its width (drawing.js), and so do its strips, each room for its two labels
const HIDDEN_ASPECT = 0.5;
const OUTPUT_ASPECT = 0.34;
// the histograms move an epoch at a time: 5 drawings a second show it, and the page keeps 30 painted frames a second
// on a 2-core machine (22 when they were drawn at every frame)
const REDRAW_MS = 200;

// the bin of ``bins`` equal ones over ``range`` [low, high] that ``value`` falls in (``high`` in the last, as
// insides.py bins it), or null outside them
export function binOf(value, [low, high], bins) {
  const bin = value === high ? bins - 1 : Math.floor(((value - low) / (high - low)) * bins);
  return bin >= 0 && bin < bins ? bin : null;
}

// [from, to] of the ``bin``-th of ``bins`` equal bins over ``range`` [low, high]
export function binRange(bin, bins, [low, high]) {
  const width = (high - low) / bins;
  return [low + bin * width, low + (bin + 1) * width];
}

// the first of the fullest bins of ``shares``
export function fullest(shares) {
  let best = 0;
  for (let bin = 1; bin < shares.length; bin++) if (shares[bin] > shares[best]) best = bin;
  return best;
}

// a number in 3 significant digits, as the tips write a bin's ends: 0.0313, 1.78e-8
export function significant(value) {
  return String(Number(value.toPrecision(3)));
}

// a gradient bin's ends as |dW| values, the bins being over powers of ten (``decades``): the first holds the
// smaller values too, zeros among them, and the last the larger ones (insides.py's gradient_histogram)
export function gradientBand(bin, bins, decades) {
  const [from, to] = binRange(bin, bins, decades);
  return [bin === 0 ? "0" : significant(10 ** from), bin === bins - 1 ? "∞" : significant(10 ** to)];
}

// the weight norm's lowest and highest labels, in as many significant digits (3 to 6) as tell them apart: a norm
// that moved by a thousandth read the same at both ends of its curve
export function endLabels(low, high) {
  const labels = (digits) => [low, high].map((value) => value.toLocaleString(undefined, { maximumSignificantDigits: digits }));
  let digits = 3;
  while (digits < 6 && low !== high && labels(digits)[0] === labels(digits)[1]) digits += 1;
  return labels(digits);
}

// ``kept`` snapshots followed by those of ``incoming`` numbered after the last kept, then only those numbered a
// multiple of ``every``: the server's thinning (insides.py's ``thinned``), by number, so both keep the same ones
export function keptSnapshots(kept, incoming, every) {
  const last = kept.length ? kept[kept.length - 1].n : -1;
  const added = incoming.filter((snapshot) => snapshot.n > last);
  return [...kept, ...added].filter((snapshot) => snapshot.n % every === 0);
}

// A column of ``rows`` pixels, top (``shown[1]``) to bottom (``shown[0]``), from ``shares`` (bytes out of
// ``levels``) binned evenly over ``binned`` [low, high]: each pixel the share of the bin its value falls in, 0
// outside it. A snapshot's range is inside the latest's (ranges only widen), so old columns keep their place.
export function columnShares(shares, binned, shown, rows, levels) {
  const out = new Float32Array(rows);
  const [low, high] = binned;
  const bins = shares.length;
  for (let row = 0; row < rows; row++) {
    const value = shown[1] - ((row + 0.5) / rows) * (shown[1] - shown[0]);
    const bin = Math.floor(((value - low) / (high - low)) * bins);
    if (bin >= 0 && bin < bins) out[row] = shares[bin] / levels;
  }
  return out;
}

// a snapshot as sent, its shares split per layer: ``activations`` a Uint8Array for each hidden layer,
// ``gradients`` one for each Affine layer
export function snapshotShares(snapshot, setup) {
  const split = (base64, size) => {
    const all = bytes(base64);
    const parts = [];
    for (let start = 0; start < all.length; start += size) parts.push(all.subarray(start, start + size));
    return parts;
  };
  return {
    ...snapshot,
    activations: split(snapshot.activations, setup.activationBins),
    gradients: split(snapshot.gradients, setup.gradientBins),
  };
}

export class Insides {
  // ``host``: what the View shares (see View)
  constructor(parent, host) {
    this.host = host;
    this.box = element("section", "spl-insides", parent);
    this.box.hidden = true;
    this.title = element("h3", "spl-insides-title", this.box);
    this.caption = element("p", "spl-insides-caption", this.box);
    this.none = element("p", "spl-insides-none", this.box); // a network without hidden layers has no activations
    this.grid = element("div", "spl-insides-grid", this.box);
    this.panels = [];
    this.snapshots = [];
    this.run = null;
    this.version = 0; // of the snapshots kept: a panel redraws when they change, or when it is resized
    this.offscreen = element("canvas"); // where a strip's pixels are painted, then drawn scaled
    this.drawnAt = -Infinity; // when a panel was last drawn
    this.later = null; // the timer that draws the last change, REDRAW_MS after the drawing before
    // while the keyboard has a panel: that panel, and the number (n) of the snapshot its tip shows (null: the
    // latest, as they come); a number, not a place, stays with its epoch as the snapshots are thinned
    this.keyed = null;
    this.keyedTip = false; // whether the shared tip shows the keyboard's (a pointer's replaces it)
    this.shape = null; // what the panels were built for: a new setup that changes none of it keeps them, and the focus
  }

  get surfaces() {
    return this.panels.map((panel) => panel.surface);
  }

  configure(setup) {
    const insides = setup.insides;
    this.setup = insides;
    this.labels = setup.labels;
    this.box.hidden = !insides;
    // a setup changes with every Play and Pause: the panels, and the keyboard's place on one, stay unless theirs did
    const shape = insides ? JSON.stringify([insides, setup.labels]) : null;
    if (shape === this.shape) return;
    this.shape = shape;
    if (!insides) {
      this.panels = [];
      this.grid.replaceChildren();
      return;
    }
    if (this.keyedTip) this.host.tip.hide();
    this.keyed = null;
    this.keyedTip = false;
    this.title.textContent = setup.labels.insidesTitle;
    this.caption.textContent = filled(setup.labels.insidesCaption, { points: insides.points });
    this.grid.replaceChildren();
    this.panels = insides.layers.map((name, index) => this.panel(name, index));
    this.none.textContent = setup.labels.insidesNoHidden;
    this.none.hidden = insides.activations.length > 0;
    this.version += 1;
  }

  panel(name, index) {
    const hidden = index < this.setup.activations.length;
    const box = element("div", "spl-insides-layer", this.grid);
    const title = element("h4", "spl-insides-name", box);
    title.textContent = hidden ? `${name} · ${this.setup.activations[index]}` : name;
    const numbers = element("p", "spl-insides-numbers", box);
    numbers.dataset.testid = "insides-numbers";
    const surface = new Surface(box, "spl-insides-canvas", hidden ? HIDDEN_ASPECT : OUTPUT_ASPECT);
    const canvas = surface.canvas;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", filled(this.labels.insidesLayerName, { layer: name }));
    // ``strips``: what its last drawing put where, [{kind, box}], for the tips
    const panel = { index, name, hidden, dying: hidden && this.setup.dying[index], numbers, surface, strips: [], drawnSnapshots: [], drawn: -1 };
    canvas.addEventListener("pointermove", (event) => this.hover(panel, event));
    canvas.addEventListener("pointerdown", (event) => this.hover(panel, event));
    this.host.tip.hiddenOnLeaving(canvas);
    takesKeys(canvas, {
      focused: () => this.stepEpoch(panel, 0),
      blurred: () => {
        if (this.keyedTip && this.host.tip.owner === canvas) this.host.tip.hide(); // not a pointer's tip
        this.keyed = null;
        this.keyedTip = false;
      },
      pressed: (event) => {
        const step = { ArrowRight: 1, ArrowLeft: -1, Home: -Infinity, End: Infinity }[event.key];
        if (step) this.stepEpoch(panel, step);
        return Boolean(step);
      },
    });
    return panel;
  }

  // the tip of the strip's cell under the pointer: its epoch, the bin's share there, the weight norm, the dead
  // ReLUs; of the snapshots as the panel last drew them (up to REDRAW_MS ago: more may have come since)
  hover(panel, event) {
    const [x, y] = [event.offsetX, event.offsetY];
    const strip = panel.strips.find(({ box }) => x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height);
    const snapshots = panel.drawnSnapshots;
    const count = snapshots.length;
    this.keyedTip = false;
    if (!strip || !count) return this.host.tip.hide();
    const across = (x - strip.box.x) / strip.box.width;
    // a histogram's columns are a snapshot each; the norm's curve goes through one point a snapshot
    const column = strip.kind === "norm" ? Math.round(across * (count - 1)) : Math.min(Math.floor(across * count), count - 1);
    const down = (y - strip.box.y) / strip.box.height;
    this.host.tip.showAt(event, this.tipLines(panel, snapshots[column], strip.kind, down));
  }

  // by keyboard: the tip of the snapshot ``step`` from the one shown (0: the latest, as the keyboard arrives),
  // at the ends no further; it names each histogram's fullest bin
  stepEpoch(panel, step) {
    const snapshots = panel.drawnSnapshots;
    const count = snapshots.length;
    const shown = this.keyed && this.keyed.panel === panel ? this.keyedIndex() : count - 1;
    const at = step === 0 ? count - 1 : Math.max(0, Math.min(count - 1, shown + step));
    this.keyed = { panel, n: count && at < count - 1 ? snapshots[at].n : null };
    this.showKeyed(true);
  }

  // the place among the snapshots of the one the keyboard shows: its number's, or the next kept after it
  keyedIndex() {
    const { panel, n } = this.keyed;
    const snapshots = panel.drawnSnapshots;
    const at = n === null ? -1 : snapshots.findIndex((snapshot) => snapshot.n >= n);
    return at < 0 ? snapshots.length - 1 : at;
  }

  // the keyboard's tip; ``said``: a screen reader hears it too (a key moved it; not as new epochs redraw it)
  showKeyed(said = false) {
    const { panel } = this.keyed;
    const snapshots = panel.drawnSnapshots;
    const count = snapshots.length;
    const first = panel.strips[0];
    this.keyedTip = true;
    const tip = this.host.tip;
    const show = (x, y, lines) => (said ? tip.showByKeys : tip.show).call(tip, panel.surface.canvas, x, y, lines);
    if (!count || !first) return show(0, 0, [this.labels.insidesWaiting]);
    const at = this.keyedIndex();
    show(first.box.x + ((at + 0.5) / count) * first.box.width, first.box.y, this.tipLines(panel, snapshots[at]));
  }

  // what a tip says of ``snapshot`` in ``panel``: the layer and the epoch; on a histogram ``kind`` the share of
  // the bin ``down`` its height (0 the top, 1 the bottom) falls in, or with no ``kind`` each histogram's fullest
  // bin; then the weight norm and, for ReLUs, the share dead
  tipLines(panel, snapshot, kind = null, down = null) {
    const labels = this.labels;
    const layer = panel.index;
    const levels = this.setup.shareLevels;
    const lines = [filled(labels.insidesTipEpoch, { layer: panel.name, epoch: snapshot.epoch.toLocaleString() })];
    const share = (shares, bin) => percent(shares[bin] / levels);
    if (panel.hidden && (kind === "activations" || kind === null)) {
      const bins = this.setup.activationBins;
      const range = snapshot.ranges[layer];
      const shares = snapshot.activations[layer];
      let bin = fullest(shares);
      if (kind) {
        const shown = this.activationRange(layer, panel.drawnSnapshots); // the strip's scale, as drawn
        bin = binOf(shown[1] - down * (shown[1] - shown[0]), range, bins);
      }
      if (bin !== null) {
        const [from, to] = binRange(bin, bins, range).map(significant);
        lines.push(filled(kind ? labels.insidesTipActivations : labels.insidesTipMostActivations, { from, to, share: share(shares, bin) }));
      }
    }
    if (kind === "gradients" || kind === null) {
      const bins = this.setup.gradientBins;
      const shares = snapshot.gradients[layer];
      const bin = kind ? bins - 1 - Math.min(Math.floor(down * bins), bins - 1) : fullest(shares); // the largest at the top
      const [from, to] = gradientBand(bin, bins, this.setup.gradientDecades);
      lines.push(filled(kind ? labels.insidesTipGradients : labels.insidesTipMostGradients, { from, to, share: share(shares, bin) }));
    }
    const norm = snapshot.norms[layer];
    lines.push(filled(labels.insidesNormValue, { value: norm === null ? "—" : formatted(norm) }));
    if (panel.dying && snapshot.dead[layer] !== null) lines.push(filled(labels.insidesDead, { share: percent(snapshot.dead[layer]) }));
    return lines;
  }

  // whether snapshots were missed between those kept and a frame's (sent after number ``after``)
  missed(frame) {
    const sent = frame.insides;
    return Boolean(sent) && !sent.all && (frame.run !== this.run || this.lastNumber() < sent.after);
  }

  lastNumber() {
    return this.snapshots.length ? this.snapshots[this.snapshots.length - 1].n : -1;
  }

  take(frame) {
    const sent = frame.insides;
    if (!sent || !this.setup) return;
    if (frame.run !== this.run || sent.all) {
      if (this.keyed && frame.run !== this.run) this.keyed.n = null; // a new run: the keyboard's tip at its latest
      this.run = frame.run;
      this.snapshots = [];
    }
    const incoming = sent.snapshots.filter((snapshot) => snapshot.n > this.lastNumber());
    if (!incoming.length && !sent.all) return;
    const setup = this.setup;
    this.snapshots = keptSnapshots(this.snapshots, incoming.map((snapshot) => snapshotShares(snapshot, setup)), sent.every);
    this.version += 1;
  }

  // the panels whose snapshots changed, at most every REDRAW_MS (the last change drawn when that has passed); a
  // resized one at once
  draw() {
    if (!this.setup) return;
    const wait = this.drawnAt + REDRAW_MS - performance.now();
    const resized = this.panels.some((panel) => panel.surface.stale);
    if (wait > 0 && !resized) {
      this.later = this.later || setTimeout(() => {
        this.later = null;
        this.draw();
      }, wait);
      return;
    }
    for (const panel of this.panels) {
      if (panel.drawn === this.version && !panel.surface.stale) continue;
      this.drawPanel(panel);
      panel.drawn = this.version;
      this.drawnAt = performance.now();
      // new epochs: the keyboard's tip follows them, while no pointer has taken the tip to this chart or another
      if (this.keyedTip && this.keyed && this.keyed.panel === panel && this.host.tip.owner === panel.surface.canvas) {
        this.showKeyed();
      }
    }
  }

  drawPanel(panel) {
    const surface = panel.surface;
    const context = surface.start();
    const labels = this.labels;
    const snapshots = this.snapshots;
    panel.drawnSnapshots = snapshots; // what its tips read (the array is replaced, never changed, as more come)
    const last = snapshots[snapshots.length - 1];
    const texts = [];
    if (panel.dying && last && last.dead[panel.index] !== null) texts.push(filled(labels.insidesDead, { share: percent(last.dead[panel.index]) }));
    const norm = last ? last.norms[panel.index] : null; // null: not finite (a diverged run's)
    if (last) texts.push(filled(labels.insidesNormValue, { value: norm === null ? "—" : formatted(norm) }));
    const numbers = texts.length ? texts.join(" · ") : labels.insidesWaiting;
    setText(panel.numbers, numbers);
    const font = surface.font;
    const kinds = panel.hidden ? ["activations", "gradients", "norm"] : ["gradients", "norm"];
    // each strip's lowest and highest value, written left of it: the margin takes the widest
    const norms = this.normRange(panel.index);
    const ends = {
      activations: panel.hidden ? this.activationRange(panel.index).map(tickText) : [],
      gradients: this.setup.gradientDecades.map((power) => `1e${power}`),
      norm: norms ? endLabels(...norms) : [],
    };
    const left = Math.max(...kinds.flatMap((kind) => ends[kind]).map((text) => textWidth(context, text))) + font;
    const bottom = font * 1.5;
    const names = { activations: labels.insidesActivations, gradients: labels.insidesGradients, norm: labels.insidesNorm };
    const room = (surface.height - bottom) / kinds.length;
    const width = surface.width - left - font / 2;
    const box = (index) => ({ x: left, y: index * room + font * 1.3, width, height: room - font * 1.6 });
    panel.strips = kinds.map((kind, index) => ({ kind, box: box(index) }));
    surface.canvas.boxes = Object.fromEntries(panel.strips.map(({ kind, box }) => [kind, box])); // for the tests
    context.textBaseline = "top";
    context.textAlign = "left";
    context.fillStyle = "#444";
    kinds.forEach((kind, index) => surface.label(names[kind], left, index * room + font * 0.1));
    let at = 0;
    if (panel.hidden) this.activationStrip(surface, box(at++), panel.index);
    this.gradientStrip(surface, box(at++), panel.index);
    if (norms) this.normCurve(surface, box(at), panel.index, norms);
    for (const [index, kind] of kinds.entries()) if (ends[kind].length) sideTicks(surface, box(index), ends[kind]);
    epochAxis(surface, box(at), snapshots, labels.epochAxis);
  }

  // the activations' strip's scale: the latest of ``snapshots``' ranges, which holds every earlier one's
  activationRange(layer, snapshots = this.snapshots) {
    return snapshots.length ? snapshots[snapshots.length - 1].ranges[layer] : [0, 1];
  }

  activationStrip(surface, rectangle, layer) {
    const shown = this.activationRange(layer);
    const levels = this.setup.shareLevels;
    this.strip(surface, rectangle, IMAGE_ROWS, (snapshot) => columnShares(snapshot.activations[layer], snapshot.ranges[layer], shown, IMAGE_ROWS, levels));
  }

  gradientStrip(surface, rectangle, layer) {
    const setup = this.setup;
    const rows = setup.gradientBins;
    const levels = setup.shareLevels;
    this.strip(surface, rectangle, rows, (snapshot) => {
      const shares = snapshot.gradients[layer];
      const out = new Float32Array(rows);
      for (let row = 0; row < rows; row++) out[row] = shares[rows - 1 - row] / levels; // the largest at the top
      return out;
    });
  }

  // a strip of one pixel column a snapshot, each ``column(snapshot)`` ``rows`` shares, drawn scaled to ``rectangle``
  strip(surface, rectangle, rows, column) {
    const context = surface.context;
    context.fillStyle = EMPTY;
    context.fillRect(rectangle.x, rectangle.y, rectangle.width, rectangle.height);
    const snapshots = this.snapshots;
    if (!snapshots.length || rectangle.height <= 0) return;
    const image = new ImageData(snapshots.length, rows);
    snapshots.forEach((snapshot, x) => {
      const shares = column(snapshot);
      for (let row = 0; row < rows; row++) {
        const at = (row * snapshots.length + x) * 4;
        [image.data[at], image.data[at + 1], image.data[at + 2]] = SHADE;
        image.data[at + 3] = Math.round(255 * Math.sqrt(shares[row]));
      }
    });
    const offscreen = this.offscreen;
    [offscreen.width, offscreen.height] = [snapshots.length, rows];
    offscreen.getContext("2d").putImageData(image, 0, 0);
    context.imageSmoothingEnabled = false;
    context.drawImage(offscreen, rectangle.x, rectangle.y, rectangle.width, rectangle.height);
  }

  // the lowest and the highest finite weight norm of ``layer``, or null: none finite (a diverged run's), none yet
  normRange(layer) {
    const finite = this.snapshots.map((snapshot) => snapshot.norms[layer]).filter((value) => Number.isFinite(value));
    return finite.length ? [Math.min(...finite), Math.max(...finite)] : null;
  }

  normCurve(surface, rectangle, layer, [low, high]) {
    const context = surface.context;
    const norms = this.snapshots.map((snapshot) => snapshot.norms[layer]);
    const span = high - low || Math.abs(high) || 1;
    const x = (index) => rectangle.x + (norms.length > 1 ? (index / (norms.length - 1)) * rectangle.width : rectangle.width / 2);
    const y = (value) => rectangle.y + rectangle.height - ((value - low) / span) * rectangle.height;
    context.strokeStyle = NORM_COLOR;
    context.lineWidth = surface.line * 0.75;
    context.beginPath();
    let started = false;
    norms.forEach((value, index) => {
      if (!Number.isFinite(value)) {
        started = false;
        return;
      }
      if (started) context.lineTo(x(index), y(value));
      else context.moveTo(x(index), y(value));
      started = true;
    });
    context.stroke();
  }
}

// the lowest and the highest value's labels, left of a strip's bottom and top
function sideTicks(surface, rectangle, [low, high]) {
  const context = surface.context;
  context.fillStyle = "#555";
  context.textAlign = "right";
  context.textBaseline = "bottom";
  surface.label(low, rectangle.x - 3, rectangle.y + rectangle.height);
  context.textBaseline = "top";
  surface.label(high, rectangle.x - 3, rectangle.y);
}

// the first and the last snapshot's epochs under the lowest strip, and the axis's name between them
function epochAxis(surface, rectangle, snapshots, name) {
  if (!snapshots.length) return;
  const context = surface.context;
  const y = rectangle.y + rectangle.height + 2;
  context.fillStyle = "#555";
  context.textBaseline = "top";
  context.textAlign = "left";
  surface.label(snapshots[0].epoch.toLocaleString(), rectangle.x, y);
  context.textAlign = "right";
  surface.label(snapshots[snapshots.length - 1].epoch.toLocaleString(), rectangle.x + rectangle.width, y);
  context.textAlign = "center";
  surface.label(name, rectangle.x + rectangle.width / 2, y);
}
