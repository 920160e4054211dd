"""Training speed of each precision the page offers: float64 and float32 on NumPy, float32 on CuPy (where CuPy
and a GPU are present), as steps per second and as a ratio to float64 NumPy measured in the same process.

Run: ``python bench/precision.py`` (under a minute).
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.train_speed import machine
from nnlib.datasets import make_spiral
from nnlib.models import MLP
from nnlib.optimizers import SGD
from nnlib.trainer import Trainer
from playground.settings import gpu_available

NETS = {  # name: (hidden sizes, activation, points per class, batch size)
    "book 2-10-3 sigmoid, batch 30": ([10], "sigmoid", 100, 30),
    "2-64-64-64-3 ReLU, batch 30": ([64, 64, 64], "relu", 100, 30),
    "2-8×256-6 ReLU, batch 1000": ([256] * 8, "relu", 1000, 1000),
}


def contenders():
    found = {"float64": (np.float64, "numpy"), "float32": (np.float32, "numpy")}
    if gpu_available():
        found["float32 CuPy"] = (np.float32, "cupy")
    return found


def steps_per_second(hidden, activation, points, batch, dtype, backend, steps):
    classes = 6 if len(hidden) > 3 else 3
    x, t = make_spiral(n=points, classes=classes, seed=0)
    model = MLP(2, hidden, classes, activation, dtype=dtype, seed=0, backend=backend)
    trainer = Trainer(model, SGD(lr=0.1), seed=0)
    trainer.set_data(x, t, batch)
    trainer.train_steps(10)  # warm-up: allocations, CuPy's kernel compilation
    synchronize = model.xp.cuda.Device().synchronize if backend == "cupy" else lambda: None
    synchronize()
    start = time.perf_counter()
    trainer.train_steps(steps)
    synchronize()
    return steps / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300, help="steps per contender per round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    if gpu_available():
        import cupy

        print(f"GPU: {cupy.cuda.runtime.getDeviceProperties(0)['name'].decode()}, CuPy {cupy.__version__}")
    print(f"{args.steps} steps per contender per round, {args.rounds} interleaved rounds, median round\n")
    print("| net | precision | steps/s | vs float64 NumPy |\n|---|---|---:|---:|")
    for name, (hidden, activation, points, batch) in NETS.items():
        rounds = {label: [] for label in contenders()}
        for _ in range(args.rounds):
            for label, (dtype, backend) in contenders().items():
                rounds[label].append(steps_per_second(hidden, activation, points, batch, dtype, backend, args.steps))
        medians = {label: float(np.median(values)) for label, values in rounds.items()}
        for label, speed in medians.items():
            print(f"| {name} | {label} | {speed:,.0f} | {speed / medians['float64']:.2f}× |")


if __name__ == "__main__":
    main()
