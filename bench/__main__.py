"""``python -m bench``: run every benchmark and write their figures to BENCHMARKS.md (about twenty minutes).

Each benchmark runs as its own process, as its command line says, so none inherits another's state; its output
goes into the file as it printed it, under a short account of what it measures and against which target.
"""

import argparse
import datetime
import subprocess
import sys
from pathlib import Path

from bench.load import LARGEST
from bench.train_speed import machine

ROOT = Path(__file__).resolve().parents[1]

SECTIONS = [
    (
        "Training step: nnlib against the textbook baseline and PyTorch",
        ["bench.train_speed"],
        "The baseline (`bench/textbook.py`) is the chapter's code as a reader writes it; PyTorch (CPU) trains the "
        "same nets with `nn.Sequential`. Ratios are against the baseline, measured in the same process in "
        "interleaved rounds. Targets: the book's net ≥ 1.8× the baseline; 2-64-64-64-3 in float32 ≥ 2×; a "
        "forward pass over the 100×100 grid ≤ 2 ms. The row *bias gradient as dout.sum(axis=0)* is nnlib with "
        "that one line as a reader writes it: what its product with a vector of ones buys.",
    ),
    (
        "Precision: float64, float32 and CuPy",
        ["bench.precision"],
        "Steps per second of the same nets in each precision; the CuPy row appears where CuPy sees a GPU. The "
        "page's *Time each precision* button measures the same for the network on screen.",
    ),
    (
        "float16: half-size weight files, and training in half precision",
        ["bench.float16"],
        "The book keeps its weights as float16 on disk (1.5.1): `save_params(model, file, dtype=np.float16)` "
        "writes such a file, which `load_model` reads back in the model's dtype; the first table is each file's "
        "size with the accuracy and loss before and after the round trip. The second trains the same net from "
        "the same weights on float32 and on float16 arrays. Target for offering float16 training: float32's "
        "speed and accuracy. NumPy has no float16 arithmetic on a CPU (its matrix products go without BLAS), "
        "so nnlib keeps float16 for files.",
    ),
    (
        "A live frame at the largest settings",
        ["bench.tick", "--ticks", "300"],
        "The server's work per frame of the live socket (training, a stripe of the grid pass, the frame built "
        "and serialised), network shown, at the fastest speed. Target: no frame over twice its budget, at 8 × "
        "256, 6 × 1,000 points and batch 1. 300 frames include an epoch's end for the largest case.",
    ),
    (
        "Memory of a page: paused, playing, pinned, a classroom's worth, left playing",
        ["bench.memory"],
        "What a page holds on the server between its runs (tracemalloc): its session, what its live view keeps "
        "and its pins. The bounds: a pass to draw or to measure leaves no layer caches and goes in parts of "
        "at most 2²⁰ layer outputs; a paused page keeps no hidden maps, a playing one a byte per hidden output "
        "(22 MB for 8 × 256); a pin keeps at most 2,000 history rows and its weights' .npz (≤ 3.8 MB); the "
        "history is thinned past 10,000 rows, so an hour of play (~1 million epochs at the defaults) holds what "
        "10,000 do. Targets: a session left playing for an hour under 150 MB; a classroom of 30 pages within a "
        "few GB (here 10 playing pages at the largest settings).",
    ),
    (
        "The live page in a browser",
        ["bench.browser"],
        "The app on 127.0.0.1 and headless Debian Chromium (Playwright) on the same machine, the page's defaults "
        "with the network shown, counted as Chromium paints them (CDP screencast). Targets: ≥ 30 painted frames "
        "a second, none with a chart missing over 10 s of play and over the learning-rate changes, the main "
        "thread ≤ 50 % busy, a learning-rate key press to the view showing it ≤ 100 ms (median of 12), Pause "
        "frozen within a frame, ≤ 300 kB/s on the (compressed) websocket, Play to 97 % accuracy in about 5–10 s "
        "at the default speed (slow enough to watch the regions form). The first picture (`bench/first_picture.py`): "
        "from navigation to the first painted frame that shows the regions, in fresh browser contexts, ≤ 1.5 s on a "
        "warm server (median of 5) and ≤ 3 s on the first visit after a server start, a cumulative layout shift "
        "≤ 0.05 over the load; beside them Streamlit's own floor, the same measure on a page of one block. Before "
        "the first picture's changes (97ea4a0, `python -m bench.first_picture` on the machine below, quiet): regions "
        "painted 2.40 s, layout shift 0.40, the first visit after a start 2.92 s.",
    ),
    (
        "The live page in a browser at the largest settings",
        ["bench.browser", "--query", LARGEST],
        "The same, with 8 hidden layers of 256, 6 classes × 1,000 points and batch 1: the page stays responsive "
        "(the server's side of it: the live frame section above).",
    ),
    (
        "The live page with the hidden space on",
        ["bench.browser", "--query", "view=show_network,hidden_space"],
        "The same as at the defaults, with the hidden space drawn too (the last hidden layer's warp of the plane, "
        "on its first two principal components). Target: ≥ 30 painted frames a second, as without it.",
    ),
    (
        "The live page with Inside the training on",
        ["bench.browser", "--query", "view=show_network,insides"],
        "The same, with each layer's histograms of activations and gradients over time, the dead ReLUs and the "
        "weight norms drawn too. Target: ≥ 30 painted frames a second, as without it.",
    ),
    (
        "The live page fitting a regression",
        ["bench.browser", "--query", "data=bumps&activation=tanh&init=auto"],
        "The same, fitting the six Gaussian bumps: the regions a field of predicted values, the points coloured by "
        "theirs, R² on the curves; Tanh and Xavier / He, with which the bench's learning rate of 1 fits them (the "
        "book's Sigmoid and 0.01·randn diverge there). Target: ≥ 30 painted frames a second, as a classifier's.",
    ),
    (
        "A class on one server: 30 sessions playing at the defaults",
        ["bench.load", "--sessions", "30", "--seconds", "30"],
        "Thirty sessions speaking Streamlit's websocket protocol and reading their live sockets as live.js does, "
        "each with its own seed, all playing for 30 s against one server. Targets: each ≥ 10 frames a second, no "
        "errors, the server ≤ 1 GB, each session shows its own seed's model.",
    ),
    (
        "A class on one server at the largest settings, then leaving mid-play",
        ["bench.load", "--sessions", "30", "--largest", "--leave", "--seconds", "30"],
        "The same at 8 × 256, 6 × 1,000 points and batch 1; then all thirty disconnect while playing and a new "
        "page at the defaults opens at once. Targets: each ≥ 2 frames a second, the server ≤ 2 GB; within 30 s "
        "of the leaving, the server's memory back (at most a third of what the class added still resident) and "
        "the new page at ≥ 90 % of the live socket's full rate.",
    ),
    (
        "One hostile visitor beside a class",
        ["bench.load", "--sessions", "3", "--hostile", "--seconds", "15"],
        "Three pages play while one visitor, in turn, opens 500 live sockets on one tab's token, leaves 40 tabs "
        "playing without a live socket, opens 20 live sockets it never reads, and keeps ten websocket messages "
        "in flight that inflate from 200 kB to 200 MB each. Targets: through each attack, every page keeps ≥ 80 % "
        "of the frame rate it had alone, and `/_stcore/health` answers within 250 ms.",
    ),
    (
        "One hostile visitor beside a class, with the costly views on",
        [
            "bench.load",
            "--sessions",
            "3",
            "--hostile",
            "--seconds",
            "15",
            "--query",
            "view=show_network,insides,hidden_space",
        ],
        "The same, every page and every tab of the visitor's showing the hidden space and Inside the training, "
        "which cost a tab more each frame (a pass of the hidden layer, the histograms' snapshots). Targets: as "
        "above.",
    ),
    (
        "A class opening the page at once",
        ["bench.load", "--sessions", "30", "--class-opening"],
        "Thirty sessions open the page within 2 s, each fetching its HTML and the files it names as a browser's "
        "first visit does, then its sockets. Targets: `/_stcore/health` answers within 1 s meanwhile, each page "
        "has its first picture (the live view's first frame) within 5 s of asking for the page.",
    ),
    (
        "The largest websocket messages, against the server's cap",
        ["bench.message_sizes"],
        "What a Chromium page sends and receives at its heaviest (sizes before compression, as Streamlit's "
        "`server.maxMessageSize` counts them, both ways). Target: the largest message sent ≤ half the cap set in "
        "`.streamlit/config.toml`.",
    ),
    (
        "Many users on one server: browser pages",
        ["bench.load", "--pages", "5", "--seconds", "60"],
        "Five headless Chromium pages on the same 2 cores as the server. Targets: each ≥ 10 frames drawn a second, "
        "no errors, the server ≤ 400 MB, each page shows its own seed's model.",
    ),
]


def run(module_and_arguments):
    """The benchmark's output, and a note if it failed or missed a target (its exit status)."""
    command = [sys.executable, "-m", *module_and_arguments]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    output = done.stdout.rstrip()
    if done.returncode:
        output += f"\n\n(exit status {done.returncode}: {done.stderr.strip().splitlines()[-1:] or 'a target missed'})"
    return output


def as_markdown(output):
    """Tables as they are; the other lines as indented blocks, so their columns stay aligned."""
    groups = []  # (is a table, lines)
    for line in output.splitlines():
        if not line.strip():
            continue
        table = line.startswith("|")
        if not groups or groups[-1][0] != table:
            groups.append((table, []))
        groups[-1][1].append(line if table else "    " + line.strip())
    return "\n\n".join("\n".join(lines) for _, lines in groups)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    parts = [
        "# Benchmarks",
        "",
        f"Written by `python -m bench` on {datetime.date.today()} at commit {commit.stdout.strip() or 'unknown'}, "
        f"on {machine()}. Each section names its command; speed is reported as ratios against a baseline run in "
        "the same process where there is one. How the page got to these figures, step by step: "
        "[docs/performance-notes.md](docs/performance-notes.md).",
    ]
    for title, command, intro in SECTIONS:
        print(f"running {' '.join(command)} ...", flush=True)
        parts += ["", f"## {title}", "", f"Command: `python -m {' '.join(command)}`", "", intro, ""]
        parts.append(as_markdown(run(command)))
    args.output.write_text("\n".join(parts) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
