"""What a page holds on the server: paused, playing and with pins, a classroom's worth, and a page left playing.

A page keeps, between two of its runs, its Session and what the page keeps beside it in ``st.session_state``:
its live feed (what the grid pass of its last frame left) and the pinned runs. This builds those as the page
does, runs what a paused page run or a playing frame of the live socket runs (``bench.tick.LiveTab``, the
messages serialised included), and reports the memory Python holds for them (tracemalloc, after a garbage
collection) and the most it held during the run. The sizes come from the page's defaults and its largest settings
(``bench/tick.py``'s cases); the classroom rows hold many pages at once.

The history is thinned past MAX_HISTORY_ROWS, so a page left playing levels off: the last table trains a
session with the page's defaults one epoch at a time (batch = the whole training set, one step an epoch) and
reports what it holds, and what five pins of it hold, after each count of epochs.
"""

import argparse
import gc
import tracemalloc

from bench.tick import CASES, LiveTab
from bench.train_speed import machine
from playground import pins
from playground.session import Session
from playground.session.core import MAX_HISTORY_ROWS
from playground.settings import Settings

DEFAULTS, LARGEST = "defaults (2-10-3, 300 points, batch 30)", "8 × 256 ReLU, 6 × 1,000 points, batch 1, Adam"


def held_mb():
    gc.collect()
    return tracemalloc.get_traced_memory()[0] / 1e6


def peak_mb():
    return tracemalloc.get_traced_memory()[1] / 1e6


class Page:
    """One tab's state between its runs, the network view on: what ``playground.ui`` keeps for it."""

    def __init__(self, settings):
        self.session = Session(settings)
        self.live = LiveTab(self.session)

    def paused_run(self):
        """A paused page run: the live view's frame from a whole grid pass (the neuron shown large included) and
        its setup, the confusion matrices."""
        self.live.page_run()
        self.session.confusion_matrix("train"), self.session.confusion_matrix("test")

    def play(self):
        """Play, and the page run it starts."""
        self.session.play()
        self.live.page_run()

    def tick(self):
        """A playing frame of the live socket: train, pass a stripe of the grid, build the frame."""
        self.live.tick()

    def pause(self):
        self.session.pause()
        self.paused_run()


def measured(work):
    """(MB held after ``work()`` less before it, the most held during it less before it, what it returned)."""
    before = held_mb()
    tracemalloc.reset_peak()
    result = work()
    return held_mb() - before, peak_mb() - before, result


def paused_page(settings):
    page = Page(settings)
    page.paused_run()
    return page


def play_ticks(page, ticks):
    """Play, then ``ticks`` ticks: what a playing page holds includes what Play's page run left."""
    page.play()
    for _ in range(ticks):
        page.tick()


def playing_page(settings, ticks):
    page = paused_page(settings)
    play_ticks(page, ticks)
    return page


def five_pins(session):
    pinned = []
    for _ in range(pins.MAX_PINNED):
        pinned = pins.pin(pinned, session)
    return pinned


def page_row(settings, ticks):
    """(MB held paused, the peak of a paused run, MB held playing, the peak of Play's run and the ticks, MB of five
    pins)."""
    paused, paused_peak, page = measured(lambda: paused_page(settings))
    playing, playing_peak, _ = measured(lambda: play_ticks(page, ticks))
    page.pause()
    pinned, _, _ = measured(lambda: five_pins(page.session))
    return paused, paused_peak, paused + playing, paused + playing_peak, pinned


def pages_mb(count, make):
    """MB held by ``count`` pages that ``make()`` makes, all held at once."""
    return measured(lambda: [make() for _ in range(count)])[0]


def classroom_rows(ticks, default_pages=30, largest_pages=10):
    largest = CASES[LARGEST]
    return [
        (f"{default_pages} paused pages, the defaults", pages_mb(default_pages, lambda: paused_page(Settings()))),
        (f"{largest_pages} paused pages, {LARGEST}", pages_mb(largest_pages, lambda: paused_page(largest))),
        (f"{largest_pages} playing pages, {LARGEST}", pages_mb(largest_pages, lambda: playing_page(largest, ticks))),
    ]


def memory_by_epochs(checkpoints):
    """(epochs, history rows, MB the session holds, MB five pins of it hold) at each of ``checkpoints`` epochs."""
    before = held_mb()
    session = Session(Settings(batch_size=240))
    rows = []
    for epochs in checkpoints:
        while session.trainer.current_epoch < epochs:
            session.step_epoch()
        pinned, _, _ = measured(lambda: five_pins(session))
        rows.append((epochs, len(session.history["epoch"]), held_mb() - before, pinned))
    return rows


def report(ticks=10, checkpoints=(1_000, 10_000, 30_000, 100_000)):
    tracemalloc.start()
    lines = [
        f"    machine: {machine()}",
        "    what a page holds (MB): paused after a page run; playing, between two ticks after Play's page run "
        f"and {ticks} ticks; five pins of it",
        "",
        "| settings | paused | a paused run's peak | playing | its runs' peak | five pins |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        "| {} | {:.1f} | {:.1f} | {:.1f} | {:.1f} | {:.1f} |".format(name, *page_row(settings, ticks))
        for name, settings in CASES.items()
    ]
    lines += ["", "| a classroom on one server | MB held |", "|---|---:|"]
    lines += [f"| {what} | {mb:.0f} |" for what, mb in classroom_rows(ticks)]
    lines += [
        "",
        f"    a page left playing: the defaults, one step an epoch; history thinned past {MAX_HISTORY_ROWS:,} rows",
        "",
        "| epochs played | history rows | session (MB) | five pins of it (MB) |",
        "|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {epochs:,} | {rows:,} | {mb:.1f} | {pinned:.1f} |"
        for epochs, rows, mb, pinned in memory_by_epochs(checkpoints)
    ]
    tracemalloc.stop()
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ticks", type=int, default=10, help="ticks a playing page plays before it is measured")
    parser.add_argument("--epochs", type=int, nargs="+", default=[1_000, 10_000, 30_000, 100_000])
    args = parser.parse_args()
    print(report(args.ticks, args.epochs))


if __name__ == "__main__":
    main()
