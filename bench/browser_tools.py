"""Shared by the browser tests and the browser benchmark: an app server on 127.0.0.1, Debian's Chromium, and a
recording of the frames Chromium paints."""

import base64
import contextlib
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
VIEWPORT = {"width": 1280, "height": 800}
# half size: encoding each frame costs Chromium less, so the recording keeps up with what it paints (~55 a
# second on an idle page here)
SCREENCAST = {"format": "jpeg", "quality": 50, "everyNthFrame": 1, "maxWidth": 640, "maxHeight": 400}
# where the live view's two charts are on the screen, in CSS pixels
CHART_BOXES = """() => ['.spl-regions-canvas', '.spl-curves-canvas'].map(selector => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return [box.left, box.top, box.width, box.height];
})"""
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# no first-run chores and no background traffic: this machine has no network but loopback
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def missing_browser():
    """Why a browser cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    if not os.path.exists(CHROMIUM):
        return "Chromium is not installed (apt-get install chromium)"
    return None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def app_server(timeout=60, script=ROOT / "app.py"):
    """``streamlit run app.py`` (or another ``script``, run in its folder) on a free port of 127.0.0.1; yields its
    URL, stops it afterwards."""
    with app_server_process(timeout, script) as (url, _):
        yield url


@contextlib.contextmanager
def app_server_process(timeout=60, script=ROOT / "app.py", port=None, options=()):
    """As ``app_server``, and yields the server's process too (its memory, its stderr once started). ``port``: a
    given one (a server a test starts again at the same address), else a free one; ``options``: more of
    ``streamlit run``'s."""
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script.name,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        *options,
    ]
    server = subprocess.Popen(command, cwd=script.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    try:
        while not healthy(url):
            if time.time() > deadline or server.poll() is not None:
                raise RuntimeError(f"the app server did not start: {server.stderr.read().decode()[-2000:]}")
            time.sleep(0.3)
        yield url, server
    finally:
        server.terminate()
        server.wait(timeout=10)


def healthy(url):
    """Whether the server at ``url`` answers its health check."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@contextlib.contextmanager
def measuring():
    """A new app server and Chromium to measure it with, for a benchmark's command line: yields (url, browser); exits
    saying why where no browser can run here."""
    reason = missing_browser()
    if reason:
        sys.exit(f"cannot measure: {reason}")
    from playwright.sync_api import sync_playwright

    with app_server() as url, sync_playwright() as playwright:
        browser = launch(playwright)
        yield url, browser
        browser.close()


class Screencast:
    """The frames Chromium paints (CDP ``Page.startScreencast``): Chromium sends one whenever the screen changes,
    and the next only once this one is acknowledged, so ``pump`` must be called often while recording.

    A change painted while a frame waits for its acknowledgement is never sent if nothing changes after it: with
    ``at_once``, each frame is acknowledged as it arrives, so the last change of a page that comes to rest is
    recorded too (the first picture of a load)."""

    def __init__(self, page, at_once=False):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.frames = []  # (time in s since the epoch, JPEG bytes)
        self._unacknowledged = []
        self._at_once = at_once
        self.cdp.on("Page.screencastFrame", self._received)

    def _received(self, event):
        self.frames.append((event["metadata"]["timestamp"], base64.b64decode(event["data"])))
        if self._at_once:
            self.cdp.send("Page.screencastFrameAck", {"sessionId": event["sessionId"]})
        else:
            self._unacknowledged.append(event["sessionId"])

    def record(self, seconds, during=None):
        """Record for ``seconds`` (or while ``during()`` runs, called between pumps until it returns True)."""
        self.start()
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            self.pump()
            if during and during():
                break
        self.stop()

    def start(self):
        """Record from now on (through a navigation too), ``pump`` while it lasts."""
        self.cdp.send("Page.startScreencast", SCREENCAST)

    def stop(self):
        self.cdp.send("Page.stopScreencast")
        self.pump()

    def pump(self):
        self.page.wait_for_timeout(5)
        while self._unacknowledged:
            self.cdp.send("Page.screencastFrameAck", {"sessionId": self._unacknowledged.pop(0)})


def crop(jpeg, box):
    """The pixels of a painted frame inside ``box`` (left, top, width, height in CSS pixels), as RGB."""
    from PIL import Image

    picture = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"), dtype=np.int16)
    scale = picture.shape[1] / VIEWPORT["width"]
    left, top, width, height = box
    rows = slice(max(0, round(top * scale)), max(0, round((top + height) * scale)))
    columns = slice(max(0, round(left * scale)), max(0, round((left + width) * scale)))
    return picture[rows, columns]


def missing_chart(jpeg, boxes, value_field=False):
    """Whether a painted frame lacks a chart: the regions box is mostly white (every region colour, even the
    palest, has a channel of at most 217), or the curves box is blank (not even its axes and words).
    ``boxes``: the charts' boxes in CSS pixels (``chart_boxes``). A regression's field (``value_field``) is white
    where its value is 0, as an untrained one's is everywhere: its box is drawn when it is inked, as the curves'."""
    regions, curves = (crop(jpeg, box) for box in boxes)
    if curves.size == 0:
        return True
    return not (inked(regions) if value_field else tinted(regions)) or not inked(curves)


def inked(pixels):
    """Whether a crop has any drawing on white: an empty canvas is white, a drawn chart has its axes, ticks and
    words (and its points) even before the first epoch's end has given the curves a line (at batch 1 and 8 × 256
    that takes a quarter of a minute)."""
    return pixels.size > 0 and (pixels.min(axis=2) < 200).mean() >= 0.005


def tinted(pixels):
    """Whether most of a crop is coloured as the regions are: every region colour, even the palest, has a channel
    of at most 217, where the white page, Streamlit's grey skeletons and its sidebar have none below 235."""
    return pixels.size > 0 and (pixels.min(axis=2) < 235).mean() >= 0.5


def chart_boxes(page):
    """Where the live view's regions and curves are on the screen."""
    return page.evaluate(CHART_BOXES)
