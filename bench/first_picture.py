"""The first picture: how soon a fresh browser shows the regions, and whether the page jumps on the way there,
beside Streamlit's own floor (a page of one block, coloured and sized as the regions).

"Shown" is what Chromium paints (CDP screencast, from before the navigation): the first painted frame whose
regions box is coloured, at the box's place once the page has settled. The view's own "first frame drawn" is
when its canvas had ink, a frame or so earlier; the gap between the two is the recording's cost too.

Run: ``python -m bench.first_picture`` (about a minute); ``python -m bench.browser`` prints the same figures.
"""

import argparse
import collections
import contextlib
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.browser_tools import ROOT, VIEWPORT, Screencast, app_server, crop, measuring, tinted

VISITS = 5
FLOOR_VISITS = 3
# Streamlit's floor: nothing but a block of the palest regions colour, the regions chart's size; and the same in
# the playground's frame, a sidebar and a navigation of two pages
BLOCK = """st.markdown(
    '<div class="floor" style="height: 402px; background: rgb(217, 234, 243)"></div>', unsafe_allow_html=True
)"""
FLOOR_APPS = {
    "a page of one block": f"import streamlit as st\n\n{BLOCK}\n",
    "with a sidebar and two pages": f"""import streamlit as st


def page():
    st.sidebar.write("settings")
    {BLOCK.replace(chr(10), chr(10) + "    ")}


st.set_page_config(layout="wide", initial_sidebar_state="expanded")
st.navigation([st.Page(page, title="One", default=True), st.Page(lambda: None, title="Two", url_path="two")]).run()
""",
}
PLAYGROUND = {"drawn": ".spl-live[data-frames]", "box": ".spl-regions-canvas"}
FLOOR = {"drawn": ".floor", "box": ".floor"}
# In the page, from its first line: when each step of the load happened (performance.now(), ms after navigation)
MILESTONES = """(drawn) => {
  window.__milestones = {};
  const mark = (name) => { window.__milestones[name] ??= performance.now(); };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => mark('socket'));
      this.addEventListener('message', () => mark('message'));
    }
  };
  // from the first frame drawn on, a pixel that changes every frame: Chromium sends a screencast frame only when the
  // screen changes, and the change that drew the view may come while the last frame awaits its acknowledgement
  const keepPainting = () => {
    const pixel = document.body.appendChild(document.createElement('div'));
    pixel.style.cssText = 'position: fixed; left: 0; bottom: 0; width: 1px; height: 1px; z-index: 1000000';
    const flip = (time) => {
      pixel.style.background = Math.round(time / 16) % 2 ? '#fff' : '#fefefe';
      requestAnimationFrame(flip);
    };
    requestAnimationFrame(flip);
  };
  new MutationObserver(() => {
    if (document.querySelector('[data-testid="stMain"] [data-testid="stMarkdownContainer"]')) mark('element');
    if (document.querySelector('.spl-live')) mark('mounted');
    if (document.querySelector(drawn) && !window.__milestones.drawn) {
      mark('drawn');
      keepPainting();
    }
  }).observe(document, {subtree: true, childList: true, attributes: true});
}"""
# Chromium's layout shifts so far, as (value, had recent input, what moved): each moved node named by itself or its
# nearest ancestor with a widget's key or a Streamlit test id
LAYOUT_SHIFTS = """() => new Promise((resolve) => {
  const named = (node) => {
    const found = node && node.closest && node.closest('[class*="st-key-"], [data-testid]');
    if (!found) return node ? node.nodeName.toLowerCase() : '?';
    return [...found.classList].find((name) => name.startsWith('st-key-')) || found.dataset.testid;
  };
  const shifts = (list) => list.getEntries().map((entry) => [
    entry.value, entry.hadRecentInput, [...new Set(entry.sources.map((source) => named(source.node)))].join(' + '),
  ]);
  new PerformanceObserver((list) => resolve(shifts(list))).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve([]), 1000);
})"""
BOX = "element => { const box = element.getBoundingClientRect(); return [box.x, box.y, box.width, box.height]; }"
SETTLED = """(drawn) => !!document.querySelector(drawn) && !document.querySelector('[data-testid="stSkeleton"]')"""
STEPS = {  # milestone: what it marks
    "bundle": "Streamlit's page and bundle loaded",
    "socket": "its socket open",
    "message": "first message",
    "element": "first text drawn",
    "mounted": "the view mounted",
    "drawn": "its first frame drawn",
    "painted": "painted",
}


def layout_shift(entries):
    """The cumulative layout shift: every shift's score, but those right after the user's input."""
    return sum(value for value, had_recent_input, *_ in entries if not had_recent_input)


def what_moved(visits_shifts, largest=3):
    """The ``largest`` shifts' sources over some visits, each with its score summed and divided by the visits."""
    scores = collections.Counter()
    for entries in visits_shifts:
        for value, had_recent_input, moved in entries:
            scores[moved] += 0 if had_recent_input else value / len(visits_shifts)
    return [(moved, score) for moved, score in scores.most_common(largest) if score > 0]


def first_painted(frames, box, origin):
    """Milliseconds from navigation to the first painted frame whose ``box`` is coloured, or None.

    ``frames``: (time in s since the epoch, JPEG) as the screencast sends them; ``origin``: the navigation's start
    in ms since the epoch (``performance.timeOrigin``)."""
    return next((1000 * at - origin for at, jpeg in sorted(frames) if tinted(crop(jpeg, box))), None)


def visit(browser, url, targets):
    """One load in a fresh context: when the box was first painted coloured, the layout shift over the load, and
    the load's milestones (ms)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.add_init_script(f"({MILESTONES})({targets['drawn']!r})")
    screencast = Screencast(page, at_once=True)
    screencast.start()
    page.goto(url, wait_until="commit")
    settled = f"({SETTLED})({targets['drawn']!r})"
    if not pump_until(screencast, lambda: page.evaluate(settled), timeout=60):
        raise TimeoutError(f"{url}: not drawn, or skeletons left, a minute after navigation")
    box = page.eval_on_selector(targets["box"], BOX)
    origin = page.evaluate("performance.timeOrigin")
    # Chromium may paint the drawn view a few frames later, on a busy machine
    checked = 0

    def painted_since_checked():
        nonlocal checked
        frames, checked = screencast.frames[checked:], len(screencast.frames)
        return first_painted(frames, box, origin) is not None

    pump_until(screencast, painted_since_checked, timeout=10)  # if never, the report says so
    page.wait_for_timeout(500)  # for a late shift
    screencast.stop()
    milestones = page.evaluate("window.__milestones")
    milestones["bundle"] = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    milestones["painted"] = first_painted(screencast.frames, box, origin)
    shifts = page.evaluate(LAYOUT_SHIFTS)
    context.close()
    return milestones, shifts


def pump_until(screencast, done, timeout):
    """Record until ``done()``; whether it came within ``timeout`` seconds."""
    deadline = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > deadline:
            return False
        screencast.pump()
    return True


def visits(browser, url, targets, count):
    return [visit(browser, url, targets) for _ in range(count)]


@contextlib.contextmanager
def floor_server(source):
    """A server of the app ``source`` in a temporary folder, with the playground's own server settings."""
    with tempfile.TemporaryDirectory(prefix="floor-") as folder:
        script = Path(folder) / "floor.py"
        script.write_text(source)
        shutil.copytree(ROOT / ".streamlit", Path(folder) / ".streamlit")
        with app_server(script=script) as url:
            yield url


def measure(browser, url, visits_count=VISITS, first=True):
    """The playground at ``url`` (its first visit since the server started, if ``first``) and the floors."""
    figures = {"first": visit(browser, url, PLAYGROUND) if first else None, "floors": {}}
    figures["warm"] = visits(browser, url, PLAYGROUND, visits_count)
    for name, source in FLOOR_APPS.items():
        with floor_server(source) as floor_url:
            visit(browser, floor_url, FLOOR)  # its server warm too
            figures["floors"][name] = visits(browser, floor_url, FLOOR, FLOOR_VISITS)
    return figures


def seconds(milliseconds):
    return "never" if milliseconds is None else f"{milliseconds / 1000:.2f}"


def median_and_each(values, show=seconds):
    shown = [value for value in values if value is not None]
    middle = show(statistics.median(shown)) if len(shown) == len(values) else "n/a"
    return f"median {middle} ({', '.join(show(value) for value in values)})"


def report(figures):
    """The figures as lines, with the issue's targets."""
    warm = figures["warm"]
    movers = what_moved([shifts for _, shifts in warm])
    lines = [
        f"first picture, warm server, {len(warm)} fresh contexts at 1280×800: regions painted "
        f"{median_and_each([milestones['painted'] for milestones, _ in warm])} s after navigation (target ≤ 1.5 s)",
        "  the load, medians in s: "
        + " · ".join(f"{label} {seconds(middle(warm, step))}" for step, label in STEPS.items()),
        "cumulative layout shift over the load: "
        f"{median_and_each([layout_shift(shifts) for _, shifts in warm], '{:.3f}'.format)} (target ≤ 0.05)",
        "  what moved, a visit's share: " + (" · ".join(f"{name} {score:.3f}" for name, score in movers) or "nothing"),
    ]
    if figures["first"]:
        milestones, shifts = figures["first"]
        lines.append(
            f"first visit after a server start: regions painted {seconds(milestones['painted'])} s, layout shift "
            f"{layout_shift(shifts):.3f} (target ≤ 3 s)"
        )
    for name, runs in figures["floors"].items():
        lines.append(
            f"Streamlit's floor, {name}: painted {median_and_each([m['painted'] for m, _ in runs])} s, its bundle "
            f"{seconds(middle(runs, 'bundle'))} s, socket {seconds(middle(runs, 'socket'))} s, layout shift median "
            f"{statistics.median(layout_shift(shifts) for _, shifts in runs):.3f} ("
            + (", ".join(moved for moved, _ in what_moved([shifts for _, shifts in runs])) or "nothing moved")
            + ")"
        )
    return lines


def middle(runs, step):
    values = [milestones.get(step) for milestones, _ in runs]
    return None if None in values else statistics.median(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=VISITS, help="fresh contexts on the warm server")
    args = parser.parse_args()
    with measuring() as (url, browser):
        figures = measure(browser, url, args.visits)
    print("\n".join(report(figures)))


if __name__ == "__main__":
    main()
