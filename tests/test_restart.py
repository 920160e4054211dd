"""A page that comes back in a new session (the server restarted, or ended the tab's session while it was away):
what the old session said of the tab (``page.tab_data``) comes back from the view (live.js), and the new one says
what was lost, in the page's language, and plays on if the old one played (``callbacks.came_back``). The browser
side is tests/e2e/test_restart.py."""

import pytest

from nnlib.datasets import make_spiral
from playground import live, pins
from playground.session import Session
from playground.settings import Settings
from playground.ui import callbacks, page
from tests.test_uploads import FakeState


@pytest.fixture
def state(monkeypatch):
    """A tab's session state, as the page's functions and the callbacks read it."""
    fake = FakeState(session=Session(Settings()), pins=[])
    monkeypatch.setattr(callbacks.st, "session_state", fake)
    return fake


def back_in_a_new_session(state, tab, monkeypatch, restarted, lang="en"):
    """The tab's page back in a new session: its state starts afresh (its language from the link), on another
    server process if ``restarted``."""
    state.clear()
    state.update(session=Session(Settings()), pins=[], lang=lang)
    if restarted:
        monkeypatch.setattr(live, "SERVER", "another process")
    callbacks.came_back(tab)


def test_after_a_restart_the_page_names_the_pins_and_points_it_lost_and_plays_on(state, monkeypatch):
    session = state.session
    x, t = make_spiral(n=2, seed=1)
    session.use_uploaded((x, t))
    state.pins = pins.pin(pins.pin(state.pins, session), session)
    session.play()
    tab = page.tab_data(session, "the old tab") | {"playing": session.playing}

    back_in_a_new_session(state, tab, monkeypatch, restarted=True)
    assert state.restart_notice == (
        "The server restarted: training starts again at epoch 0, with the settings kept from the link. "
        "Your pinned runs (run 1, run 2) are gone. The 6 points you uploaded or added are gone."
    )
    assert state.session.playing


def test_a_tab_away_longer_than_the_ttl_hears_it_in_korean_and_only_that_when_it_held_nothing_else(state, monkeypatch):
    state.lang = "ko"
    tab = page.tab_data(state.session, "the old tab") | {"playing": False}

    option = callbacks.st.get_option
    monkeypatch.setattr(
        callbacks.st, "get_option", lambda name: 2 if name == "server.disconnectedSessionTTL" else option(name)
    )
    back_in_a_new_session(state, tab, monkeypatch, restarted=False, lang="ko")
    assert state.restart_notice == (
        "이 탭의 연결이 2초 넘게 끊겨 서버가 세션을 끝냈습니다. 링크에 담긴 설정 그대로 에폭 0부터 다시 학습합니다."
    )
    assert not state.session.playing


def test_values_the_page_never_sends_are_left_out_of_the_notice(state):
    callbacks.came_back(
        {"server": ["x"], "pins": ["**run 9**", 2.5, None, True], "points": "1e9", "weights": "yes", "playing": "yes"}
    )
    assert state.restart_notice == (
        "The server restarted: training starts again at epoch 0, with the settings kept from the link."
    )
    assert not state.session.playing
