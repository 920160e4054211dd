"""The live view's own socket: frames from a playing tab's ``LiveFeed``, about 30 a second, sent outside
Streamlit's runs. A custom route sits outside Streamlit's XSRF protection and auth, so: the tab's random token
(sent to its page only, in the component's data) names the feed, the Origin must be the page's own host, and
the socket only sends."""

import asyncio
import json
import time
from urllib.parse import urlsplit

from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from playground.live.feed import FEEDS, FRAME_SECONDS, playing_share

PATH = "/live_socket"
PAUSED_POLL_SECONDS = 0.05


async def live_socket(websocket: WebSocket):
    origin, host = websocket.headers.get("origin", ""), websocket.headers.get("host", "")
    token = websocket.query_params.get("token", "")
    if not origin or urlsplit(origin).netloc != host or token not in FEEDS:
        await websocket.close(code=1008)  # policy violation: another site, or no tab of this server
        return
    await websocket.accept()
    closed = asyncio.ensure_future(websocket.receive())  # the browser sends nothing; this ends with the socket
    try:
        while not closed.done():
            began = time.perf_counter()
            feed = FEEDS.get(token)
            if feed is None:
                break  # its session is gone
            share = playing_share()
            playing = feed.session.playing
            frame = await asyncio.to_thread(feed.next_frame, share) if playing else None
            del feed  # the socket never keeps a closed tab's session alive
            if frame is not None:
                await websocket.send_text(json.dumps(frame))
            interval = FRAME_SECONDS / share if playing else PAUSED_POLL_SECONDS
            await asyncio.sleep(max(0.0, interval - (time.perf_counter() - began)))
    except (WebSocketDisconnect, RuntimeError):
        pass  # the tab went away mid-send
    finally:
        closed.cancel()


ROUTES = [WebSocketRoute(PATH, live_socket)]
