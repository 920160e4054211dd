"""playground.live.socket: the live view's own socket sends a playing tab's frames to its own page only."""

import asyncio
import concurrent.futures
import json

import pytest

from playground.live import feed as feeds
from playground.live import socket
from playground.live.feed import LiveFeed, Shown
from playground.session import Session

HOST = "127.0.0.1:8501"


class Browser:
    """The page's end of the socket: it acknowledges each frame it takes, as live.js does, and goes away after
    ``wanted`` frames."""

    def __init__(self, token, origin=f"http://{HOST}", wanted=3, host=HOST):
        self.headers = {"host": host} | ({"origin": origin} if origin else {})
        self.query_params, self.token = {"token": token}, token
        self.accepted, self.closed_with, self.frames, self.wanted = False, None, [], wanted
        self.gone = asyncio.Event()
        self.said = asyncio.Queue()  # what the page sends, for the socket's ``receive``

    async def accept(self):
        self.accepted = True

    async def close(self, code):
        self.closed_with = code

    async def receive(self):
        saying = asyncio.ensure_future(self.said.get())
        going = asyncio.ensure_future(self.gone.wait())
        await asyncio.wait((saying, going), return_when=asyncio.FIRST_COMPLETED)
        going.cancel()
        if saying.done():
            return saying.result()
        saying.cancel()
        return {"type": "websocket.disconnect"}

    def say(self, text=None, data=None):
        """Send the socket a message: text, or bytes (``data``)."""
        self.said.put_nowait({"type": "websocket.receive"} | ({"text": text} if data is None else {"bytes": data}))

    async def send_text(self, text):
        self.frames.append(json.loads(text))
        self.acknowledge(len(self.frames))
        if len(self.frames) >= self.wanted:
            self.gone.set()

    def acknowledge(self, taken):
        self.say(str(taken))


def feed(playing=True, tab_id=None):
    session = Session()
    if playing:
        session.play()
    live = LiveFeed(session, tab_id)
    live.show(Shown("s", None, "en", False, False, 0))
    return live


def run(coroutine, seconds=5.0):
    """``coroutine`` to its end on an event loop of its own thread: the browser tests' Playwright keeps one
    running on this one."""
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, asyncio.wait_for(coroutine, seconds)).result()


def connect(browser):
    run(socket.live_socket(browser))
    return browser


def test_a_playing_tab_gets_its_frames_in_order():
    live = feed()
    browser = connect(Browser(live.token))
    assert browser.accepted and [frame["number"] for frame in browser.frames] == [1, 2, 3]
    assert browser.frames[-1]["step"] == live.session.trainer.step_count


def test_a_playing_tabs_frames_wait_for_as_long_as_their_cpu_asks(monkeypatch):
    """Each frame's CPU, built and sent, is kept by its socket, and the next frame comes when the tab's part of
    FRAME_CORES allows: here a part so small that none is due within the test once the median of the last frames
    is some CPU, after the first three (a new socket's first frames come at once)."""
    monkeypatch.setattr(feeds, "FRAME_CORES", 1e-6)
    live = feed()
    browser = Browser(live.token, wanted=10**6)
    seen = {}

    async def look():
        await asyncio.sleep(1.0)
        seen["frames"], seen["costs"] = len(browser.frames), list(live.socket.costs)
        browser.gone.set()

    async def both():
        await asyncio.gather(socket.live_socket(browser), look())

    run(both())
    assert seen["frames"] == socket.COST_FRAMES // 2 + 1 == 3
    assert seen["costs"][:2] == [0.0, 0.0] and all(0 < cost < 1.0 for cost in seen["costs"][2:])


def test_a_frame_far_dearer_than_the_others_does_not_hold_back_its_tab():
    connection = socket.Connection()
    assert connection.cost == 0.0  # no frame yet: the first come at once
    connection.costs.extend([0.34, 0.014, 0.012, 0.015, 0.013])  # the first after Play passed the whole grid
    assert connection.cost == 0.014
    connection.costs.extend([0.05, 0.06, 0.055])  # a bigger network since: its frames cost more, and are paced so
    assert connection.cost == 0.05


@pytest.mark.parametrize(
    "origin",
    ["http://elsewhere.example", "http://127.0.0.1:9999", None],  # another site, another port, none said
)
def test_another_origin_is_refused(origin):
    live = feed()  # kept: FEEDS holds a tab's feed only while its page does, and only the origin is wrong here
    browser = connect(Browser(live.token, origin=origin))
    assert not browser.accepted and browser.closed_with == socket.REFUSED and browser.frames == []


def test_a_page_of_another_site_that_points_its_name_at_this_server_is_refused():
    """DNS rebinding: the page's origin is its own name, and so is the Host it asks for."""
    live = feed()  # the tab is there: only its page's site is refused
    browser = connect(Browser(live.token, origin="http://evil.example:8650", host="evil.example:8650"))
    assert not browser.accepted and browser.closed_with == socket.REFUSED


@pytest.mark.parametrize(
    "host",
    [
        "classroom.example:8080",  # browser.serverAddress: the name students type, here to a proxy's port
        "Classroom.Example",  # behind a proxy on port 80; a name in any case
        "teacher-laptop.local:8501",  # server.address
        "localhost:8501",
        "[::1]:8501",  # an address: only a page served from it has it as its origin
        "192.168.1.20:8501",
    ],
)
def test_a_page_of_a_host_this_server_is_reached_by_is_accepted(host, monkeypatch):
    options = {"browser.serverAddress": "classroom.example", "server.address": "teacher-laptop.local"}
    monkeypatch.setattr(socket.config, "get_option", options.get)
    live = feed()
    browser = connect(Browser(live.token, origin=f"http://{host}", host=host))
    assert browser.accepted and len(browser.frames) == 3


def test_a_token_of_no_tab_is_refused():
    feed()
    browser = connect(Browser("a-guess"))
    assert not browser.accepted and browser.closed_with == 1008


def test_a_paused_tab_gets_nothing_until_it_plays():
    live = feed(playing=False)
    browser = Browser(live.token, wanted=1)

    async def play_later():
        await asyncio.sleep(0.3)
        assert browser.frames == []
        live.session.play()

    async def both():
        await asyncio.gather(socket.live_socket(browser), play_later())

    run(both())
    assert len(browser.frames) == 1 and browser.frames[0]["allRows"]


def test_a_page_run_that_shows_a_change_gets_a_frame_at_once(monkeypatch):
    monkeypatch.setattr(socket, "PAUSED_POLL_SECONDS", 60.0)  # left to its poll, a paused tab would wait a minute
    live = feed(playing=False)
    browser = Browser(live.token, wanted=1)

    async def play_later():
        await asyncio.sleep(0.3)
        live.session.play()  # as Play's page run does, which then shows it
        live.show(live.shown)

    async def both():
        await asyncio.gather(socket.live_socket(browser), play_later())

    run(both())
    assert [frame["number"] for frame in browser.frames] == [1] and browser.frames[0]["version"] == 2
    assert live.listener is None  # the socket has gone: the page no longer calls it


def test_the_socket_ends_with_its_tab():
    tab = [feed()]  # what the tab's page holds
    browser = Browser(tab[0].token, wanted=10**6)

    async def close_the_tab():
        await asyncio.sleep(0.3)
        tab.clear()  # Streamlit dropped the session: its feed goes, and nothing else keeps it

    async def both():
        await asyncio.gather(socket.live_socket(browser), close_the_tab())

    run(both())
    assert browser.accepted and browser.frames and browser.token not in socket.FEEDS


def test_a_callbacks_change_goes_out_before_the_callback_returns_and_is_drawn_at_once(monkeypatch):
    monkeypatch.setattr(socket, "PAUSED_POLL_SECONDS", 60.0)
    live = feed()
    browser = Browser(live.token, wanted=10**6)
    built = []

    def pause():  # as Pause's callback does on the page's thread, a step after the socket's last frame
        with live.session.lock:
            live.session.train_for(1.0, max_steps=1)
            live.session.pause()
        live.changed(wait=True)
        built.append(live.number)

    async def pause_later():
        await asyncio.sleep(0.3)
        await asyncio.to_thread(pause)
        await asyncio.sleep(0.2)
        browser.gone.set()

    async def both():
        await asyncio.gather(socket.live_socket(browser), pause_later())

    run(both())
    last = browser.frames[-1]
    assert last["number"] == built[0] and last["now"] and not browser.frames[-2]["now"]
    assert last["step"] == live.session.trainer.step_count == last["rows"][-1][1]  # the row Pause recorded
