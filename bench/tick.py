"""The server's work per live tick at the page's largest settings, against the tick's budget.

A tick (``playground.widgets.live_view``) sends the live view the frames the last tick prepared, with the setup
built to see whether it changed, serialised as Streamlit's component serialises its data; then it prepares
FRAMES_PER_TICK frames, each after its share of TRAIN_SECONDS of training and of GRID_SECONDS of grid pass. That
is what the page's fragment runs on every tick while playing, minus the websocket. The issue's limit: no tick over
twice the budget (the tick period).
"""

import argparse
import json
import time

import numpy as np
from streamlit.util import calc_hash

from bench.train_speed import machine
from playground.live import KEY as LIVE_KEY
from playground.live import frames
from playground.settings import DEFAULT_VIEW, Settings
from playground.state import Session
from playground.widgets import FRAMES_PER_TICK, GRID_SECONDS, TICK_SECONDS, TRAIN_SECONDS

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
    """A tab's live view on the server as ``playground.widgets.live_view`` runs it, without Streamlit: the page's
    default view (the network shown, its first neuron large), in English, at the fastest speed. It keeps what
    the page keeps in ``st.session_state`` between runs, and drops each message once serialised, as the page
    hands its own to Streamlit."""

    def __init__(self, session, options=DEFAULT_VIEW.options):
        self.session, self.options = session, options
        has_neurons = "show_network" in options and session.model.config["hidden_sizes"]
        self.chosen = (0, 0) if has_neurons else None  # as playground.widgets.chosen_neuron starts
        self.prepared = []  # the frames a tick prepared, for the next run to send
        self.sent_step = self.sent_setup = None  # the last step and setup id sent

    def page_run(self):
        """A page run: everything sent afresh, from one frame of the session as it is, then, while playing, the
        first tick's frames prepared."""
        self.prepared = []
        self._show(fresh=True)
        if self.session.playing:
            self._prepare()

    def tick(self):
        """A playing tick: send what the last one prepared, prepare the next frames."""
        self._show(fresh=False)
        self._prepare()

    def _show(self, fresh):
        session = self.session
        if not self.prepared:
            self.prepared = [self._frame(None if fresh else self.sent_step)]
        setup = frames.setup(session, self.options, session.playing, self.chosen, "en")
        data = {"frames": self.prepared, "reset": fresh}
        if fresh or setup["id"] != self.sent_setup:
            data["setup"], self.sent_setup = setup, setup["id"]
        self.prepared = []
        serialised({"key": LIVE_KEY, **data})

    def _prepare(self):
        for index in range(FRAMES_PER_TICK):
            self.session.train_for(TRAIN_SECONDS / FRAMES_PER_TICK)
            self.prepared.append(self._frame(self.sent_step, hover=index == FRAMES_PER_TICK - 1))

    def _frame(self, after_step, hover=True):
        """A frame after a grid pass: a stripe of the grid while playing, all of it when paused."""
        session, network_shown = self.session, "show_network" in self.options
        seconds = GRID_SECONDS / FRAMES_PER_TICK if session.playing else None
        probabilities, hidden = session.grid_pass(with_hidden=network_shown, seconds=seconds)
        frame = frames.frame(session, probabilities, hidden if network_shown else None, self.chosen, "en",
                             after_step, "hard_regions" in self.options, hover=hover)  # fmt: skip
        self.sent_step = session.history["step"][-1]
        return frame


def serialised(data):
    """The data as Streamlit's component (1.67) serialises it: JSON for the message, and again with sorted keys
    for the element's identity, which it hashes even for a keyed element."""
    calc_hash(json.dumps(data, sort_keys=True))
    return json.dumps(data)


def tick_milliseconds(settings, ticks):
    """Each of ``ticks`` ticks of a playing page, network shown, in milliseconds, after the page run of Play."""
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
    budget = 1000 * TICK_SECONDS
    lines = [
        f"    machine: {machine()}",
        f"    {ticks} ticks per case; budget {budget:.0f} ms a tick ({FRAMES_PER_TICK} frames; train "
        f"{1000 * TRAIN_SECONDS:.0f} ms, grid {1000 * GRID_SECONDS:.0f} ms)",
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
    parser.add_argument("--ticks", type=int, default=100, help="ticks measured per case")
    print(report(parser.parse_args().ticks))


if __name__ == "__main__":
    main()
