"""The live view's own socket: frames from a playing tab's ``LiveFeed``, about 40 a second, sent outside
Streamlit's runs, and one at once when a page run shows a change (a control's), which so reaches the browser
before the page run's own data. A custom route sits outside Streamlit's XSRF protection and auth, so: the tab's
random token (sent to its page only, in the component's data) names the feed, the Origin must be the page's own
host and that host one this server is reached by, and the socket only sends."""

import asyncio
import ipaddress
import json
import threading
import time
from urllib.parse import urlsplit

from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect
from streamlit import config

from playground.live.feed import FEEDS, FRAME_SECONDS, playing_share

PATH = "/live_socket"
PAUSED_POLL_SECONDS = 0.05
REFUSED = 1008  # the close code of a socket refused: another site, or no tab of this server


def served_host(host):
    """Whether ``host`` (a Host header) names this server: an IP address, or a name the server is configured to be
    reached by (``server.address``, ``browser.serverAddress``, localhost). A page of another site that points its own
    name at this server's address (DNS rebinding) asks for that name, which is none of these; it cannot make a
    browser send an IP address as its page's origin without being served from that address."""
    try:
        name = urlsplit(f"//{host}").hostname
    except ValueError:
        return False
    if not name:
        return False
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        names = (config.get_option("server.address"), config.get_option("browser.serverAddress"), "localhost")
        return name in {configured.lower() for configured in names if configured}


def same_site(headers):
    """The socket was opened by a page of this server: its Origin is the Host it asked for, and that host is ours."""
    origin, host = headers.get("origin", ""), headers.get("host", "")
    return bool(origin) and urlsplit(origin).netloc == host and served_host(host)


async def live_socket(websocket: WebSocket):
    token = websocket.query_params.get("token", "")
    if not same_site(websocket.headers) or token not in FEEDS:
        await websocket.close(code=REFUSED)
        return
    await websocket.accept()
    closed = asyncio.ensure_future(websocket.receive())  # the browser sends nothing; this ends with the socket
    loop, changed = asyncio.get_running_loop(), asyncio.Event()
    built = threading.Event()  # the frame a change asked for is built

    def listener():  # called from the page's thread
        built.clear()
        if not loop.is_closed():
            loop.call_soon_threadsafe(changed.set)
        return built

    if (feed := FEEDS.get(token)) is not None:
        feed.listener = listener
    del feed
    due = time.perf_counter()  # each frame's time: kept to the rate, a late one does not push back the next
    woken = False
    try:
        while not closed.done():
            feed = FEEDS.get(token)
            if feed is None:
                break  # its session is gone
            share = playing_share()
            playing = feed.session.playing
            frame = await asyncio.to_thread(feed.next_frame, share, not woken) if feed.moved() else None
            del feed  # the socket never keeps a closed tab's session alive
            if frame is not None:
                await websocket.send_text(json.dumps(frame))
            if woken:
                built.set()  # once sent: the run that follows the callback starts after the frame left
            now = time.perf_counter()
            due = max(due + (FRAME_SECONDS / share if playing else PAUSED_POLL_SECONDS), now - FRAME_SECONDS)
            waiting = asyncio.ensure_future(changed.wait())
            await asyncio.wait((waiting, closed), timeout=max(0.0, due - now), return_when=asyncio.FIRST_COMPLETED)
            waiting.cancel()
            woken = changed.is_set()
            if woken:  # a page run showed a change: this frame now, the next a whole interval after it
                due = time.perf_counter()
            changed.clear()
    except (WebSocketDisconnect, RuntimeError):
        pass  # the tab went away mid-send
    finally:
        closed.cancel()
        if (feed := FEEDS.get(token)) is not None and feed.listener is listener:
            feed.listener = None


ROUTES = [WebSocketRoute(PATH, live_socket)]
