"""The live page measured in headless Chromium, as a user sees it: how soon a fresh browser shows the first
picture and whether the page jumps meanwhile (``bench.first_picture``), the frames Chromium paints while the
defaults play, how many of them show a chart missing, the browser's main thread, bytes per update, how soon a
control change and a Pause show, and how soon the default run reaches 97 % training accuracy.

Run: ``python -m bench.browser`` (about two and a half minutes). Needs Playwright and Debian's chromium.
"""

import argparse
import re
import statistics
import sys
import time
import zlib
from pathlib import Path
from urllib.parse import parse_qs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.browser_tools import VIEWPORT, Screencast, chart_boxes, measuring, missing_chart
from bench.first_picture import measure as first_picture_figures
from bench.first_picture import report as first_picture_report
from bench.train_speed import machine
from playground.settings import REGRESSION_DATASETS

# In the page: the time of every change of the live view's status line (one per frame it draws), without the speed,
# which a paused status drops: a Pause's page run changes no training
WATCH_STATUS = """() => {
  window.__updates = [];
  const status = document.querySelector('.spl-status');
  new MutationObserver(() => {
    const text = status.innerText.replace(/ · [\\d,]+ steps\\/s$/, '');
    if (text !== window.__lastStatus) {
      window.__lastStatus = text;
      window.__updates.push([performance.now(), text]);
    }
  }).observe(status, {subtree: true, childList: true, characterData: true});
}"""


class WireCounter:
    """Bytes the server sends over the websocket: as the frames' payloads, and as permessage-deflate would
    put them on the wire (one deflate stream with context takeover, flushed per message, as the server does)."""

    def __init__(self, page):
        self.raw = self.deflated = 0
        self._compressor = zlib.compressobj(wbits=-15)
        page.on("websocket", lambda socket: socket.on("framereceived", self._count))

    def _count(self, payload):
        data = payload if isinstance(payload, bytes) else payload.encode()
        self.raw += len(data)
        self.deflated += len(self._compressor.compress(data) + self._compressor.flush(zlib.Z_SYNC_FLUSH))


def open_page(browser, url):
    page = browser.new_page(viewport=VIEWPORT)
    wire = WireCounter(page)
    page.goto(url)
    page.locator(".spl-status").get_by_text(re.compile(r"(?:Epoch|에폭) \d")).wait_for(timeout=60_000)
    page.locator(".spl-live[data-frames]").wait_for(timeout=60_000)  # the view has drawn a frame
    page.evaluate(WATCH_STATUS)
    return page, wire


def press(page, name):
    page.locator(".st-key-run").get_by_role("radio", name=re.compile(f"{name}$")).click()


def main_thread_busy(cdp):
    """Seconds the page's main thread has spent on tasks so far (Chrome's Performance metrics)."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(metric["value"] for metric in metrics if metric["name"] == "TaskDuration")


def frames_drawn(page):
    return int(page.eval_on_selector(".spl-live", "element => element.dataset.frames || 0"))


def playing(browser, url, seconds, changes, pause_count, value_field=False):
    """While playing: painted frames per second and how many lack a chart (``value_field``: the regions are a
    regression's, see ``missing_chart``), over ``seconds`` of play and then over ``changes`` learning-rate changes;
    the view's frames, bytes per frame, the main thread; the changes' latency; how long after each of
    ``pause_count`` Pauses the picture still moved."""
    page, wire = open_page(browser, url)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    press(page, "Play")
    page.wait_for_timeout(2000)  # past the first runs
    screencast = Screencast(page)
    boxes = chart_boxes(page)
    raw_before, deflated_before, drawn_before = wire.raw, wire.deflated, frames_drawn(page)
    busy_before, start = main_thread_busy(cdp), time.perf_counter()
    screencast.record(seconds)
    elapsed = time.perf_counter() - start
    busy = (main_thread_busy(cdp) - busy_before) / elapsed
    drawn = frames_drawn(page) - drawn_before
    sent = (wire.raw - raw_before) / max(drawn, 1), (wire.deflated - deflated_before) / max(drawn, 1)
    painted = len(screencast.frames)
    missing = sum(missing_chart(jpeg, boxes, value_field) for _, jpeg in screencast.frames)

    screencast.frames = []
    latencies = []
    slider = page.locator(".st-key-learning_rate input[type=range]")
    for index in range(changes):
        key, rate = ("ArrowLeft", "0.3") if index % 2 == 0 else ("ArrowRight", "1")
        slider.focus()
        began = page.evaluate("performance.now()")
        page.keyboard.press(key)
        shown = f"window.__updates.find(([t, s]) => t > {began} && s.includes('lr {rate} ·'))"
        screencast.record(10, during=lambda shown=shown: page.evaluate(f"!!{shown}"))
        latencies.append(page.evaluate(f"{shown}[0]") - began)
        screencast.record(0.5)
    missing_in_changes = sum(missing_chart(jpeg, boxes, value_field) for _, jpeg in screencast.frames)
    painted_in_changes = len(screencast.frames)

    # from the moment the click reaches the page (Playwright's own checks before it take ~1 s on a busy page)
    page.evaluate("document.addEventListener('click', () => { window.__clicked = performance.now(); }, true)")
    pauses = []
    for _ in range(pause_count):
        press(page, "Pause")
        page.wait_for_timeout(1500)
        began, last_move = page.evaluate("[window.__clicked, window.__updates[window.__updates.length - 1][0]]")
        pauses.append(max(0.0, last_move - began))
        press(page, "Play")
        page.wait_for_timeout(1500)
    page.close()
    return {
        "painted": painted / elapsed,
        "missing": (missing, painted),
        "missing_in_changes": (missing_in_changes, painted_in_changes),
        "drawn": drawn / elapsed,
        "sent": sent,
        "busy": busy,
        "latencies": latencies,
        "pauses": pauses,
    }


def seconds_to_accuracy(browser, url, target=0.97):
    page, _ = open_page(browser, url)
    start = page.evaluate("performance.now()")
    press(page, "Play")
    reached = f"window.__updates.find(([t, s]) => parseFloat(s.split('accuracy train ')[1]) >= {100 * target})"
    page.wait_for_function(f"!!{reached}", timeout=60_000)
    seconds = (page.evaluate(f"{reached}[0]") - start) / 1000
    page.close()
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="how long to record the painted frames")
    parser.add_argument("--changes", type=int, default=12, help="learning-rate changes to time")
    parser.add_argument("--pauses", type=int, default=6, help="Pauses to time, each after a second and a half of play")
    parser.add_argument("--query", default="", help="settings for the page's link (its lr must be 1), e.g. hidden=64")
    args = parser.parse_args()
    with measuring() as (url, browser):
        page_url = f"{url}/?{args.query}" if args.query else url
        first_picture = None if args.query else first_picture_figures(browser, url)  # first: the server is new
        value_field = parse_qs(args.query).get("data", [""])[0] in REGRESSION_DATASETS
        figures = playing(browser, page_url, args.seconds, args.changes, args.pauses, value_field)
        reach = None if args.query else seconds_to_accuracy(browser, url)
    print(f"machine: {machine()}, headless Chromium at 1280×800, server and browser on the same machine")
    print(f"page: {'?' + args.query if args.query else 'the defaults'}")
    print(f"frames Chromium painted while playing: {figures['painted']:.1f} a second (the view drew "
          f"{figures['drawn']:.1f} a second)")  # fmt: skip
    missing, painted = figures["missing"]
    print(f"painted frames with a chart missing: {missing} of {painted} over {args.seconds:g} s of play")
    missing, painted = figures["missing_in_changes"]
    print(f"painted frames with a chart missing: {missing} of {painted} over {args.changes} learning-rate changes")
    busy = figures["busy"]
    print(f"browser main thread busy while playing: {busy:.0%}, {1000 * busy / figures['painted']:.0f} ms a frame")
    raw, deflated = figures["sent"]
    print(f"bytes per frame drawn: {raw / 1000:.1f} kB as sent, {deflated / 1000:.1f} kB with websocket compression "
          f"({deflated * figures['drawn'] / 1000:.0f} kB/s)")  # fmt: skip
    latencies = figures["latencies"]
    each = ", ".join(f"{sample:.0f}" for sample in latencies)
    print(f"learning-rate change to the view showing it: median {statistics.median(latencies):.0f} ms ({each})")
    pauses = figures["pauses"]
    each = ", ".join(f"{sample:.0f}" for sample in pauses)
    print(f"Pause to the last frame that moved: median {statistics.median(pauses):.0f} ms ({each})")
    if reach is not None:
        print(f"defaults, Play to 97 % training accuracy: {reach:.2f} s")
    if first_picture is not None:
        print("\n".join(first_picture_report(first_picture)))


if __name__ == "__main__":
    main()
