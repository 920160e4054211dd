"""playground.live.feed: the frames a playing tab's socket sends between page runs, in an order the view keeps."""

import base64
import dataclasses
import threading
import time
import weakref

import numpy as np
import pytest

from playground.live import feed as feeds
from playground.live import frames, socket
from playground.live.feed import LiveFeed, Shown
from playground.session import Session
from playground.session.space import REFRESH_SECONDS, choose
from playground.settings import Settings


def playing_feed(**shown):
    session = Session()
    session.play()
    feed = LiveFeed(session)
    feed.show(Shown(**{"setup_id": "s", "chosen": None, "lang": "en", "hard": False, "network": True, "speed": 0}
                    | shown))  # fmt: skip
    return feed


def test_each_frame_trains_and_sends_the_rows_since_the_last_in_its_versions_order():
    feed = playing_feed()
    first, second = feed.next_frame(), feed.next_frame()
    assert (first["version"], first["number"], second["number"]) == (1, 1, 2)
    assert first["allRows"] and first["setupId"] == "s"  # the first after a page run: the view may take it first
    assert not second["allRows"] and first["step"] < second["step"]
    assert second["after"] == first["rows"][-1][1] and all(row[1] > second["after"] for row in second["rows"])
    assert second["step"] == feed.session.trainer.step_count and "network" in second
    feed.show(feed.shown)  # a page run: a new version, and its first frame sends every row again
    assert feed.version == 2 and feed.next_frame()["allRows"]


def test_a_paused_tab_sends_nothing_and_trains_nothing():
    feed = playing_feed()
    feed.session.pause()
    assert feed.next_frame() is None and feed.session.trainer.step_count == 0


def test_a_paused_run_that_moved_sends_what_moved_once():
    feed = playing_feed()
    feed.session.pause()
    feed.session.step_epoch()  # as Step does, before its page run
    frame = feed.next_frame()
    assert frame["step"] == feed.session.trainer.step_count > 0
    assert frame["rows"][-1][1] == frame["step"] and feed.next_frame() is None


def test_a_model_its_page_has_not_shown_yet_waits_for_that_page_run():
    feed = playing_feed()
    feed.session.reset()  # a new run, as a rebuild makes one: the view still has the old one's setup
    assert feed.next_frame() is None and feed.session.trainer.step_count == 0
    feed.show(feed.shown)
    assert feed.next_frame()["allRows"]


def test_a_frame_right_after_a_change_shows_it_without_training():
    feed = playing_feed()
    frame = feed.next_frame(train=False)
    assert frame["step"] == feed.session.trainer.step_count == 0 and frame["number"] == 1


def test_a_frame_that_finds_the_run_paused_by_a_control_is_drawn_at_once():
    """Pause's callback may take the lock before the socket's frame asked for while playing: that frame, which
    shows the pause, is the one the view must draw at once (the socket's next has nothing new)."""
    feed = playing_feed(speed=1)  # one step a frame: the first is no epoch's end, so the Pause records a row
    assert not feed.next_frame()["now"]  # a playing frame: drawn in its turn
    feed.session.pause()
    frame = feed.next_frame()
    assert frame["now"] and frame["step"] == feed.session.trainer.step_count and feed.next_frame() is None


def test_the_frames_of_a_play_say_so_before_its_page_run_brings_the_playing_setup():
    """Play's callback starts the run before the page run sends the setup that says it plays: the socket's frames
    of that setup are the first the view gets, and a screen reader must hear them as a playing run's (live.js's
    ``announcing``), not each at once as a paused run's."""
    feed = playing_feed(speed=1)
    feed.session.pause()
    feed.show(feed.shown)  # the page shows a paused run
    feed.session.play()  # Play's callback; its page run has not come yet
    first, second = feed.next_frame(), feed.next_frame()
    assert first["setupId"] == second["setupId"] == "s" and first["playing"] and second["playing"]
    assert first["status"] != second["status"]
    feed.session.pause()
    assert not feed.next_frame()["playing"]


def test_a_frame_waiting_for_the_lock_while_a_page_run_shows_a_change_is_built_for_that_change():
    feed = playing_feed()
    waiting, built = threading.Event(), []

    class Lock:  # the session's lock, saying when the frame starts waiting for it
        def __init__(self, lock):
            self.lock = lock

        def __enter__(self):
            waiting.set()
            return self.lock.__enter__()

        def __exit__(self, *exc):
            return self.lock.__exit__(*exc)

    lock = feed.session.lock
    with lock:  # a page run holds it
        feed.session.lock = Lock(lock)
        frame_thread = threading.Thread(target=lambda: built.append(feed.next_frame(train=False)))
        frame_thread.start()
        waiting.wait(5)
        feed.show(dataclasses.replace(feed.shown, setup_id="new", lang="ko"))
    frame_thread.join(5)
    assert built[0]["version"] == feed.version and built[0]["setupId"] == "new"


def test_a_page_run_waiting_for_the_lock_goes_before_the_frame():
    feed = playing_feed()
    feed.session.hurry = True  # as ``Session.held`` sets it while it waits
    assert feed.next_frame() is None and feed.number == 0


def test_the_frame_that_stops_at_a_target_says_so():
    feed = playing_feed()
    feed.session.apply(feed.session.settings.replace(stop_epoch=1))
    frames = [feed.next_frame() for _ in range(50)]
    stopped = [frame for frame in frames if frame and frame.get("stopped")]
    assert len(stopped) == 1 and not feed.session.playing and feed.session.trainer.current_epoch == 1


def test_an_unexpected_error_pauses_with_a_message_and_the_lock_is_free(monkeypatch, caplog):
    feed = playing_feed()

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(feed.session, "grid_pass", broken)
    frame = feed.next_frame()
    assert frame["stopped"] and frame["failed"] and not feed.session.playing
    assert "Something went wrong on the server" in feed.session.message.template
    assert "RuntimeError: a bug" in caplog.text
    taken = []  # by another thread, as the page's next run would: the lock was let go
    other = threading.Thread(
        target=lambda: taken.append(feed.session.lock.acquire(timeout=1) and feed.session.lock.release() is None)
    )
    other.start()
    other.join()
    assert taken == [True]


# --- many tabs on one server ----------------------------------------------------------------------------------


def test_only_the_playing_tabs_whose_page_takes_their_frames_share_the_server(monkeypatch):
    monkeypatch.setattr(feeds, "FEEDS", weakref.WeakValueDictionary())  # this server's tabs: these only
    tabs = [playing_feed() for _ in range(8)]
    assert feeds.drawing_tabs() == 0  # none has a socket: no frames to share
    for tab in tabs:
        tab.socket = socket.Connection()
    assert feeds.drawing_tabs() == 8
    tabs[0].session.pause()
    tabs[1].socket.end(socket.TAB_CLOSED)  # its tab closed: its socket is ending
    tabs[2].socket.unacknowledged.append(time.monotonic() - socket.BEHIND_SECONDS)  # its page is a second behind
    tabs[3].socket = None  # its socket closed
    assert feeds.drawing_tabs() == 4
    del tabs[4:], tab  # the other tabs closed
    assert feeds.drawing_tabs() == 0 and len(feeds.FEEDS) == 4


def test_a_frames_training_and_grid_pass_shrink_beyond_the_tabs_that_get_them_whole():
    full = feeds.FULL_SHARE_TABS
    assert [feeds.playing_share(tabs) for tabs in (0, 1, full)] == [1.0, 1.0, 1.0]
    assert feeds.playing_share(2 * full) == 0.5 and feeds.playing_share(6 * full) == pytest.approx(1 / 6)


@pytest.mark.parametrize("tabs", [1, 5, 30, 100, 1000])
@pytest.mark.parametrize("cost", [0.0, 0.003, 0.014, 0.2])  # CPU seconds a frame: none yet, the defaults, 8 × 256
def test_the_frames_of_all_tabs_together_take_no_more_than_their_cores_and_a_tab_no_more_than_its_part(tabs, cost):
    seconds = feeds.frame_seconds(tabs, cost)
    assert seconds >= feeds.FRAME_SECONDS  # never faster than the full frame rate
    assert tabs * cost / seconds <= feeds.FRAME_CORES * (1 + 1e-9)  # all of them: at most FRAME_CORES
    if seconds > feeds.FRAME_SECONDS:  # slowed: each gets its even part, exactly
        assert cost / seconds == pytest.approx(feeds.FRAME_CORES / tabs)


def test_a_class_at_the_defaults_keeps_its_frame_rate_and_a_tab_of_a_bigger_network_gets_fewer_frames():
    """At the defaults a frame takes ~3 ms of CPU (bench/load.py): five tabs at the full rate, thirty at ≥ 10 a
    second; a frame through 8 × 256 takes ~14 ms, and such a tab gets fewer frames, not more of the server."""
    assert feeds.frame_seconds(5, 0.003) == feeds.FRAME_SECONDS
    assert 1 / feeds.frame_seconds(30, 0.003) >= 10
    assert feeds.frame_seconds(30, 0.014) > feeds.frame_seconds(30, 0.003)


# --- the hidden space -------------------------------------------------------------------------------------------


def decoded(space_frame):
    """A frame's hidden-space points back in the axes' values, as space.js reads them (NaN: not drawn)."""
    codes = np.frombuffer(base64.b64decode(space_frame["codes"]), np.uint16).reshape(-1, 2).astype(float)
    ranges = np.array(space_frame["ranges"])
    points = ranges[:, 0] + codes / frames.SPACE_CODES * (ranges[:, 1] - ranges[:, 0])
    points[codes > frames.SPACE_CODES] = np.nan
    return points


def test_the_hidden_space_is_sent_only_while_the_view_shows_it():
    feed = LiveFeed(Session(Settings(hidden=(10, 5))))
    off = feed.page_data(("show_network",), None, "en", 0)
    assert off["setup"]["space"] is None and "space" not in off["frames"][0]
    choice = choose((10, 5), 1, "pca")
    data = feed.page_data(("hidden_space",), None, "ko", 0, space=(1, "pca"))
    setup, frame = data["setup"]["space"], data["frames"][0]
    assert setup["axes"] == ["주성분 1", "주성분 2"] and setup["title"] == "은닉층 1 · 뉴런 10개"
    lines = 2 * setup["lines"] * setup["samples"]
    points = decoded(frame["space"])
    assert len(points) == lines + len(base64.b64decode(setup["labels"]))
    ranges = np.array(frame["space"]["ranges"])
    assert ((points >= ranges[:, 0] - 1e-9) & (points <= ranges[:, 1] + 1e-9)).all()
    # what it sends is the projection the feed keeps, to a 65534th of the axes
    expected, _ = feed.space.coordinates(feed.session, choice, np.array(frames.grid_extent(feed.session)), False)
    assert np.allclose(points, expected, atol=(ranges[:, 1] - ranges[:, 0]).max() / 60_000)


def test_a_playing_feeds_hidden_space_moves_from_frame_to_frame():
    feed = playing_feed(space=choose((10,), 0, "1,2"))

    def refreshed():
        time.sleep(REFRESH_SECONDS)  # a playing tab's frames carry it at most this often
        return decoded(feed.next_frame()["space"])

    first, second = refreshed(), refreshed()
    assert first.shape == second.shape and not np.allclose(first, second)


def test_a_network_without_hidden_layers_says_so_and_sends_no_points():
    feed = LiveFeed(Session(Settings(hidden=())))
    data = feed.page_data(("hidden_space",), None, "en", 0, space=(3, "2,5"))  # whatever the view asks for
    assert data["setup"]["space"] == {
        "note": "This network has no hidden layer: its inputs go straight to the output layer."
    }
    assert "space" not in data["frames"][0]


def test_a_diverged_models_points_are_sent_as_not_drawn():
    session = Session(Settings(hidden=(3,)))
    session.model.layers[0].params[0][...] = np.nan
    feed = LiveFeed(session)
    frame = feed.page_data(("hidden_space",), None, "en", 0)["frames"][0]
    assert np.isnan(decoded(frame["space"])).all()


def test_a_costly_space_skips_playing_frames_but_never_a_versions_first():
    feed = playing_feed(space=choose((10,), 0, "pca"))
    assert "space" in feed.next_frame()  # the version's first: every row, and the space
    feed.space.seconds = 1e6  # as if a refresh took ever so long
    assert "space" not in feed.next_frame()
    feed.show(feed.shown)  # a page run: a new version
    assert "space" in feed.next_frame()


def test_a_regressions_points_in_the_hidden_space_wear_their_values_colours_as_on_the_regions():
    session = Session(Settings(dataset="plane", points=150))
    data = LiveFeed(session).page_data(("hidden_space",), None, "en", 0)
    setup = data["setup"]
    space_codes = np.frombuffer(base64.b64decode(setup["space"]["labels"]), np.uint8)
    region_codes = np.frombuffer(base64.b64decode(setup["points"][0]["labels"]), np.uint8)
    assert setup["regression"] and len(np.unique(space_codes)) > 5
    assert (space_codes == region_codes[: len(space_codes)]).all()
