"""The server's work per live tick at the page's largest settings, against the tick's budget.

A tick trains for TRAIN_SECONDS, passes the grid for GRID_SECONDS, redraws the live chart and the network
diagram's picture and serialises the figure as ``st.plotly_chart`` does: what the page's fragment runs on every
tick while playing, minus the websocket. The issue's limit: no tick over twice the budget (the tick period).
"""

import argparse
import time

import numpy as np
import plotly.io

from bench.train_speed import machine
from playground import network
from playground.charts import LiveChart
from playground.settings import Settings
from playground.state import Session
from playground.widgets import GRID_SECONDS, TICK_SECONDS, TRAIN_SECONDS

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


def tick_milliseconds(settings, ticks):
    """Each of ``ticks`` ticks of a playing page, network shown, in milliseconds; the first builds the figures."""
    session = Session(settings)
    session.playing = True
    chart = diagram = None
    durations = []
    for _ in range(ticks + 1):
        started = time.perf_counter()
        session.train_for(TRAIN_SECONDS)
        probabilities, hidden = session.grid_pass(with_hidden=True, seconds=GRID_SECONDS)
        if chart is None:
            chart = LiveChart(session.grid_x1, session.grid_x2, probabilities, session.data, session.history,
                              False, False, True)  # fmt: skip
            diagram = network.NetworkChart(session.model, hidden, settings.features)
        figure = chart.redraw(probabilities, session.history)
        diagram.redraw(session.model, hidden, figure=False)
        diagram.svg_uri()
        plotly.io.to_json(figure, validate=False)
        durations.append(1000 * (time.perf_counter() - started))
    return durations[1:]


def report(ticks=100):
    budget = 1000 * TICK_SECONDS
    lines = [
        f"    machine: {machine()}",
        f"    {ticks} ticks per case; budget {budget:.0f} ms a tick (train {1000 * TRAIN_SECONDS:.0f} ms, "
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
    parser.add_argument("--ticks", type=int, default=100, help="ticks measured per case")
    print(report(parser.parse_args().ticks))


if __name__ == "__main__":
    main()
