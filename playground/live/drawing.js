// What every chart of the live view draws with: a canvas sized to its box (Surface), text measured once, the room
// beside a plot for an axis, pictures painted from codes, the class markers, the tip a hover or a tap shows, and a
// canvas's keyboard focus.

import { fillImage, keyboardKey, spacedTicks, tickText } from "./helpers.js";

// Chart text grows with the chart: 11 px up to a chart 484 px wide, 16 px at 722 px (a 1920 px projector), at
// most 20 px; lines, markers and margins grow with it (at 11 px: the lines 2 px, the margins the views give). The
// page may raise it all for the back of a room: the CSS property TEXT_SCALE on the page multiplies it (presenter
// mode, playground/ui/presenter.css).
const SMALLEST_FONT = 11;
const LARGEST_FONT = 20;
const FONT_PER_PIXEL = 1 / 44;
const TEXT_SCALE = "--spl-text-scale";
// the polygon markers' corners, in marker sizes from the centre: made once, not for each point of each frame
const CORNERS = {
  triangle: [[0, -1.2], [1.1, 0.8], [-1.1, 0.8]],
  "triangle-down": [[0, 1.2], [1.1, -0.8], [-1.1, -0.8]],
  diamond: [[0, -1.25], [1.05, 0], [0, 1.25], [-1.05, 0]],
};
const LINE_MARKERS = new Set(["cross", "plus"]); // drawn as strokes: a hollow one is outlined (white inside)

// a chart's text size, in px, at ``width`` CSS pixels wide and the page's text scale
export function fontSize(width, textScale = 1) {
  return Math.round(Math.min(Math.max(width * FONT_PER_PIXEL, SMALLEST_FONT), LARGEST_FONT) * textScale);
}

// the text scale the page sets on ``node`` or above it (TEXT_SCALE): a positive number, else 1
export function textScaleOf(node) {
  const scale = parseFloat(getComputedStyle(node).getPropertyValue(TEXT_SCALE));
  return scale > 0 ? scale : 1;
}

export function element(tag, className, parent) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (parent) parent.appendChild(made);
  return made;
}

// an element's text, changed in place: textContent puts in a new text node, a change of the page's structure that
// the page's :has() rules (Streamlit's and page.css's) answer by recalculating the whole page's style, ~4 ms a time
// on a 2-core machine; a text node's new data costs a twentieth of that
export function setText(target, text) {
  const node = target.firstChild;
  if (node && node.nodeType === Node.TEXT_NODE && !node.nextSibling) {
    if (node.data !== text) node.data = text;
  } else if (target.textContent !== text) {
    target.textContent = text;
  }
}

// the text's width in the context's font, remembered: a frame draws the same few labels again
const textWidths = new Map();
export function textWidth(context, text) {
  const key = `${context.font}|${text}`;
  let width = textWidths.get(key);
  if (width === undefined) {
    if (textWidths.size > 2000) textWidths.clear();
    width = context.measureText(text).width;
    textWidths.set(key, width);
  }
  return width;
}

// the room beside a plot for an axis: its title turned on its side, a gap, a tick label as wide as ``sample``
export function sideRoom(context, sample, font) {
  return 2 + font + font * 0.4 + textWidth(context, sample) + 4;
}

// A canvas sized to its box in device pixels, redrawn by its owner. Its box is measured only after a resize
// (``stale``): reading it on every frame forced a layout each time, ~4 % of the page's main thread. Its text
// size (``font``) and line width (``line``) follow its width and the page's text scale, read with it (a new scale
// resizes the view: presenter mode's status line is larger); ``labels`` are the boxes its last drawing's text
// covers, in CSS pixels, and ``boxes`` its plot's and legend's, for the tests.
export class Surface {
  constructor(parent, className, aspect, textOf = null) {
    this.canvas = element("canvas", className, parent);
    this.aspect = aspect; // height / width, or null for a fixed CSS height
    // its height follows its width in CSS, so a new width resizes the view, whose observer redraws it (a chart
    // narrowed by the page's CSS alone, the view's own width the same, would otherwise keep its old drawing)
    if (aspect) this.canvas.style.aspectRatio = `${1 / aspect}`;
    this.textOf = textOf; // a surface whose text size this one takes, drawn before it
    this.context = this.canvas.getContext("2d");
    this.stale = true;
    this.canvas.labels = [];
    this.canvas.boxes = {};
  }

  get scale() {
    return this.font / SMALLEST_FONT;
  }

  // text at (x, y) in the context's alignment, its box kept for the tests
  label(text, x, y) {
    const context = this.context;
    const width = textWidth(context, text);
    const align = context.textAlign;
    const baseline = context.textBaseline;
    const left = align === "center" ? x - width / 2 : align === "right" ? x - width : x;
    const top = baseline === "top" ? y : baseline === "bottom" ? y - this.font : y - this.font / 2;
    context.fillText(text, x, y);
    this.canvas.labels.push({ text, x: left, y: top, width, height: this.font });
  }

  // text turned a quarter left, centred on (x, y)
  verticalLabel(text, x, y) {
    const context = this.context;
    context.save();
    context.translate(x, y);
    context.rotate(-Math.PI / 2);
    context.textAlign = "center";
    context.textBaseline = "middle";
    context.fillText(text, 0, 0);
    context.restore();
    const width = textWidth(context, text);
    this.canvas.labels.push({ text, x: x - this.font / 2, y: y - width / 2, width: this.font, height: width });
  }

  // the canvas blank, in its size's font, ready for a new drawing
  start() {
    const context = this.fit();
    context.clearRect(0, 0, this.width, this.height);
    context.font = `${this.font}px sans-serif`;
    this.canvas.labels = [];
    return context;
  }

  fit() {
    const ratio = window.devicePixelRatio || 1;
    if (this.stale || this.ratio !== ratio) {
      this.stale = !this.canvas.clientWidth; // not laid out yet (a new parent not in the page): measure again
      this.ratio = ratio;
      this.width = Math.max(this.canvas.clientWidth, 50);
      this.height = this.aspect ? this.width * this.aspect : Math.max(this.canvas.clientHeight, 50);
      this.canvas.width = Math.round(this.width * ratio);
      this.canvas.height = Math.round(this.height * ratio);
      this.font = fontSize(this.width, textScaleOf(this.canvas));
    }
    if (this.textOf) this.font = this.textOf.font;
    this.line = Math.max(2, (this.font * 3) / 16); // 3 px at 16 px text
    this.context.setTransform(ratio, 0, 0, ratio, 0, 0);
    return this.context;
  }
}

// A picture of size × size codes in a palette's colours, painted offscreen once a frame and drawn scaled
export class CodePicture {
  constructor(size) {
    this.image = new ImageData(size, size);
    this.canvas = element("canvas");
    this.canvas.width = this.canvas.height = size;
  }

  // the codes from ``offset`` on (see fillImage)
  paint(codes, palette, offset = 0) {
    fillImage(this.image, codes, offset, palette);
    this.canvas.getContext("2d").putImageData(this.image, 0, 0);
  }
}

// A canvas the keyboard reaches (Tab) and whose keys then move something of its own, never the page, and the
// page's own shortcuts do not see them: ``focused()`` as the keyboard focuses it, ``blurred()`` as it loses the
// focus, ``pressed(event)`` for a key, true when it took it. One a click focused leaves its keys to the page's
// shortcuts: read as the focus comes, since by a key press every focused element matches :focus-visible.
export function takesKeys(canvas, { focused, blurred, pressed }) {
  canvas.tabIndex = 0;
  canvas.addEventListener("focus", () => {
    const byKeyboard = canvas.matches(":focus-visible");
    canvas.dataset.keyboardFocus = byKeyboard ? "yes" : "";
    if (byKeyboard) focused();
  });
  canvas.addEventListener("blur", blurred);
  canvas.addEventListener("keydown", (event) => {
    if (!keyboardKey(event) || !pressed(event)) return;
    event.preventDefault();
    event.stopPropagation();
  });
}

// The tip the charts share: lines of text beside a point of a canvas, kept inside the view's ``root``, where its
// owner puts its element. One the keyboard moved to is said too, in a polite live region (``voice``): to a screen
// reader a canvas is one image, and its tip otherwise unseen.
export class Tip {
  constructor(root) {
    this.root = root;
    this.element = element("div", "spl-tip");
    this.voice = element("div", "spl-announcer spl-tip-voice", root);
    this.voice.setAttribute("aria-live", "polite");
    this.owner = null; // the canvas it shows a tip of, or null: hidden
    // a touch has no hover to end: its tip stays until a tap somewhere else
    document.addEventListener("pointerdown", (event) => {
      if (!root.contains(event.target)) this.hide();
    });
  }

  // beside (x, y) of ``canvas``; on a phone's narrow screen it turns to the left. No lines: hidden.
  show(canvas, x, y, lines) {
    if (!lines) return this.hide();
    this.owner = canvas;
    this.element.replaceChildren(...lines.map((line) => {
      const row = document.createElement("div");
      row.textContent = line;
      return row;
    }));
    const box = this.root.getBoundingClientRect();
    const at = canvas.getBoundingClientRect();
    this.element.style.display = "block";
    const [left, top] = [at.left - box.left + x, at.top - box.top + y];
    const width = this.element.offsetWidth;
    this.element.style.left = `${left + 14 + width <= box.width ? left + 14 : Math.max(0, left - 14 - width)}px`;
    this.element.style.top = `${top + 14}px`;
  }

  // as ``show``, where the keyboard moved it: said as well
  showByKeys(canvas, x, y, lines) {
    this.show(canvas, x, y, lines);
    setText(this.voice, lines ? lines.join(" · ") : "");
  }

  // at a pointer event's place on its canvas
  showAt(event, lines) {
    this.show(event.target, event.offsetX, event.offsetY, lines);
  }

  // hidden, and its words gone from the live region: the same words the keys reach again are said again
  hide() {
    this.element.style.display = "none";
    this.owner = null;
    setText(this.voice, "");
  }

  // a mouse leaving ``canvas`` hides the tip; a finger's stays
  hiddenOnLeaving(canvas) {
    canvas.addEventListener("pointerleave", (event) => event.pointerType !== "touch" && this.hide());
  }
}

// a class's marker at (x, y), ``size`` px from its centre to its edge: a training point filled (a cross: a thick
// stroke) with a white edge, a test point hollow (a thin stroke) on a white halo; ``scale``: the lines' width
export function drawMarker(context, kind, x, y, size, color, hollow, scale) {
  drawMarkers(context, kind, [x, y], size, color, hollow, scale);
}

// markers of one kind and colour at ``centres`` ([x, y, x, y, ...]), as drawMarker draws each, in one path filled
// once and edged once: hundreds of points drawn one by one cost the regions and the hidden space a tenth of a frame
export function drawMarkers(context, kind, centres, size, color, hollow, scale) {
  context.beginPath();
  for (let index = 0; index < centres.length; index += 2) {
    markerPath(context, kind, centres[index], centres[index + 1], hollow ? size * 0.9 : size);
  }
  paintMarkers(context, kind, color, hollow, scale);
}

// the path's markers filled, or stroked (see drawMarker)
function paintMarkers(context, kind, color, hollow, scale) {
  context.lineJoin = "round";
  if (LINE_MARKERS.has(kind) || hollow) {
    // a cross has no inside to leave empty: a test point's is a wider stroke with white down its middle
    const line = LINE_MARKERS.has(kind);
    const width = (line ? (hollow ? 3.2 : 2.2) : 1.3) * scale;
    context.lineWidth = width + 1.6 * scale;
    context.strokeStyle = "white";
    context.stroke();
    context.lineWidth = width;
    context.strokeStyle = color;
    context.stroke();
    if (line && hollow) {
      context.lineWidth = 1.2 * scale;
      context.strokeStyle = "white";
      context.stroke();
    }
    return;
  }
  context.fillStyle = color;
  context.fill();
  context.lineWidth = scale;
  context.strokeStyle = "white";
  context.stroke();
}

// a marker added to the context's path
function markerPath(context, kind, x, y, size) {
  const corners = CORNERS[kind];
  if (corners) {
    for (let index = 0; index < corners.length; index++) {
      const [dx, dy] = corners[index];
      if (index) context.lineTo(x + dx * size, y + dy * size);
      else context.moveTo(x + dx * size, y + dy * size);
    }
    context.closePath();
  } else if (kind === "circle") {
    context.moveTo(x + size, y); // a circle of its own, not joined to the path's last point
    context.arc(x, y, size, 0, 2 * Math.PI);
  }
  else if (kind === "square") context.rect(x - size * 0.85, y - size * 0.85, size * 1.7, size * 1.7);
  else {
    const arm = kind === "cross" ? size : size * 1.2;
    const [dx, dy] = kind === "cross" ? [arm, arm] : [arm, 0];
    context.moveTo(x - dx, y - dy);
    context.lineTo(x + dx, y + dy);
    context.moveTo(x + dy, y - dx);
    context.lineTo(x - dy, y + dx);
  }
}

// a plot's axes (a PlotBox): ``xName`` below, ``yName`` on the left, their ticks thinned to fit
export function drawAxes(surface, box, xName, yName) {
  const context = surface.context;
  const [font, gap] = [surface.font, surface.font * 0.6];
  const [[left, right], [bottom, top]] = [box.across, box.up];
  const xOf = (value) => box.xOf(value);
  const yOf = (value) => box.yOf(value);
  context.fillStyle = "#555";
  context.textAlign = "center";
  context.textBaseline = "top";
  const textSize = (value) => textWidth(context, tickText(value));
  const below = box.y + box.height + font / 2 + 1; // under the lowest of the side axis's labels
  for (const value of spacedTicks(left, right, xOf, textSize, gap)) surface.label(tickText(value), xOf(value), below);
  context.textAlign = "right";
  context.textBaseline = "middle";
  for (const value of spacedTicks(bottom, top, yOf, () => font, gap / 2)) surface.label(tickText(value), box.x - 4, yOf(value));
  context.textAlign = "center";
  context.textBaseline = "bottom";
  surface.label(xName, box.x + box.width / 2, surface.height - 1);
  surface.verticalLabel(yName, font / 2 + 2, box.y + box.height / 2);
}

// a regression's points ringed in grey outside their white edges, at ``centres`` ([x, y, x, y, ...]), in one
// stroke: seen where a point's colour is the field's (or white)
export function outlines(context, centres, radius, scale) {
  context.beginPath();
  for (let index = 0; index < centres.length; index += 2) {
    context.moveTo(centres[index] + radius, centres[index + 1]);
    context.arc(centres[index], centres[index + 1], radius, 0, 2 * Math.PI);
  }
  context.strokeStyle = "#666";
  context.lineWidth = 0.8 * scale;
  context.stroke();
}
