"""The live page measured in headless Chromium: chart updates per second, bytes per update, control latency,
and how soon the default run reaches 97 % training accuracy.

Run: ``python bench/browser.py`` (about a minute). Needs Playwright and Debian's chromium.
"""

import argparse
import re
import statistics
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.browser_tools import app_server, launch, missing_browser
from bench.train_speed import machine

STATUS = re.compile(r"steps/s$")

# In the page: note the time of every change of the status line (one per fragment run, charts included).
WATCH_UPDATES = """() => {
  window.__updates = [];
  new MutationObserver(() => {
    const live = document.querySelector('.st-key-live');
    const text = live && [...live.querySelectorAll('p')].map(p => p.innerText).find(t => t.endsWith('steps/s'));
    if (text && text !== window.__lastStatus) {
      window.__lastStatus = text;
      window.__updates.push([performance.now(), text]);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


class WireCounter:
    """Bytes the server sends over the websocket: as the frames' payloads, and as permessage-deflate would
    put them on the wire (one deflate stream with context takeover, flushed per message, as the server does)."""

    def __init__(self, page):
        self.raw = self.deflated = self.frames = 0
        self._compressor = zlib.compressobj(wbits=-15)
        page.on("websocket", lambda socket: socket.on("framereceived", self._count))

    def _count(self, payload):
        data = payload if isinstance(payload, bytes) else payload.encode()
        self.frames += 1
        self.raw += len(data)
        self.deflated += len(self._compressor.compress(data) + self._compressor.flush(zlib.Z_SYNC_FLUSH))

    def snapshot(self):
        return self.raw, self.deflated


def open_page(browser, url):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    wire = WireCounter(page)
    page.goto(url)
    page.get_by_text(STATUS).first.wait_for(timeout=60_000)
    page.locator(".st-key-live .js-plotly-plot").first.wait_for(timeout=60_000)
    return page, wire


def main_thread_busy(cdp):
    """Seconds the page's main thread has spent on tasks so far (Chrome's Performance metrics)."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(metric["value"] for metric in metrics if metric["name"] == "TaskDuration")


def updates_per_second(browser, url, seconds):
    """Updates per second, bytes per update (as sent, compressed), and the browser's main-thread busy share."""
    page, wire = open_page(browser, url)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.locator(".st-key-run").get_by_role("radio", name=re.compile("Play$")).click()
    time.sleep(2)  # past the first full rerun
    page.evaluate(WATCH_UPDATES)
    raw_before, deflated_before = wire.snapshot()
    busy_before, start = main_thread_busy(cdp), time.perf_counter()
    time.sleep(seconds)
    updates = page.evaluate("window.__updates.length")
    raw, deflated = wire.snapshot()
    busy = (main_thread_busy(cdp) - busy_before) / (time.perf_counter() - start)
    page.locator(".st-key-run").get_by_role("radio", name=re.compile("Pause$")).click()
    page.close()
    return updates / seconds, (raw - raw_before) / updates, (deflated - deflated_before) / updates, busy


def control_latency(browser, url, changes):
    """Median ms from a learning-rate key press to the first status line (and charts) showing the new rate."""
    page, _ = open_page(browser, url)
    page.locator(".st-key-run").get_by_role("radio", name=re.compile("Play$")).click()
    time.sleep(2)
    page.evaluate(WATCH_UPDATES)
    slider = page.locator(".st-key-learning_rate input[type=range]")
    samples = []
    for index in range(changes):
        key, rate = ("ArrowLeft", "0.3") if index % 2 == 0 else ("ArrowRight", "1")
        slider.focus()
        start = page.evaluate("performance.now()")
        page.keyboard.press(key)
        page.wait_for_function(f"window.__updates.some(([t, s]) => t > {start} && s.includes('lr {rate} ·'))")
        shown = page.evaluate(f"window.__updates.find(([t, s]) => t > {start} && s.includes('lr {rate} ·'))[0]")
        samples.append(shown - start)
        time.sleep(0.5)
    page.close()
    return statistics.median(samples), samples


def seconds_to_accuracy(browser, url, target=0.97):
    page, _ = open_page(browser, url)
    page.evaluate(WATCH_UPDATES)
    start = page.evaluate("performance.now()")
    page.locator(".st-key-run").get_by_role("radio", name=re.compile("Play$")).click()
    page.wait_for_function(
        f"window.__updates.some(([t, s]) => parseFloat(s.split('accuracy train ')[1]) >= {100 * target})",
        timeout=30_000,
    )
    reached = page.evaluate(
        f"window.__updates.find(([t, s]) => parseFloat(s.split('accuracy train ')[1]) >= {100 * target})[0]"
    )
    page.close()
    return (reached - start) / 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="how long to count updates")
    parser.add_argument("--changes", type=int, default=12, help="learning-rate changes to time")
    parser.add_argument("--query", default="", help="settings for the page's link (its lr must be 1), e.g. hidden=64")
    args = parser.parse_args()
    reason = missing_browser()
    if reason:
        sys.exit(f"cannot measure: {reason}")
    from playwright.sync_api import sync_playwright

    with app_server() as url, sync_playwright() as playwright:
        browser = launch(playwright)
        page_url = f"{url}/?{args.query}" if args.query else url
        rate, raw, deflated, busy = updates_per_second(browser, page_url, args.seconds)
        latency, samples = control_latency(browser, page_url, args.changes)
        reach = None if args.query else seconds_to_accuracy(browser, url)
        browser.close()
    print(f"machine: {machine()}, headless Chromium, server and browser on the same machine")
    print(f"page: {'?' + args.query if args.query else 'the defaults'}")
    print(f"chart updates per second while playing: {rate:.1f}")
    print(f"browser main thread busy while playing: {busy:.0%}, {1000 * busy / rate:.0f} ms of tasks per update")
    print(f"bytes per update: {raw / 1000:.1f} kB as sent, {deflated / 1000:.1f} kB with websocket compression")
    each = ", ".join(f"{sample:.0f}" for sample in samples)
    print(f"learning-rate change to a chart showing it: median {latency:.0f} ms ({each})")
    if reach is not None:
        print(f"defaults, Play to 97 % training accuracy: {reach:.2f} s")


if __name__ == "__main__":
    main()
