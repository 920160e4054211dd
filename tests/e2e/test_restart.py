"""A page playing when its server restarts (a deploy), or when its tab is cut off for longer than the server keeps
a disconnected session (a laptop's lid closed): it follows the new session at once, its run controls work, and it
says what was lost. Cut off for a moment (a Wi-Fi blip), it plays on in its own session. Each test runs a server
of its own, on a port of its own, and stops it."""

import re
import time

import pytest

from bench.browser_tools import VIEWPORT, app_server_process
from tests.e2e.test_browser import live, open_app, press, status, wait_until
from tests.e2e.test_live_view import RUN_NAMES

RESTART_PORT, CUT_OFF_PORT, BLIP_PORT = 8621, 8622, 8661
# Chromium's offline mode holds a WebSocket open (its frames just wait), so the server never sees the tab go. A
# network really lost is made here: the page's sockets close, and new ones fail (to a port nothing listens on)
# until it is back; the server sees the tab's session disconnect, as it would after its pings went unanswered.
CUTTABLE_SOCKETS = """(() => {
  const Native = window.WebSocket, open = new Set();
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(window.cutOff ? "ws://127.0.0.1:9/" : url, protocols);
      open.add(this);
      this.addEventListener("close", () => open.delete(this));
    }
  };
  window.cut = (off) => {
    window.cutOff = off;
    if (off) open.forEach((socket) => socket.close());
  };
})()"""


class Server:
    """The app server on ``port`` with ``options`` (``app_server_process``), which a test can stop and start again
    there."""

    def __init__(self, port, *options):
        self.port, self.options, self.running = port, options, None

    def start(self):
        self.running = app_server_process(port=self.port, options=self.options)
        self.url, _ = self.running.__enter__()

    def stop(self):
        self.running.__exit__(None, None, None)


@pytest.fixture
def server(request, browser):  # the browser fixture first: it skips where no browser can run
    started = Server(*request.param)
    started.start()
    yield started
    started.stop()


def new_page(browser, script=None):
    context = browser.new_context(viewport=VIEWPORT)
    if script:
        context.add_init_script(script)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def notice(page, text):
    """The page's warning that says ``text``, once shown."""
    shown = page.locator('[data-testid="stAlert"]', has_text=text)
    shown.wait_for(timeout=20_000)
    return shown.inner_text()


def draws_and_runs(page, lang="en"):
    """The view draws frames of the session (each later one counted), and Pause, Epoch, Reset and Play work."""
    play, pause = RUN_NAMES[lang]
    drawn = live(page, "frames")
    wait_until(lambda: live(page, "frames") > drawn + 10, timeout=10)
    press(page, pause)
    wait_until(lambda: not re.search("steps/s|초당", status(page)), timeout=10)
    step = live(page, "at-step")
    page.locator(".st-key-step button").first.click()
    wait_until(lambda: live(page, "at-step") > step, timeout=10)
    page.locator(".st-key-reset button").first.click()
    wait_until(lambda: live(page, "at-step") == 0, timeout=10)
    press(page, play)
    wait_until(lambda: re.search("steps/s|초당", status(page)), timeout=10)


@pytest.mark.parametrize("server", [(RESTART_PORT,)], indirect=True)
def test_a_page_playing_through_a_server_restart_plays_on_in_the_new_session_and_names_the_pin_it_lost(browser, server):
    page = new_page(browser)
    open_app(page, server.url)
    page.locator(".st-key-pin button").first.click()
    page.get_by_text("Pinned runs (1 of 5)").wait_for()
    press(page, "Play")
    wait_until(lambda: live(page, "at-step") > 100)

    server.stop()
    server.start()
    said = notice(page, "The server restarted")
    assert "Your pinned run (run 1) is gone." in said and "points" not in said
    draws_and_runs(page)
    page.context.close()


@pytest.mark.parametrize("server", [(CUT_OFF_PORT, "--server.disconnectedSessionTTL", "2")], indirect=True)
def test_a_korean_page_cut_off_longer_than_the_session_ttl_plays_on_in_a_new_session_and_says_so(browser, server):
    page = new_page(browser, CUTTABLE_SOCKETS)
    open_app(page, server.url, "?lang=ko")
    press(page, "재생")
    wait_until(lambda: live(page, "at-step") > 100)

    page.context.set_offline(True)
    page.evaluate("cut(true)")
    time.sleep(4)  # twice the session's TTL
    page.context.set_offline(False)
    page.evaluate("cut(false)")
    said = notice(page, "2초 넘게 끊겨")
    assert "비교용으로 저장한 학습" not in said  # it had no pinned run: only what is true of this tab
    draws_and_runs(page, "ko")
    page.context.close()


@pytest.mark.parametrize("server", [(BLIP_PORT,)], indirect=True)
def test_a_page_cut_off_for_a_moment_plays_on_in_its_own_session_with_its_pin(browser, server):
    page = new_page(browser, CUTTABLE_SOCKETS)
    open_app(page, server.url)
    page.locator(".st-key-pin button").first.click()
    page.get_by_text("Pinned runs (1 of 5)").wait_for()
    press(page, "Play")
    wait_until(lambda: live(page, "at-step") > 100)

    page.context.set_offline(True)
    page.evaluate("cut(true)")
    time.sleep(2)  # the server sees the tab's session go (it looks every 0.5 s), well within its 30 s
    step = live(page, "at-step")
    page.context.set_offline(False)
    page.evaluate("cut(false)")
    wait_until(lambda: live(page, "at-step") > step + 100, timeout=20)  # it plays on
    page.get_by_text("1 pinned run: pause to compare it.").wait_for()  # its own session: the pin is there
    assert re.search("steps/s", status(page)) and page.locator('[data-testid="stAlert"]').count() == 0
    draws_and_runs(page)
    page.context.close()
