// The live view: the decision regions with the data, the loss and accuracy curves, and the network, drawn on
// canvases that stay on the page while the network learns. Python sends a setup (what changes rarely: the
// points, the palettes, the labels, the network's shape) and frames (what training changes: the regions' codes,
// new history rows, the links' weights, the neurons' pictures); this module keeps each view's state by the key
// Python gives it, so an update, or a remount of the element, never starts it from blank.

const views = new Map(); // data.key -> View
// Frames are drawn as they come, ~40 a second while playing; a burst (the main thread was busy) is spread out
// at least MIN_GAP_MS apart, so the view catches up at 50 a second and keeps the server's pace.
const MIN_GAP_MS = 20;
const MAX_QUEUED = 2; // more frames waiting than this: the view fell behind, and skips the oldest
const MAX_EARLY = 90; // socket frames waiting for their setup: 3 s of them, and its page run's data was lost
const RECONNECT_MS = 1000;
const DOUBLE_CLICK_MS = 250; // a click waits this long for a second one before it adds a point
const DOTS = [2, 3]; // the accuracy curves' dash
const MARGIN = { left: 38, right: 8, top: 8, bottom: 30 };
const CURVE_MARGIN = { left: 44, right: 44, top: 8, bottom: 30 };

export default function ({ data, parentElement, setTriggerValue }) {
  let view = views.get(data.key);
  if (!view) {
    view = new View();
    views.set(data.key, view);
  }
  view.trigger = setTriggerValue;
  view.attach(parentElement);
  view.receive(data);
}

function bytes(base64) {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index++) out[index] = text.charCodeAt(index);
  return out;
}

function floats(base64) {
  return new Float32Array(bytes(base64).buffer);
}

function element(tag, className, parent) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (parent) parent.appendChild(made);
  return made;
}

function formatted(value, digits = 3) {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-3) ? value.toExponential(2) : value.toFixed(digits);
}

function percent(value) {
  return Number.isFinite(value) ? `${(100 * value).toFixed(1)} %` : String(value);
}

// A canvas sized to its box in device pixels, redrawn by its owner. Its box is measured only after a resize
// (``stale``): reading it on every frame forced a layout each time, ~4 % of the page's main thread.
class Surface {
  constructor(parent, className, aspect) {
    this.canvas = element("canvas", className, parent);
    this.aspect = aspect; // height / width, or null for a fixed CSS height
    this.context = this.canvas.getContext("2d");
    this.stale = true;
  }

  fit() {
    const ratio = window.devicePixelRatio || 1;
    if (this.stale || this.ratio !== ratio) {
      this.stale = !this.canvas.clientWidth; // not laid out yet (a new parent not in the page): measure again
      this.ratio = ratio;
      this.width = Math.max(this.canvas.clientWidth, 50);
      this.height = this.aspect ? this.width * this.aspect : Math.max(this.canvas.clientHeight, 50);
      if (this.aspect) this.canvas.style.height = `${this.height}px`;
      this.canvas.width = Math.round(this.width * ratio);
      this.canvas.height = Math.round(this.height * ratio);
    }
    this.context.setTransform(ratio, 0, 0, ratio, 0, 0);
    return this.context;
  }
}

class View {
  constructor() {
    this.root = element("div", "spl-live");
    this.root.dataset.testid = "live-view";
    this.status = element("p", "spl-status", this.root);
    const row = element("div", "spl-row", this.root);
    const regionsBox = element("div", "spl-box spl-regions", row);
    this.regions = new Surface(regionsBox, "spl-regions-canvas", 1);
    const curvesBox = element("div", "spl-box spl-curves", row);
    this.curves = new Surface(curvesBox, "spl-curves-canvas", 1);
    this.networkRow = element("div", "spl-row spl-network-row", this.root);
    const networkBox = element("div", "spl-box spl-network", this.networkRow);
    this.network = new Surface(networkBox, "spl-network-canvas", null);
    this.neuronBox = element("div", "spl-box spl-neuron", this.networkRow);
    this.neuronTitle = element("p", "spl-neuron-title", this.neuronBox);
    this.neuron = new Surface(this.neuronBox, "spl-neuron-canvas", 1);
    this.neuronScale = element("p", "spl-neuron-scale", this.neuronBox);
    this.tip = element("div", "spl-tip", this.root);
    this.setupId = null;
    this.pageVersion = 0; // of the last page run's data
    this.latest = [0, 0]; // version and number of the last frame taken
    this.queue = [];
    this.early = []; // socket frames of a setup still to come
    this.timer = null;
    this.drawnAt = -Infinity; // when play() last drew
    this.history = [];
    this.run = null;
    this.frame = null;
    this.zoom = null; // [x1 low, x1 high, x2 low, x2 high] shown, or null for the whole grid
    this.shown = 0; // frames drawn, for the tests and the benchmark
    this.listen();
    const resized = new ResizeObserver(() => {
      for (const surface of [this.regions, this.curves, this.network, this.neuron]) surface.stale = true;
      this.draw();
    });
    resized.observe(this.root);
    resized.observe(this.neuronBox); // shown or hidden as a neuron is chosen, which moves the diagram's edge
  }

  attach(parent) {
    if (this.root.parentElement !== parent) parent.appendChild(this.root);
  }

  // A page run's data: the setup, and a frame with every history row that starts a new version (see
  // playground/live/feed.py). The socket's frames may have come first: those of another setup waited for it, and
  // those of the same setup were taken, so that a change shows without waiting for the page run.
  receive(data) {
    this.connect(data.socket);
    if (data.setup.id !== this.setupId) this.configure(data.setup);
    this.setup = data.setup;
    this.asked = null;
    const [frame] = data.frames;
    this.pageVersion = frame.version;
    // the frames still queued are from before this run: its frame, with every history row, shows what it changed
    this.queue = this.queue.filter((waiting) => waiting.version >= frame.version);
    this.enqueue(frame);
    const early = this.early.filter((waiting) => waiting.version >= frame.version);
    this.early = [];
    early.forEach((waiting) => this.receiveLive(waiting));
    this.take(true);
  }

  // A frame from the socket, in the order it was made; one of a setup still to come waits for its page run.
  receiveLive(frame) {
    if (frame.version < this.pageVersion) return; // from before the last page run: its settings may be gone
    if (frame.setupId !== this.setupId) {
      this.early.push(frame);
      if (this.early.length > MAX_EARLY) this.askAgain(`setup ${frame.setupId}`); // that page run's data was lost
      return;
    }
    // diverged, at a target, or failed on the server: the page says why
    if (frame.stopped) this.trigger("stopped", frame.step);
    if (frame.failed) return; // nothing to draw
    this.enqueue(frame);
    this.take(frame.now);
  }

  enqueue(frame) {
    const [version, number] = this.latest;
    if (frame.version < version || (frame.version === version && frame.number <= number)) return; // passed
    this.latest = [frame.version, frame.number];
    this.queue.push(frame);
  }

  // ``now``: a frame showing a control's change (a page run's, or the socket's first after it), drawn without
  // waiting for the gap or for the frames queued before it
  take(now = false) {
    // fallen behind, or passed: the older frames are applied undrawn, so their history rows still reach the curves
    while (this.queue.length > (now ? 1 : MAX_QUEUED)) this.apply(this.queue.shift());
    if (!this.setup.playing) {
      // paused: what the last frame says, at once
      const frames = this.queue;
      this.queue = [];
      frames.forEach((frame) => this.apply(frame));
      this.draw();
      return;
    }
    if (now) {
      clearTimeout(this.timer);
      this.timer = null;
      this.drawnAt = -Infinity;
    }
    if (!this.timer) this.play();
  }

  // while playing, frames come on the live view's own socket (playground/live/socket.py), ~40 a second; it is
  // opened again a second after it closes, until a page run names another
  connect(path) {
    if (this.socketPath === path) return;
    if (this.socket) this.socket.close();
    this.socketPath = path;
    const open = () => {
      if (this.socketPath !== path) return;
      const url = new URL(path, window.location.href);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      const socket = new WebSocket(url);
      socket.onmessage = (event) => this.receiveLive(JSON.parse(event.data));
      socket.onclose = () => {
        if (this.socket === socket) setTimeout(open, RECONNECT_MS);
      };
      this.socket = socket;
    };
    open();
  }

  // the next queued frame, drawn at least MIN_GAP_MS after the last; the socket's next frame calls it again
  play() {
    const wait = this.drawnAt + MIN_GAP_MS - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.play();
      }, wait);
      return;
    }
    const frame = this.queue.shift();
    if (!frame) return; // nothing more until the socket's next frame, or a page run's
    this.apply(frame);
    this.draw();
    this.drawnAt = performance.now();
    if (this.queue.length) this.play();
  }

  configure(setup) {
    if (!this.setup || this.setup.dataId !== setup.dataId) this.zoom = null; // the zoom stays for the same points
    this.setupId = setup.id;
    this.setup = setup;
    this.queue = [];
    this.regionPalette = setup.regionPalette;
    this.neuronPalette = setup.neuronPalette;
    this.points = setup.points.map((group) => ({
      xy: floats(group.xy),
      labels: bytes(group.labels),
      hollow: group.hollow,
    }));
    const resolution = setup.grid.resolution;
    this.regionImage = new ImageData(resolution, resolution);
    this.regionCanvas = element("canvas");
    this.regionCanvas.width = this.regionCanvas.height = resolution;
    const bigSize = setup.network ? setup.network.bigResolution : 1;
    this.neuronImage = new ImageData(bigSize, bigSize);
    this.neuronCanvas = element("canvas");
    this.neuronCanvas.width = this.neuronCanvas.height = bigSize;
    this.networkRow.style.display = setup.network ? "" : "none";
    this.layout = setup.network ? networkLayout(setup.network) : null;
  }

  // A frame sends the history rows after the last frame's (live/frames.py): one missed, or the data of a page run
  // that Streamlit dropped, would leave the view without them. It asks for all of it again, once.
  askAgain(what) {
    if (this.asked === what) return;
    this.asked = what;
    this.trigger("resend", what);
  }

  apply(frame) {
    let last = this.history.length ? this.history[this.history.length - 1][1] : -1;
    if (!frame.allRows && (frame.run !== this.run || last < frame.after)) this.askAgain(`rows ${frame.after}`);
    if (frame.run !== this.run || frame.allRows) {
      this.run = frame.run;
      this.history = [];
      last = -1;
    }
    for (const row of frame.rows) if (row[1] > last) this.history.push(row);
    this.frame = { ...this.frame, ...frame };
    this.paint(bytes(frame.regions), this.regionImage, this.regionCanvas, this.regionPalette);
    if (frame.probabilities) this.probabilities = bytes(frame.probabilities);
    if (frame.network) {
      const network = frame.network;
      this.weights = floats(network.weights);
      this.biases = floats(network.biases);
      this.pictures = bytes(network.pictures);
      if (network.big) {
        this.paint(bytes(network.big.codes), this.neuronImage, this.neuronCanvas, this.neuronPalette);
        this.big = network.big;
      }
    }
    this.shown += 1;
    this.root.dataset.frames = this.shown;
    this.root.dataset.step = frame.step;
  }

  paint(codes, image, canvas, palette) {
    fillImage(image, codes, 0, palette);
    canvas.getContext("2d").putImageData(image, 0, 0);
  }

  draw() {
    if (!this.setup || !this.frame) return;
    try {
      this.drawAll();
    } catch (error) {
      console.error("live view:", error); // the last picture stays rather than the element failing
    }
  }

  drawAll() {
    this.drawStatus();
    this.drawRegions();
    this.drawCurves();
    if (this.layout) {
      this.drawNetwork();
      this.drawNeuron();
    }
  }

  drawStatus() {
    // "**Epoch 12** · step 96 ...": the bold part as <b>, the text as text
    const parts = this.frame.status.split("**");
    this.status.replaceChildren(
      ...parts.map((part, index) => {
        if (index % 2 === 0) return document.createTextNode(part);
        const bold = document.createElement("b");
        bold.textContent = part;
        return bold;
      }),
    );
  }

  window() {
    const grid = this.setup.grid;
    return this.zoom || [grid.x1[0], grid.x1[1], grid.x2[0], grid.x2[1]];
  }

  // canvas position of a point of the input plane, and back
  toCanvas(x1, x2) {
    const [left, right, bottom, top] = this.window();
    const width = this.regions.width - MARGIN.left - MARGIN.right;
    const height = this.regions.height - MARGIN.top - MARGIN.bottom;
    return [
      MARGIN.left + ((x1 - left) / (right - left)) * width,
      MARGIN.top + ((top - x2) / (top - bottom)) * height,
    ];
  }

  toPlane(x, y) {
    const [left, right, bottom, top] = this.window();
    const width = this.regions.width - MARGIN.left - MARGIN.right;
    const height = this.regions.height - MARGIN.top - MARGIN.bottom;
    return [left + ((x - MARGIN.left) / width) * (right - left), top - ((y - MARGIN.top) / height) * (top - bottom)];
  }

  drawRegions() {
    const context = this.regions.fit();
    const grid = this.setup.grid;
    context.clearRect(0, 0, this.regions.width, this.regions.height);
    context.save();
    context.beginPath();
    const [plotLeft, plotTop] = [MARGIN.left, MARGIN.top];
    const plotWidth = this.regions.width - MARGIN.left - MARGIN.right;
    const plotHeight = this.regions.height - MARGIN.top - MARGIN.bottom;
    context.rect(plotLeft, plotTop, plotWidth, plotHeight);
    context.clip();
    const [gridLeft, gridTop] = this.toCanvas(grid.x1[0], grid.x2[1]);
    const [gridRight, gridBottom] = this.toCanvas(grid.x1[1], grid.x2[0]);
    context.imageSmoothingEnabled = !this.setup.hard;
    context.drawImage(this.regionCanvas, gridLeft, gridTop, gridRight - gridLeft, gridBottom - gridTop);
    const colors = this.setup.classColors;
    for (const group of this.points) {
      for (let index = 0; index < group.labels.length; index++) {
        const [x, y] = this.toCanvas(group.xy[2 * index], group.xy[2 * index + 1]);
        context.beginPath();
        context.arc(x, y, group.hollow ? 3.2 : 3.6, 0, 2 * Math.PI);
        const color = colors[group.labels[index] % colors.length];
        if (group.hollow) {
          context.lineWidth = 3.2;
          context.strokeStyle = "white";
          context.stroke();
          context.lineWidth = 1.6;
          context.strokeStyle = color;
          context.stroke();
        } else {
          context.fillStyle = color;
          context.fill();
          context.lineWidth = 1;
          context.strokeStyle = "white";
          context.stroke();
        }
      }
    }
    context.restore();
    const [left, right, bottom, top] = this.window();
    this.root.dataset.zoom = this.zoom ? this.zoom.map((value) => value.toFixed(3)).join(",") : "";
    axes(context, plotLeft, plotTop, plotWidth, plotHeight, [left, right], [bottom, top], "x1", "x2");
  }

  drawCurves() {
    const context = this.curves.fit();
    context.clearRect(0, 0, this.curves.width, this.curves.height);
    const width = this.curves.width - CURVE_MARGIN.left - CURVE_MARGIN.right;
    const height = this.curves.height - CURVE_MARGIN.top - CURVE_MARGIN.bottom;
    const rows = thinned(this.history, Math.max(2 * width, 200));
    const curves = this.setup.curves;
    const scale = curveScale(rows, curves, this.setup.logLoss, width, height);
    this.curveScale = { ...scale, rows }; // for the hover
    gridLines(context, CURVE_MARGIN.left, CURVE_MARGIN.top, width, height);
    strokeCurves(context, rows, curves, scale);
    curveAxes(context, scale, this.setup.labels, this.curves.width, this.curves.height);
    legend(context, CURVE_MARGIN.left + 8, CURVE_MARGIN.top + 6, curves);
  }

  drawNetwork() {
    const context = this.network.fit();
    context.clearRect(0, 0, this.network.width, this.network.height);
    const positions = this.layout.place(this.network.width, this.network.height);
    this.nodePositions = positions;
    this.linkLines = this.drawLinks(context, positions);
    this.drawNodes(context, positions);
  }

  // a line per link, coloured by its weight's sign, as wide and opaque as its size against the largest weight's;
  // returns the lines, where a hover finds them
  drawLinks(context, positions) {
    const layout = this.layout;
    const weights = this.weights || new Float32Array(layout.links.length);
    const links = this.setup.network.links;
    let largest = 0;
    for (const weight of weights) if (Number.isFinite(weight)) largest = Math.max(largest, Math.abs(weight));
    const lines = [];
    layout.links.forEach(([from, to], index) => {
      const weight = weights[index];
      const share = largest > 0 && Number.isFinite(weight) ? Math.abs(weight) / largest : 0;
      const bin = Math.min(Math.floor(share * links.widths.length), links.widths.length - 1); // never thinner
      const [x0, y0] = positions[from.column][from.row];
      const [x1, y1] = positions[to.column][to.row];
      context.beginPath();
      context.moveTo(x0 + positions.side / 2, y0);
      context.lineTo(x1 - positions.side / 2, y1);
      context.strokeStyle = weight < 0 ? links.negative : links.positive;
      context.globalAlpha = links.opacities[bin];
      context.lineWidth = links.widths[bin];
      context.stroke();
      lines.push([x0 + positions.side / 2, y0, x1 - positions.side / 2, y1, index]);
    });
    context.globalAlpha = 1;
    return lines;
  }

  // the inputs as named squares, each hidden neuron as its map (the chosen one outlined), the outputs as dots of
  // their class's colour, and "+n more" below a layer with more neurons than are drawn
  drawNodes(context, positions) {
    const layout = this.layout;
    const side = positions.side;
    const pictureSize = layout.pictureSize;
    let picture = 0;
    context.font = "12px sans-serif";
    context.textBaseline = "middle";
    layout.columns.forEach((column, columnIndex) => {
      column.forEach((node, row) => {
        const [x, y] = positions[columnIndex][row];
        if (node.kind === "input") {
          context.fillStyle = "#f2f2f2";
          context.strokeStyle = "#888";
          context.fillRect(x - side * 0.35, y - side * 0.35, side * 0.7, side * 0.7);
          context.strokeRect(x - side * 0.35, y - side * 0.35, side * 0.7, side * 0.7);
          context.fillStyle = "#333";
          context.textAlign = "right";
          context.fillText(node.name, x - side * 0.45, y);
        } else if (node.kind === "output") {
          context.beginPath();
          context.arc(x, y, side * 0.35, 0, 2 * Math.PI);
          context.fillStyle = this.setup.classColors[node.index % this.setup.classColors.length];
          context.fill();
          context.fillStyle = "#333";
          context.textAlign = "left";
          context.fillText(node.name, x + side * 0.45, y);
        } else {
          if (this.pictures) drawPicture(context, this.pictures, picture, pictureSize, this.neuronPalette, x, y, side);
          picture += 1;
          const chosen = this.setup.chosen && this.setup.chosen[0] === node.layer && this.setup.chosen[1] === node.index;
          context.lineWidth = chosen ? 2.5 : 1;
          context.strokeStyle = chosen ? "#222" : "#999";
          context.strokeRect(x - side / 2, y - side / 2, side, side);
        }
      });
    });
    context.fillStyle = "#666";
    context.font = "11px sans-serif";
    context.textAlign = "center";
    layout.more.forEach(([columnIndex, text]) => {
      const column = positions[columnIndex];
      const [x, y] = column[column.length - 1];
      context.fillText(text, x, y + side * 0.95);
    });
  }

  drawNeuron() {
    const chosen = this.setup.chosen;
    this.neuronBox.style.display = chosen ? "" : "none";
    if (!chosen || !this.big) return;
    this.neuronTitle.textContent = this.setup.network.chosenLabel;
    const context = this.neuron.fit();
    context.clearRect(0, 0, this.neuron.width, this.neuron.height);
    context.imageSmoothingEnabled = true;
    context.drawImage(this.neuronCanvas, 0, 0, this.neuron.width, this.neuron.height);
    this.neuronScale.textContent = this.setup.labels.neuronScale
      .replace("{low}", formatted(this.big.low))
      .replace("{high}", formatted(this.big.high));
  }

  // --- the pointer: hover values, zoom and pan, a click to add a point or to choose a neuron -------------------

  listen() {
    this.listenToRegions();
    this.curves.canvas.addEventListener("pointermove", (event) => this.hoverCurves(event));
    this.curves.canvas.addEventListener("pointerleave", () => this.hideTip());
    this.network.canvas.addEventListener("pointermove", (event) => this.hoverNetwork(event));
    this.network.canvas.addEventListener("pointerleave", () => this.hideTip());
    this.network.canvas.addEventListener("click", (event) => {
      const node = this.nodeAt(event.offsetX, event.offsetY);
      if (node && node.kind === "hidden") {
        this.setup.chosen = [node.layer, node.index];
        this.setup.network.chosenLabel = node.name;
        this.draw();
        this.trigger("neuron", [node.layer, node.index]);
      }
    });
  }

  // the regions: the wheel zooms, a drag pans, a double click resets; paused, a click adds a point
  listenToRegions() {
    const regions = this.regions.canvas;
    let drag = null;
    regions.addEventListener("wheel", (event) => {
      event.preventDefault();
      const [x1, x2] = this.toPlane(event.offsetX, event.offsetY);
      const factor = event.deltaY < 0 ? 0.8 : 1.25;
      const [left, right, bottom, top] = this.window();
      this.zoom = [x1 - (x1 - left) * factor, x1 + (right - x1) * factor, x2 - (x2 - bottom) * factor, x2 + (top - x2) * factor];
      this.draw();
    }, { passive: false });
    regions.addEventListener("pointerdown", (event) => {
      drag = { x: event.offsetX, y: event.offsetY, window: this.window(), moved: false };
      regions.setPointerCapture(event.pointerId);
    });
    regions.addEventListener("pointermove", (event) => {
      if (drag && Math.hypot(event.offsetX - drag.x, event.offsetY - drag.y) > 4) {
        drag.moved = true;
        const [left, right, bottom, top] = drag.window;
        const width = this.regions.width - MARGIN.left - MARGIN.right;
        const height = this.regions.height - MARGIN.top - MARGIN.bottom;
        const dx = ((event.offsetX - drag.x) / width) * (right - left);
        const dy = ((event.offsetY - drag.y) / height) * (top - bottom);
        this.zoom = [left - dx, right - dx, bottom + dy, top + dy];
        this.draw();
      }
      this.hoverRegions(event);
    });
    let dragged = false;
    let pendingAdd = null;
    regions.addEventListener("pointerup", () => {
      dragged = Boolean(drag && drag.moved);
      drag = null;
    });
    regions.addEventListener("click", (event) => {
      // paused, a click adds a point there; not a drag's end, and not a double click, which resets the zoom
      clearTimeout(pendingAdd);
      if (dragged || event.detail > 1 || this.setup.playing || !this.inPlot(event.offsetX, event.offsetY)) return;
      const [x1, x2] = this.toPlane(event.offsetX, event.offsetY);
      pendingAdd = setTimeout(() => this.trigger("add", [x1, x2]), DOUBLE_CLICK_MS);
    });
    regions.addEventListener("dblclick", () => {
      clearTimeout(pendingAdd);
      this.zoom = null;
      this.draw();
    });
    regions.addEventListener("pointerleave", () => this.hideTip());
  }

  inPlot(x, y) {
    return x >= MARGIN.left && x <= this.regions.width - MARGIN.right && y >= MARGIN.top && y <= this.regions.height - MARGIN.bottom;
  }

  showTip(event, lines) {
    this.tip.replaceChildren(...lines.map((line) => {
      const row = document.createElement("div");
      row.textContent = line;
      return row;
    }));
    const box = this.root.getBoundingClientRect();
    this.tip.style.display = "block";
    this.tip.style.left = `${event.clientX - box.left + 14}px`;
    this.tip.style.top = `${event.clientY - box.top + 14}px`;
  }

  hideTip() {
    this.tip.style.display = "none";
  }

  hoverRegions(event) {
    if (!this.inPlot(event.offsetX, event.offsetY) || !this.probabilities) return this.hideTip();
    const [x1, x2] = this.toPlane(event.offsetX, event.offsetY);
    const grid = this.setup.grid;
    const size = this.setup.probabilityResolution;
    const column = Math.round(((x1 - grid.x1[0]) / (grid.x1[1] - grid.x1[0])) * (size - 1));
    const row = Math.round(((x2 - grid.x2[0]) / (grid.x2[1] - grid.x2[0])) * (size - 1));
    if (column < 0 || column >= size || row < 0 || row >= size) return this.hideTip();
    const classes = this.setup.classes;
    const cell = (row * size + column) * classes;
    const lines = [`x1 ${x1.toFixed(2)}, x2 ${x2.toFixed(2)}`];
    for (let label = 0; label < classes; label++) {
      lines.push(this.setup.labels.classProbability.replace("{label}", label).replace("{p}", percent(this.probabilities[cell + label] / 255)));
    }
    this.showTip(event, lines);
  }

  hoverCurves(event) {
    const scale = this.curveScale;
    if (!scale || !scale.rows.length) return this.hideTip();
    const epoch = ((event.offsetX - CURVE_MARGIN.left) / scale.width) * scale.lastEpoch;
    let nearest = scale.rows[0];
    for (const row of scale.rows) if (Math.abs(row[0] - epoch) < Math.abs(nearest[0] - epoch)) nearest = row;
    const labels = this.setup.labels;
    this.showTip(event, [
      labels.curveEpoch.replace("{epoch}", nearest[0].toLocaleString()).replace("{step}", nearest[1].toLocaleString()),
      labels.curveLoss.replace("{train}", formatted(nearest[2], 4)).replace("{test}", formatted(nearest[3], 4)),
      labels.curveAccuracy.replace("{train}", percent(nearest[4])).replace("{test}", percent(nearest[5])),
    ]);
  }

  nodeAt(x, y) {
    if (!this.nodePositions) return null;
    const side = this.nodePositions.side;
    for (let column = 0; column < this.layout.columns.length; column++) {
      for (let row = 0; row < this.layout.columns[column].length; row++) {
        const [nx, ny] = this.nodePositions[column][row];
        if (Math.abs(x - nx) <= side / 2 && Math.abs(y - ny) <= side / 2) return this.layout.columns[column][row];
      }
    }
    return null;
  }

  hoverNetwork(event) {
    const [x, y] = [event.offsetX, event.offsetY];
    const node = this.nodeAt(x, y);
    const labels = this.setup.labels;
    if (node) {
      const lines = [node.name];
      if (node.bias !== undefined && this.biases) lines.push(labels.bias.replace("{value}", formatted(this.biases[node.bias], 4)));
      if (node.kind === "hidden") lines.push(labels.chooseNeuron);
      return this.showTip(event, lines);
    }
    let best = null;
    for (const [x0, y0, x1, y1, index] of this.linkLines || []) {
      const distance = segmentDistance(x, y, x0, y0, x1, y1);
      if (distance < 4 && (!best || distance < best[0])) best = [distance, index];
    }
    if (!best || !this.weights) return this.hideTip();
    const [from, to] = this.layout.links[best[1]];
    this.showTip(event, [
      labels.weight.replace("{value}", formatted(this.weights[best[1]], 4)),
      `${this.layout.columns[from.column][from.row].name} → ${this.layout.columns[to.column][to.row].name}`,
    ]);
  }
}

// --- drawing helpers ----------------------------------------------------------------------------------------

function networkLayout(network) {
  // columns of nodes: inputs, each hidden layer's shown neurons, outputs; a link joins each pair of neighbours
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
    place(width, height) {
      const left = 70;
      const right = 50;
      const span = (width - left - right) / Math.max(columns.length - 1, 1);
      const slot = (height - 20 - (more.length ? 16 : 0)) / tallest;
      const positions = columns.map((column, index) =>
        column.map((_, row) => [left + index * span, 10 + slot / 2 + (row + (tallest - column.length) / 2) * slot]),
      );
      positions.side = Math.max(1, Math.min(slot * 0.84, span * 0.5, 44)); // a canvas not laid out yet: tiny
      return positions;
    },
  };
}

// codes (row 0 at the smallest x2), from ``offset`` on, into an RGBA image with the largest x2 on top
function fillImage(image, codes, offset, palette) {
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

// one neuron's picture at its node: an image and a canvas of the pictures' size, made once, for every node
function drawPicture(context, pictures, index, size, palette, x, y, side) {
  let scratch = drawPicture.scratch;
  if (!scratch || scratch.image.width !== size) {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = size;
    scratch = drawPicture.scratch = { canvas, image: new ImageData(size, size) };
  }
  fillImage(scratch.image, pictures, index * size * size, palette);
  scratch.canvas.getContext("2d").putImageData(scratch.image, 0, 0);
  context.imageSmoothingEnabled = false;
  context.drawImage(scratch.canvas, x - side / 2, y - side / 2, side, side);
}

function thinned(rows, limit) {
  if (rows.length <= limit) return rows;
  const step = rows.length / limit;
  const out = [];
  for (let index = 0; index < limit; index++) out.push(rows[Math.floor(index * step)]);
  out.push(rows[rows.length - 1]);
  return out;
}

function niceCeiling(value) {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function ticks(low, high, count) {
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
function logTicks([low, high]) {
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

function tickText(value) {
  if (Math.abs(value) >= 1e4) return value.toExponential(0);
  return Number(value.toPrecision(3)).toLocaleString();
}

// The curves' scales: epochs across; the loss on the left, from 0 or on a log scale; the accuracy on the right.
function curveScale(rows, curves, logLoss, width, height) {
  const lastEpoch = rows.length ? Math.max(rows[rows.length - 1][0], 1) : 1;
  const losses = curves
    .filter((curve) => !curve.accuracy)
    .flatMap((curve) => rows.map((row) => row[curve.column]))
    .filter((value) => Number.isFinite(value) && value > 0);
  const log = logLoss && losses.length > 0;
  const highest = losses.length ? Math.max(...losses) : 1;
  const lowest = losses.length ? Math.min(...losses) : 0.01;
  const lossRange = log ? [Math.log10(lowest) - 0.05, Math.log10(highest) + 0.05] : [0, niceCeiling(highest)];
  const x = (epoch) => CURVE_MARGIN.left + (epoch / lastEpoch) * width;
  const yLoss = (value) => {
    const scaled = log ? Math.log10(Math.max(value, 1e-12)) : value;
    return CURVE_MARGIN.top + (1 - (scaled - lossRange[0]) / (lossRange[1] - lossRange[0])) * height;
  };
  const yAccuracy = (value) => CURVE_MARGIN.top + (1 - value / 1.02) * height;
  return { x, yLoss, yAccuracy, log, lossRange, lastEpoch, width, height };
}

// Each curve as a line through its rows, broken where a value is not finite, clipped to the plot.
function strokeCurves(context, rows, curves, { x, yLoss, yAccuracy, width, height }) {
  context.save();
  context.beginPath();
  context.rect(CURVE_MARGIN.left, CURVE_MARGIN.top, width, height);
  context.clip();
  for (const curve of curves) {
    const [column, y] = [curve.column, curve.accuracy ? yAccuracy : yLoss];
    context.beginPath();
    context.setLineDash(curve.dotted ? DOTS : []);
    context.strokeStyle = curve.color;
    context.lineWidth = 2;
    let started = false;
    for (const row of rows) {
      const value = row[column];
      if (!Number.isFinite(value)) {
        started = false;
        continue;
      }
      const [px, py] = [x(row[0]), y(value)];
      if (started) context.lineTo(px, py);
      else context.moveTo(px, py);
      started = true;
    }
    context.stroke();
  }
  context.restore();
  context.setLineDash([]);
}

// The axes' ticks and titles: epochs below, loss on the left, accuracy on the right.
function curveAxes(context, scale, labels, canvasWidth, canvasHeight) {
  const { x, yLoss, yAccuracy, log, lossRange, lastEpoch, width, height } = scale;
  context.fillStyle = "#555";
  context.font = "11px sans-serif";
  context.textAlign = "center";
  context.textBaseline = "top";
  for (const epoch of ticks(0, lastEpoch, 5)) context.fillText(tickText(epoch), x(epoch), CURVE_MARGIN.top + height + 4);
  context.textAlign = "right";
  context.textBaseline = "middle";
  const lossTicks = log ? logTicks(lossRange) : ticks(lossRange[0], lossRange[1], 5);
  for (const value of lossTicks) {
    const y = log ? yLoss(10 ** value) : yLoss(value);
    if (y >= CURVE_MARGIN.top - 1 && y <= CURVE_MARGIN.top + height + 1)
      context.fillText(log ? tickText(10 ** value) : tickText(value), CURVE_MARGIN.left - 4, y);
  }
  context.textAlign = "left";
  for (const value of [0, 0.25, 0.5, 0.75, 1]) context.fillText(`${100 * value}%`, CURVE_MARGIN.left + width + 4, yAccuracy(value));
  context.textAlign = "center";
  context.textBaseline = "bottom";
  context.fillText(labels.epochAxis, CURVE_MARGIN.left + width / 2, canvasHeight - 1);
  verticalText(context, labels.lossAxis, 10, CURVE_MARGIN.top + height / 2);
  verticalText(context, labels.accuracyAxis, canvasWidth - 6, CURVE_MARGIN.top + height / 2);
}

function gridLines(context, left, top, width, height) {
  context.strokeStyle = "#eee";
  context.lineWidth = 1;
  for (let index = 0; index <= 4; index++) {
    const y = top + (index / 4) * height;
    context.beginPath();
    context.moveTo(left, y);
    context.lineTo(left + width, y);
    context.stroke();
  }
}

function axes(context, left, top, width, height, xRange, yRange, xName, yName) {
  context.fillStyle = "#555";
  context.font = "11px sans-serif";
  context.textAlign = "center";
  context.textBaseline = "top";
  for (const value of ticks(xRange[0], xRange[1], 5)) {
    const x = left + ((value - xRange[0]) / (xRange[1] - xRange[0])) * width;
    context.fillText(tickText(value), x, top + height + 4);
  }
  context.textAlign = "right";
  context.textBaseline = "middle";
  for (const value of ticks(yRange[0], yRange[1], 5)) {
    const y = top + (1 - (value - yRange[0]) / (yRange[1] - yRange[0])) * height;
    context.fillText(tickText(value), left - 4, y);
  }
  context.textAlign = "center";
  context.textBaseline = "bottom";
  context.fillText(xName, left + width / 2, top + height + 30);
  verticalText(context, yName, 9, top + height / 2);
}

function verticalText(context, text, x, y) {
  context.save();
  context.translate(x, y);
  context.rotate(-Math.PI / 2);
  context.textAlign = "center";
  context.textBaseline = "middle";
  context.fillText(text, 0, 0);
  context.restore();
}

function legend(context, x, y, curves) {
  // the curves' key, top left, on white so that a curve under it does not cross its words
  context.font = "11px sans-serif";
  context.textAlign = "left";
  context.textBaseline = "middle";
  const width = 26 + Math.max(...curves.map((curve) => context.measureText(curve.name).width));
  context.fillStyle = "rgba(255, 255, 255, 0.85)";
  context.fillRect(x - 4, y - 8, width + 8, curves.length * 14 + 2);
  curves.forEach((curve, index) => {
    const rowY = y + index * 14;
    context.beginPath();
    context.setLineDash(curve.dotted ? DOTS : []);
    context.strokeStyle = curve.color;
    context.lineWidth = 2;
    context.moveTo(x, rowY);
    context.lineTo(x + 18, rowY);
    context.stroke();
    context.setLineDash([]);
    context.fillStyle = "#444";
    context.fillText(curve.name, x + 22, rowY);
  });
}

function segmentDistance(x, y, x0, y0, x1, y1) {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const length = dx * dx + dy * dy;
  const along = length ? Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / length)) : 0;
  return Math.hypot(x - (x0 + along * dx), y - (y0 + along * dy));
}
