"""A load test: many sessions at once against one app server (or a proxy in front of several) on 127.0.0.1.

It measures each session's live-view frames per second, the errors, the server's peak memory and CPU, and
checks that no session ever shows another's model.

The live view is one component (``playground/live``): a page run sends it the setup (the points, whether it
plays) and a frame; while playing, its own socket (``/live_socket``) sends a frame every FRAME_SECONDS. An update
here is a frame.

Every session opens the page with a seed of its own (``?seed=``); all press Play at about the same time and play
through the window, then pause. What each then shows (its link's seed, the training points of its live view's
setup, its paused status line) is compared with what its seed alone yields, replayed here to the same step; and
its step count must only have grown while it played.

Two kinds of session:

- ``--pages N``: headless Chromium pages, one browser, a context each; an update is a frame the live view has
  drawn (its ``data-frames`` count): what a user sees, the browser's drawing included. The setup it was sent is
  read off its websocket once it pauses.
- ``--sessions N``: the page fetched as a browser first fetches it (its cookies kept, as a proxy's sticky
  sessions need), then Streamlit's websocket protocol spoken from here as a browser tab speaks it, and the live
  socket opened as live.js opens it, nothing drawn: cheaper, so more sessions fit; an update is a frame received.
  It also counts the runs the server reports cut short (FINISHED_EARLY_FOR_RERUN): a new run started before their
  output was sent, which is dropped.

What a class does to a server, with ``--sessions``:

- ``--largest``: every session at the page's largest settings (8 × 256, 6 × 1,000 points, batch 1), the hostile
  visitor's tabs too (``--query``'s, below).
- ``--leave``: after the window the sessions disconnect while playing, as a class closing its laptops; then the
  server's memory must come back and a new page must get the full frame rate, each within LEAVE_SECONDS.
- ``--hostile``: the sessions play while one visitor in turn opens 500 live sockets on one tab's token, leaves
  40 sessions playing without a live socket, opens 20 live sockets it never reads, and keeps sending ten
  websocket messages that inflate to 200 MB each from 200 kB; each page must keep 80 % of its own frame rate
  before the attack, and ``/_stcore/health`` must answer within 250 ms throughout.
- ``--class-opening``: the sessions open the page within 2 s, as a class following a link: health must answer
  within 1 s meanwhile, and each page get its first picture (its live view's first frame) within 5 s.
- ``--query``: every session (and the hostile visitor's tabs) at a link's settings rather than the defaults, e.g.
  ``view=show_network,insides,hidden_space``: the views that cost a tab more each frame.

``/_stcore/health`` is asked every HEALTH_PERIOD by a process of its own, so this one's work does not delay it.
``--url`` measures a server already running (a proxy with replicas behind it, docs/classroom.md) instead of
starting one; ``--server-pid`` names its processes, whose memory and CPU are then measured (not their log).

Run: ``python bench/load.py --pages 5 --seconds 60`` or ``python bench/load.py --sessions 30 --seconds 30``.
Exits with 1 when a target is missed.
"""

import argparse
import asyncio
import base64
import concurrent.futures
import contextlib
import json
import math
import multiprocessing
import os
import re
import socket as net
import statistics
import struct
import sys
import threading
import time
import urllib.request
import zlib
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import numpy as np
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.browser_tools import app_server_process, launch, missing_browser
from bench.train_speed import machine
from playground.links import from_query
from playground.live import KEY as LIVE_KEY
from playground.live.feed import FRAME_SECONDS
from playground.session import Session
from playground.settings import MAX_HIDDEN_LAYERS, MAX_WIDTH
from playground.ui.page import RUN_LABELS

# the page's largest settings, as a link's query: the widest and deepest network, the most points, batch 1
LARGEST = f"data=spiral&classes=6&points=1000&hidden={','.join([str(MAX_WIDTH)] * MAX_HIDDEN_LAYERS)}&batch=1&lr=1"
# the targets (issue 23), for a 2-core server: each session's updates (frames) per second and the server's peak
# resident memory, by kind of session and settings
TARGET_RATE = {"pages": 10.0, "sessions": 10.0, "largest": 2.0}
MAX_SERVER_MB = {"pages": 400, "sessions": 1000, "largest": 2000}
WARM_UP_SECONDS = 2  # past the full rerun that Play starts, as in bench/browser.py
SETTLE_TIMEOUT = 60  # seconds for a page to show its first or its paused run on a busy machine
LEAVE_SECONDS = 30  # after a class leaves: its memory back, and a new page at the full rate, within this
MEMORY_KEPT = 1 / 3  # "memory back": at most this part of what the sessions added is still resident
FULL_RATE = 0.9 / FRAME_SECONDS  # a page alone on the server: 90 % of the socket's rate
KEPT_RATE = 0.8  # under attack, each other page keeps this part of its own frame rate
HEALTH_PERIOD = 0.1  # seconds between two asks of /_stcore/health
MAX_HEALTH = {"hostile": 0.25, "class": 1.0}  # seconds /_stcore/health may take, by scenario
MAX_FIRST_PICTURE = 5.0  # seconds from a page's request to its live view's first frame, in a class opening
CLASS_WITHIN = 2.0  # seconds over which a class opens the page
# the status line's figures (epoch, step, losses, accuracies), in English as bold markdown or as the page shows it
FIGURES = re.compile(
    r"Epoch ([\d,]+)\W+step ([\d,]+) · loss train (\S+) / test (\S+) · accuracy train (\S+) / test (\S+) ·"
)
SPEED = re.compile(r"([\d,]+) steps/s")
SERVER_ERROR = re.compile(r"\b(ERROR|CRITICAL)\b")
ASSETS = re.compile(r"\"\./(static/[^\"]+)\"")  # the files a page's HTML names

LIVE_VIEW = f".st-key-{LIVE_KEY} .spl-live"  # the component's own element, which live.js keeps for the page's life
# In the page: note the time and the status line of every frame the live view draws, from its data-frames count
# (paused, a run's frames are drawn at once, and noted at the same time)
WATCH_FRAMES = """(selector) => {
  window.__frames = [];
  const first = document.querySelector(selector);
  const drawn = new WeakMap([[first, Number(first.dataset.frames)]]);
  new MutationObserver((records) => {
    const now = performance.now();
    for (const live of new Set(records.map((record) => record.target))) {
      const count = Number(live.dataset.frames), status = live.querySelector('.spl-status').innerText;
      for (let frame = drawn.get(live) || 0; frame < count; frame++) window.__frames.push([now, status]);
      drawn.set(live, count);
    }
  }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['data-frames']});
}"""
SHOWS_STATUS = "([selector, text]) => document.querySelector(selector + ' .spl-status')?.innerText === text"
PAGE_ERRORS = "[data-testid=stException], [data-testid=stAlertContentError]"


@dataclass
class Outcome:
    """What one session saw: its updates' times (s) and status lines while playing, then its paused state."""

    seed: int
    times: list = field(default_factory=list)
    statuses: list = field(default_factory=list)
    carried: set = field(default_factory=set)  # the costly views' parts its frames carried ("insides", "space")
    errors: list = field(default_factory=list)
    cuts: list = None  # times of runs reported ended early for a rerun, their unsent output dropped (protocol only)
    link: str = ""  # the query string the page ended with
    status: str = ""  # the status line once paused
    points: np.ndarray = None  # the training points of the live view's setup once paused, (n, 2) float32
    first_picture: float = None  # seconds from asking for the page to its live view's first frame (protocol only)
    page_fetched: float = None  # seconds from asking for the page to having it, and the files it names (protocol)


def number(text, pattern=SPEED, group=1):
    return int(pattern.search(text).group(group).replace(",", ""))


def figures(row):
    """A history row's figures as the status line writes them (playground.live.frames.status_text)."""
    return (f"{row['epoch']:,}", f"{row['step']:,}", f"{row['train_loss']:.3f}", f"{row['test_loss']:.3f}",
            f"{row['train_accuracy']:.1%}", f"{row['test_accuracy']:.1%}")  # fmt: skip


def rate_and_gap(times, start, seconds):
    """Updates per second within [start, start + seconds], and the longest wait without one (s)."""
    inside = [moment for moment in times if start <= moment <= start + seconds]
    return len(inside) / seconds, float(np.diff([start, *inside, start + seconds]).max())


def live_data(element):
    """The live view's data, as its component gets it, from an element of a delta; None for any other element."""
    if element.WhichOneof("type") == "bidi_component" and element.bidi_component.id.endswith(f"-{LIVE_KEY}"):
        return json.loads(element.bidi_component.json)
    return None


def training_points(setup):
    """The setup's first group of points, the training points, as an (n, 2) float32 array."""
    return np.frombuffer(base64.b64decode(setup["points"][0]["xy"]), dtype=np.float32).reshape(-1, 2)


def isolation_problems(outcome):
    """Why this session's model may not be its seed's own (an empty list: it is): its link, its live view's
    training points, its paused status line against its seed replayed alone to the same step, its steps while
    playing."""
    problems = []
    linked = dict(parse_qsl(outcome.link)).get("seed")
    if linked != str(outcome.seed):
        problems.append(f"its link has seed {linked}")
    steps = [number(status, FIGURES, 2) for status in outcome.statuses]
    if any(later < earlier for earlier, later in zip(steps, steps[1:])):
        problems.append("its step count went back while playing")
    alone = Session(from_query(dict(parse_qsl(outcome.link)))[0])  # its link's settings: --largest's too
    if outcome.points is None or not np.array_equal(outcome.points, alone.data.x_train.astype(np.float32)):
        problems.append("its live view's training points are not its seed's")
    if not FIGURES.search(outcome.status):
        return [*problems, "no status line once paused"]
    # to the step it paused at, which a pause between two epochs' ends records (Session.pause)
    alone.trainer.train_steps(number(outcome.status, FIGURES, 2))
    alone.pause()
    shown_figures, alone_figures = FIGURES.search(outcome.status).groups(), figures(alone.latest())
    if shown_figures != alone_figures:
        problems.append(f"it shows {' '.join(shown_figures)} where its seed alone shows {' '.join(alone_figures)}")
    return problems


# --- the server ------------------------------------------------------------------------------------------------


class ServerWatch:
    """The server's memory and CPU time (from /proc: psutil is not a dependency), of its processes and their
    descendants; and, for a server started here, the errors it logs. Its stderr is read as it comes, which also
    keeps the pipe from filling; a traceback is kept as its last line, the exception."""

    def __init__(self, pids, log=None):
        self.pids = pids
        self.errors = []
        if log is not None:
            threading.Thread(target=self._read_log, args=(log,), daemon=True).start()

    def _read_log(self, log):
        in_traceback = False
        for line in log:
            text = line.decode(errors="replace").rstrip()
            if text.startswith("Traceback"):
                in_traceback = True
            elif in_traceback and text and not text[0].isspace():
                in_traceback = text.startswith("During handling")  # a chained one: its own exception follows
                if not in_traceback:
                    self.errors.append(f"traceback: {text}")
            elif SERVER_ERROR.search(text):
                self.errors.append(text)

    def processes(self):
        return [pid for root in self.pids for pid in process_tree(root)]

    def cpu_seconds(self):
        """CPU seconds the servers and their descendants have used so far."""
        total = 0
        for pid in self.processes():
            with open(f"/proc/{pid}/stat") as stat:
                total += sum(int(ticks) for ticks in stat.read().rsplit(")", 1)[1].split()[11:13])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def memory_mb(self):
        """The resident memory of the servers and their descendants."""
        trees = [process_tree(root) for root in self.pids]
        peaks = [sum(status_mb(pid, "VmHWM") for pid in tree) for tree in trees]
        now = sum(status_mb(pid, "VmRSS") for tree in trees for pid in tree)
        return Memory(sum(peaks), now, sum(map(len, trees)), max(peaks, default=0))


@dataclass
class Memory:
    """Resident MB of the servers: at their peaks (VmHWM) and now, summed over ``processes``; and the largest one
    server reached, with its descendants."""

    peak: float
    now: float
    processes: int
    largest_server: float


def process_tree(pid):
    """``pid`` and its descendants."""
    parents = {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue  # it ended meanwhile
    tree, todo = [], [pid]
    while todo:
        tree.append(todo.pop())
        todo += [child for child, parent in parents.items() if parent == tree[-1]]
    return tree


def status_mb(pid, name):
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(f"{name}:")) / 1024


def ask_health(url, asking, stop, answers):
    """In a process of its own: ask ``/_stcore/health`` every HEALTH_PERIOD until ``stop`` (``asking`` once the
    first has its answer), then send back each ask's (start, seconds to answer); an ask that failed took forever."""
    asked = []
    while not stop.is_set():
        if asked:
            asking.set()
        start = time.monotonic()
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=60) as response:
                response.read()
            asked.append((start, time.monotonic() - start))
        except OSError:
            asked.append((start, math.inf))
        stop.wait(max(0.0, start + HEALTH_PERIOD - time.monotonic()))
    answers.send(asked)


class Health:
    """How long ``/_stcore/health`` takes to answer while this is open, asked from a process of its own (this
    one's event loop, busy with many sessions, would delay the asks). Clock: time.monotonic, the system's."""

    def __init__(self, url):
        context = multiprocessing.get_context("spawn")
        self._asking, self._stop = context.Event(), context.Event()
        self._answers, answers = context.Pipe(duplex=False)
        self._process = context.Process(target=ask_health, args=(url, self._asking, self._stop, answers), daemon=True)
        self.asked = []

    def __enter__(self):
        self._process.start()
        if not self._asking.wait(SETTLE_TIMEOUT):
            raise RuntimeError("the health checks did not start")
        return self

    def __exit__(self, *_):
        self._stop.set()
        self.asked = self._answers.recv()
        self._process.join()

    def slowest(self, start, end):
        """The longest an ask started within [start, end] took to answer (s)."""
        return max((seconds for moment, seconds in self.asked if start <= moment <= end), default=math.nan)


# --- sessions as headless Chromium pages ----------------------------------------------------------------------


def choose(page, run):
    page.locator(".st-key-run").get_by_role("radio", name=re.compile(f"{RUN_LABELS[run].split()[-1]}$")).click()


class SentLive:
    """What a page's websocket brings its live view, once ``listen`` is called: the last setup, and the last frame
    sent with or after it. Parsed only from then on: while the page plays, this process stays off the CPUs."""

    def __init__(self, page):
        self.sockets, self.setup, self.frame = [], None, None
        # Streamlit's own socket (the live socket's frames never carry a setup); Playwright tags a handler: no builtin
        page.on("websocket", lambda socket: "/_stcore/stream" in socket.url and self.sockets.append(socket))

    def listen(self):
        for socket in self.sockets:
            socket.on("framereceived", self._take)

    def paused_frame(self):
        """The last frame sent once a setup said the view is paused; None before."""
        return self.frame if self.setup and not self.setup["playing"] else None

    def _take(self, payload):
        message = ForwardMsg()
        message.ParseFromString(payload if isinstance(payload, bytes) else payload.encode())
        if message.WhichOneof("type") != "delta" or message.delta.WhichOneof("type") != "new_element":
            return
        data = live_data(message.delta.new_element)
        if data and "setup" in data:
            self.setup, self.frame = data["setup"], None
        if data and data["frames"]:
            self.frame = data["frames"][-1]


def open_live_page(browser, url):
    """A page in a context of its own, once its live view has drawn its first frame."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    sent = SentLive(page)
    page.goto(url)
    page.locator(f"{LIVE_VIEW}[data-frames]").wait_for(timeout=1000 * SETTLE_TIMEOUT)
    return page, sent


def paused_view(page, sent, outcome):
    """Wait for the paused run's setup and frame on the websocket and for the page to draw that frame's status;
    then note the status it shows and the setup's training points."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while sent.paused_frame() is None and time.monotonic() < deadline:
        page.wait_for_timeout(100)  # Playwright hands over the websocket's messages while it waits
    if sent.paused_frame() is None:
        outcome.errors.append("no paused setup and frame sent in time")
        return
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    expected = sent.paused_frame()["status"].replace("**", "")  # live.js draws the bold part as <b>
    try:
        page.wait_for_function(SHOWS_STATUS, arg=[LIVE_VIEW, expected], timeout=1000 * SETTLE_TIMEOUT)
    except PlaywrightTimeout:
        outcome.errors.append("the page did not draw its paused frame's status")
    outcome.status = page.locator(f"{LIVE_VIEW} .spl-status").inner_text()
    outcome.points = training_points(sent.setup)


def play_pages(url, seeds, seconds, watch):
    """One Chromium, a page (in a context of its own) per seed; the window's frames drawn from each page's own
    clock, and the server's CPU (cores) over the window."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        pages, outcomes = [], []
        for seed in seeds:
            page, sent = open_live_page(browser, f"{url}/?seed={seed}")
            outcome = Outcome(seed)
            page.on("pageerror", lambda error, outcome=outcome: outcome.errors.append(f"page error: {error}"))
            page.on("crash", lambda _, outcome=outcome: outcome.errors.append("the page crashed"))
            pages.append((page, sent))
            outcomes.append(outcome)
        for page, _ in pages:
            choose(page, "play")
        time.sleep(WARM_UP_SECONDS)
        starts, cpu = [], watch.cpu_seconds()
        for page, _ in pages:
            page.evaluate(WATCH_FRAMES, LIVE_VIEW)
            starts.append(page.evaluate("performance.now()") / 1000)
        time.sleep(seconds)
        cores = (watch.cpu_seconds() - cpu) / seconds
        for (page, sent), outcome, start in zip(pages, outcomes, starts):
            frames = page.evaluate(f"window.__frames.filter(([t]) => t <= {1000 * (start + seconds)})")
            outcome.times = [moment / 1000 for moment, _ in frames]
            outcome.statuses = [text for _, text in frames]
            sent.listen()
            choose(page, "pause")
        for (page, sent), outcome in zip(pages, outcomes):
            paused_view(page, sent, outcome)
            outcome.link = urlsplit(page.url).query
            outcome.errors += [f"shown: {text}" for text in page.locator(PAGE_ERRORS).all_inner_texts()]
        browser.close()
    return starts, outcomes, cores


# --- sessions in Streamlit's websocket protocol ----------------------------------------------------------------

READING, NO_SOCKET, NEVER_READING = "reading", "no socket", "never reading"  # what a session does with its live socket


class ProtocolSession:
    """One browser tab's side of Streamlit's websocket protocol (ws://HOST/_stcore/stream, protobuf messages),
    spoken from here, and of the live socket the page's data names, opened with the page's Origin as live.js opens
    it; nothing is drawn. First the page itself is fetched, as a browser does: its cookies (a proxy's sticky
    session) go with both sockets.

    It sends BackMsg.rerun_script with the tab's query string and widget states, and reads the ForwardMsgs that
    build the page. The only widget state it sends is Run's: the server keeps every other widget's value, as it
    does for a browser sending them unchanged. A click has taken effect once a run that sent the live view a setup
    as the click asks (``playing`` true or false) has finished: a page run always sends one.

    ``live``: READING (as live.js), NO_SOCKET (a tab whose socket never opens), NEVER_READING (a page that stops
    reading: the socket opens, with a small receive buffer, and nothing is read from it).
    """

    def __init__(self, url, seed, query="", live=READING, assets=False):
        self.origin = url
        self.assets = assets  # fetch the files the page's HTML names, as a browser's first visit does
        self.address = url.replace("http://", "ws://", 1)
        self.outcome = Outcome(seed, link=f"{query}&seed={seed}" if query else f"seed={seed}", cuts=[])
        self.live = live
        self.headers = {}  # the page's cookies, for both sockets
        self.run_widget = self.run_label = None
        self.page = ""  # the shown page's script hash, as the navigation message names it; "": the default page
        self.setup = self.frame = None  # the live view's last setup and last frame
        self.playing_wanted = None  # while a click waits: whether the setup it asks for plays
        self.playing_sent = None  # whether the last setup received while a click waits plays
        self.clicked = asyncio.Event()  # the click has taken effect
        self.live_path = self._live = None  # the live socket's path and its reader
        self.latest = (0, 0)  # version and number of the last frame taken, as live.js keeps them
        self._opened_at = None
        self._closing = False

    async def open(self):
        self._opened_at = time.monotonic()
        self.headers = await asyncio.to_thread(self._fetch_page)
        self.outcome.page_fetched = time.monotonic() - self._opened_at
        self.socket = await connect(
            f"{self.address}/_stcore/stream", subprotocols=["streamlit"], additional_headers=self.headers, max_size=None
        )
        self._reader = asyncio.create_task(self._read(self.socket, self._take))
        await self._run_page(playing=False)

    def _fetch_page(self):
        """The page's HTML, as a browser asks for it first, and with ``assets`` the scripts, styles and fonts it
        names, six at a time as a browser fetches them from one host; the cookies it set, as headers to send."""
        with urllib.request.urlopen(f"{self.origin}/?{self.outcome.link}", timeout=SETTLE_TIMEOUT) as response:
            html = response.read().decode()
            cookies = SimpleCookie()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookies.load(header)
        if self.assets:
            with concurrent.futures.ThreadPoolExecutor(6) as fetchers:
                list(fetchers.map(self._fetch, sorted(set(ASSETS.findall(html)))))
        return {"Cookie": "; ".join(f"{name}={cookie.value}" for name, cookie in cookies.items())} if cookies else {}

    def _fetch(self, path):
        with urllib.request.urlopen(f"{self.origin}/{path}", timeout=SETTLE_TIMEOUT) as response:
            response.read()

    async def choose(self, run):
        """Click Play or Pause: the page reruns with that choice."""
        self.run_label = RUN_LABELS[run]
        await self._run_page(playing=run == "play")

    async def close(self):
        self._closing = True
        await self.socket.close()
        await self._reader
        if self._live:
            self._live.cancel()

    async def _run_page(self, playing):
        self.clicked.clear()
        self.playing_wanted, self.playing_sent = playing, None
        await self._rerun()
        try:
            await asyncio.wait_for(self.clicked.wait(), SETTLE_TIMEOUT)
        except TimeoutError:
            wanted = "playing" if playing else "paused"
            self.outcome.errors.append(f"no run sent the live view a {wanted} setup in time")

    async def _rerun(self):
        message = BackMsg()
        rerun = message.rerun_script
        rerun.query_string, rerun.page_script_hash = self.outcome.link, self.page
        if self.run_label:
            widget = rerun.widget_states.widgets.add()
            widget.id = self.run_widget
            widget.string_array_value.data.append(self.run_label)
        await self.socket.send(message.SerializeToString())

    async def _read(self, socket, take, acknowledge=False):
        """Each message of ``socket`` to ``take``; with ``acknowledge``, answered with the count taken so far, as
        live.js answers the live socket's frames: the server builds none for a page a second behind them."""
        taken = 0
        try:
            async for data in socket:
                take(data)
                if acknowledge:
                    taken += 1
                    await socket.send(str(taken))
        except ConnectionClosed as closed:
            if not self._closing:
                self.outcome.errors.append(f"a websocket closed: {closed}")

    async def open_live(self, path, **options):
        """A live socket to ``path``, as live.js opens it."""
        return await connect(
            f"{self.address}{path}", origin=self.origin, additional_headers=self.headers, max_size=None, **options
        )

    async def _read_live(self, path):
        if self.live == NEVER_READING:
            unread = net.socket()
            unread.setsockopt(net.SOL_SOCKET, net.SO_RCVBUF, 4096)  # full after a frame or so
            unread.setblocking(False)
            address = urlsplit(self.origin)
            await asyncio.get_running_loop().sock_connect(unread, (address.hostname, address.port))
            async with await self.open_live(path, sock=unread, max_queue=1):
                await asyncio.Event().wait()  # till cancelled: the socket's frames stay unread
        else:
            async with await self.open_live(path) as live:
                await self._read(live, lambda data: self._take_frames([json.loads(data)]), acknowledge=True)

    def _take(self, data):
        message = ForwardMsg()
        message.ParseFromString(data)
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            self._take_element(message.delta.new_element)
        elif kind == "navigation":
            self.page = message.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.outcome.link = message.page_info_changed.query_string
        elif kind == "script_finished" and message.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            self.outcome.cuts.append(time.monotonic())
        elif kind == "script_finished" and self.playing_sent == self.playing_wanted:
            self.playing_wanted = None
            self.clicked.set()
        elif kind == "session_event" and message.session_event.HasField("script_compilation_exception"):
            self.outcome.errors.append("the script did not compile")

    def _take_element(self, element):
        kind = element.WhichOneof("type")
        live = live_data(element)
        if live is not None:
            self._take_live(live)
        elif kind == "button_group" and element.button_group.id.endswith("-run"):
            self.run_widget = element.button_group.id
        elif kind == "exception":
            self.outcome.errors.append(f"exception: {element.exception.type}: {element.exception.message}")
        elif kind == "alert" and element.alert.format == element.alert.ERROR:
            self.outcome.errors.append(f"error shown: {element.alert.body}")

    def _take_live(self, data):
        """A page run's message to the live view: its setup and frame, and the live socket to open."""
        if data["socket"] != self.live_path:
            if self._live:
                self._live.cancel()
            self.live_path = data["socket"]
            self._live = None if self.live == NO_SOCKET else asyncio.create_task(self._read_live(self.live_path))
        self._take_frames(data["frames"])
        self.setup = data["setup"]
        if self.playing_wanted is not None:
            self.playing_sent = self.setup["playing"]

    def _take_frames(self, frames):
        """Frames from either socket: each an update, received at once (the browser plays them FRAME_SECONDS
        apart). As live.js does, a frame older than the last one taken (a page run's frame that comes after the
        socket's next ones, or the socket's from before the last page run) is dropped."""
        now = time.monotonic()
        taken = []
        for frame in frames:
            order = (frame.get("version", 0), frame.get("number", 0))
            if "status" in frame and order > self.latest:
                self.latest = order
                taken.append(frame)
        frames = taken
        if frames and self.outcome.first_picture is None:
            self.outcome.first_picture = now - self._opened_at
        self.outcome.times += [now] * len(frames)
        self.outcome.statuses += [frame["status"] for frame in frames]
        self.outcome.carried.update(part for frame in frames for part in ("insides", "space") if part in frame)
        self.frame = frames[-1] if frames else self.frame

    def paused_state(self, played):
        """Keep the status lines of the ``played`` first frames, and what the paused view shows: its last frame's
        status line and its setup's training points."""
        outcome = self.outcome
        outcome.status = self.frame["status"] if self.frame else ""
        del outcome.statuses[played:]
        outcome.points = None if self.setup is None else training_points(self.setup)


async def opened_playing(url, seeds, query="", live=READING):
    """Sessions opened at once, then all playing."""
    sessions = [ProtocolSession(url, seed, query, live) for seed in seeds]
    await asyncio.gather(*(session.open() for session in sessions))
    await asyncio.gather(*(session.choose("play") for session in sessions))
    return sessions


async def play_sessions(url, seeds, seconds, watch, query=""):
    """Sessions playing through the window, then paused and closed: when the window started, what each saw, and
    the server's CPU (cores) over the window."""
    sessions = await opened_playing(url, seeds, query)
    await asyncio.sleep(WARM_UP_SECONDS)
    start, cpu = time.monotonic(), watch.cpu_seconds()
    await asyncio.sleep(seconds)
    cores = (watch.cpu_seconds() - cpu) / seconds
    played = [len(session.outcome.statuses) for session in sessions]
    await asyncio.gather(*(session.choose("pause") for session in sessions))
    await asyncio.gather(*(session.close() for session in sessions))
    for session, count in zip(sessions, played):
        session.paused_state(count)
    return [start] * len(sessions), [session.outcome for session in sessions], cores


# --- a class leaving -------------------------------------------------------------------------------------------


@dataclass
class Leaving:
    """What followed a class's disconnecting mid-play: the server's resident MB before the class opened the page
    and at its peak, then (seconds after it left, resident MB) every half second; and a new page's frame times."""

    before_mb: float
    peak_mb: float
    memory: list
    newcomer: Outcome
    left_at: float


async def play_and_leave(url, seeds, seconds, watch, query):
    """Sessions playing through the window, then gone while playing (their sockets closed, as a laptop's lid);
    a new page at the defaults opens at once and plays."""
    before = watch.memory_mb().now
    sessions = await opened_playing(url, seeds, query)
    await asyncio.sleep(WARM_UP_SECONDS)
    start, cpu = time.monotonic(), watch.cpu_seconds()
    await asyncio.sleep(seconds)
    cores = (watch.cpu_seconds() - cpu) / seconds
    left = time.monotonic()
    await asyncio.gather(*(session.close() for session in sessions))
    newcomer = ProtocolSession(url, max(seeds) + 1)

    async def newcomer_plays():
        await newcomer.open()
        await newcomer.choose("play")

    playing = asyncio.create_task(newcomer_plays())
    memory = []
    while time.monotonic() < left + LEAVE_SECONDS + 10:
        memory.append((time.monotonic() - left, watch.memory_mb().now))
        await asyncio.sleep(0.5)
    await playing
    await newcomer.close()
    leaving = Leaving(before, watch.memory_mb().peak, memory, newcomer.outcome, left)
    return [start] * len(sessions), [session.outcome for session in sessions], cores, leaving


# --- a hostile visitor -----------------------------------------------------------------------------------------

HOSTILE_SEEDS = range(1001, 2001)  # the visitor's own tabs


def compressed_message(size):
    """A client's websocket frame whose payload permessage-deflate inflates to ``size`` zero bytes (~size / 1,000
    on the wire): binary, final, RSV1 set (compressed), masked as a client's must be."""
    deflate, block = zlib.compressobj(9, zlib.DEFLATED, -15), 1 << 20
    parts = [deflate.compress(bytes(min(block, size - start))) for start in range(0, size, block)]
    payload = b"".join([*parts, deflate.flush(zlib.Z_SYNC_FLUSH)])[:-4]  # RFC 7692: less the empty block's tail
    mask = os.urandom(4)
    masked = np.frombuffer(payload, np.uint8) ^ np.resize(np.frombuffer(mask, np.uint8), len(payload))
    return bytes([0x80 | 0x40 | 0x2, 0x80 | 127]) + struct.pack("!Q", len(payload)) + mask + masked.tobytes()


async def send_compressed(url, message):
    """Send ``message`` (a frame from ``compressed_message``) on Streamlit's own socket, which needs no token;
    the close code the server answers with (1009: too big), or None if it never closes."""
    address = urlsplit(url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    key = base64.b64encode(os.urandom(16)).decode()
    handshake = (
        f"GET /_stcore/stream HTTP/1.1\r\nHost: {address.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n"
        "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n"
    )
    try:
        writer.write(handshake.encode())
        answer = await reader.readuntil(b"\r\n\r\n")
        if b" 101 " not in answer.split(b"\r\n")[0] or b"permessage-deflate" not in answer:
            raise RuntimeError(f"no compressed websocket: {answer.decode(errors='replace')[:200]}")
        writer.write(message)
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        while frame := await reader.read(2):
            if len(frame) == 2 and frame[0] & 0x0F == 0x8:  # a close frame: its code first
                return struct.unpack("!H", await reader.readexactly(2))[0]
            await reader.read(frame[1] & 0x7F)
        return None
    finally:
        writer.close()


async def drain(live):
    with contextlib.suppress(ConnectionClosed):
        async for _ in live:
            pass


@contextlib.asynccontextmanager
async def sockets_on_one_token(url, query, count=500):
    """One tab, playing, and ``count`` live sockets opened at once on its token, each reading."""
    tab = ProtocolSession(url, HOSTILE_SEEDS[0], query, live=NO_SOCKET)
    await tab.open()
    await tab.choose("play")
    opened = await asyncio.gather(*(tab.open_live(tab.live_path) for _ in range(count)), return_exceptions=True)
    sockets = [live for live in opened if not isinstance(live, BaseException)]
    readers = [asyncio.create_task(drain(live)) for live in sockets]
    try:
        yield f"{len(sockets)} of {count} opened"
    finally:
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*(live.close() for live in sockets), return_exceptions=True)
        await tab.close()


@contextlib.asynccontextmanager
async def tabs(url, query, count, live):
    """``count`` tabs playing, their live sockets as ``live`` says."""
    sessions = await opened_playing(url, HOSTILE_SEEDS[:count], query, live)
    try:
        yield f"{count} tabs playing"
    finally:
        await asyncio.gather(*(session.close() for session in sessions))


@contextlib.asynccontextmanager
async def compressed_messages(url, query, count=10, size=200_000_000):
    """``count`` messages at once, each inflating to ``size`` bytes, again a second after each answer."""
    message = await asyncio.to_thread(compressed_message, size)
    codes = []

    async def keep_sending():
        while True:
            codes.extend(await asyncio.gather(*(send_compressed(url, message) for _ in range(count))))
            await asyncio.sleep(1)

    sender = asyncio.create_task(keep_sending())
    try:
        yield lambda: f"{len(message) / 1e3:.0f} kB each; closed with {sorted(set(codes)) or 'nothing yet'}"
    finally:
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sender


ATTACKS = [
    ("500 live sockets on one tab's token", sockets_on_one_token),
    ("40 tabs playing without a live socket", lambda url, query: tabs(url, query, 40, NO_SOCKET)),
    ("20 live sockets never read", lambda url, query: tabs(url, query, 20, NEVER_READING)),
    ("10 compressed messages of 200 MB at a time", compressed_messages),
]


async def under_attack(url, seeds, seconds, query):
    """The sessions playing alone for a window, then through a window of each attack in turn, the attacker's tabs
    at ``query`` as theirs: (name, what the attack did, each session's updates per second, the window's start) for
    the baseline and each attack."""
    sessions = await opened_playing(url, seeds, query)
    await asyncio.sleep(WARM_UP_SECONDS)
    windows = []

    async def window(name, note=""):
        start = time.monotonic()
        await asyncio.sleep(seconds)
        rates = [rate_and_gap(session.outcome.times, start, seconds)[0] for session in sessions]
        windows.append((name, note() if callable(note) else note, rates, start))

    await window("none (the pages alone)")
    for name, attack in ATTACKS:
        async with attack(url, query) as note:
            await asyncio.sleep(WARM_UP_SECONDS)
            await window(name, note)
        await asyncio.sleep(WARM_UP_SECONDS)
    errors = [error for session in sessions for error in session.outcome.errors]
    await asyncio.gather(*(session.close() for session in sessions))
    return windows, errors


# --- a class opening the page ----------------------------------------------------------------------------------


async def class_opening(url, seeds, within):
    """The sessions open the page (its HTML and the files it names, then its sockets) at moments spread evenly
    over ``within`` seconds; when the first asked, when the last had its first picture, and what each saw."""
    sessions = [ProtocolSession(url, seed, assets=True) for seed in seeds]
    start = time.monotonic()

    async def open_at(session, delay):
        await asyncio.sleep(delay)
        await session.open()

    await asyncio.gather(*(open_at(session, within * index / len(sessions)) for index, session in enumerate(sessions)))
    end = time.monotonic()
    await asyncio.gather(*(session.close() for session in sessions))
    return start, end, [session.outcome for session in sessions]


# --- the reports -----------------------------------------------------------------------------------------------


def checked(checks):
    """Print the targets, met or missed; True when every one is met."""
    print("targets: " + "; ".join(f"{name}: {'met' if met else 'MISSED'}" for name, met in checks.items()))
    return all(checks.values())


def server_line(memory, cores, server_errors):
    if not memory.processes:
        return "server: not measured (no --server-pid)"
    cpu = f", CPU {cores:.2f} of {os.cpu_count()} cores over the window" if cores is not None else ""
    return (f"server: peak RSS {memory.peak:.0f} MB ({memory.now:.0f} MB at the end; VmHWM of {memory.processes} "
            f"process(es)){cpu}, {len(server_errors)} error line(s) in its log")  # fmt: skip


def report(kind, count, seconds, starts, outcomes, memory, cores, server_errors, query="", isolation=True):
    """Print the table and the targets; True when every target is met. ``isolation``: whether the sessions paused
    (a session left playing has no paused state to compare)."""
    largest = query == LARGEST
    target, max_mb = TARGET_RATE["largest" if largest else kind], MAX_SERVER_MB["largest" if largest else kind]
    print(f"machine: {machine()}")
    what = (
        "headless Chromium pages (one browser, a context each; an update: a frame the live view drew)"
        if kind == "pages"
        else "websocket protocol sessions, nothing drawn (an update: a live-view frame received)"
    )
    print(f"load: {count} {what} at {settings_named(query)}, {seconds:g} s of play counted after {WARM_UP_SECONDS} s")
    print(f"a playing tab's socket sends a frame every {FRAME_SECONDS * 1000:.0f} ms at most "
          f"({1 / FRAME_SECONDS:.0f} updates/s), less often when the server shares its frames among many")  # fmt: skip
    print(
        f"{'seed':>6} {'updates/s':>10} {'longest gap':>12} {'cut short':>10} {'steps/s':>8} {'errors':>7}  isolation"
    )
    rates, failures, isolated = [], [], True
    for start, outcome in zip(starts, outcomes):
        rate, gap = rate_and_gap(outcome.times, start, seconds)
        speed = number(outcome.statuses[-1]) if outcome.statuses else 0
        cut = "-" if outcome.cuts is None else sum(start <= moment <= start + seconds for moment in outcome.cuts)
        problems = isolation_problems(outcome) if isolation else []
        rates.append(rate)
        isolated &= not problems
        shown = "; ".join(problems) or ("own seed" if isolation else "not checked (left playing)")
        print(f"{outcome.seed:>6} {rate:>10.2f} {gap:>11.1f}s {cut:>10} {speed:>8,} {len(outcome.errors):>7}  {shown}")
        failures += [f"seed {outcome.seed}: {error}" for error in outcome.errors]
    print(server_line(memory, cores, server_errors))
    for line in (failures + server_errors)[:10]:
        print(f"  {line}")
    checks = {
        f"each ≥ {target:g} updates/s (slowest {min(rates):.2f})": min(rates) >= target,
        "no errors": not failures and not server_errors,
    }
    if memory.processes:
        checks[f"each server ≤ {max_mb:,} MB"] = memory.largest_server <= max_mb
    if isolation:
        checks["each session shows its own seed's model"] = isolated
    return checked(checks)


def report_leaving(leaving, measured):
    """Print how the server's memory and a new page's frame rate came back after the class left; True when both
    did within LEAVE_SECONDS."""
    windows = range(0, LEAVE_SECONDS + 10, 5)
    rates = [rate_and_gap(leaving.newcomer.times, leaving.left_at + after, 5)[0] for after in windows]
    print(f"after the class left (mid-play): a new page at the defaults opened at once and played; its updates/s, "
          f"each 5 s from the leaving: {', '.join(f'{rate:.1f}' for rate in rates)}")  # fmt: skip
    full = rate_and_gap(leaving.newcomer.times, leaving.left_at + LEAVE_SECONDS - 5, 5)[0]
    late = f"{LEAVE_SECONDS - 5}-{LEAVE_SECONDS} s after"
    checks = {
        f"a new page at ≥ {FULL_RATE:.0f} updates/s {late} ({full:.1f})": full >= FULL_RATE,
        "no errors on the new page": not leaving.newcomer.errors,
    }
    if measured:
        back = leaving.before_mb + MEMORY_KEPT * (leaving.peak_mb - leaving.before_mb)
        back_at = next((after for after, mb in leaving.memory if mb <= back), None)
        at = {after: mb for after, mb in leaving.memory}
        samples = [min(at, key=lambda moment, wanted=wanted: abs(moment - wanted)) for wanted in (0, 10, 20, 30, 40)]
        print(f"server resident MB: {leaving.before_mb:.0f} before the class, {leaving.peak_mb:.0f} at its peak; "
              + ", ".join(f"{at[moment]:.0f} at {moment:.0f} s" for moment in samples) + " after it left")  # fmt: skip
        when = "not within 40 s" if back_at is None else f"after {back_at:.1f} s"
        checks[f"memory back (≤ {back:.0f} MB) within {LEAVE_SECONDS} s ({when})"] = (
            back_at is not None and back_at <= LEAVE_SECONDS
        )
    return checked(checks)


def settings_named(query):
    """The sessions' settings in words: the largest, a link's, or the defaults."""
    if query == LARGEST:
        return "the largest settings (8 × 256, 6 × 1,000 points, batch 1)"
    return f"?{query}" if query else "the defaults"


def report_attacks(count, seconds, windows, errors, health, memory, server_errors, query=""):
    """Print each attack's effect on the other pages and on health; True when every target is met."""
    print(f"machine: {machine()}")
    print(f"load: {count} websocket protocol sessions at {settings_named(query)} playing; a hostile visitor's "
          f"attacks in turn, {seconds:g} s each counted after {WARM_UP_SECONDS} s")  # fmt: skip
    print("| attack | what it did | updates/s of each page | slowest page, of its rate alone | health, slowest |")
    print("|:--|:--|:--|--:|--:|")
    alone, checks = windows[0][2], {}
    for name, note, rates, start in windows:
        kept = min(rate / max(base, 1e-9) for rate, base in zip(rates, alone))
        slowest = health.slowest(start, start + seconds)
        each = ", ".join(f"{rate:.1f}" for rate in rates)
        print(f"| {name} | {note} | {each} | {kept:.0%} | {slowest * 1000:.0f} ms |")
        if name != windows[0][0]:
            checks[f"{name}: each page ≥ {KEPT_RATE:.0%}"] = kept >= KEPT_RATE
        checks[f"{name}: health ≤ {MAX_HEALTH['hostile'] * 1000:.0f} ms"] = slowest <= MAX_HEALTH["hostile"]
    print(server_line(memory, None, server_errors))
    for line in (errors + server_errors)[:10]:
        print(f"  {line}")
    checks["no errors on the pages"] = not errors
    return checked(checks)


def report_opening(count, start, end, outcomes, health, memory, server_errors):
    """Print how soon each page of a class opening at once had its first picture, and health meanwhile."""
    print(f"machine: {machine()}")
    print(f"load: a class of {count} websocket protocol sessions opening the page within {CLASS_WITHIN:g} s, each "
          "fetching its HTML and the files it names (scripts, styles, fonts), then its sockets")  # fmt: skip
    pictures = [outcome.first_picture or math.inf for outcome in outcomes]
    fetched = [outcome.page_fetched or math.inf for outcome in outcomes]
    slowest = health.slowest(start, end)
    print(f"first picture (the page asked for → its live view's first frame): median {statistics.median(pictures):.2f} "
          f"s, slowest {max(pictures):.2f} s (the HTML and its files: median {statistics.median(fetched):.2f} s, "
          f"slowest {max(fetched):.2f} s); /_stcore/health meanwhile: slowest {slowest * 1000:.0f} ms")  # fmt: skip
    print(server_line(memory, None, server_errors))
    errors = [f"seed {outcome.seed}: {error}" for outcome in outcomes for error in outcome.errors]
    for line in (errors + server_errors)[:10]:
        print(f"  {line}")
    return checked(
        {
            f"health ≤ {MAX_HEALTH['class']:g} s": slowest <= MAX_HEALTH["class"],
            f"each first picture ≤ {MAX_FIRST_PICTURE:g} s": max(pictures) <= MAX_FIRST_PICTURE,
            "no errors": not errors and not server_errors,
        }
    )


# --- the command line ------------------------------------------------------------------------------------------


@contextlib.contextmanager
def server(args):
    """The server to load: its URL and a watch on it. Started here, or the one at ``--url``."""
    if args.url:
        yield args.url.rstrip("/"), ServerWatch(args.server_pid)
        return
    with app_server_process(port=args.port) as (url, process):
        yield url, ServerWatch([process.pid], process.stderr)


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--pages", type=int, help="headless Chromium pages (the default: 5)")
    kind.add_argument("--sessions", type=int, help="websocket protocol sessions, no browser")
    parser.add_argument("--seconds", type=float, default=60, help="how long to count updates (each attack's window)")
    settings = parser.add_mutually_exclusive_group()
    settings.add_argument("--largest", action="store_true", help="the sessions at the page's largest settings")
    settings.add_argument("--query", default="", help="the sessions at a link's settings, e.g. view=insides")
    scenario = parser.add_mutually_exclusive_group()
    scenario.add_argument("--leave", action="store_true", help="the sessions then leave while playing")
    scenario.add_argument("--hostile", action="store_true", help="the sessions play through a visitor's attacks")
    scenario.add_argument("--class-opening", action="store_true", help=f"the sessions open within {CLASS_WITHIN:g} s")
    parser.add_argument("--url", help="load the server (or proxy) running at this URL instead of starting one")
    parser.add_argument("--server-pid", type=int, action="append", default=[], help="a process of --url's server")
    parser.add_argument("--port", type=int, help="the port of the server started here (the default: a free one)")
    args = parser.parse_args()
    if args.sessions is None and args.pages is None:
        args.pages = 5
    if args.pages and (args.largest or args.query or args.leave or args.hostile or args.class_opening):
        parser.error("--largest, --query, --leave, --hostile and --class-opening take --sessions")
    if args.class_opening and (args.largest or args.query):
        parser.error("--class-opening opens the page at the defaults: it takes neither --largest nor --query")
    return args


def main():
    args = arguments()
    kind, count = ("sessions", args.sessions) if args.sessions else ("pages", args.pages)
    if kind == "pages" and missing_browser():
        sys.exit(f"cannot load the server with pages: {missing_browser()} (--sessions needs no browser)")
    seeds, query = range(1, count + 1), LARGEST if args.largest else args.query.lstrip("?")
    with server(args) as (url, watch):
        if args.hostile or args.class_opening:
            with Health(url) as health:
                if args.hostile:
                    windows, errors = asyncio.run(under_attack(url, seeds, args.seconds, query))
                else:
                    start, end, outcomes = asyncio.run(class_opening(url, seeds, CLASS_WITHIN))
        elif kind == "pages":
            starts, outcomes, cores = play_pages(url, seeds, args.seconds, watch)
        elif args.leave:
            starts, outcomes, cores, leaving = asyncio.run(play_and_leave(url, seeds, args.seconds, watch, query))
        else:
            starts, outcomes, cores = asyncio.run(play_sessions(url, seeds, args.seconds, watch, query))
        memory = watch.memory_mb()
    # the replays of the isolation check run after the server has stopped, off the measurement
    if args.hostile:
        met = report_attacks(count, args.seconds, windows, errors, health, memory, watch.errors, query)
    elif args.class_opening:
        met = report_opening(count, start, end, outcomes, health, memory, watch.errors)
    else:
        met = report(kind, count, args.seconds, starts, outcomes, memory, cores, watch.errors, query,
                     isolation=not args.leave)  # fmt: skip
        if args.leave:
            met &= report_leaving(leaving, bool(memory.processes))
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
