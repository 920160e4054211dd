// The live view: the decision regions with the data, the loss and accuracy curves, and the network, drawn on
// canvases that stay on the page while the network learns. Python sends a setup (what changes rarely: the
// points, the palettes, the labels, the network's shape) and frames (what training changes: the regions' codes,
// new history rows, the links' weights, the neurons' pictures); this module keeps each view's state by the key
// Python gives it, so an update, or a remount of the element, never starts it from blank.
//
// The View takes the frames in their order, from a page run's data and from its own socket, and owns a class per
// chart (regions.js, curves.js, network.js, insides.js, the layers' histograms over the epochs, and space.js, the
// hidden space), each of which draws itself and answers the pointer and the keys on it, the step in slow motion
// (step.js), which the regions and the network draw, and the tab's task card at the top (task.js).
// playground/live/__init__.py joins these modules into the one script the component runs.

import { Curves } from "./curves.js";
import { Tip, element, setText } from "./drawing.js";
import { columnsByName } from "./helpers.js";
import { Insides } from "./insides.js";
import { Network } from "./network.js";
import { Regions } from "./regions.js";
import { Space } from "./space.js";
import { Step } from "./step.js";
import { TaskCard } from "./task.js";

const views = new Map(); // data.key -> View
// Frames are drawn as they come, ~40 a second while playing; a burst (the main thread was busy) is spread out
// at least MIN_GAP_MS apart, so the view catches up at 50 a second and keeps the server's pace.
const MIN_GAP_MS = 20;
const MAX_QUEUED = 2; // more frames waiting than this: the view fell behind, and skips the oldest
const MAX_EARLY = 90; // socket frames waiting for their setup: 3 s of them, and its page run's data was lost
const RECONNECT_MS = 1000;
const REPLACED = 4001; // the socket's close code when a newer socket of its tab took over (playground/live/socket.py)
const ANNOUNCE_MS = 15000; // while playing, a screen reader hears the status this often, not every frame

// Whether the live region says ``text`` now, ``sinceLast`` ms after it last spoke (``spokePlaying``: a playing
// run's status): a paused run's new status at once (a step, a stop), and a playing run's when it starts, then
// every ANNOUNCE_MS. The frame's own word, not the setup's: just after a Play the socket sends playing frames
// before the page run brings the playing setup.
export function announcing(text, spoken, playing, spokePlaying, sinceLast) {
  return text !== spoken && (!playing || !spokePlaying || sinceLast >= ANNOUNCE_MS);
}

// What the view does once its socket has closed with ``code`` (``opened``: after it had opened): whether it opens
// another, RECONNECT_MS later, and whether it asks for a page run (View.askForRun). Not after REPLACED: another page
// of the same tab (a browser's duplicated tab) holds the newer socket, and two pages reopening would take turns
// replacing each other's. After any other close it tries again: the server refuses the socket of a tab whose
// session has gone (4002, or refused before it opened) until that session comes back, or is gone itself.
export function afterClose(code, opened) {
  const replaced = code === REPLACED;
  return { reopen: !replaced, askForRun: opened && !replaced };
}

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
    this.task = new TaskCard(this.root);
    this.status = element("p", "spl-status", this.root);
    // what a screen reader hears of the status: a few times a minute while playing, at once when it stops
    this.announcer = element("div", "spl-announcer", this.root);
    this.announcer.setAttribute("aria-live", "polite");
    this.announcedAt = -Infinity;
    this.spokePlaying = false;
    // what the charts share of the view: its root, the tip, its triggers (a point to add, a neuron chosen, a batch's
    // point chosen), a drawing of the whole, which a zoom, a probe or a choice asks for, and the regions' point
    // whose values the network shows (the probe)
    const tip = new Tip(this.root);
    const host = {
      root: this.root,
      tip,
      trigger: (name, value) => this.trigger(name, value),
      draw: () => this.draw(),
      probe: (point) => this.network.probeAt(point),
    };
    const row = element("div", "spl-row", this.root);
    this.step = new Step();
    this.regions = new Regions(row, host, this.step);
    this.curves = new Curves(row, host);
    this.network = new Network(this.root, this.regions.surface, host, this.step);
    this.insides = new Insides(this.root, host);
    this.space = new Space(this.root, host);
    this.root.appendChild(tip.element); // after the charts it shows over
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
    const resized = new ResizeObserver(() => {
      const surfaces = [...this.network.surfaces, ...this.insides.surfaces, ...this.space.surfaces];
      for (const surface of [this.regions.surface, this.curves.surface, ...surfaces]) surface.stale = true;
      this.draw();
    });
    resized.observe(this.root);
    resized.observe(this.network.neuronBox); // shown or hidden as a neuron is chosen, which moves the diagram's edge
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
  // opened again a second after it closes (``afterClose``), until a page run names another. Another socket is another feed, whose
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
      let taken = 0; // this socket's frames taken: drawn, or queued to be (at most MAX_QUEUED)
      socket.onopen = () => {
        opened = true;
      };
      // each frame taken is acknowledged, with the count so far: the server builds no frames for a page more than
      // a second behind them (a slow device, a page that stopped reading), and gives it no share of its time
      socket.onmessage = (event) => {
        if (this.socket !== socket) return;
        this.receiveLive(JSON.parse(event.data));
        socket.send(String(++taken));
      };
      socket.onclose = (event) => {
        if (this.socket !== socket) return; // replaced by another feed's
        const next = afterClose(event.code, opened);
        if (next.askForRun) this.askForRun();
        if (next.reopen) setTimeout(open, RECONNECT_MS);
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
    this.root.setAttribute("aria-label", setup.labels.viewName);
    this.regions.configure(setup);
    this.curves.configure(setup, columnsByName(historyColumns));
    this.network.configure(setup);
    this.insides.configure(setup);
    this.space.configure(setup);
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
    if (this.insides.missed(frame)) this.askAgain(`snapshots ${frame.insides.after}`);
    this.insides.take(frame);
    this.curves.take(frame);
    this.task.take(frame.task, frame.allRows);
    this.step.take(frame.slow, performance.now());
    this.regions.take(frame);
    if (frame.network) this.network.take(frame.network);
    this.space.take(frame);
    this.frame = frame;
    // the page's CSS shows the page once the view has drawn (page.css): a class set once, not the count, which
    // changes every frame, and an attribute a :has() rule names makes Chromium recalculate the whole page's style
    if (!this.shown) this.root.classList.add("spl-drawn");
    this.shown += 1;
    this.root.dataset.frames = this.shown;
    // for the tests: not data-step, which a :has() rule of Streamlit's names
    this.root.dataset.atStep = frame.step;
    this.root.dataset.stage = frame.slow ? frame.slow.stage : "";
    this.root.classList.toggle("spl-slow", Boolean(frame.slow)); // a taller diagram, its caption (live.css)
  }

  draw() {
    if (!this.setup || !this.frame) return;
    try {
      this.drawStatus();
      this.task.draw();
      this.regions.draw();
      this.curves.draw();
      this.network.draw();
      this.insides.draw();
      this.space.draw();
    } catch (error) {
      console.error("live view:", error); // the last picture stays rather than the element failing
    }
  }

  drawStatus() {
    this.announce(this.frame.status.replaceAll("**", ""));
    // "**Epoch 12** · step 96 ...": the bold parts as <b>, the others as <span>, kept from frame to frame while
    // their number is the same: only their words change, in place (see drawing.js's setText)
    const parts = this.frame.status.split("**");
    if (this.status.children.length !== parts.length) {
      this.status.replaceChildren(...parts.map((_, index) => element(index % 2 ? "b" : "span")));
    }
    parts.forEach((part, index) => setText(this.status.children[index], part));
  }

  // the polite live region's text (see ``announcing``)
  announce(text) {
    const now = performance.now();
    const { playing } = this.frame;
    if (!announcing(text, this.announcer.textContent, playing, this.spokePlaying, now - this.announcedAt)) return;
    this.announcer.textContent = text;
    this.announcedAt = now;
    this.spokePlaying = playing;
  }
}
