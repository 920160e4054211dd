"""The largest websocket messages the page sends and receives, to size ``server.maxMessageSize``.

Streamlit applies ``server.maxMessageSize`` both ways: to what a browser sends (uvicorn's ``ws_max_size``, counted
after permessage-deflate inflates it, so the cap is also what one small compressed message can make the server
allocate) and to each message it sends (``serialize_forward_msg`` replaces a larger one with an error on the
page). The cap must sit above the largest message the page really sends, with a margin, and far below
Streamlit's default 200 MB.

A server is started with a recorder around both (and around the live socket's frames, which no cap limits), and
a headless Chromium page does the heaviest things the page offers: the largest settings with everything shown,
playing, then paused with every panel open, a gradient check, and five runs pinned and compared; the defaults
played as fast as they go until the history holds its 10,000 rows, then five runs pinned; 100,000 uploaded
points (the most a CSV may hold; the upload itself is HTTP, not the websocket) with the data panel open; the lab
page. Sizes are the messages' bytes before compression, as the cap counts them.

Run: ``python -m bench.message_sizes`` (about three minutes). Exits with 1 when the largest message sent is not
below half the cap.
"""

import argparse
import contextlib
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.browser_tools import ROOT, free_port, healthy, launch, missing_browser
from bench.load import LARGEST
from nnlib.datasets.points import MAX_ROWS as UPLOADED_POINTS  # the most a CSV may hold
from playground.session.core import MAX_HISTORY_ROWS
from playground.settings import VIEW_OPTIONS

EVERYTHING_SHOWN = f"view={','.join(VIEW_OPTIONS)}"
RECORD = re.compile(r"^MESSAGE (sent|received|live) (\d+)$")
MARGIN = 2  # the cap must hold twice the largest message the page sends


class Recorded:
    """The largest message of each kind the server reported, for the scenario running when it came."""

    def __init__(self, server):
        self.scenario = None
        self.largest = {}  # scenario -> {kind: bytes}
        threading.Thread(target=self._read, args=(server,), daemon=True).start()

    def _read(self, server):
        for line in server.stdout:
            match = RECORD.match(line.decode(errors="replace").strip())
            if match and self.scenario:
                kinds = self.largest.setdefault(self.scenario, {})
                kinds[match[1]] = max(kinds.get(match[1], 0), int(match[2]))


def serve(port):
    """Streamlit's server with a note on stdout of the size of every message it sends or receives."""
    from starlette.websockets import WebSocket
    from streamlit.web import cli
    from streamlit.web.server.starlette import starlette_websocket

    def note(kind, size):
        print(f"MESSAGE {kind} {size}", flush=True)

    serialize = starlette_websocket.serialize_forward_msg

    def serialize_noted(message):
        data = serialize(message)
        note("sent", len(data))
        return data

    receive_bytes, send_text = WebSocket.receive_bytes, WebSocket.send_text

    async def receive_noted(socket):
        data = await receive_bytes(socket)
        note("received", len(data))
        return data

    async def send_noted(socket, data):
        note("live", len(data.encode()))
        await send_text(socket, data)

    starlette_websocket.serialize_forward_msg = serialize_noted
    WebSocket.receive_bytes, WebSocket.send_text = receive_noted, send_noted
    sys.argv = ["streamlit", "run", "app.py", "--server.port", str(port)]
    cli.main()


@contextlib.contextmanager
def recorded_server():
    port = free_port()
    command = [sys.executable, "-m", "bench.message_sizes", "--serve", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while not healthy(url):
            if time.time() > deadline or server.poll() is not None:
                raise RuntimeError("the recording app server did not start")
            time.sleep(0.3)
        yield url, Recorded(server)
    finally:
        server.terminate()
        server.wait(timeout=10)


def status(page):
    return page.locator(".spl-status").inner_text()


def epoch(page):
    return int(re.search(r"Epoch ([\d,]+)", status(page)).group(1).replace(",", ""))


def open_page(page, url, query=""):
    page.goto(f"{url}/{query}")
    page.locator(".spl-status").get_by_text(re.compile(r"Epoch \d")).wait_for()


def click_run(page, run):
    page.locator(".st-key-run").get_by_role("radio", name=re.compile(f"{run}$")).click()


def pin_five(page):
    for number in range(1, 6):
        page.locator(".st-key-pin button").first.click()
        page.locator(f".st-key-unpin_{number} button").first.wait_for()


def open_panels(page):
    for key in ("your_data", "look_inside"):
        page.locator(f".st-key-{key} summary").first.click()
    page.get_by_role("button", name="Compare with numerical gradients").click()
    page.get_by_text("worst relative error").wait_for(state="attached")  # a data grid's header: drawn on a canvas


def largest_settings(page, url):
    open_page(page, url, f"?{LARGEST}&optimizer=Adam&{EVERYTHING_SHOWN}&speed=0")
    click_run(page, "Play")
    time.sleep(10)
    click_run(page, "Pause")
    open_panels(page)
    pin_five(page)


def history_at_its_cap(page, url, timeout=240):
    open_page(page, url, "?speed=0")
    click_run(page, "Play")
    deadline = time.time() + timeout
    while epoch(page) <= MAX_HISTORY_ROWS and time.time() < deadline:
        time.sleep(1)
    click_run(page, "Pause")
    pin_five(page)
    return f"epoch {epoch(page):,}"


def uploaded_points(page, url):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (UPLOADED_POINTS, 2))
    labels = rng.integers(0, 6, UPLOADED_POINTS)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "points.csv"
        path.write_text("x1,x2,label\n" + "".join(f"{a:.6f},{b:.6f},{c}\n" for (a, b), c in zip(x, labels)))
        open_page(page, url, f"?{EVERYTHING_SHOWN}")
        page.get_by_role("combobox", name="Data set").click()
        page.get_by_role("option", name="Upload CSV", exact=True).click()
        page.locator(".st-key-csv_upload input[type=file]").set_input_files(str(path))
        page.get_by_text(f"Loaded {UPLOADED_POINTS} points").wait_for(timeout=60_000)
        size = path.stat().st_size
    page.locator(".st-key-your_data summary").first.click()
    page.get_by_text("The first 1,000 of").wait_for()
    click_run(page, "Play")
    time.sleep(5)
    click_run(page, "Pause")
    return f"a {size / 1e6:.1f} MB CSV"


def lab(page, url):
    page.goto(f"{url}/lab")
    page.get_by_text("x · W has shape").first.wait_for()
    page.mouse.wheel(0, 20_000)
    time.sleep(3)


SCENARIOS = [
    ("the largest settings, played, panels open, 5 pinned", largest_settings),
    (f"the defaults played until {MAX_HISTORY_ROWS:,} history rows, 5 pinned", history_at_its_cap),
    (f"{UPLOADED_POINTS:,} uploaded points, the data panel open, played", uploaded_points),
    ("the lab page", lab),
]


def configured_cap_bytes():
    from streamlit import config

    config.get_config_options(force_reparse=True)
    return config.get_option("server.maxMessageSize") * 1_000_000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve)
    if missing_browser():
        sys.exit(f"cannot measure: {missing_browser()}")
    from playwright.sync_api import sync_playwright

    notes = {}
    with recorded_server() as (url, recorded), sync_playwright() as playwright:
        browser = launch(playwright)
        for name, scenario in SCENARIOS:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.set_default_timeout(60_000)
            recorded.scenario = name
            print(f"{name} ...", file=sys.stderr, flush=True)
            notes[name] = scenario(page, url) or ""
            time.sleep(1)  # the last messages' notes
            context.close()
        browser.close()
    cap = configured_cap_bytes()
    print("| what the page did | largest sent | largest received | largest live frame | note |")
    print("|:--|--:|--:|--:|:--|")
    for name, _ in SCENARIOS:
        sizes = recorded.largest.get(name, {})
        print(f"| {name} | " + " | ".join(f"{sizes.get(kind, 0):,} B" for kind in ("sent", "received", "live"))
              + f" | {notes[name]} |")  # fmt: skip
    largest = max(sizes.get("sent", 0) for sizes in recorded.largest.values())
    received = max(sizes.get("received", 0) for sizes in recorded.largest.values())
    print(f"server.maxMessageSize: {cap / 1e6:g} MB; the largest message sent {largest / 1e6:.2f} MB, received "
          f"{received / 1e3:.1f} kB")  # fmt: skip
    met = largest * MARGIN <= cap
    print(f"target: the largest sent ≤ 1/{MARGIN} of the cap: {'met' if met else 'MISSED'}")
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
