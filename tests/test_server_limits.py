"""The server's own limits, on a real app server: a websocket message that inflates past
``server.maxMessageSize`` is refused before the server holds it, and the page's largest messages fit under the
cap with room to spare (``python -m bench.message_sizes`` measures them in a browser)."""

import asyncio
import json
import tomllib

import numpy as np

from bench.browser_tools import ROOT, app_server_process
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
