// The live view: the decision regions with the data, the loss and accuracy curves, and the network, drawn on
// canvases that stay on the page while the network learns. Python sends a setup (what changes rarely: the
// points, the palettes, the labels, the network's shape) and frames (what training changes: the regions' codes,
// new history rows, the links' weights, the neurons' pictures); this module keeps each view's state by the key
// Python gives it, so an update, or a remount of the element, never starts it from blank.
// playground/live/__init__.py joins this module and those it imports into the one script the component runs.

import { Curves } from "./curves.js";
import { CodePicture, Surface, Tip, drawMarker, element, takesKeys, textWidth } from "./drawing.js";
import {
  ARROWS,
  arrowStep,
  bytes,
  columnsByName,
  floats,
  formatted,
  markerOf,
  networkLayout,
  segmentDistance,
} from "./helpers.js";
import { Regions } from "./regions.js";

const views = new Map(); // data.key -> View
// Frames are drawn as they come, ~40 a second while playing; a burst (the main thread was busy) is spread out
// at least MIN_GAP_MS apart, so the view catches up at 50 a second and keeps the server's pace.
const MIN_GAP_MS = 20;
const MAX_QUEUED = 2; // more frames waiting than this: the view fell behind, and skips the oldest
const MAX_EARLY = 90; // socket frames waiting for their setup: 3 s of them, and its page run's data was lost
const RECONNECT_MS = 1000;
const ANNOUNCE_MS = 15000; // while playing, a screen reader hears the status this often, not every frame

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

class View {
  constructor() {
    this.root = element("div", "spl-live");
    this.root.dataset.testid = "live-view";
    this.root.setAttribute("role", "region");
    this.status = element("p", "spl-status", this.root);
    // what a screen reader hears of the status: a few times a minute while playing, at once when it stops
    this.announcer = element("div", "spl-announcer", this.root);
    this.announcer.setAttribute("aria-live", "polite");
    this.announcedAt = -Infinity;
    // what the charts share of the view: its root, the tip, its triggers (a point to add, a neuron chosen), and a
    // drawing of the whole, which a zoom, a probe or a choice asks for
    this.tip = new Tip(this.root);
    const host = { root: this.root, tip: this.tip, trigger: (name, value) => this.trigger(name, value), draw: () => this.draw() };
    const row = element("div", "spl-row", this.root);
    this.regions = new Regions(row, host);
    this.curves = new Curves(row, host);
    this.networkRow = element("div", "spl-row spl-network-row", this.root);
    const networkBox = element("div", "spl-box spl-network", this.networkRow);
    this.network = new Surface(networkBox, "spl-network-canvas", null, this.regions.surface);
    this.network.canvas.setAttribute("role", "img");
    this.selected = null; // the keyboard's node of the diagram, {column, row}, while it has the focus
    this.neuronBox = element("div", "spl-box spl-neuron", this.networkRow);
    this.neuronTitle = element("p", "spl-neuron-title", this.neuronBox);
    this.neuron = new Surface(this.neuronBox, "spl-neuron-canvas", 1);
    this.neuronScale = element("p", "spl-neuron-scale", this.neuronBox);
    this.root.appendChild(this.tip.element); // after the charts it shows over
    this.setupId = null;
    this.tab = null; // the page's tab as its last run described it: its session, and what a new one would lose
    this.asking = null; // the timer that asks for a page run after the socket was lost
    this.pageVersion = 0; // of the last page run's data
    this.latest = [0, 0]; // version and number of the last frame taken
    this.queue = [];
    this.early = []; // socket frames of a setup still to come
    this.timer = null;
    this.drawnAt = -Infinity; // when play() last drew
    this.frame = null;
    this.shown = 0; // frames drawn, for the tests and the benchmark
    this.listen();
    const resized = new ResizeObserver(() => {
      for (const surface of [this.regions.surface, this.curves.surface, this.network, this.neuron]) surface.stale = true;
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
    clearInterval(this.asking);
    this.asking = null;
    // another tab's data on this page: the server restarted, or dropped the tab's session while it was away, and
    // the page runs in a new one that knows nothing of the old (its pins, its points): the page says what was lost
    if (this.tab && data.tab.id !== this.tab.id) this.trigger("restarted", { ...this.tab, playing: this.setup.playing });
    this.tab = data.tab;
    this.connect(data.socket);
    if (data.setup.id !== this.setupId) this.configure(data.setup, data.historyColumns);
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
  // opened again a second after it closes, until a page run names another. Another socket is another feed, whose
  // (version, number) order starts again: what was kept of the old one would pass over every frame of the new.
  connect(path) {
    if (this.socketPath === path) return;
    const old = this.socket;
    this.socket = null;
    if (old) old.close();
    this.socketPath = path;
    this.latest = [0, 0];
    this.pageVersion = 0;
    this.queue = [];
    this.early = [];
    const open = () => {
      if (this.socketPath !== path) return;
      const url = new URL(path, window.location.href);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      const socket = new WebSocket(url);
      let opened = false;
      socket.onopen = () => {
        opened = true;
      };
      socket.onmessage = (event) => {
        if (this.socket === socket) this.receiveLive(JSON.parse(event.data));
      };
      socket.onclose = () => {
        if (this.socket !== socket) return; // replaced by another feed's
        if (opened) this.askForRun();
        setTimeout(open, RECONNECT_MS);
      };
      this.socket = socket;
    };
    open();
  }

  // The socket was lost: the server went away (a restart, a deploy) or the network did (a laptop's lid closed).
  // Streamlit's frontend reconnects by itself, but to a new session if the server has none of this tab's (a
  // restart, or away longer than server.disconnectedSessionTTL), and it runs the page there only if a run was
  // under way: the page would stay as it was, its Play and Pause a fragment that session does not know. So the
  // view asks for a page run, every RECONNECT_MS until one comes (one asked while Streamlit is still
  // disconnected is dropped); in a session that survived, the run shows the same tab again. Not from another
  // page (the lab), which would run again and again: coming back here runs this one.
  askForRun() {
    if (this.asking) return;
    let tries = 0;
    this.asking = setInterval(() => {
      if (this.root.isConnected) this.trigger("resend", `reconnected ${++tries}`);
    }, RECONNECT_MS);
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

  // ``historyColumns``: the names of the history rows' columns, in their order
  configure(setup, historyColumns) {
    this.setupId = setup.id;
    this.setup = setup;
    this.queue = [];
    this.neuronPalette = setup.neuronPalette;
    this.regions.configure(setup);
    this.curves.configure(setup, columnsByName(historyColumns));
    this.neuronPicture = new CodePicture(setup.network ? setup.network.bigResolution : 1);
    this.networkRow.style.display = setup.network ? "" : "none";
    this.layout = setup.network ? networkLayout(setup.network) : null;
    this.selected = null;
    this.name(setup.labels);
  }

  // the names a screen reader gives the view and its pictures
  name(labels) {
    this.root.setAttribute("aria-label", labels.viewName);
    this.network.canvas.setAttribute("aria-label", labels.networkName);
  }

  // A frame sends the history rows after the last frame's (live/frames.py): one missed, or the data of a page run
  // that Streamlit dropped, would leave the view without them. It asks for all of it again, once.
  askAgain(what) {
    if (this.asked === what) return;
    this.asked = what;
    this.trigger("resend", what);
  }

  apply(frame) {
    if (!frame.allRows && this.curves.missed(frame)) this.askAgain(`rows ${frame.after}`);
    this.curves.take(frame);
    this.frame = { ...this.frame, ...frame };
    this.regions.take(frame);
    if (frame.network) {
      const network = frame.network;
      this.weights = floats(network.weights);
      this.biases = floats(network.biases);
      this.pictures = bytes(network.pictures);
      if (network.big) {
        this.neuronPicture.paint(bytes(network.big.codes), this.neuronPalette);
        this.big = network.big;
      }
    }
    this.shown += 1;
    this.root.dataset.frames = this.shown;
    this.root.dataset.step = frame.step;
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
    this.regions.draw();
    this.curves.draw();
    if (this.layout) {
      this.drawNetwork();
      this.drawNeuron();
    }
  }

  drawStatus() {
    this.announce(this.frame.status.replaceAll("**", ""));
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

  // the polite live region's text: at once while paused (a step, a stop), every ANNOUNCE_MS while playing
  announce(text) {
    const now = performance.now();
    if (text === this.announcer.textContent || (this.setup.playing && now - this.announcedAt < ANNOUNCE_MS)) return;
    this.announcer.textContent = text;
    this.announcedAt = now;
  }

  drawNetwork() {
    const surface = this.network;
    const context = surface.start();
    // room for the inputs' names on the left and the classes' on the right, at least the old 70 and 50 px
    const widest = (nodes) => Math.max(0, ...nodes.map((node) => textWidth(context, node.name)));
    const columns = this.layout.columns;
    const nameRoom = 22 * surface.scale + 8; // the node's half width and a gap, at its largest
    const left = Math.max(70, widest(columns[0]) + nameRoom);
    const right = Math.max(50, widest(columns[columns.length - 1]) + nameRoom);
    const positions = this.layout.place(surface.width, surface.height, left, right, surface.font);
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

  // the inputs as named squares, each hidden neuron as its map (the chosen one outlined), the outputs as their
  // class's marker in its colour, "+n more" below a layer with more neurons than are drawn, and the keyboard's
  // node ringed
  drawNodes(context, positions) {
    const layout = this.layout;
    const surface = this.network;
    const side = positions.side;
    let picture = 0;
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
          surface.label(node.name, x - side * 0.45, y);
        } else if (node.kind === "output") {
          const color = this.setup.classColors[node.index % this.setup.classColors.length];
          drawMarker(context, markerOf(node.index), x, y, side * 0.3, color, false, side / 20);
          context.fillStyle = "#333";
          context.textAlign = "left";
          surface.label(node.name, x + side * 0.45, y);
        } else {
          if (this.pictures) this.drawPicture(context, picture, x, y, side);
          picture += 1;
          const chosen = this.setup.chosen && this.setup.chosen[0] === node.layer && this.setup.chosen[1] === node.index;
          context.lineWidth = chosen ? 2.5 : 1;
          context.strokeStyle = chosen ? "#222" : "#999";
          context.strokeRect(x - side / 2, y - side / 2, side, side);
        }
      });
    });
    context.fillStyle = "#666";
    context.textAlign = "center";
    layout.more.forEach(([columnIndex, text]) => {
      const column = positions[columnIndex];
      const [x, y] = column[column.length - 1];
      surface.label(text, x, y + side / 2 + surface.font * 0.7);
    });
    if (this.selected) {
      const [x, y] = positions[this.selected.column][this.selected.row];
      context.lineWidth = 2 * surface.scale;
      context.strokeStyle = "#1a73e8";
      context.strokeRect(x - side / 2 - 4, y - side / 2 - 4, side + 8, side + 8);
    }
  }

  // the ``index``-th hidden neuron's picture at its node, painted on one offscreen picture of the pictures' size
  drawPicture(context, index, x, y, side) {
    const size = this.layout.pictureSize;
    if (!this.scratch || this.scratch.image.width !== size) this.scratch = new CodePicture(size);
    this.scratch.paint(this.pictures, this.neuronPalette, index * size * size);
    context.imageSmoothingEnabled = false;
    context.drawImage(this.scratch.canvas, x - side / 2, y - side / 2, side, side);
  }

  drawNeuron() {
    const chosen = this.setup.chosen;
    this.neuronBox.style.display = chosen ? "" : "none";
    if (!chosen || !this.big) return;
    this.neuronTitle.textContent = this.setup.network.chosenLabel;
    const context = this.neuron.fit();
    context.clearRect(0, 0, this.neuron.width, this.neuron.height);
    context.imageSmoothingEnabled = true;
    context.drawImage(this.neuronPicture.canvas, 0, 0, this.neuron.width, this.neuron.height);
    this.neuronScale.textContent = this.setup.labels.neuronScale
      .replace("{low}", formatted(this.big.low))
      .replace("{high}", formatted(this.big.high));
  }

  // --- the pointer and the keys: hover values, a click or Enter to choose a neuron --------------------------------

  listen() {
    const network = this.network.canvas;
    network.addEventListener("pointerdown", (event) => this.hoverNetwork(event)); // a tap's tip
    network.addEventListener("pointermove", (event) => this.hoverNetwork(event));
    this.tip.hiddenOnLeaving(network);
    network.addEventListener("click", (event) => this.choose(this.nodeAt(event.offsetX, event.offsetY)));
    takesKeys(network, {
      focused: () => this.moveSelection(0, 0),
      blurred: () => {
        this.selected = null;
        this.tip.hide();
        this.draw();
      },
      pressed: (event) => {
        if (event.key === "Enter") this.choose(this.selected && this.layout.columns[this.selected.column][this.selected.row]);
        else if (ARROWS.has(event.key)) this.moveSelection(...arrowStep(event.key).map((step) => step * (event.shiftKey ? 3 : 1)));
        else return false;
        return true;
      },
    });
  }

  // a hidden neuron shown large, as a click or Enter on it asks
  choose(node) {
    if (!node || node.kind !== "hidden") return;
    this.setup.chosen = [node.layer, node.index];
    this.setup.network.chosenLabel = node.name;
    this.draw();
    this.trigger("neuron", [node.layer, node.index]);
  }

  // the chosen node moved by columns across and rows down (each column's rows from its top)
  moveSelection(across, down) {
    if (!this.layout) return;
    const columns = this.layout.columns;
    const { column, row } = this.selected || { column: 0, row: 0 };
    const next = Math.min(Math.max(column + across, 0), columns.length - 1);
    const nextRow = Math.min(Math.max((across ? Math.min(row, columns[next].length - 1) : row) - down, 0), columns[next].length - 1);
    this.selected = { column: next, row: nextRow };
    this.draw();
    const [x, y] = this.nodePositions[next][nextRow];
    this.tip.show(this.network.canvas, x, y, this.nodeLines(columns[next][nextRow], true));
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

  // a node's tip: its name, its bias, and for a hidden one that a click shows it large; ``links`` adds the
  // weights coming into it, which the keyboard reaches no other way
  nodeLines(node, links = false) {
    const labels = this.setup.labels;
    const lines = [node.name];
    if (node.bias !== undefined && this.biases) lines.push(labels.bias.replace("{value}", formatted(this.biases[node.bias], 4)));
    if (node.kind === "hidden") lines.push(labels.chooseNeuron);
    if (!links || !this.weights) return lines;
    this.layout.links.forEach(([from, to], index) => {
      if (this.layout.columns[to.column][to.row] === node) lines.push(this.linkLine(from, to, index));
    });
    return lines;
  }

  linkLine(from, to, index) {
    const weight = this.setup.labels.weight.replace("{value}", formatted(this.weights[index], 4));
    return `${weight} · ${this.layout.columns[from.column][from.row].name} → ${this.layout.columns[to.column][to.row].name}`;
  }

  hoverNetwork(event) {
    const [x, y] = [event.offsetX, event.offsetY];
    const node = this.nodeAt(x, y);
    if (node) return this.tip.showAt(event, this.nodeLines(node));
    let best = null;
    const reach = event.pointerType === "touch" ? 12 : 4; // a finger is wider than a pointer
    for (const [x0, y0, x1, y1, index] of this.linkLines || []) {
      const distance = segmentDistance(x, y, x0, y0, x1, y1);
      if (distance < reach && (!best || distance < best[0])) best = [distance, index];
    }
    if (!best || !this.weights) return this.tip.hide();
    const [from, to] = this.layout.links[best[1]];
    this.tip.showAt(event, [this.linkLine(from, to, best[1])]);
  }
}
