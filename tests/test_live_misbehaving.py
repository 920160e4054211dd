"""playground.live.socket with clients that do not behave: many sockets on one tab's token, a page that never
reads or never acknowledges what it read, one that sends what is no acknowledgement, a tab closed mid-play. One
visitor must not slow the others, and a tab gone must stop. The fake pages of test_live_socket first, then the
same through a real server (uvicorn's websockets)."""

import asyncio
import contextlib
import gc
import threading
import time
import weakref
from urllib.parse import urlsplit

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

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


class SilentBrowser(Browser):
    """A page that never acknowledges: its frames' sends complete, as they do while the kernel's buffers take them."""

    def acknowledge(self, taken):
        pass


class LateBrowser(Browser):
    """A page that falls behind: it acknowledges nothing until ``catch_up`` acknowledges all it has taken."""

    def acknowledge(self, taken):
        pass

    def catch_up(self):
        self.say(str(len(self.frames)))


class Tabs:
    """Streamlit's sessions as the socket asks about them: which tabs are gone, and which it closed for good. A
    tab's session state sits in reference cycles, as Streamlit's does: closing it leaves them to a collection."""

    def __init__(self, kept_seconds):
        self.kept, self.gone, self.closed, self.states = kept_seconds, set(), [], {}

    def open(self, tab_id, live):
        state = {"live_feed": live}
        state["self"] = state
        self.states[tab_id] = state

    def connected(self, tab_id):
        return tab_id not in self.gone

    def close(self, tab_id):
        self.closed.append(tab_id)
        del self.states[tab_id]

    def kept_seconds(self):
        return self.kept


@pytest.fixture
def tabs(monkeypatch):
    """Streamlit's sessions kept 60 s after their tab goes, looked at every 50 ms."""
    stand_in = Tabs(kept_seconds=60.0)
    monkeypatch.setattr(socket, "TABS", stand_in)
    monkeypatch.setattr(socket, "WATCH_SECONDS", 0.05)
    monkeypatch.setattr(socket, "EXPIRY_MARGIN", 0.0)
    return stand_in


async def together(*coroutines):
    return await asyncio.gather(*coroutines)


async def until(condition, seconds=10.0):
    """Wait for ``condition()``, looking every 20 ms; whether it came in time."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


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
        await asyncio.sleep(2.0)
        assert len(watched.frames) - frames >= 20  # the other tab's frames keep coming (80 in 2 s at its full rate)
        sockets[-1].gone.set()
        watched.gone.set()
        await asyncio.gather(*opened)

    run(together(socket.live_socket(watched), visitor()), seconds=30)
    assert [browser.closed_with for browser in sockets] == [socket.REPLACED] * 19 + [None]
    assert len(sockets[-1].frames) > 10 and most[0] == 1


@pytest.mark.parametrize("page", [DeafBrowser, SilentBrowser])
def test_a_page_that_never_reads_or_never_acknowledges_gets_no_more_frames_built_and_no_share(page):
    deaf_tab, tab = feed(), feed()
    deaf, reader = page(deaf_tab.token, wanted=FOREVER), Browser(tab.token, wanted=FOREVER)
    seen = {}

    async def look():
        await asyncio.sleep(socket.BEHIND_SECONDS + 1.0)
        seen["tabs"], seen["built"], frames = feeds.drawing_tabs(), deaf_tab.number, len(reader.frames)
        await asyncio.sleep(2.0)
        seen["built since"], seen["read since"] = deaf_tab.number - seen["built"], len(reader.frames) - frames
        deaf.gone.set()
        reader.gone.set()

    run(together(socket.live_socket(deaf), socket.live_socket(reader), look()), seconds=30)
    assert seen["tabs"] == 1  # the reading tab shares the server alone
    # the first frame, whose send never ended; or about a second of them (40), sent but never acknowledged. The
    # exact count is the machine's: a clean-clone CI run on a loaded 2-core machine once fell outside 2 to 41. What
    # the page must not get is frames without end: at most a second and a half of them, and none after (below)
    most = 1 if page is DeafBrowser else 1 + 1.5 / feeds.FRAME_SECONDS
    assert 1 <= seen["built"] <= most, seen
    assert seen["built since"] == 0
    assert seen["read since"] >= 20  # the reading tab: 80 frames in 2 s at its full rate
    assert deaf_tab.socket is None and tab.socket is None


def test_a_page_behind_its_frames_gets_none_until_it_catches_up():
    tab = feed()
    late = LateBrowser(tab.token, wanted=FOREVER)
    seen = {}

    async def catch_up_later():
        await asyncio.sleep(socket.BEHIND_SECONDS + 0.5)
        seen["behind"], seen["built"] = not tab.socket.drawing(), tab.number
        await asyncio.sleep(0.5)
        seen["built meanwhile"] = tab.number - seen["built"]
        late.catch_up()
        seen["again"] = await until(lambda: tab.number >= seen["built"] + 5)
        seen["drawing"] = tab.socket.drawing()
        late.gone.set()

    run(together(socket.live_socket(late), catch_up_later()), seconds=30)
    assert seen == {"behind": True, "built": seen["built"], "built meanwhile": 0, "again": True, "drawing": True}
    assert late.closed_with is None  # a page behind is paced, not closed


@pytest.mark.parametrize(
    "message",
    [
        {"data": b"1"},  # bytes
        {"text": "one"},
        {"text": ""},
        {"text": "-1"},
        {"text": "\u0661"},  # a digit, but not an ASCII one
        {"text": "0" * socket.MAX_ACKNOWLEDGEMENT + "1"},  # 1, but longer than a count may be
        {"text": "1000"},  # more frames than were sent
        {"text": "0"},  # no frame
        {"text": "1 "},
    ],
)
def test_a_message_that_is_no_acknowledgement_ends_the_socket(message):
    tab = feed()
    page = SilentBrowser(tab.token, wanted=FOREVER)

    async def say_it():
        await until(lambda: len(page.frames) >= 2)
        page.say(**message)
        return await until(lambda: page.closed_with is not None)

    closed = run(together(socket.live_socket(page), say_it()), seconds=30)[1]
    assert closed and page.closed_with == socket.NOT_AN_ACKNOWLEDGEMENT and tab.socket is None


def test_an_acknowledgement_of_frames_already_acknowledged_ends_the_socket():
    """Each message must acknowledge a new frame: a page cannot send more messages than it was sent frames."""
    tab = feed()
    page = SilentBrowser(tab.token, wanted=FOREVER)

    async def say_twice():
        await until(lambda: len(page.frames) >= 2)
        connection = tab.socket
        page.say("1")
        page.say("1")
        await until(lambda: page.closed_with is not None)
        return connection.acknowledged

    acknowledged = run(together(socket.live_socket(page), say_twice()), seconds=30)[1]
    assert acknowledged == 1 and page.closed_with == socket.NOT_AN_ACKNOWLEDGEMENT


def test_a_tab_closed_mid_play_stops_its_socket_and_its_training_and_is_refused(tabs):
    live = feed(tab_id="tab")
    deaf_tab = feed(tab_id="deaf tab")
    browser, deaf = Browser(live.token, wanted=FOREVER), DeafBrowser(deaf_tab.token, wanted=FOREVER)
    outcome = {}

    async def close_the_tabs():
        await until(lambda: len(browser.frames) >= 5 and deaf_tab.number == 1)
        tabs.gone |= {"tab", "deaf tab"}  # their browsers went: a closed lid, a closed tab
        outcome["ended"] = await until(lambda: browser.closed_with is not None and deaf.closed_with is not None)
        refused = Browser(live.token)
        await socket.live_socket(refused)
        outcome["refused"] = refused.closed_with
        step = live.session.trainer.step_count
        await asyncio.sleep(0.3)
        outcome["steps since"] = live.session.trainer.step_count - step

    run(together(socket.live_socket(browser), socket.live_socket(deaf), close_the_tabs()), seconds=30)
    assert outcome == {"ended": True, "refused": socket.REFUSED, "steps since": 0}
    assert browser.closed_with == deaf.closed_with == socket.TAB_CLOSED
    assert live.socket is None and deaf_tab.socket is None  # neither counts in the share
    assert live.session.playing and deaf_tab.session.playing  # as they left: they play on if they come back
    assert tabs.closed == []  # within Streamlit's TTL: the tab may come back


@pytest.mark.parametrize("playing", [True, False])
def test_a_tab_back_within_the_ttl_plays_on_if_it_played_and_stays_paused_if_not(tabs, playing):
    """A blip (Wi-Fi, a proxy restarting): the tab's Streamlit session disconnects and comes back."""
    live = feed(playing, tab_id="tab")
    browser = Browser(live.token, wanted=FOREVER)
    back = Browser(live.token, wanted=FOREVER)
    seen = {}

    async def away_and_back():
        await until(lambda: len(browser.frames) >= 3 if playing else live.socket is not None)
        tabs.gone.add("tab")
        await until(lambda: browser.closed_with is not None)
        seen["step"] = live.session.trainer.step_count
        await asyncio.sleep(0.3)
        seen["steps while away"] = live.session.trainer.step_count - seen["step"]
        tabs.gone.discard("tab")  # the same Streamlit session, reconnected
        coming_back = asyncio.ensure_future(socket.live_socket(back))
        await until(lambda: len(back.frames) >= 3) if playing else await asyncio.sleep(0.3)
        back.gone.set()
        await coming_back

    run(together(socket.live_socket(browser), away_and_back()), seconds=30)
    assert browser.closed_with == socket.TAB_CLOSED and back.accepted and back.closed_with is None
    assert seen["steps while away"] == 0 and live.session.playing == playing and tabs.closed == []
    if playing:  # it trains on from where it left
        assert len(back.frames) >= 3 and back.frames[0]["step"] >= seen["step"]
        assert back.frames[-1]["step"] > seen["step"]
    else:
        assert back.frames == [] and live.session.trainer.step_count == seen["step"]


def test_a_socket_accepted_as_its_tab_goes_ends_before_any_frame(tabs):
    """The watch may look while the socket is being accepted: it finds no socket of the tab to end then."""
    live = feed(tab_id="tab")

    class Leaving(Browser):
        async def accept(self):
            tabs.gone.add("tab")
            await super().accept()

    browser = Leaving(live.token, wanted=FOREVER)
    run(socket.live_socket(browser))
    assert browser.accepted and browser.closed_with == socket.TAB_CLOSED and browser.frames == []
    assert live.socket is None and live.session.trainer.step_count == 0


def test_a_tab_gone_for_the_ttl_is_closed_for_good_and_its_memory_collected(tabs):
    tabs.kept = 0.5
    tab = feed(tab_id="tab")
    tabs.open("tab", tab)
    kept = [weakref.ref(tab), weakref.ref(tab.session)]  # its feed, and its run's memory
    token, browser = tab.token, Browser(tab.token, wanted=FOREVER)
    del tab  # Streamlit's session state holds it now, in its reference cycles

    async def close_the_tab():
        await until(lambda: len(browser.frames) >= 3)
        tabs.gone.add("tab")
        return await until(lambda: all(ref() is None for ref in kept))

    gc.disable()  # the watch's collection, not one that happens to come, must find it
    try:
        collected = run(together(socket.live_socket(browser), close_the_tab()), seconds=30)[1]
    finally:
        gc.enable()
    assert collected and tabs.closed == ["tab"] and token not in feeds.FEEDS
    refused = Browser(token)
    run(socket.live_socket(refused))
    assert refused.closed_with == socket.REFUSED


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
        newest = sockets[-1]
        await asyncio.sleep(2.0)
        frames = len(other.outcome.times)  # from here on, more than a second after it would have stalled
        for replaced in sockets[:-1]:
            await asyncio.wait_for(replaced.wait_closed(), 10)
        codes = [replaced.close_code for replaced in sockets[:-1]]
        got = [await asyncio.wait_for(newest.recv(), 10) for _ in range(5)]
        await asyncio.sleep(2.0)
        read = len(other.outcome.times) - frames
        for opened in (newest, tab, other):
            await opened.close()
        return codes, len(got), read

    codes, newest_frames, read = run(visitor(), seconds=120)
    assert codes == [socket.REPLACED] * 29 and newest_frames == 5
    assert read >= 20  # the other tab, 80 frames in 2 s at its full rate: still moving


def test_through_a_server_a_closed_tabs_socket_ends_and_its_token_is_refused(server):
    async def closed_tab():
        tab = await playing_tab(server, 4)
        live = await connect(f"{tab.address}{tab.live_path}", origin=server, max_size=None)
        await tab.close()  # the browser tab closed; its live socket, held open here, reads on
        with contextlib.suppress(ConnectionClosed, TimeoutError):
            async with asyncio.timeout(10):
                while True:
                    await live.recv()
        return live.close_code, await refused_or_opened(server, tab.live_path, "127.0.0.1")

    assert run(closed_tab(), seconds=120) == (socket.TAB_CLOSED, 403)  # within seconds, not Streamlit's 30


def test_through_a_server_a_page_that_never_acknowledges_gets_a_second_of_frames_and_a_message_else_ends_it(server):
    async def silent_page():
        tab = await playing_tab(server, 5)
        silent = await connect(f"{tab.address}{tab.live_path}", origin=server, max_size=None)  # replaces the tab's
        got = []
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(socket.BEHIND_SECONDS + 2.0):
                while True:
                    await silent.recv()
                    got.append(time.monotonic())
        await silent.send(b"1")  # bytes: no acknowledgement
        with contextlib.suppress(ConnectionClosed):
            async with asyncio.timeout(10):
                while True:
                    await silent.recv()
        await tab.close()
        return got, silent.close_code

    got, code = run(silent_page(), seconds=120)
    assert 1 < len(got) <= 1 + 1 / feeds.FRAME_SECONDS  # a second of frames at most
    assert got[-1] - got[0] <= socket.BEHIND_SECONDS + 0.5  # then none: the last second read nothing
    assert code == socket.NOT_AN_ACKNOWLEDGEMENT
