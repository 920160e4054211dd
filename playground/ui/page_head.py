"""The playground's CSS in the head of the HTML page Streamlit serves, so that the browser's first paint has it.

Sent by a page run (``st.html``), the rules came after Streamlit had drawn the page's frame and inserted the sidebar
beside it: what they keep out of sight until it stops moving had already moved (python -m bench.first_picture)."""

from pathlib import Path

from starlette.datastructures import MutableHeaders

HERE = Path(__file__).parent
PAGE_CSS = (HERE / "page.css").read_text()
HEAD_END = b"</head>"
# a conditional request would get a 304 for an index.html whose head this file changed; without its validators the
# page (1-2 kB) comes whole each time, as Streamlit's "no-cache" asks anyway
VALIDATORS = ("etag", "last-modified")


def head_style(primary_color):
    """The rules, with the light theme's primary colour as --spl-primary (a page run names the dark one's)."""
    return f"<style>:root {{ --spl-primary: {primary_color}; }}\n{PAGE_CSS}</style>".encode()


class StyleInHead:
    """ASGI middleware: every HTML page served gets ``style`` before its ``</head>``; anything else passes as it is
    (an encoded body too, which has no ``</head>`` to find)."""

    def __init__(self, app, style):
        self.app = app
        self.style = style

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        start = None
        body = []

        async def send_with_style(message):
            nonlocal start
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=message["headers"])
                is_page = headers.get("content-type", "").startswith("text/html") and "content-encoding" not in headers
                if not is_page or message["status"] != 200:
                    await send(message)
                    return
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            page = b"".join(body).replace(HEAD_END, self.style + HEAD_END, 1)
            headers = MutableHeaders(raw=start["headers"])
            headers["content-length"] = str(len(page))
            for name in VALIDATORS:
                del headers[name]
            await send(start)
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, send_with_style)
