"""bench/load.py's scenarios on tiny counts against a real app server: what each one gathers and reports, never
how fast (the figures are BENCHMARKS.md's, from ``python -m bench``)."""

import math
import subprocess
import sys
import urllib.request
import zlib

import pytest

from bench import load
from bench.browser_tools import ROOT, app_server_process
from tests.event_loop import run


@pytest.fixture(scope="module")
def served():
    """A server and a watch on it (its memory, CPU and log), shared by the module's tests."""
    with app_server_process() as (url, process):
        yield url, load.ServerWatch([process.pid], process.stderr)


def test_sessions_play_as_their_own_seeds_and_the_report_says_so(served, capsys):
    url, watch = served
    starts, outcomes, cores = run(load.play_sessions(url, [1, 2], 2, watch))
    assert [outcome.seed for outcome in outcomes] == [1, 2]
    assert all(outcome.times and not outcome.errors for outcome in outcomes)
    assert cores > 0
    load.report("sessions", 2, 2, starts, outcomes, watch.memory_mb(), cores, watch.errors)
    table = capsys.readouterr().out
    assert table.count("  own seed\n") == 2 and "each server ≤ 1,000 MB" in table


def test_sessions_at_a_link_showing_the_costly_views_are_sent_them(served):
    url, watch = served
    _, outcomes, _ = run(load.play_sessions(url, [1], 1, watch, "view=show_network,insides,hidden_space"))
    assert outcomes[0].carried == {"insides", "space"} and not outcomes[0].errors


def test_a_class_leaving_mid_play_is_followed_by_the_servers_memory_and_a_new_page(served, monkeypatch, capsys):
    url, watch = served
    monkeypatch.setattr(load, "LEAVE_SECONDS", 2)
    _, outcomes, _, leaving = run(load.play_and_leave(url, [3, 4], 1, watch, load.LARGEST))
    assert all(outcome.times for outcome in outcomes)
    assert leaving.newcomer.seed == 5 and leaving.newcomer.times and not leaving.newcomer.errors
    moments = [after for after, _ in leaving.memory]
    assert moments == sorted(moments) and moments[-1] >= 2 + 10 - 0.6  # every half second, to 10 s past the limit
    load.report_leaving(leaving, measured=True)
    shown = capsys.readouterr().out
    assert "server resident MB" in shown and "a new page at ≥" in shown


def test_each_attack_runs_in_its_window_beside_the_pages_with_the_costly_views_on(served, monkeypatch, capsys):
    url, watch = served
    views = "view=show_network,insides,hidden_space"  # the pages' and the attacker's tabs' alike
    attacks = [
        ("3 sockets on one token", lambda url, query: load.sockets_on_one_token(url, query, 3)),
        ("2 tabs without a socket", lambda url, query: load.tabs(url, query, 2, load.NO_SOCKET)),
        ("2 sockets never read", lambda url, query: load.tabs(url, query, 2, load.NEVER_READING)),
        ("2 compressed messages", lambda url, query: load.compressed_messages(url, query, 2, size=20_000_000)),
    ]
    monkeypatch.setattr(load, "ATTACKS", attacks)
    monkeypatch.setattr(load, "WARM_UP_SECONDS", 0.5)
    with load.Health(url) as health:
        windows, errors = run(load.under_attack(url, [6, 7], 1, views))
    assert [name for name, *_ in windows] == ["none (the pages alone)", *(name for name, _ in attacks)]
    assert all(len(rates) == 2 for _, _, rates, _ in windows) and errors == []
    notes = dict((name, note) for name, note, *_ in windows)
    assert notes["3 sockets on one token"] == "3 of 3 opened"
    assert "closed with [1009]" in notes["2 compressed messages"]  # each refused as too big once inflated
    assert all(math.isfinite(health.slowest(start, start + 1)) for *_, start in windows)
    load.report_attacks(2, 1, windows, errors, health, watch.memory_mb(), watch.errors, views)
    shown = capsys.readouterr().out
    assert f"sessions at ?{views} playing" in shown
    rows = [line for line in shown.splitlines() if line.startswith("| ")]
    assert [row.split(" | ")[0][2:] for row in rows[1:]] == [name for name, *_ in windows]  # a row each, in turn


def test_a_class_opening_gets_each_page_its_files_and_its_first_picture(served, capsys):
    url, _ = served
    with load.Health(url) as health:
        start, end, outcomes = run(load.class_opening(url, [8, 9], 0.5))
    assert all(outcome.page_fetched < outcome.first_picture <= end - start for outcome in outcomes)
    assert math.isfinite(health.slowest(start, end))  # asked meanwhile, and answered
    load.report_opening(2, start, end, outcomes, health, load.Memory(0, 0, 0, 0), [])
    assert "server: not measured" in capsys.readouterr().out


def test_the_files_a_class_fetches_are_the_scripts_styles_and_fonts_the_page_names(served):
    url, _ = served
    with urllib.request.urlopen(f"{url}/") as response:
        named = load.ASSETS.findall(response.read().decode())
    assert len(named) > 10 and all(path.startswith("static/") for path in named)
    assert {path.rsplit(".", 1)[-1] for path in named} >= {"js", "css", "woff2"}


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--pages", "2", "--hostile"], "take --sessions"),
        (["--pages", "2", "--query", "view=insides"], "take --sessions"),  # the pages would open at the defaults
        (["--sessions", "2", "--class-opening", "--query", "view=insides"], "takes neither --largest nor --query"),
    ],
)
def test_the_scenarios_and_a_links_settings_take_protocol_sessions_only(arguments, said):
    done = subprocess.run([sys.executable, "-m", "bench.load", *arguments], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and said in done.stderr


def test_a_compressed_message_inflates_to_the_size_asked():
    message = load.compressed_message(3_000_000)
    assert message[0] == 0x80 | 0x40 | 0x2  # final, compressed, binary
    length, mask = int.from_bytes(message[2:10]), message[10:14]
    payload = bytes(byte ^ mask[index % 4] for index, byte in enumerate(message[14:]))
    assert length == len(payload) < 10_000
    assert zlib.decompressobj(-15).decompress(payload + b"\x00\x00\xff\xff") == bytes(3_000_000)
