// The live view's pure helpers: the data's bytes, numbers as text, axis ticks, the plot box, the history's columns
// by name, the diagram's layout, pixels from codes, the keyboard's arrows. No DOM and no canvas here: Node's tests
// (tests/js) import this module as it is.

// each class's marker, as the book plots its three (o, x, ^), then more shapes for more classes
export const MARKERS = ["circle", "cross", "triangle", "square", "diamond", "plus", "triangle-down"];
export const ARROWS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"]);

export function bytes(base64) {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index++) out[index] = text.charCodeAt(index);
  return out;
}

export function floats(base64) {
  return new Float32Array(bytes(base64).buffer);
}

// the hidden space's points from a frame's codes (playground/live/frames.py space_frame): two uint16 codes a point,
// 0 at the low end of its axis's range (``ranges``: [[low, high] across, [low, high] up]) and ``largest`` at the
// high end; a larger code is a point not drawn (not finite), NaN here. As [x, y, x, y, ...] in the axes' values.
export function spaceCoordinates(base64, ranges, largest) {
  const codes = new Uint16Array(bytes(base64).buffer);
  const out = new Float32Array(codes.length);
  for (let index = 0; index < codes.length; index++) {
    const [low, high] = ranges[index % 2];
    out[index] = codes[index] > largest ? NaN : low + (codes[index] / largest) * (high - low);
  }
  return out;
}

// float16 values (IEEE 754 half precision, little-endian), as float32
export function halves(base64) {
  const raw = new Uint16Array(bytes(base64).buffer);
  const out = new Float32Array(raw.length);
  for (let index = 0; index < raw.length; index++) {
    const half = raw[index];
    const sign = half & 0x8000 ? -1 : 1;
    const exponent = (half >> 10) & 0x1f;
    const fraction = (half & 0x3ff) / 1024;
    if (exponent === 31) out[index] = fraction ? NaN : sign * Infinity;
    else out[index] = sign * 2 ** (Math.max(exponent, 1) - 15) * ((exponent ? 1 : 0) + fraction);
  }
  return out;
}

export function formatted(value, digits = 3) {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-3) ? value.toExponential(2) : value.toFixed(digits);
}

// ``value`` as text that fits ``room`` px as ``measure(text)`` measures it: fewer decimals (while a significant
// digit is left), then fewer digits of a power of ten, until it does; null if none does (a diagram's node too small
// for its number)
export function fitting(value, room, measure) {
  const size = Math.abs(value);
  const texts = Number.isFinite(value) ? [formatted(value, 3), formatted(value, 2)] : [String(value)];
  if (size >= 0.1 && Number.isFinite(value)) texts.push(formatted(value, 1));
  if (size >= 1 && Number.isFinite(value)) texts.push(formatted(value, 0));
  if (Number.isFinite(value)) texts.push(value.toExponential(1), value.toExponential(0));
  return texts.find((text) => measure(text) <= room) ?? null;
}

// a text's {placeholders} filled from ``values`` (the labels Python sends in the page's language)
export function filled(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// the level of a ``levels``-colour diverging palette (low, white in the middle, high) for ``value`` against the
// largest size among its neighbours: a node's colour in slow motion and under the probe; not finite: the middle
export function paletteLevel(value, largest, levels) {
  const middle = (levels - 1) / 2;
  if (!Number.isFinite(value) || !(largest > 0)) return middle;
  return Math.round(middle + Math.max(-1, Math.min(1, value / largest)) * middle);
}

// the largest finite size in ``values`` (0 for none)
export function largestSize(values) {
  let largest = 0;
  for (const value of values) if (Number.isFinite(value)) largest = Math.max(largest, Math.abs(value));
  return largest;
}

export function percent(value) {
  return Number.isFinite(value) ? `${(100 * value).toFixed(1)} %` : String(value);
}

// a tick's label, remembered: toLocaleString took a tenth of the main thread's time a frame, and a frame labels the
// same few ticks again
const tickTexts = new Map();
export function tickText(value) {
  let text = tickTexts.get(value);
  if (text === undefined) {
    if (tickTexts.size > 2000) tickTexts.clear();
    text = Math.abs(value) >= 1e4 ? value.toExponential(0) : Number(value.toPrecision(3)).toLocaleString();
    tickTexts.set(value, text);
  }
  return text;
}

export function markerOf(label) {
  return MARKERS[label % MARKERS.length];
}

// the points' colours by their codes (live/frames.py point_codes), as the regions and the hidden space draw them:
// each class's (reused past the last), or a regression's value's
export function pointColors(setup) {
  return setup.regression ? setup.regression.pointPalette.map((rgb) => `rgb(${rgb.join(",")})`) : setup.classColors;
}

// a point's marker by its code: its class's, or a regression's circle
export function pointMarker(setup, code) {
  return setup.regression ? "circle" : markerOf(code);
}

// Where each history column is in a row: the rows travel as lists (live/frames.py), their columns named in the
// page run's data, in the order the session records them (playground/session/core.py, HISTORY_COLUMNS).
export function columnsByName(names) {
  return Object.fromEntries(names.map((name, index) => [name, index]));
}

// Evenly spread rows, at most ``limit`` and the last: a long history drawn at the chart's width.
export function thinned(rows, limit) {
  if (rows.length <= limit) return rows;
  const step = rows.length / limit;
  const out = [];
  for (let index = 0; index < limit; index++) out.push(rows[Math.floor(index * step)]);
  out.push(rows[rows.length - 1]);
  return out;
}

// the smallest round number (1, 1.2, 1.5, 2, ... times a power of ten) at or above ``value``: the loss axis's top
export function niceCeiling(value) {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

// about ``count`` ticks from ``low`` to ``high``, a round step apart (1, 2, 2.5 or 5 times a power of ten)
export function ticks(low, high, count) {
  if (!(high > low)) return [low];
  const raw = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= raw);
  const out = [];
  for (let value = Math.ceil(low / step) * step; value <= high + step * 1e-9; value += step) out.push(Number(value.toPrecision(12)));
  return out;
}

// log10 of the log-scale loss axis's ticks: the powers of ten in range, and 2, 3 and 5 times them where the range
// leaves room (a loss from 0.25 to 1.5 gets 0.3, 0.5 and 1, not 1 alone)
export function logTicks([low, high]) {
  const decades = high - low;
  const multiples = decades < 1 ? [1, 2, 3, 5] : decades < 3 ? [1, 2, 5] : [1];
  const out = [];
  for (let power = Math.floor(low); power <= Math.ceil(high); power++) {
    for (const multiple of multiples) {
      const tick = power + Math.log10(multiple);
      if (tick >= low && tick <= high) out.push(tick);
    }
  }
  return out.length ? out : [low, high];
}

// Ticks whose labels do not touch: the fewest-tick steps of ``ticks`` until they fit, else every n-th tick.
// ``position(value)``: along the axis; ``size(value)``: the label's extent along it.
export function spacedTicks(low, high, position, size, gap) {
  const fits = fitsApart(position, size, gap);
  for (let count = 5; count >= 2; count--) {
    const values = ticks(low, high, count);
    if (fits(values)) return values;
  }
  return everyFitting(ticks(low, high, 2), fits);
}

// every value, else every second, every third ... until they fit; at least the first
export function everyFitting(values, fits) {
  for (let every = 1; every < values.length; every++) {
    const kept = values.filter((_, index) => index % every === 0);
    if (fits(kept)) return kept;
  }
  return values.slice(0, 1);
}

// whether neighbouring labels, centred at their ``position``, leave ``gap`` between them
export function fitsApart(position, size, gap) {
  return (values) =>
    values.every((value, index) => {
      if (!index) return true;
      return Math.abs(position(value) - position(values[index - 1])) >= (size(value) + size(values[index - 1])) / 2 + gap;
    });
}

// the rectangle of a ``width`` × ``height`` canvas inside ``margin`` (left, right, top, bottom): where a plot goes
export function plotRectangle(width, height, margin) {
  return {
    x: margin.left,
    y: margin.top,
    width: width - margin.left - margin.right,
    height: height - margin.top - margin.bottom,
  };
}

// A plot's rectangle in its canvas (CSS pixels) and the values it shows across (``across``: [left, right]) and up
// (``up``: [bottom, top]): the one place a value and its position on the canvas convert, both ways.
export class PlotBox {
  constructor({ x, y, width, height }, across, up) {
    Object.assign(this, { x, y, width, height, across, up });
  }

  // the same rectangle showing other values
  showing(across, up) {
    return new PlotBox(this.rectangle, across, up);
  }

  get rectangle() {
    return { x: this.x, y: this.y, width: this.width, height: this.height };
  }

  xOf(value) {
    const [low, high] = this.across;
    return this.x + ((value - low) / (high - low)) * this.width;
  }

  yOf(value) {
    const [low, high] = this.up;
    return this.y + (1 - (value - low) / (high - low)) * this.height;
  }

  toCanvas(across, up) {
    return [this.xOf(across), this.yOf(up)];
  }

  toPlane(x, y) {
    const [[left, right], [bottom, top]] = [this.across, this.up];
    return [left + ((x - this.x) / this.width) * (right - left), top - ((y - this.y) / this.height) * (top - bottom)];
  }

  contains(x, y) {
    return x >= this.x && x <= this.x + this.width && y >= this.y && y <= this.y + this.height;
  }

  // The values shown ``factor`` times as far across and up, placed so that ``point`` of the plane is at canvas
  // (x, y): a wheel's zoom (the point under the pointer stays), a drag's pan (the point it began on follows it,
  // factor 1) and two fingers' pinch are each this. As [left, right, bottom, top].
  window(point, x, y, factor) {
    const [[left, right], [bottom, top]] = [this.across, this.up];
    const [width, height] = [(right - left) * factor, (top - bottom) * factor];
    const newLeft = point[0] - ((x - this.x) / this.width) * width;
    const newTop = point[1] + ((y - this.y) / this.height) * height;
    return [newLeft, newLeft + width, newTop - height, newTop];
  }
}

// The curves' scales in their plot's rectangle: epochs across; the loss from 0 up to a round number, or on a log
// scale (``loss`` then shows log10 of it); the accuracy from 0 to a little over 100 % (a ``regression``'s R², from
// its lowest down to -1 where it is below 0, as an untrained one's often is). ``epoch``: the history column of the
// epochs.
export function curveScale(rows, curves, epoch, logLoss, rectangle, regression = false) {
  const lastEpoch = rows.length ? Math.max(rows[rows.length - 1][epoch], 1) : 1;
  const losses = curves
    .filter((curve) => !curve.accuracy)
    .flatMap((curve) => rows.map((row) => row[curve.column]))
    .filter((value) => Number.isFinite(value) && value > 0);
  const log = logLoss && losses.length > 0;
  const highest = losses.length ? Math.max(...losses) : 1;
  const lowest = losses.length ? Math.min(...losses) : 0.01;
  const lossRange = log ? [Math.log10(lowest) - 0.05, Math.log10(highest) + 0.05] : [0, niceCeiling(highest)];
  const loss = new PlotBox(rectangle, [0, lastEpoch], lossRange);
  const shares = curves.filter((curve) => curve.accuracy).flatMap((curve) => rows.map((row) => row[curve.column]));
  const lowestShare = regression ? Math.max(-1, Math.min(0, ...shares.filter(Number.isFinite))) : 0;
  const accuracy = loss.showing([0, lastEpoch], [lowestShare, 1.02]);
  const yLoss = (value) => loss.yOf(log ? Math.log10(Math.max(value, 1e-12)) : value);
  return { loss, accuracy, yLoss, log, lastEpoch, lowestShare };
}

// The grid cell of ``size`` × ``size`` over the grid's extent nearest the plane's (x1, x2): [column, row], with
// row 0 at the smallest x2, or null off the grid.
export function gridCell(grid, size, x1, x2) {
  const column = Math.round(((x1 - grid.x1[0]) / (grid.x1[1] - grid.x1[0])) * (size - 1));
  const row = Math.round(((x2 - grid.x2[0]) / (grid.x2[1] - grid.x2[0])) * (size - 1));
  return column < 0 || column >= size || row < 0 || row >= size ? null : [column, row];
}

// The diagram: columns of nodes (the inputs, each hidden layer's shown neurons, the outputs), a link joining each
// node to each of the next column's, and ``place``, which puts their centres in a canvas.
export function networkLayout(network) {
  const columns = [network.inputs.map((name) => ({ kind: "input", name }))];
  let bias = 0;
  network.hidden.forEach((layer, layerIndex) => {
    columns.push(layer.names.map((name, index) => ({ kind: "hidden", name, layer: layerIndex, index, bias: bias + index })));
    bias += layer.names.length; // the biases come as the shown nodes do: each hidden layer's, then the outputs'
  });
  columns.push(network.outputs.map((name, index) => ({ kind: "output", name, index, bias: bias + index })));
  const links = [];
  for (let column = 0; column + 1 < columns.length; column++) {
    for (let from = 0; from < columns[column].length; from++) {
      for (let to = 0; to < columns[column + 1].length; to++) {
        links.push([{ column, row: from }, { column: column + 1, row: to }]);
      }
    }
  }
  const more = network.more;
  const tallest = Math.max(...columns.map((column) => column.length), 6);
  return {
    columns,
    links,
    more,
    pictureSize: network.pictureSize,
    // the nodes' centres: ``left`` and ``right`` px kept for the names, a row of ``font`` px text below for "+n more"
    // and, ``headed``, one above for each column's shape
    place(width, height, left, right, font, headed = false) {
      const span = (width - left - right) / Math.max(columns.length - 1, 1);
      const top = 10 + (headed ? font * 1.4 : 0);
      const slot = (height - 10 - top - (more.length ? font * 1.4 : 0)) / tallest;
      const positions = columns.map((column, index) =>
        column.map((_, row) => [left + index * span, top + slot / 2 + (row + (tallest - column.length) / 2) * slot]),
      );
      positions.top = top;
      positions.side = Math.max(1, Math.min(slot * 0.84, span * 0.5, 44)); // a canvas not laid out yet: tiny
      return positions;
    },
  };
}

// codes (row 0 at the smallest x2), from ``offset`` on, into an RGBA image with the largest x2 on top; a code the
// palette lacks is white
export function fillImage(image, codes, offset, palette) {
  const size = image.width;
  const pixels = image.data;
  for (let row = 0; row < size; row++) {
    const source = offset + (size - 1 - row) * size;
    for (let column = 0; column < size; column++) {
      const color = palette[codes[source + column]] || [255, 255, 255];
      const at = 4 * (row * size + column);
      pixels[at] = color[0];
      pixels[at + 1] = color[1];
      pixels[at + 2] = color[2];
      pixels[at + 3] = 255;
    }
  }
}

// the distance from (x, y) to the segment from (x0, y0) to (x1, y1): a hover finds a link by it
export function segmentDistance(x, y, x0, y0, x1, y1) {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const length = dx * dx + dy * dy;
  const along = length ? Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / length)) : 0;
  return Math.hypot(x - (x0 + along * dx), y - (y0 + along * dy));
}

// the arrow's step: [across, up]
export function arrowStep(key) {
  return { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[key];
}

// A key for a canvas's probe: its focus came from the keyboard (a canvas the mouse clicked leaves →, Space to the
// page's shortcuts) and no modifier is held (Alt+← is the browser's Back)
export function keyboardKey(event) {
  return event.currentTarget.dataset.keyboardFocus === "yes" && !(event.altKey || event.ctrlKey || event.metaKey);
}
