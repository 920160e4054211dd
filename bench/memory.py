"""A session's memory as it plays on: the history is thinned past MAX_HISTORY_ROWS, so it levels off.

A page left playing records ~300 epochs a second with the defaults, about a million in an hour. This trains a
session with the page's defaults one epoch at a time, batch = the whole training set so an epoch is one step,
and reports the memory Python holds for the session (tracemalloc) after each count of epochs.
"""

import argparse
import gc
import tracemalloc

from bench.train_speed import machine
from playground.settings import Settings
from playground.state import MAX_HISTORY_ROWS, Session


def memory_by_epochs(checkpoints):
    """(epochs, history rows, MB the session holds) at each of ``checkpoints`` epochs."""
    tracemalloc.start()
    session = Session(Settings(batch_size=240))
    rows = []
    for epochs in checkpoints:
        while session.trainer.current_epoch < epochs:
            session.step_epoch()
        gc.collect()
        rows.append((epochs, len(session.history["epoch"]), tracemalloc.get_traced_memory()[0] / 1e6))
    tracemalloc.stop()
    return rows


def report(checkpoints=(1_000, 10_000, 30_000, 100_000)):
    lines = [
        f"    machine: {machine()}",
        f"    the defaults, one step an epoch; history thinned past {MAX_HISTORY_ROWS:,} rows",
        "",
        "| epochs played | history rows | memory held (MB) |",
        "|---:|---:|---:|",
    ]
    lines += [f"| {epochs:,} | {rows:,} | {mb:.1f} |" for epochs, rows, mb in memory_by_epochs(checkpoints)]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, nargs="+", default=[1_000, 10_000, 30_000, 100_000])
    print(report(parser.parse_args().epochs))


if __name__ == "__main__":
    main()
