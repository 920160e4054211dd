"""The server's work per live frame at the page's largest settings, against the frame's budget.

While a page plays, its live socket (``playground/live/socket.py``) asks the tab's ``LiveFeed`` for a frame every
FRAME_SECONDS: TRAIN_SECONDS of training at most, a stripe of the grid pass (GRID_SECONDS), the frame built, then
serialised as JSON to be sent. This runs exactly that, minus the socket. The limit: no frame over twice the
budget (the frame period).
"""

import argparse
import json
import time

import numpy as np

from bench.train_speed import machine
from playground.live.feed import FRAME_SECONDS, GRID_SECONDS, TRAIN_SECONDS, LiveFeed
from playground.session import Session
from playground.settings import DEFAULT_VIEW, Settings

CASES = {  # name -> settings: the page's defaults, and its largest network, data set and smallest batch
    "defaults (2-10-3, 300 points, batch 30)": Settings(),
    "8 × 256 ReLU, 6 × 1,000 points, batch 1, Adam": Settings(
        dataset="spiral", classes=6, points=1000, hidden=(256,) * 8, batch_size=1, activation="relu", init="he",
        optimizer="Adam", learning_rate=0.001,
    ),
    "8 × 256 ReLU, 6 × 1,000 points, batch 1, float32": Settings(
        dataset="spiral", classes=6, points=1000, hidden=(256,) * 8, batch_size=1, activation="relu", init="he",
        optimizer="Adam", learning_rate=0.001, precision="float32",
    ),
}  # fmt: skip


class LiveTab:
    """A tab's live view on the server as the page and its socket run it, without Streamlit: the page's default
    view (the network shown, its first neuron large), in English, at the fastest speed."""

    def __init__(self, session, options=DEFAULT_VIEW.options):
        self.session, self.options = session, options
        has_neurons = "show_network" in options and session.model.config["hidden_sizes"]
        self.chosen = (0, 0) if has_neurons else None  # as playground.ui.panels.chosen_neuron starts
        self.feed = LiveFeed(session)

    def page_run(self):
        """What a page run sends the view (playground.ui.page.live_view), serialised as its component does."""
        json.dumps(self.feed.page_data(self.options, self.chosen, "en", 0))

    def tick(self):
        """A playing frame as the socket sends it."""
        json.dumps(self.feed.next_frame())


def tick_milliseconds(settings, ticks):
    """Each of ``ticks`` frames of a playing page, network shown, in milliseconds, after the page run of Play."""
    session = Session(settings)
    session.play()
    tab = LiveTab(session)
    tab.page_run()
    durations = []
    for _ in range(ticks):
        started = time.perf_counter()
        tab.tick()
        durations.append(1000 * (time.perf_counter() - started))
    return durations


def report(ticks=100):
    budget = 1000 * FRAME_SECONDS
    lines = [
        f"    machine: {machine()}",
        f"    {ticks} frames per case; budget {budget:.0f} ms a frame (train at most {1000 * TRAIN_SECONDS:.0f} ms, "
        f"grid {1000 * GRID_SECONDS:.0f} ms)",
        "",
        "| settings | median ms | 99th percentile ms | worst ms | worst / budget |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, settings in CASES.items():
        durations = tick_milliseconds(settings, ticks)
        worst = max(durations)
        lines.append(f"| {name} | {np.median(durations):.0f} | {np.percentile(durations, 99):.0f} | {worst:.0f} | "
                     f"{worst / budget:.2f}× |")  # fmt: skip
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ticks", type=int, default=100, help="frames measured per case")
    print(report(parser.parse_args().ticks))


if __name__ == "__main__":
    main()
