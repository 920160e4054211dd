"""The server's own limits, on a real app server: a websocket message that inflates past
``server.maxMessageSize`` is refused before the server holds it, and the page's largest messages fit under the
cap with room to spare (``python -m bench.message_sizes`` measures them in a browser). And the classroom set-up
(deploy/classroom.sh: replicas behind nginx) serves pages, ends idle connections, restarts a replica that stops."""

import asyncio
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import tomllib

import numpy as np
import pytest

from bench.browser_tools import ROOT, app_server_process, free_port
from bench.load import LARGEST, ProtocolSession, compressed_message, send_compressed, status_mb
from nnlib.datasets.points import MAX_ROWS
from playground.live.feed import LiveFeed
from playground.session import Session
from playground.settings import VIEW_OPTIONS, Settings
from tests.event_loop import run

CAP_BYTES = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxMessageSize"] * 1_000_000


def test_a_small_message_that_inflates_to_200_mb_is_refused_and_the_server_never_holds_it():
    message = compressed_message(200_000_000)
    assert len(message) < 250_000  # what travels: ~200 kB
    with app_server_process() as (url, server):
        peak_before = status_mb(server.pid, "VmHWM")
        code = run(send_compressed(url, message))
        grown = status_mb(server.pid, "VmHWM") - peak_before
        assert code == 1009  # "message too big", once it has inflated past the cap
        # at Streamlit's default cap (200 MB) the server's peak grew by ~390 MB here; at the cap, by a few MB
        assert grown < 50
        session = ProtocolSession(url, seed=1)  # and the server serves a page as before
        run(opened_and_closed(session))
        assert session.outcome.first_picture is not None and not session.outcome.errors


async def opened_and_closed(session):
    await session.open()
    await session.close()


def test_the_page_at_its_largest_settings_plays_and_pauses_under_the_cap():
    async def play_and_pause(url):
        session = ProtocolSession(url, seed=1, query=f"{LARGEST}&view={','.join(VIEW_OPTIONS)}")
        await session.open()
        await session.choose("play")
        await asyncio.sleep(2)
        await session.choose("pause")
        await session.close()
        return session

    with app_server_process() as (url, _):
        session = run(play_and_pause(url))
    # a message over the cap would have come as an exception element (MessageSizeError) in its place
    assert session.outcome.errors == []
    assert session.setup["playing"] is False and len(session.outcome.times) > 1


def test_the_live_views_largest_message_a_csv_of_the_most_points_fits_the_cap_twice():
    rng = np.random.default_rng(0)
    points = rng.uniform(-1, 1, (MAX_ROWS, 2)), np.eye(6)[rng.integers(0, 6, MAX_ROWS)]
    session = Session(Settings(dataset="upload"), uploaded=points)
    data = LiveFeed(session).page_data(VIEW_OPTIONS, None, "en", 0)
    assert len(session.data.x_train) + len(session.data.x_test) == MAX_ROWS
    assert 2 * len(json.dumps(data)) <= CAP_BYTES


class Classroom:
    """deploy/classroom.sh with two replicas and nginx on ports of 127.0.0.1; its output's lines as they come."""

    def __init__(self, tmp_path):
        first = next(port for port in iter(free_port, None) if port < 65000 and port_free(port + 1))
        self.url = f"http://127.0.0.1:{free_port()}"
        settings = {"REPLICAS": "2", "LISTEN": self.url.removeprefix("http://"), "FIRST_PORT": str(first)}
        self.process = subprocess.Popen(
            [str(ROOT / "deploy" / "classroom.sh")],
            env={**os.environ, **settings, "RUN_DIR": str(tmp_path)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(line) for line in self.process.stdout], daemon=True).start()
        self.replicas = {}  # port -> process

    def wait_for(self, pattern, timeout=120):
        """The next line of output that matches ``pattern`` (replica start lines noted on the way)."""
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if started := re.search(r"replica (\d+) started \(process (\d+)", line):
                self.replicas[int(started[1])] = int(started[2])
            if re.search(pattern, line):
                return line


def port_free(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


async def opened_playing_closed(session):
    await session.open()
    await session.choose("play")
    await asyncio.sleep(1)
    await session.close()


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed (apt-get install nginx-light)")
def test_the_classroom_serves_pages_ends_idle_connections_and_restarts_a_replica_that_stops(tmp_path):
    classroom = Classroom(tmp_path)
    try:
        classroom.wait_for("^ready")
        assert len(classroom.replicas) == 2
        # a tab through the proxy: its page, its Streamlit socket and its live socket reach one replica
        session = ProtocolSession(classroom.url, seed=1)
        run(opened_playing_closed(session))
        assert session.outcome.errors == [] and len(session.outcome.times) > 10
        assert session.headers["Cookie"].startswith("playground_route=")
        # a connection that never sends a request: nginx ends it (client_header_timeout 10 s); a replica would not
        idle = socket.create_connection(("127.0.0.1", int(classroom.url.rsplit(":", 1)[1])))
        idle.settimeout(20)
        started = time.monotonic()
        assert idle.recv(1) == b""
        assert 9 <= time.monotonic() - started <= 20
        idle.close()
        # a replica that stops is started again
        port, stopped = next(iter(classroom.replicas.items()))
        os.kill(stopped, signal.SIGKILL)
        classroom.wait_for(f"replica {port} stopped: restarting it", timeout=30)
        classroom.wait_for(f"replica {port} started")
        assert classroom.replicas[port] != stopped
    finally:
        classroom.process.send_signal(signal.SIGTERM)
        assert classroom.process.wait(timeout=30) == 0
    assert all(port_free(port) for port in classroom.replicas)  # nothing left running
    assert port_free(int(classroom.url.rsplit(":", 1)[1]))
