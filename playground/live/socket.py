"""The live view's own socket: frames from a playing tab's ``LiveFeed``, about 40 a second, sent outside
Streamlit's runs, and one at once when a page run shows a change (a control's), which so reaches the browser
before the page run's own data. A custom route sits outside Streamlit's XSRF protection and auth, so: the tab's
random token (sent to its page only, in the component's data) names the feed, the Origin must be the page's own
host and that host one this server is reached by, and the socket sends frames: all it reads from the page is
its acknowledgements, the count of the frames it has taken, and all it does with them is pace its frames.

A server is shared by a class, and one visitor must not slow the others: a tab has one socket (the newest), its
frames are built on threads of their own in turn with every other tab's and paced by the CPU they take, each
playing tab an even part of the server (``feed.frame_seconds``), a page a second behind its frames (or that never
reads them) gets no more built and no share of the server until it catches up, and a tab gone stops training
(``watch_tabs``): its frames are what trains it."""

import asyncio
import collections
import concurrent.futures
import contextlib
import ctypes
import gc
import ipaddress
import json
import logging
import statistics
import threading
import time
from urllib.parse import urlsplit

from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect
from streamlit import config
from streamlit.runtime import Runtime

from playground.live.feed import FEEDS, FRAME_SECONDS, drawing_tabs, frame_seconds, playing_share

PATH = "/live_socket"
PAUSED_POLL_SECONDS = 0.05
# a frame unacknowledged this long: its page does not read, or is a second of frames behind, and is not drawing.
# Without acknowledgements only a send that sticks would say so, once the kernel's buffers, up to ~4 MB, are full:
# ~35 s of frames at the defaults
BEHIND_SECONDS = 1.0
MAX_ACKNOWLEDGEMENT = 12  # characters: a count of frames in decimal digits
COST_FRAMES = 5  # a socket's frames whose CPU, their median, paces the next (``Connection.cost``)
WATCH_SECONDS = 0.5  # how often the tabs' Streamlit sessions are looked at: a closed tab stops within this
# a tab gone is closed for good this long before Streamlit's TTL ends (it is seen gone up to a look late, and
# closed up to a look late): after the TTL, Streamlit no longer finds the session to close
EXPIRY_MARGIN = 2.0
CLOSE_SECONDS = 1.0  # for a socket's closing message: one whose page does not read never takes it
# close codes: no tab of this server; a page's message that is no acknowledgement; a newer socket; its tab gone
REFUSED, NOT_AN_ACKNOWLEDGEMENT, REPLACED, TAB_CLOSED = 1008, 1003, 4001, 4002
# Every tab's frames are built here, first come first served: at most one build of a tab is waiting or running
# (its one socket waits for it), so no tab's sockets can queue ahead of another's. Ten: enough to keep a 2-core
# server's cores busy while some builds wait for their tab's lock, which a page run may hold.
FRAME_BUILDERS = concurrent.futures.ThreadPoolExecutor(10, thread_name_prefix="live-frames")
LOG = logging.getLogger(__name__)
try:
    MALLOC_TRIM = ctypes.CDLL(None).malloc_trim  # glibc's; other C libraries have none
except (AttributeError, OSError, TypeError):
    MALLOC_TRIM = None


class StreamlitTabs:
    """The tabs' Streamlit sessions, as the runtime knows them (a test puts a stand-in in ``TABS``)."""

    def connected(self, tab_id):
        """Whether the tab's browser is still connected (a feed of no tab, or no runtime: as far as is known)."""
        return tab_id is None or not Runtime.exists() or Runtime.instance().is_active_session(tab_id)

    def close(self, tab_id):
        """Close the tab's session for good, as Streamlit's session storage would at the end of its TTL, but now:
        that storage lets an expired session go only when another tab disconnects, holding its memory till then.
        On the event loop, as the runtime wants."""
        Runtime.instance().close_session(tab_id)

    def kept_seconds(self):
        """How long a disconnected tab's session waits for its browser to come back (server.disconnectedSessionTTL)."""
        return config.get_option("server.disconnectedSessionTTL")


TABS = StreamlitTabs()


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


class Connection:
    """A tab's live socket as its feed knows it (``LiveFeed.socket``): the newest only, since a reconnecting tab's
    new socket must win over its old one, which may linger half-open; drawing while its page acknowledges its
    frames, not once one has gone unacknowledged BEHIND_SECONDS (no more frames are built for it meanwhile)."""

    def __init__(self):
        self.ended = asyncio.Event()  # a newer socket of its tab took over, or its tab closed
        self.close_code = None
        self.acknowledged = 0  # the frames its page has taken
        # the CPU seconds of its last frames, built and sent: from none, so the first frames come at once
        self.costs = collections.deque([0.0] * COST_FRAMES, maxlen=COST_FRAMES)
        self.unacknowledged = collections.deque()  # when each frame sent since was sent (its send started)
        self.building = None  # the tab's last frame build: its next socket waits for it, if still running

    def end(self, code):
        self.close_code = code
        self.ended.set()

    def drawing(self):
        """Whether its page is taking its frames: the socket is open and none has waited BEHIND_SECONDS for its
        acknowledgement (a send that sticks counts from its start)."""
        behind = self.unacknowledged and time.monotonic() - self.unacknowledged[0] >= BEHIND_SECONDS
        return not self.ended.is_set() and not behind

    def acknowledge(self, message):
        """Take a message of the page: the count of this socket's frames it has taken, as text. False when it is
        anything else, or counts no new frame, or one not sent: each message must acknowledge a frame, so a page
        sends no more of them than it was sent frames."""
        text = message.get("text")
        if text is None or not 0 < len(text) <= MAX_ACKNOWLEDGEMENT or not (text.isascii() and text.isdigit()):
            return False
        newly = int(text) - self.acknowledged
        if not 0 < newly <= len(self.unacknowledged):
            return False
        for _ in range(newly):
            self.unacknowledged.popleft()
        self.acknowledged += newly
        return True

    @property
    def cost(self):
        """The CPU seconds a frame of this socket takes, which paces its frames: the median of its last ones, so
        that one far dearer than the others does not stall the tab (the first after Play passes the whole grid:
        340 ms at 8 × 256, against 14 ms a frame; among thirty tabs, it would hold back the next by 8 s)."""
        return statistics.median(self.costs)

    async def send(self, websocket, text, gone):
        """Send ``text``: the CPU it took on the event loop (compressing it, mostly), or None when one of ``gone``
        (the socket's end) comes first: a stuck send is dropped."""
        self.unacknowledged.append(time.monotonic())
        sending = asyncio.ensure_future(cpu_of(websocket.send_text(text)))
        await asyncio.wait((sending, *gone), return_when=asyncio.FIRST_COMPLETED)
        if not sending.done():
            sending.cancel()
            return None
        return sending.result()  # a page gone mid-send raises here


async def cpu_of(coroutine):
    """The CPU seconds ``coroutine`` took on this thread: all of it when it does not wait (a send whose socket
    takes it), else the loop's other work meanwhile too (a page slow to read is paced the more)."""
    started = time.thread_time()
    await coroutine
    return time.thread_time() - started


async def read_acknowledgements(websocket, connection):
    """The page's messages, until it closes the socket: each must be an acknowledgement (``Connection.acknowledge``);
    anything else ends the connection (NOT_AN_ACKNOWLEDGEMENT). Nothing a page sends is acted on otherwise. True
    when the page closed the socket."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return True
        if not connection.acknowledge(message):
            connection.end(NOT_AN_ACKNOWLEDGEMENT)
            return False


def frame_text(feed, share, train):
    """The feed's next frame as the JSON the socket sends (or None), and the CPU seconds it took: built on a frame
    builder, off the event loop."""
    started = time.thread_time()
    frame = feed.next_frame(share, train)
    text = None if frame is None else json.dumps(frame)
    return text, time.thread_time() - started


async def send_next_frame(websocket, connection, token, woken, gone):
    """The tab's next frame, if one is due and its page is taking them, built on a frame builder and sent (its CPU
    noted, which paces the next); not trained when ``woken`` (a change asked for it). Returns (the drawing tabs,
    whether the tab plays), or None when its session is gone or a send was dropped as the socket ended. Holds the
    feed only while it runs: the socket never keeps a closed tab's session alive."""
    feed = FEEDS.get(token)
    if feed is None:
        return None
    tabs, playing = drawing_tabs(), feed.session.playing
    if not (feed.moved() and connection.drawing()):  # a page behind gets its next frame once it catches up
        return tabs, playing
    connection.building = asyncio.get_running_loop().run_in_executor(
        FRAME_BUILDERS, frame_text, feed, playing_share(tabs), not woken
    )
    del feed
    text, cpu = await connection.building
    if text is not None:
        sent = await connection.send(websocket, text, gone)
        if sent is None:
            return None
        cpu += sent
    connection.costs.append(cpu)
    return tabs, playing


async def live_socket(websocket: WebSocket):
    token = websocket.query_params.get("token", "")
    feed = FEEDS.get(token)
    if not same_site(websocket.headers) or feed is None or not TABS.connected(feed.tab_id):
        await websocket.close(code=REFUSED)  # another site, no tab of this server, or a tab closed
        return
    await websocket.accept()
    if not TABS.connected(feed.tab_id):  # gone while it was accepted: the watch may have looked meanwhile
        await closing(websocket, TAB_CLOSED)
        return
    watching()
    connection, previous = Connection(), feed.socket
    feed.socket = connection
    if previous is not None:
        previous.end(REPLACED)
        connection.building = previous.building  # its build may still run: the tab's next waits for it
    del previous
    reading = asyncio.ensure_future(read_acknowledgements(websocket, connection))
    ended = asyncio.ensure_future(connection.ended.wait())
    gone = (reading, ended)
    loop, changed = asyncio.get_running_loop(), asyncio.Event()
    built = threading.Event()  # the frame a change asked for is built

    def listener():  # called from the page's thread
        built.clear()
        if not loop.is_closed():
            loop.call_soon_threadsafe(changed.set)
        return built

    feed.listener = listener
    del feed
    due = time.perf_counter()  # each frame's time: kept to the rate, a late one does not push back the next
    woken = False
    try:
        if connection.building is not None:  # one build of a tab at a time
            await asyncio.wait((connection.building, *gone), return_when=asyncio.FIRST_COMPLETED)
        while not any(task.done() for task in gone):
            sent = await send_next_frame(websocket, connection, token, woken, gone)
            if sent is None:
                break  # its session is gone, or its page stopped taking a send
            tabs, playing = sent
            if woken:
                built.set()  # once sent: the run that follows the callback starts after the frame left
            now = time.perf_counter()
            interval = frame_seconds(tabs, connection.cost) if playing else PAUSED_POLL_SECONDS
            due = max(due + interval, now - FRAME_SECONDS)
            waiting = asyncio.ensure_future(changed.wait())
            await asyncio.wait((waiting, *gone), timeout=max(0.0, due - now), return_when=asyncio.FIRST_COMPLETED)
            waiting.cancel()
            woken = changed.is_set()
            if woken:  # a page run showed a change: this frame now, the next a whole interval after it
                due = time.perf_counter()
            changed.clear()
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass  # the tab went away mid-send
    finally:
        reading.cancel()
        ended.cancel()
        if (feed := FEEDS.get(token)) is not None:
            if feed.listener is listener:
                feed.listener = None
            if feed.socket is connection:
                feed.socket = None
        del feed
    page_closed = reading.done() and not reading.cancelled() and reading.result()
    if connection.close_code is not None and not page_closed:
        await closing(websocket, connection.close_code)


async def closing(websocket, code):
    """Tell the page why its socket ends, unless it does not read: then the socket just ends."""
    with contextlib.suppress(TimeoutError, WebSocketDisconnect, RuntimeError, OSError):
        await asyncio.wait_for(websocket.close(code=code), CLOSE_SECONDS)


# --- the tabs that close --------------------------------------------------------------------------------------

watcher = None  # the task of ``watch_tabs``, started on the server's event loop by the first socket


def watching():
    """``watch_tabs`` running on this event loop."""
    global watcher
    if watcher is None or watcher.done():
        watcher = asyncio.ensure_future(watch_tabs())


async def watch_tabs():
    """Every WATCH_SECONDS, the tabs whose browser has gone (its Streamlit session disconnected): its socket ends
    and its token is refused while it is gone, so it trains no more (its frames are what trains it). Its run is
    left as it was, playing or paused: a tab back within Streamlit's TTL (a Wi-Fi blip, a proxy restarting) plays
    on if it played. Still gone EXPIRY_MARGIN before the TTL ends, its session is closed for good and collected at
    once, so its memory comes back then. Left to Streamlit, an expired session stays in its session storage until
    another tab disconnects, and its reference cycles wait for a full collection (``postScriptGC = false``)."""
    while True:
        await asyncio.sleep(WATCH_SECONDS)
        try:
            look_at_tabs(asyncio.get_running_loop())
        except Exception:
            LOG.exception("unexpected error watching the live view's tabs")


def look_at_tabs(loop):
    """One look of ``watch_tabs``: what it finds is let go when it returns, not kept until the next look."""
    for_good = closed_tabs(time.monotonic())
    for tab_id in for_good:
        TABS.close(tab_id)
    if for_good:
        loop.run_in_executor(FRAME_BUILDERS, collect)


def closed_tabs(now):
    """The tabs gone for the TTL less EXPIRY_MARGIN, their feeds dropped (their tokens refused for good); those
    found gone since the last look have their sockets ended."""
    for_good = []
    kept_seconds = TABS.kept_seconds() - EXPIRY_MARGIN
    for feed in list(FEEDS.values()):
        if TABS.connected(feed.tab_id):
            feed.tab_closed_at = None
        elif feed.tab_closed_at is None:
            feed.tab_closed_at = now
            if feed.socket is not None:
                feed.socket.end(TAB_CLOSED)
        elif now - feed.tab_closed_at >= kept_seconds:
            del FEEDS[feed.token]
            for_good.append(feed.tab_id)
    return for_good


def collect():
    """A full collection, which frees a closed session's reference cycles, then the C heap's free pages given back
    to the system: glibc keeps them otherwise, and after a class's tabs close the server would stay near its peak
    (6 tabs at the largest settings, three times over: 363, 397, 483 MB after, against 324, 337, 332 MB)."""
    gc.collect()
    if MALLOC_TRIM is not None:
        MALLOC_TRIM(0)


ROUTES = [WebSocketRoute(PATH, live_socket)]
