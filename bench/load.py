"""A load test: many sessions playing at once against one app server on 127.0.0.1.

It measures each session's chart updates per second, the errors, the server's peak memory and CPU, and checks
that no session ever shows another's model.

Every session opens the page with a seed of its own (``?seed=``); all press Play at about the same time and play
through the window, then pause. What each then shows (its link's seed, its chart's training points, its status
line) is compared with what its seed alone yields, replayed here to the same step; and its step count must
only have grown while it played.

Two kinds of session:

- ``--pages N``: headless Chromium pages, one browser, a context each; an update is a redraw of the page's
  status line, counted in the page as bench/browser.py does: what a user sees, the browser's drawing included.
- ``--sessions N``: Streamlit's websocket protocol spoken from here as a browser tab speaks it, nothing drawn:
  cheaper, so more sessions fit; an update is a chart message received. It also counts the runs the server
  reports cut short (FINISHED_EARLY_FOR_RERUN): a new run started before their output was sent, which is dropped.

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

from bench.browser import STATUS, WATCH_UPDATES, open_page
from bench.browser_tools import app_server_process, launch, missing_browser
from bench.train_speed import machine
from playground.settings import Settings
from playground.state import Session
from playground.widgets import FULL_RATE_TABS, RUN_LABELS, TICK_SECONDS

# the targets, for a 2-core machine: updates per second of each session, by kind of session
TARGET_RATE = {"pages": 2.0, "sessions": 1.0}
MAX_SERVER_MB = 400
WARM_UP_SECONDS = 2  # past the full rerun that Play starts, as in bench/browser.py
SETTLE_TIMEOUT = 60  # seconds for a page to show its first or its paused run on a busy machine
# the status line's figures (epoch, step, losses, accuracies), in English as bold markdown or as the page shows it
FIGURES = re.compile(
    r"Epoch ([\d,]+)\W+step ([\d,]+) · loss train (\S+) / test (\S+) · accuracy train (\S+) / test (\S+) ·"
)
SPEED = re.compile(r"([\d,]+) steps/s")
SERVER_ERROR = re.compile(r"\b(ERROR|CRITICAL)\b")

# In the page: the first live chart's first markers trace (the training points), shown once paused
POINTS = """() => {
  const plot = document.querySelector('.st-key-live .js-plotly-plot');
  const trace = plot && plot.data && plot.data.find(t => t.mode === 'markers');
  const plain = v => (ArrayBuffer.isView(v) ? Array.from(v) : v);
  return trace ? [plain(trace.x), plain(trace.y)] : null;
}"""
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
    points: tuple = None  # the chart's training points once paused, as (x1, x2)


def number(text, pattern=SPEED, group=1):
    return int(pattern.search(text).group(group).replace(",", ""))


def figures(row):
    """A history row's figures as the status line writes them (playground.widgets.status_line)."""
    return (f"{row['epoch']:,}", f"{row['step']:,}", f"{row['train_loss']:.3f}", f"{row['test_loss']:.3f}",
            f"{row['train_accuracy']:.1%}", f"{row['test_accuracy']:.1%}")  # fmt: skip


def rate_and_gap(times, start, seconds):
    """Updates per second within [start, start + seconds], and the longest wait without one (s)."""
    inside = [moment for moment in times if start <= moment <= start + seconds]
    return len(inside) / seconds, float(np.diff([start, *inside, start + seconds]).max())


def plotly_array(values):
    """Numbers from a plotly array: a list, or a typed array as plotly.py sends it ({"dtype", "bdata"})."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values)


def isolation_problems(outcome):
    """Why this session's model may not be its seed's own (an empty list: it is): its link, its chart's training
    points, its paused status line against its seed replayed alone to the same step, its steps while playing."""
    problems = []
    linked = dict(parse_qsl(outcome.link)).get("seed")
    if linked != str(outcome.seed):
        problems.append(f"its link has seed {linked}")
    steps = [number(status, FIGURES, 2) for status in outcome.statuses]
    if any(later < earlier for earlier, later in zip(steps, steps[1:])):
        problems.append("its step count went back while playing")
    alone = Session(Settings(seed=outcome.seed))
    expected = alone.data.x_train.astype(np.float32)
    shown = outcome.points and [plotly_array(values).astype(np.float32) for values in outcome.points]
    if not shown or not all(np.array_equal(shown[axis], expected[:, axis]) for axis in (0, 1)):
        problems.append("its chart's training points are not its seed's")
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


def play_pages(url, seeds, seconds, watch):
    """One Chromium, a page (in a context of its own) per seed; the window's updates from each page's own clock,
    and the server's CPU (cores) over the window."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        pages, outcomes = [], []
        for seed in seeds:
            page, _ = open_page(browser, f"{url}/?seed={seed}")
            outcome = Outcome(seed)
            page.on("pageerror", lambda error, outcome=outcome: outcome.errors.append(f"page error: {error}"))
            page.on("crash", lambda _, outcome=outcome: outcome.errors.append("the page crashed"))
            pages.append(page)
            outcomes.append(outcome)
        for page in pages:
            choose(page, "play")
        time.sleep(WARM_UP_SECONDS)
        starts, cpu = [], watch.cpu_seconds()
        for page in pages:
            page.evaluate(WATCH_UPDATES)
            starts.append(page.evaluate("performance.now()") / 1000)
        time.sleep(seconds)
        cores = (watch.cpu_seconds() - cpu) / seconds
        for page, outcome, start in zip(pages, outcomes, starts):
            updates = page.evaluate(f"window.__updates.filter(([t]) => t <= {1000 * (start + seconds)})")
            outcome.times = [moment / 1000 for moment, _ in updates]
            outcome.statuses = [text for _, text in updates]
            choose(page, "pause")
        for page, outcome in zip(pages, outcomes):
            page.wait_for_function(POINTS, timeout=1000 * SETTLE_TIMEOUT)
            outcome.points = page.evaluate(POINTS)
            outcome.status = page.locator(".st-key-live").get_by_text(STATUS).first.inner_text()
            outcome.link = urlsplit(page.url).query
            outcome.errors += [f"shown: {text}" for text in page.locator(PAGE_ERRORS).all_inner_texts()]
        browser.close()
    return starts, outcomes, cores


# --- sessions in Streamlit's websocket protocol ----------------------------------------------------------------


class ProtocolSession:
    """One browser tab's side of Streamlit's websocket protocol (ws://HOST/_stcore/stream, protobuf messages),
    spoken from here; nothing is drawn.

    It sends BackMsg.rerun_script with the tab's query string and widget states, and reads the ForwardMsgs that
    build the page. Like the browser it answers a fragment's auto_rerun with a rerun of that fragment (fragment_id,
    is_auto_rerun) every interval, whether or not the last one has finished, and drops those timers when a full run
    starts (new_session without fragment ids) or a stop_auto_rerun names them. The only widget state it sends is
    Run's: the server keeps every other widget's value, as it does for a browser sending them unchanged.

    A click has taken effect once a run that draws the chart as the click asks (the training points shown while
    paused, a picture of the regions while playing) has finished. That run may be a tick: ticks requested before
    the click's page run began can cut that run short, and then it never reports its end.
    """

    def __init__(self, url, seed):
        self.address = url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.outcome = Outcome(seed, link=f"seed={seed}", cuts=[])
        self.run_widget = self.run_label = None
        self.page = ""  # the shown page's script hash, as the navigation message names it; "": the default page
        self.figure = None  # the last chart's figure, as JSON
        self.points_wanted = None  # while a click waits: whether the chart it asks for shows the training points
        self.points_shown = None  # whether the last chart received while a click waits showed them
        self.clicked = asyncio.Event()  # the click has taken effect
        self._ticks = {}  # fragment id -> (interval, task)
        self._closing = False

    async def open(self):
        self.socket = await connect(self.address, subprotocols=["streamlit"], max_size=None)
        self._reader = asyncio.create_task(self._read())
        await self._run_page(points=True)

    async def choose(self, run):
        """Click Play or Pause: the page reruns with that choice."""
        self.run_label = RUN_LABELS[run]
        await self._run_page(points=run == "pause")

    async def close(self):
        self._closing = True
        self._stop_ticks(list(self._ticks))
        await self.socket.close()
        await self._reader

    async def _run_page(self, points):
        self.clicked.clear()
        self.points_wanted, self.points_shown = points, None
        await self._rerun()
        try:
            await asyncio.wait_for(self.clicked.wait(), SETTLE_TIMEOUT)
        except TimeoutError:
            self.outcome.errors.append(f"no run showed the {'paused' if points else 'playing'} chart in time")

    async def _rerun(self, fragment_id="", auto=False):
        message = BackMsg()
        rerun = message.rerun_script
        rerun.query_string, rerun.page_script_hash = self.outcome.link, self.page
        rerun.fragment_id, rerun.is_auto_rerun = fragment_id, auto
        if self.run_label:
            widget = rerun.widget_states.widgets.add()
            widget.id = self.run_widget
            widget.string_array_value.data.append(self.run_label)
        await self.socket.send(message.SerializeToString())

    async def _tick(self, fragment_id, interval):
        while True:
            await asyncio.sleep(interval)
            await self._rerun(fragment_id, auto=True)

    def _stop_ticks(self, fragment_ids):
        for fragment_id in fragment_ids:
            self._ticks.pop(fragment_id)[1].cancel()

    async def _read(self):
        try:
            async for data in self.socket:
                self._take(data)
        except ConnectionClosed as closed:
            if not self._closing:
                self.outcome.errors.append(f"the websocket closed: {closed}")

    def _take(self, data):
        message = ForwardMsg()
        message.ParseFromString(data)
        kind = message.WhichOneof("type")
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            self._take_element(message.delta.new_element)
        elif kind == "new_session" and not message.metadata.run.fragment_ids:
            self._stop_ticks(list(self._ticks))
        elif kind == "navigation":
            self.page = message.navigation.page_script_hash
        elif kind == "auto_rerun":
            fragment_id, interval = message.auto_rerun.fragment_id, message.auto_rerun.interval
            if self._ticks.get(fragment_id, (None,))[0] != interval:
                self._stop_ticks([fragment_id] if fragment_id in self._ticks else [])
                self._ticks[fragment_id] = interval, asyncio.create_task(self._tick(fragment_id, interval))
        elif kind == "stop_auto_rerun":
            self._stop_ticks([name for name in message.stop_auto_rerun.fragment_ids if name in self._ticks])
        elif kind == "page_info_changed":
            self.outcome.link = message.page_info_changed.query_string
        elif kind == "script_finished" and message.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            self.outcome.cuts.append(time.monotonic())
        elif kind == "script_finished" and self.points_shown == self.points_wanted:
            self.points_wanted = None
            self.clicked.set()
        elif kind == "session_event" and message.session_event.HasField("script_compilation_exception"):
            self.outcome.errors.append("the script did not compile")

    def _take_element(self, element):
        kind = element.WhichOneof("type")
        if kind == "plotly_chart" and element.plotly_chart.id.endswith(("-chart", "-chart_clicks")):  # playing, paused
            self.outcome.times.append(time.monotonic())
            self.figure = element.plotly_chart.spec
            if self.points_wanted is not None:
                self.points_shown = bool(training_points(self.figure))
        elif kind == "markdown" and element.markdown.body.startswith("**Epoch"):
            self.outcome.statuses.append(element.markdown.body)
        elif kind == "button_group" and element.button_group.id.endswith("-run"):
            self.run_widget = element.button_group.id
        elif kind == "exception":
            self.outcome.errors.append(f"exception: {element.exception.type}: {element.exception.message}")
        elif kind == "alert" and element.alert.format == element.alert.ERROR:
            self.outcome.errors.append(f"error shown: {element.alert.body}")

    def paused_state(self, played):
        """Keep the status lines of the ``played`` first runs, and what the paused page shows: its last status line
        and its chart's training points."""
        outcome = self.outcome
        outcome.status = outcome.statuses[-1] if outcome.statuses else ""
        del outcome.statuses[played:]
        outcome.points = self.figure and training_points(self.figure)


def training_points(figure):
    """The (x1, x2) of a chart's first markers trace, the training points (shown while paused); None without."""
    points = next((trace for trace in json.loads(figure)["data"] if trace.get("mode") == "markers"), None)
    return points and (points["x"], points["y"])


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
        "headless Chromium pages (one browser, a context each; an update: a status-line redraw)"
        if kind == "pages"
        else "websocket protocol sessions, nothing drawn (an update: a chart message received)"
    )
    print(f"load: {count} {what}, one server on 127.0.0.1, {seconds:g} s of play counted after {WARM_UP_SECONDS} s")
    print(f"a tab ticks every {TICK_SECONDS * 1000:.0f} ms ({1 / TICK_SECONDS:.1f} updates/s at most) while at most "
          f"{FULL_RATE_TABS} play, and proportionally less often beyond")  # fmt: skip
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
