"""playground.session.insides and what the live view is sent of it: the snapshots' maths on known values, their
thinning, and the frames that carry them (only the new ones, adding up to what a full send gives)."""

import base64
import json
import warnings

import numpy as np
import pytest

from nnlib.models import MLP
from playground.live import frames
from playground.live.feed import LiveFeed
from playground.session import Session
from playground.session import insides as snapshots
from playground.session.insides import (
    ACTIVATION_BINS,
    GRADIENT_BINS,
    MAX_SNAPSHOTS,
    SHARE_LEVELS,
    Insides,
    activation_histogram,
    dead_share,
    gradient_histogram,
    thinned,
    weight_norms,
    widened,
)
from playground.settings import Settings


def test_known_activations_fall_into_known_bins_as_shares_of_a_byte():
    # over [0, 1] in 4 bins: one value in the first, three in the last (1.0 itself is the last bin's)
    shares = activation_histogram(np.array([[0.1, 0.8], [0.9, 1.0]]), (0.0, 1.0), bins=4)
    np.testing.assert_array_equal(shares, [round(SHARE_LEVELS / 4), 0, 0, round(SHARE_LEVELS * 3 / 4)])
    assert shares.dtype == np.uint8


def test_a_stray_value_still_shows_and_no_finite_value_shows_nothing():
    shares = activation_histogram(np.r_[np.zeros(999), 1.0], (0.0, 1.0), bins=2)
    assert list(shares) == [SHARE_LEVELS, 1]  # 1 of 1,000 would round to 0
    with np.errstate(all="raise"):  # a diverged run: no warning, nothing binned
        assert not activation_histogram(np.array([np.nan, np.inf]), (0.0, 1.0)).any()


def test_the_range_of_an_unbounded_activation_only_widens_to_powers_of_two_and_a_bounded_ones_stays():
    assert widened((0.0, 1.0), np.array([0.2, 3.0]), "relu") == (0.0, 4.0)
    assert widened((0.0, 4.0), np.array([0.2, 1.0]), "relu") == (0.0, 4.0)  # narrower values: it stays
    assert widened((-1.0, 1.0), np.array([-5.0, np.nan, np.inf]), "identity") == (-8.0, 1.0)
    assert widened((0.0, 1.0), np.array([-3.0, 7.0]), "sigmoid") == (0.0, 1.0)
    with np.errstate(all="raise"):
        low, high = widened((-1.0, 1.0), np.array([1e308, -1e308]), "identity")
    assert np.isfinite([low, high]).all() and low <= -1e308 and high >= 1e308


def test_gradients_are_binned_on_log10_of_their_size_and_zeros_in_the_first_bin():
    low, high = snapshots.GRADIENT_DECADES
    dW = np.array([[0.0, 1e-12], [-1e-3, 1e3]])
    shares = gradient_histogram(dW)
    per_decade = GRADIENT_BINS // (high - low)
    quarter = round(SHARE_LEVELS / 4)
    assert shares[0] == 2 * quarter  # 0 and 1e-12, below 1e-8
    assert shares[(-3 - low) * per_decade] == quarter  # |−1e-3| at the start of its decade
    assert shares[-1] == quarter  # 1e3, above 1e1
    assert shares.sum() == 4 * quarter


def test_a_neuron_silent_on_every_point_is_dead_and_one_that_fires_once_is_not():
    outputs = np.array([[0.0, 0.5, 0.0, 0.0], [0.0, 0.0, 0.0, 2.0], [0.0, 0.0, 0.0, 0.0]])
    assert dead_share(outputs) == 0.5  # the first and the third


def test_a_relu_layer_with_a_dead_neuron_is_counted_from_the_models_own_pass():
    model = MLP(2, [3], 2, activation="relu", seed=0)
    W, b = model.layers[0].params
    W[:, 1], b[1] = 0.0, -1.0  # neuron 2's input is −1 for every point: its output is 0
    W[:, 0], b[0] = 0.0, 1.0  # neuron 1's is 1: alive
    W[:, 2], b[2] = 0.0, 2.0
    recorder = Insides(None, model, np.random.default_rng(0).normal(size=(50, 2)))
    snapshot = recorder.snapshot(0, epoch=0, step=0)
    assert snapshot["dead"] == [pytest.approx(1 / 3)]


def test_the_norms_are_each_affine_layers_frobenius_norm():
    model = MLP(2, [5, 4], 3, seed=1)
    expected = [np.linalg.norm(affine.params[0]) for affine in model.layers[0::2]]
    assert weight_norms(model) == pytest.approx(expected) and len(expected) == 3


def test_a_diverged_model_gives_a_snapshot_without_a_warning_and_its_norms_as_none():
    model = MLP(2, [4], 3, activation="relu", seed=0)
    model.layers[0].params[0][0, 0] = np.nan
    model.layers[0].grads[0][...] = np.inf
    recorder = Insides(None, model, np.ones((10, 2)))
    with np.errstate(all="raise"):
        recorder.update({"epoch": [3], "step": [30]})
        sent = frames.insides_frame(recorder)
    (snapshot,) = recorder.snapshots
    assert snapshot["norms"][0] is None and snapshot["norms"][1] is not None
    json.loads(json.dumps(sent, allow_nan=False))  # JSON the browser can parse: no NaN


def test_thinning_keeps_every_other_and_the_first_and_the_last():
    kept = [{"n": 3 * place} for place in range(MAX_SNAPSHOTS + 1)]  # taken every third chance, one too many
    out = [snapshot["n"] for snapshot in thinned(kept, 6)]
    assert out[0] == 0 and out[-1] == 3 * MAX_SNAPSHOTS and len(out) == MAX_SNAPSHOTS // 2 + 1
    assert np.all(np.diff(out) == 6)


def history_of(steps):
    return {"epoch": [step // 10 for step in steps], "step": list(steps)}


def test_a_recorder_stays_bounded_and_evenly_spread_over_a_long_run():
    model = MLP(2, [3], 3, seed=0)
    recorder = Insides(None, model, np.ones((4, 2)))
    rows = []
    for step in range(1000):
        rows.append(step)
        recorder.update(history_of(rows))
        recorder.update(history_of(rows))  # the same row again: no new snapshot
    steps = [snapshot["step"] for snapshot in recorder.snapshots]
    assert len(steps) <= MAX_SNAPSHOTS and steps[0] == 0
    assert len(set(np.diff(steps))) == 1  # evenly spread
    assert 999 - steps[-1] < recorder.every  # the latest is recent


def test_snapshots_sent_a_few_at_a_time_add_up_to_one_full_send():
    model = MLP(2, [3], 3, seed=0)
    recorder = Insides(None, model, np.ones((4, 2)))
    kept, rows, after = [], [], None
    for step in range(700):
        rows.append(step)
        recorder.update(history_of(rows))
        if step % 3 == 0:  # a frame now and then: the view takes the new ones as insides.js does
            sent = frames.insides_frame(recorder, after)
            kept = keep(kept, sent)
            after = recorder.last_number()
    kept = keep(kept, frames.insides_frame(recorder, after))
    assert kept == frames.insides_frame(recorder)["snapshots"]


def keep(kept, sent):
    """What the view keeps (insides.js's keptSnapshots): a full send in place of all, the new ones after those it
    has, thinned as the server says."""
    if sent["all"]:
        kept = []
    last = kept[-1]["n"] if kept else -1
    return thinned([*kept, *(snapshot for snapshot in sent["snapshots"] if snapshot["n"] > last)], sent["every"])


def test_the_setup_names_the_layers_as_the_diagram_does_in_korean_and_is_only_there_with_the_option():
    session = Session(Settings(hidden=(4, 3), layer_activations=("relu", "tanh")))
    setup = frames.setup(session, ("insides",), False, None, "ko")["insides"]
    assert setup["layers"] == ["은닉층 1", "은닉층 2", "출력층"]
    assert setup["dying"] == [True, False]
    assert frames.setup(session, ("show_network",), False, None, "ko")["insides"] is None


def decoded_shares(text):
    return np.frombuffer(base64.b64decode(text), dtype=np.uint8)


def playing_feed(options):
    session = Session(Settings(hidden=(6, 5), activation="relu"))
    feed = LiveFeed(session)
    feed.page_data(options, None, "en", 0)
    session.play()
    return feed


def test_the_feed_sends_the_new_snapshots_only_while_the_view_is_on():
    feed = playing_feed(("insides",))
    first = feed.next_frame()["insides"]
    assert first["all"] and len(first["snapshots"]) >= 1
    snapshot = first["snapshots"][-1]
    assert len(decoded_shares(snapshot["activations"])) == 2 * ACTIVATION_BINS
    assert len(decoded_shares(snapshot["gradients"])) == 3 * GRADIENT_BINS
    frames_sent = [feed.next_frame()["insides"] for _ in range(5)]
    numbers = [item["n"] for sent in [first, *frames_sent] for item in sent["snapshots"]]
    assert numbers == sorted(set(numbers)) and len(numbers) > 3  # each once, in order
    assert all(not sent["all"] for sent in frames_sent)
    assert "insides" not in playing_feed(("show_network",)).next_frame()


def test_after_a_costly_snapshot_the_next_waits_until_snapshots_are_a_tenth_of_the_time(monkeypatch):
    recorder = Insides(None, MLP(2, [3], 3, seed=0), np.ones((4, 2)))
    clock = iter([10.0, 10.5, 12.0, 15.0])  # the snapshot takes half a second: none is due for 5 s from its start
    monkeypatch.setattr(snapshots.time, "perf_counter", lambda: next(clock))
    assert snapshots.SNAPSHOT_SHARE == 0.1
    recorder.update(history_of([0]))
    assert not recorder.due() and recorder.due()


def test_a_diverging_run_sends_its_snapshots_without_a_warning_and_as_json():
    session = Session(Settings(learning_rate=10.0, hidden=(64, 64), activation="identity", init="he"))
    feed = LiveFeed(session)
    feed.page_data(("insides",), None, "en", 0)
    session.play()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sent = [feed.next_frame() for _ in range(20)]
    assert session.message is not None  # it diverged, and paused with its words
    assert not any(frame and frame.get("failed") for frame in sent)
    for frame in filter(None, sent):
        json.loads(json.dumps(frame, allow_nan=False))


def test_a_leaky_relu_layer_has_no_dead_share_a_relu_layer_has_one():
    setup = frames.insides_setup(Session(Settings(hidden=(4, 4), layer_activations=("relu", "leaky_relu"))), "en")
    assert setup["dying"] == [True, False]


def test_a_pause_in_the_cooldown_still_shows_the_last_epochs_snapshot(monkeypatch):
    session = Session()
    feed = LiveFeed(session)
    feed.page_data(("insides",), None, "en", 0)
    session.play()
    feed.next_frame()
    monkeypatch.setattr(Insides, "due", lambda self: False)  # a costly snapshot a moment ago: none due playing
    session.trainer.train_steps(16)
    session.pause()
    sent = feed.next_frame()["insides"]["snapshots"]
    assert sent and sent[-1]["step"] == session.trainer.step_count


def test_a_snapshot_leaves_no_layer_holding_its_points():
    session = Session()
    Insides(session.trainer, session.model, session.features_train).update(session.history)
    assert all(len(layer.x) == 0 for layer in session.model.layers[0::2])
