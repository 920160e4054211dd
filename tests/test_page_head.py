"""The page's CSS in the head of each HTML page served, and nothing else touched (playground/ui/page_head.py)."""

import asyncio

from starlette.responses import FileResponse, PlainTextResponse, Response

from playground.ui.page_head import StyleInHead, head_style
from tests.event_loop import run

PAGE = b"<!doctype html><html><head><title>x</title></head><body><div id=root></div></body></html>"
STYLE = b"<style>.x{}</style>"


def served(response, method="GET"):
    """What a client gets from ``response`` through the middleware: (status, headers, body)."""
    sent = []
    requested = asyncio.Event()

    async def app(scope, receive, send):
        await response(scope, receive, send)

    async def receive():  # the request has no body; the client waits for the whole answer
        if requested.is_set():
            await asyncio.Event().wait()
        requested.set()
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": "/", "headers": [], "query_string": b""}
    run(StyleInHead(app, STYLE)(scope, receive, send))
    headers = {name.decode(): value.decode() for name, value in sent[0]["headers"]}
    body = b"".join(message.get("body", b"") for message in sent[1:])
    assert int(headers.get("content-length", len(body))) == len(body)
    return sent[0]["status"], headers, body


def test_an_html_page_gets_the_style_before_its_head_ends_and_loses_its_validators(tmp_path):
    (tmp_path / "index.html").write_bytes(PAGE)
    status, headers, body = served(FileResponse(tmp_path / "index.html", headers={"Cache-Control": "no-cache"}))
    assert status == 200 and body == PAGE.replace(b"</head>", STYLE + b"</head>")
    assert "etag" not in headers and "last-modified" not in headers  # no 304 for a page whose head was changed
    assert headers["cache-control"] == "no-cache"


def test_a_page_sent_in_chunks_is_joined_first():
    class Chunked(Response):
        async def __call__(self, scope, receive, send):
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
            for start in range(0, len(PAGE), 10):
                await send({"type": "http.response.body", "body": PAGE[start : start + 10], "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    assert served(Chunked())[2] == PAGE.replace(b"</head>", STYLE + b"</head>")


def test_anything_else_passes_as_it_is():
    script = PlainTextResponse("</head>", media_type="application/javascript", headers={"etag": '"1"'})
    assert served(script)[1:] == ({"content-length": "7", "content-type": "application/javascript", "etag": '"1"'},
                                  b"</head>")  # fmt: skip
    encoded = Response(b"\x1f\x8b...", media_type="text/html", headers={"content-encoding": "gzip"})
    assert served(encoded)[2] == b"\x1f\x8b..."
    assert served(Response(PAGE, status_code=404, media_type="text/html"))[2] == PAGE
    assert served(Response(PAGE, media_type="text/html"), method="HEAD")[2] == PAGE


def test_the_style_names_the_primary_colour_and_holds_the_page_rules():
    style = head_style("#a82232").decode()
    assert style.startswith("<style>:root { --spl-primary: #a82232; }") and style.endswith("</style>")
    assert ".st-key-run_bar" in style
