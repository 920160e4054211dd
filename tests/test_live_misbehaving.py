"""playground.live.socket with clients that do not behave: many sockets on one tab's token, a page that never
reads. One visitor must not slow the others. The fake pages of
test_live_socket first, then the same through a real server (uvicorn's websockets)."""

import asyncio
import threading
from urllib.parse import urlsplit

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from bench.browser_tools import app_server_process
from bench.load import ProtocolSession
from playground.live import feed as feeds
from playground.live import socket
from tests.test_live_socket import Browser, feed, run

FOREVER = 10**6  # frames: a page that stays until the test sends it away


class DeafBrowser(Browser):
    """A page that never reads: its first frame's send never completes, until it goes away."""

    async def send_text(self, text):
        await self.gone.wait()


async def together(*coroutines):
    return await asyncio.gather(*coroutines)


def test_many_sockets_on_one_token_leave_the_newest_open_and_one_build_at_a_time():
    live, other = feed(), feed()
    building, most = [0], [0]
    count = threading.Lock()
    next_frame = live.next_frame

    def counted(*args):  # how many of this tab's frames are being built at once
        with count:
            building[0] += 1
            most[0] = max(most[0], building[0])
        try:
            return next_frame(*args)
        finally:
            with count:
                building[0] -= 1

    live.next_frame = counted
    sockets = [Browser(live.token, wanted=FOREVER) for _ in range(20)]
    watched = Browser(other.token, wanted=FOREVER)

    async def visitor():
        opened = []
        for browser in sockets:
            opened.append(asyncio.ensure_future(socket.live_socket(browser)))
            await asyncio.sleep(0.01)
        frames = len(watched.frames)
        await asyncio.sleep(1.0)
        assert len(watched.frames) - frames >= 10  # the other tab's frames keep coming (40 a second here)
        sockets[-1].gone.set()
        watched.gone.set()
        await asyncio.gather(*opened)

    run(together(socket.live_socket(watched), visitor()), seconds=30)
    assert [browser.closed_with for browser in sockets] == [socket.REPLACED] * 19 + [None]
    assert len(sockets[-1].frames) > 10 and most[0] == 1


def test_a_page_that_never_reads_gets_no_frames_built_and_no_share(monkeypatch):
    monkeypatch.setattr(feeds, "FULL_RATE_TABS", 1)  # a second tab drawing would halve every tab's share
    deaf_tab, tab = feed(), feed()
    deaf, reader = DeafBrowser(deaf_tab.token, wanted=FOREVER), Browser(tab.token, wanted=FOREVER)
    seen = {}

    async def look():
        await asyncio.sleep(socket.STUCK_SECONDS + 0.5)
        seen["share"], seen["built"], frames = feeds.playing_share(), deaf_tab.number, len(reader.frames)
        await asyncio.sleep(1.0)
        seen["built since"], seen["read since"] = deaf_tab.number - seen["built"], len(reader.frames) - frames
        deaf.gone.set()
        reader.gone.set()

    run(together(socket.live_socket(deaf), socket.live_socket(reader), look()), seconds=30)
    assert seen["share"] == 1.0  # the reading tab's alone
    assert seen["built"] == 1 and seen["built since"] == 0  # its first frame, whose send never ended; then none
    assert seen["read since"] >= 20  # the reading tab at its full rate, 40 a second
    assert deaf_tab.socket is None and tab.socket is None


# --- through a real server: uvicorn's websockets, a tab speaking Streamlit's protocol (bench.load) ---------------

CLASSROOM = "classroom.example"  # the name students type, as browser.serverAddress says it


@pytest.fixture(scope="module")
def server():
    """An app server whose students reach it as CLASSROOM (behind a proxy, say)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STREAMLIT_BROWSER_SERVER_ADDRESS", CLASSROOM)
        with app_server_process() as (url, _):
            yield url


async def playing_tab(url, seed):
    tab = ProtocolSession(url, seed)
    await tab.open()
    await tab.choose("play")
    return tab


async def refused_or_opened(url, path, name):
    """Open the live socket at ``path`` as a page of ``name`` would (its Host and Origin), the connection itself
    going to the server's address: True, or the HTTP status it was refused with."""
    port = urlsplit(url).port
    try:
        async with connect(f"ws://{name}:{port}{path}", origin=f"http://{name}:{port}", host="127.0.0.1", port=port):
            return True
    except InvalidStatus as refused:
        return refused.response.status_code


def test_through_a_server_a_rebinding_host_is_refused_and_a_configured_one_accepted(server):
    async def hosts():
        tab = await playing_tab(server, 1)
        try:
            return [await refused_or_opened(server, tab.live_path, name) for name in ("evil.example", CLASSROOM)]
        finally:
            await tab.close()

    assert run(hosts(), seconds=120) == [403, True]


def test_through_a_server_many_sockets_on_one_token_leave_the_newest_and_the_other_tabs_frames(server):
    async def visitor():
        tab, other = await playing_tab(server, 2), await playing_tab(server, 3)
        sockets = [await connect(f"{tab.address}{tab.live_path}", origin=server, max_size=None) for _ in range(30)]
        newest, frames = sockets[-1], len(other.outcome.times)
        await asyncio.sleep(2.0)
        for replaced in sockets[:-1]:
            await asyncio.wait_for(replaced.wait_closed(), 10)
        codes = [replaced.close_code for replaced in sockets[:-1]]
        got = [await asyncio.wait_for(newest.recv(), 10) for _ in range(5)]
        read = len(other.outcome.times) - frames
        for opened in (newest, tab, other):
            await opened.close()
        return codes, len(got), read

    codes, newest_frames, read = run(visitor(), seconds=120)
    assert codes == [socket.REPLACED] * 29 and newest_frames == 5
    assert read >= 20  # the other tab, 80 frames in 2 s at its full rate: still moving
