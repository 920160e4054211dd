"""Shared by the browser tests and the browser benchmark: an app server on 127.0.0.1, Debian's Chromium."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# no first-run chores and no background traffic: this machine has no network but loopback
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def missing_browser():
    """Why a browser cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    if not os.path.exists(CHROMIUM):
        return "Chromium is not installed (apt-get install chromium)"
    return None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def app_server(timeout=60):
    """``streamlit run app.py`` on a free port of 127.0.0.1; yields its URL, stops it afterwards."""
    with app_server_process(timeout) as (url, _):
        yield url


@contextlib.contextmanager
def app_server_process(timeout=60):
    """As ``app_server``, and yields the server's process too (its memory, its stderr once started)."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
    ]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    try:
        while not _healthy(url):
            if time.time() > deadline or server.poll() is not None:
                raise RuntimeError(f"the app server did not start: {server.stderr.read().decode()[-2000:]}")
            time.sleep(0.3)
        yield url, server
    finally:
        server.terminate()
        server.wait(timeout=10)


def _healthy(url):
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
