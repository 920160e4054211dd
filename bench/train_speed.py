"""Training-step speed of nnlib against the plain textbook baseline (and PyTorch on the CPU when it imports).

Every contender trains the same net on the same spiral with the same batch size; the runs are interleaved in
rounds inside one process, so a busy machine slows all of them alike, and the median round is reported.
Run: ``python bench/train_speed.py`` (``--quick`` for a smoke run).
"""

import argparse
import os
import platform
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import textbook

from nnlib.datasets import spiral
from nnlib.layers import Affine, _dot_into
from nnlib.models import MLP
from nnlib.optimizers import SGD
from nnlib.trainer import Trainer

BATCH = 30
GRID_SIDE = 100

NETS = {
    "book 2-10-3 sigmoid, float64": dict(hidden=[10], activation="sigmoid", dtype=np.float64, lr=1.0),
    "2-64-64-64-3 ReLU, float64": dict(hidden=[64, 64, 64], activation="relu", dtype=np.float64, lr=0.1),
    "2-64-64-64-3 ReLU, float32": dict(hidden=[64, 64, 64], activation="relu", dtype=np.float32, lr=0.1),
}


class PlainSumsAffine(Affine):
    """nnlib's Affine with the bias gradient as a reader writes it, ``dout.sum(axis=0)``: what nnlib's product
    with a vector of ones buys is the difference between the two nnlib rows."""

    def backward(self, dout):
        W, _ = self.params
        dW, db = self.grads
        _dot_into(self.x.T, dout, dW)
        db[...] = dout.sum(axis=0)
        return dout.dot(W.T) if self.input_grad else None


def nnlib_runner(net, x, t, plain_sums=False):
    model = MLP(
        2,
        net["hidden"],
        3,
        net["activation"],
        "std:0.01" if net["hidden"] == [10] else "auto",
        dtype=net["dtype"],
        seed=0,
    )
    if plain_sums:
        for layer in model.layers:
            if type(layer) is Affine:
                layer.__class__ = PlainSumsAffine
    trainer = Trainer(model, SGD(lr=net["lr"]), seed=0)
    trainer.set_data(x, t, BATCH)
    return trainer.train_steps


def textbook_runner(net, x, t, dtype=np.float64):
    activation = textbook.Sigmoid if net["activation"] == "sigmoid" else textbook.ReLU
    std = 0.01 if net["hidden"] == [10] else np.sqrt(2.0 / 64)
    model = textbook.Net([2, *net["hidden"], 3], activation, std, dtype, np.random.RandomState(0))
    optimizer = textbook.SGD(lr=net["lr"])
    x = x.astype(dtype)
    rng = np.random.RandomState(0)
    return lambda steps: textbook.train_steps(model, optimizer, x, t, BATCH, steps, rng)


def torch_runner(net, x, t):
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(0)
    torch.set_num_threads(os.cpu_count() or 1)
    dtype = torch.float64 if net["dtype"] == np.float64 else torch.float32
    sizes = [2, *net["hidden"], 3]
    layers = []
    for index, (rows, cols) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(torch.nn.Linear(rows, cols))
        if index < len(sizes) - 2:
            layers.append(torch.nn.Sigmoid() if net["activation"] == "sigmoid" else torch.nn.ReLU())
    model = torch.nn.Sequential(*layers).to(dtype)
    optimizer = torch.optim.SGD(model.parameters(), lr=net["lr"])
    xs, labels = torch.tensor(x, dtype=dtype), torch.tensor(t.argmax(axis=1))
    generator = torch.Generator().manual_seed(0)

    def run(steps):
        order = torch.randperm(len(xs), generator=generator)
        for step in range(steps):
            start = (step * BATCH) % (len(xs) - BATCH + 1)
            index = order[start : start + BATCH]
            loss = torch.nn.functional.cross_entropy(model(xs[index]), labels[index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss.item()

    return run


def per_step_us(run, steps):
    start = time.perf_counter()
    run(steps)
    return (time.perf_counter() - start) / steps * 1e6


def measure(steps, rounds):
    x, t = spiral.load_data()
    rows = []
    for name, net in NETS.items():
        runners = {
            "textbook (float64)": textbook_runner(net, x, t),
            "nnlib": nnlib_runner(net, x, t),
            "nnlib, bias gradient as dout.sum(axis=0)": nnlib_runner(net, x, t, plain_sums=True),
        }
        if net["dtype"] == np.float32:
            runners["textbook (float32)"] = textbook_runner(net, x, t, np.float32)
        torch_run = torch_runner(net, x, t)
        if torch_run is not None:
            runners["PyTorch CPU"] = torch_run
        for run in runners.values():
            run(steps // 10)  # warm-up: caches, lazily built constants
        times = {label: [] for label in runners}
        for _ in range(rounds):
            for label, run in runners.items():
                times[label].append(per_step_us(run, steps))
        baseline = statistics.median(times["textbook (float64)"])
        for label, samples in times.items():
            median = statistics.median(samples)
            rows.append((name, label, median, baseline / median))
    return rows


def grid_forward_ms(repeats):
    """A forward pass over a 100×100 input grid, as the playground draws its decision regions."""
    side = np.linspace(-1, 1, GRID_SIDE)
    grid = np.stack(np.meshgrid(side, side), axis=-1).reshape(-1, 2)
    model = MLP(2, [64, 64], 3, "relu", dtype=np.float32, seed=0)
    model.predict_proba(grid)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        model.predict_proba(grid)
        samples.append((time.perf_counter() - start) * 1e3)
    return statistics.median(samples)


def machine():
    processor = platform.processor() or platform.machine()
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo") as cpuinfo:
            names = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
        processor = names[0] if names else processor
    return f"{processor}, {os.cpu_count()} cores, Python {platform.python_version()}, NumPy {np.__version__}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000, help="steps per contender per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="few steps, for a smoke run")
    args = parser.parse_args()
    steps, rounds = (300, 2) if args.quick else (args.steps, args.rounds)

    print(f"machine: {machine()}")
    print(f"batch {BATCH}, {steps} steps x {rounds} interleaved rounds, median round\n")
    print("| net | implementation | µs/step | speed-up vs textbook float64 |\n|---|---|---:|---:|")
    for name, label, micros, ratio in measure(steps, rounds):
        print(f"| {name} | {label} | {micros:.1f} | {ratio:.2f}× |")
    print(
        f"\nforward pass over a {GRID_SIDE}×{GRID_SIDE} grid, 2-64-64-3 ReLU float32: "
        f"{grid_forward_ms(20 if args.quick else 200):.2f} ms (median)"
    )


if __name__ == "__main__":
    main()
