"""A load test: many sessions playing at once against one app server on 127.0.0.1.

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
- ``--sessions N``: Streamlit's websocket protocol spoken from here as a browser tab speaks it, and the live
  socket opened as live.js opens it, nothing drawn: cheaper, so more sessions fit; an update is a frame received.
  It also counts the runs the server reports cut short (FINISHED_EARLY_FOR_RERUN): a new run started before their
  output was sent, which is dropped.

Run: ``python bench/load.py --pages 5 --seconds 60`` or ``python bench/load.py --sessions 10 --seconds 60``.
Exits with 1 when a target is missed.
"""

import argparse
import asyncio
import base64
import json
import os
import re
import sys
import threading
import time
from dataclasses import dataclass, field
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
from playground.live import KEY as LIVE_KEY
from playground.live.feed import FRAME_SECONDS, FULL_RATE_TABS
from playground.session import Session
from playground.settings import Settings
from playground.ui.page import RUN_LABELS

# the targets, for a 2-core machine: updates (frames) per second of each session, by kind of session
TARGET_RATE = {"pages": 10.0, "sessions": 1.0}
MAX_SERVER_MB = 400
WARM_UP_SECONDS = 2  # past the full rerun that Play starts, as in bench/browser.py
SETTLE_TIMEOUT = 60  # seconds for a page to show its first or its paused run on a busy machine
# the status line's figures (epoch, step, losses, accuracies), in English as bold markdown or as the page shows it
FIGURES = re.compile(
    r"Epoch ([\d,]+)\W+step ([\d,]+) · loss train (\S+) / test (\S+) · accuracy train (\S+) / test (\S+) ·"
)
SPEED = re.compile(r"([\d,]+) steps/s")
SERVER_ERROR = re.compile(r"\b(ERROR|CRITICAL)\b")

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
    errors: list = field(default_factory=list)
    cuts: list = None  # times of runs reported ended early for a rerun, their unsent output dropped (protocol only)
    link: str = ""  # the query string the page ended with
    status: str = ""  # the status line once paused
    points: np.ndarray = None  # the training points of the live view's setup once paused, (n, 2) float32


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
    alone = Session(Settings(seed=outcome.seed))
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
    """The errors the server logs, its memory and its CPU time. Its stderr is read as it comes, which also keeps
    the pipe from filling; a traceback is kept as its last line, the exception. Memory and CPU come from /proc:
    psutil is not a dependency."""

    def __init__(self, process):
        self.process = process
        self.errors = []
        threading.Thread(target=self._read_log, daemon=True).start()

    def _read_log(self):
        in_traceback = False
        for line in self.process.stderr:
            text = line.decode(errors="replace").rstrip()
            if text.startswith("Traceback"):
                in_traceback = True
            elif in_traceback and text and not text[0].isspace():
                in_traceback = text.startswith("During handling")  # a chained one: its own exception follows
                if not in_traceback:
                    self.errors.append(f"traceback: {text}")
            elif SERVER_ERROR.search(text):
                self.errors.append(text)

    def cpu_seconds(self):
        """CPU seconds the server and its descendants have used so far."""
        total = 0
        for pid in process_tree(self.process.pid):
            with open(f"/proc/{pid}/stat") as stat:
                total += sum(int(ticks) for ticks in stat.read().rsplit(")", 1)[1].split()[11:13])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def memory_mb(self):
        """(peak, current) resident MB of the server and its descendants, and how many processes that is."""
        tree = process_tree(self.process.pid)
        return sum(status_mb(pid, "VmHWM") for pid in tree), sum(status_mb(pid, "VmRSS") for pid in tree), len(tree)


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


class ProtocolSession:
    """One browser tab's side of Streamlit's websocket protocol (ws://HOST/_stcore/stream, protobuf messages),
    spoken from here, and of the live socket the page's data names, opened with the page's Origin as live.js opens
    it; nothing is drawn.

    It sends BackMsg.rerun_script with the tab's query string and widget states, and reads the ForwardMsgs that
    build the page. The only widget state it sends is Run's: the server keeps every other widget's value, as it
    does for a browser sending them unchanged. A click has taken effect once a run that sent the live view a setup
    as the click asks (``playing`` true or false) has finished: a page run always sends one.
    """

    def __init__(self, url, seed):
        self.origin = url
        self.address = url.replace("http://", "ws://", 1)
        self.outcome = Outcome(seed, link=f"seed={seed}", cuts=[])
        self.run_widget = self.run_label = None
        self.page = ""  # the shown page's script hash, as the navigation message names it; "": the default page
        self.setup = self.frame = None  # the live view's last setup and last frame
        self.playing_wanted = None  # while a click waits: whether the setup it asks for plays
        self.playing_sent = None  # whether the last setup received while a click waits plays
        self.clicked = asyncio.Event()  # the click has taken effect
        self.live_path = self._live = None  # the live socket's path and its reader
        self.latest = (0, 0)  # version and number of the last frame taken, as live.js keeps them
        self._closing = False

    async def open(self):
        self.socket = await connect(f"{self.address}/_stcore/stream", subprotocols=["streamlit"], max_size=None)
        self._reader = asyncio.create_task(self._read(self.socket, self._take))
        await self._run_page(playing=False)

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

    async def _read(self, socket, take):
        try:
            async for data in socket:
                take(data)
        except ConnectionClosed as closed:
            if not self._closing:
                self.outcome.errors.append(f"a websocket closed: {closed}")

    async def _read_live(self, path):
        socket = await connect(f"{self.address}{path}", origin=self.origin, max_size=None)
        await self._read(socket, lambda data: self._take_frames([json.loads(data)]))

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
            self.live_path, self._live = data["socket"], asyncio.create_task(self._read_live(data["socket"]))
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
        self.outcome.times += [now] * len(frames)
        self.outcome.statuses += [frame["status"] for frame in frames]
        self.frame = frames[-1] if frames else self.frame

    def paused_state(self, played):
        """Keep the status lines of the ``played`` first frames, and what the paused view shows: its last frame's
        status line and its setup's training points."""
        outcome = self.outcome
        outcome.status = self.frame["status"] if self.frame else ""
        del outcome.statuses[played:]
        outcome.points = None if self.setup is None else training_points(self.setup)


async def play_sessions(url, seeds, seconds, watch):
    sessions = [ProtocolSession(url, seed) for seed in seeds]
    await asyncio.gather(*(session.open() for session in sessions))
    await asyncio.gather(*(session.choose("play") for session in sessions))
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


# --- the report ------------------------------------------------------------------------------------------------


def report(kind, count, seconds, starts, outcomes, memory, cores, server_errors):
    """Print the table and the targets; True when every target is met."""
    target = TARGET_RATE[kind]
    print(f"machine: {machine()}")
    what = (
        "headless Chromium pages (one browser, a context each; an update: a frame the live view drew)"
        if kind == "pages"
        else "websocket protocol sessions, nothing drawn (an update: a live-view frame received)"
    )
    print(f"load: {count} {what}, one server on 127.0.0.1, {seconds:g} s of play counted after {WARM_UP_SECONDS} s")
    print(f"a playing tab's socket sends a frame every {FRAME_SECONDS * 1000:.0f} ms ({1 / FRAME_SECONDS:.0f} "
          f"updates/s at most) while at most {FULL_RATE_TABS} play, and proportionally less often beyond")  # fmt: skip
    print(
        f"{'seed':>6} {'updates/s':>10} {'longest gap':>12} {'cut short':>10} {'steps/s':>8} {'errors':>7}  isolation"
    )
    rates, failures, isolated = [], [], True
    for start, outcome in zip(starts, outcomes):
        rate, gap = rate_and_gap(outcome.times, start, seconds)
        speed = number(outcome.statuses[-1]) if outcome.statuses else 0
        cut = "-" if outcome.cuts is None else sum(start <= moment <= start + seconds for moment in outcome.cuts)
        problems = isolation_problems(outcome)
        rates.append(rate)
        isolated &= not problems
        print(f"{outcome.seed:>6} {rate:>10.2f} {gap:>11.1f}s {cut:>10} {speed:>8,} {len(outcome.errors):>7}  "
              f"{'; '.join(problems) or 'own seed'}")  # fmt: skip
        failures += [f"seed {outcome.seed}: {error}" for error in outcome.errors]
    peak, now, processes = memory
    print(f"server: peak RSS {peak:.0f} MB ({now:.0f} MB at the end; VmHWM of {processes} process(es)), "
          f"CPU {cores:.2f} of {os.cpu_count()} cores over the window, "
          f"{len(server_errors)} error line(s) in its log")  # fmt: skip
    for line in (failures + server_errors)[:10]:
        print(f"  {line}")
    checks = {
        f"each ≥ {target:g} updates/s (slowest {min(rates):.2f})": min(rates) >= target,
        "no errors": not failures and not server_errors,
        f"server ≤ {MAX_SERVER_MB} MB": peak <= MAX_SERVER_MB,
        "each session shows its own seed's model": isolated,
    }
    print("targets: " + "; ".join(f"{name}: {'met' if met else 'MISSED'}" for name, met in checks.items()))
    return all(checks.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--pages", type=int, help="headless Chromium pages (the default: 5)")
    kind.add_argument("--sessions", type=int, help="websocket protocol sessions, no browser")
    parser.add_argument("--seconds", type=float, default=60, help="how long to count updates while all play")
    args = parser.parse_args()
    if args.sessions is None and args.pages is None:
        args.pages = 5
    kind, count = ("sessions", args.sessions) if args.sessions else ("pages", args.pages)
    if kind == "pages" and missing_browser():
        sys.exit(f"cannot load the server with pages: {missing_browser()} (--sessions needs no browser)")
    seeds = range(1, count + 1)
    with app_server_process() as (url, server):
        watch = ServerWatch(server)
        if kind == "pages":
            starts, outcomes, cores = play_pages(url, seeds, args.seconds, watch)
        else:
            starts, outcomes, cores = asyncio.run(play_sessions(url, seeds, args.seconds, watch))
        memory = watch.memory_mb()
    # the replays of the isolation check run after the server has stopped, off the measurement
    sys.exit(0 if report(kind, count, args.seconds, starts, outcomes, memory, cores, watch.errors) else 1)


if __name__ == "__main__":
    main()
