"""The Trainer: the book's chapter-1 run, its log, and the incremental API the playground trains with."""

import locale
import sys
import types

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from nnlib.datasets import spiral
from nnlib.models import MLP, TwoLayerNet
from nnlib.optimizers import SGD, Adam
from nnlib.trainer import LOCALE_VARIABLES, Trainer
from nnlib.util import clip_grads, remove_duplicate


def accuracy(model, x, t):
    return float((model.predict(x).argmax(axis=1) == t.argmax(axis=1)).mean())


def test_the_books_run_learns_the_spiral():
    """TwoLayerNet(2, 10, 3), SGD(lr=1.0), batch 30, 300 epochs after np.random.seed(1984)."""
    x, t = spiral.load_data()
    np.random.seed(1984)
    model = TwoLayerNet(2, 10, 3)
    trainer = Trainer(model, SGD(lr=1.0))
    trainer.fit(x, t, max_epoch=299, batch_size=30, eval_interval=None)
    last_epoch = trainer.train_steps(10)  # the same global-RNG shuffle that fit's 300th epoch would draw

    assert {step.epoch for step in last_epoch} == {299}
    assert [step.iteration for step in last_epoch] == list(range(10))
    assert np.mean([step.loss for step in last_epoch]) <= 0.15
    assert accuracy(model, x, t) >= 0.95
    assert trainer.current_epoch == 300


def test_fit_equals_the_same_steps_taken_incrementally():
    x, t = spiral.load_data()
    np.random.seed(3)
    whole = TwoLayerNet(2, 10, 3)
    Trainer(whole, SGD(lr=1.0)).fit(x, t, max_epoch=4, batch_size=30, eval_interval=None)
    np.random.seed(3)
    sliced = TwoLayerNet(2, 10, 3)
    trainer = Trainer(sliced, SGD(lr=1.0))
    trainer.set_data(x, t, 30)
    for n in (7, 13, 20):
        trainer.train_steps(n)
    np.testing.assert_array_equal(whole.flat_params, sliced.flat_params)


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "| epoch 1 |  iter 1 / 10 | time 0[s] | loss 1.10"),
        ("ko", "| 에폭 1 |  반복 1 / 10 | 시간 0[s] | 손실 1.10"),
    ],
)
def test_log_lines_are_the_books(lang, line, capsys):
    x, t = spiral.load_data()
    trainer = Trainer(TwoLayerNet(2, 10, 3, seed=0), SGD(lr=1.0), lang=lang)
    trainer.fit(x, t, max_epoch=2, batch_size=30, eval_interval=5)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == line
    assert len(lines) == len(trainer.loss_list) == 4  # iterations 1 and 6 of each epoch
    assert lines[1].startswith("| epoch 1 |  iter 6 / 10 |" if lang == "en" else "| 에폭 1 |  반복 6 / 10 |")


def test_train_steps_reports_steps_epochs_and_is_reproducible_with_a_seed():
    x, t = spiral.load_data()

    def run():
        trainer = Trainer(MLP(2, [16], 3, "relu", seed=4), Adam(lr=0.01), seed=9)
        trainer.set_data(x, t, 64)  # 300 // 64 = 4 full batches per epoch
        return trainer, trainer.train_steps(10)

    trainer, steps = run()
    assert [s.step for s in steps] == list(range(1, 11))
    assert [s.epoch for s in steps] == [0] * 4 + [1] * 4 + [2] * 2
    assert [s.iteration for s in steps] == [0, 1, 2, 3] * 2 + [0, 1]
    assert trainer.current_epoch == 2 and trainer.step_count == 10
    assert steps == run()[1]


def test_train_steps_until_stops_after_the_first_step_it_holds_for_and_trains_as_without_it():
    x, t = spiral.load_data()

    def trainer():
        made = Trainer(MLP(2, [16], 3, "relu", seed=4), Adam(lr=0.01), seed=9)
        made.set_data(x, t, 64)
        return made

    whole, stopped = trainer(), trainer()
    steps = whole.train_steps(10)
    assert stopped.train_steps(10, until=lambda step: step.step == 6) == steps[:6] and stopped.step_count == 6
    assert stopped.train_steps(4, until=lambda step: False) == steps[6:]  # never holds: all of them
    np.testing.assert_array_equal(stopped.model.flat_params, whole.model.flat_params)


def test_seeded_shuffling_leaves_the_global_rng_alone():
    x, t = spiral.load_data()
    trainer = Trainer(MLP(2, [4], 3, seed=0), SGD(), seed=1)
    trainer.set_data(x, t, 100)
    np.random.seed(0)
    expected = np.random.rand()
    np.random.seed(0)
    trainer.train_steps(7)
    assert np.random.rand() == expected


def test_batch_size_and_lr_can_change_between_slices():
    x, t = spiral.load_data()
    model = MLP(2, [8], 3, seed=0)
    optimizer = Adam(lr=0.01)
    trainer = Trainer(model, optimizer, seed=0)
    trainer.set_data(x, t, 30)
    trainer.train_steps(5)
    moments = optimizer.m
    trainer.batch_size = 100
    optimizer.lr = 0.001
    steps = trainer.train_steps(3)
    assert optimizer.m is moments and optimizer.iter == 8
    assert steps[0].epoch == 0 and steps[0].iteration == 1  # 150 samples used: the 2nd batch of 100 fits
    assert steps[1].epoch == 1  # 250 + 100 > 300: the epoch ended, a new shuffle began


@pytest.mark.parametrize("batch_size", [301, 0, 2.5])
def test_bad_batch_sizes_are_refused(batch_size):
    x, t = spiral.load_data()
    trainer = Trainer(TwoLayerNet(2, 10, 3, seed=0), SGD())
    with pytest.raises(ValueError, match="batch size"):
        trainer.fit(x, t, batch_size=batch_size)


def test_training_without_data_is_refused():
    with pytest.raises(ValueError, match="no training data"):
        Trainer(TwoLayerNet(2, 10, 3, seed=0), SGD()).train_steps(1)


@pytest.fixture
def shown(monkeypatch):
    """The figures plotly.io.show was asked to show (none is: no browser opens in a test)."""
    figures = []
    monkeypatch.setattr(pio, "show", figures.append)
    return figures


def test_plot_returns_the_figure_and_shows_nothing_in_a_test(shown):
    x, t = spiral.load_data()
    trainer = Trainer(TwoLayerNet(2, 10, 3, seed=0), SGD(lr=1.0), lang="ko")
    trainer.fit(x, t, max_epoch=3, batch_size=30, eval_interval=10)
    figure = trainer.plot(ylim=(0, 2))
    assert isinstance(figure, go.Figure)
    assert list(figure.data[0].y) == trainer.loss_list
    assert figure.layout.xaxis.title.text == "반복 (x10)"
    assert tuple(figure.layout.yaxis.range) == (0, 2)
    assert shown == []


def test_plot_shows_the_figure_in_a_script_but_not_in_ipython(shown, monkeypatch):
    trainer = Trainer(TwoLayerNet(2, 10, 3, seed=0), SGD(lr=1.0))
    trainer.loss_list = [1.1, 0.5]
    monkeypatch.delenv("PYTEST_CURRENT_TEST")  # as in `python train.py`
    figure = trainer.plot()
    assert shown == [figure]
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = object  # a running shell: a notebook displays the returned figure itself
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    assert isinstance(trainer.plot(), go.Figure)
    assert shown == [figure]


@pytest.mark.parametrize(
    ("environment", "python_locale", "lang"),
    [
        ({"LANG": "ko_KR.UTF-8"}, None, "ko"),
        ({"LC_ALL": "ko_KR.eucKR", "LANG": "en_US.UTF-8"}, None, "ko"),
        ({"LANGUAGE": "en_US:ko", "LANG": "ko_KR.UTF-8"}, None, "en"),
        ({"LANG": "C.UTF-8"}, "ko_KR", "en"),
        ({}, "Korean_Korea", "ko"),  # Windows: no variable, Python's locale
        ({}, None, "en"),
    ],
)
def test_the_log_speaks_korean_where_the_locale_is_korean(environment, python_locale, lang, monkeypatch, capsys):
    for variable in LOCALE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    monkeypatch.setattr(locale, "getlocale", lambda: (python_locale, None))
    x, t = spiral.load_data()
    trainer = Trainer(TwoLayerNet(2, 10, 3, seed=0), SGD(lr=1.0))
    trainer.fit(x, t, max_epoch=1, batch_size=30, eval_interval=10)
    assert trainer.lang == lang
    assert capsys.readouterr().out.startswith("| 에폭 1 |" if lang == "ko" else "| epoch 1 |")
    assert Trainer(TwoLayerNet(2, 10, 3, seed=0), SGD(), lang="en").lang == "en"  # an explicit lang wins


def test_max_grad_clips_the_global_norm():
    grads = [np.array([3.0, 0.0]), np.array([[4.0]])]
    clip_grads(grads, 1.0)
    assert np.sqrt(sum((g**2).sum() for g in grads)) == pytest.approx(1.0, rel=1e-5)
    small = [np.array([0.3, 0.4])]
    clip_grads(small, 1.0)
    np.testing.assert_array_equal(small[0], [0.3, 0.4])


def test_max_grad_limits_each_update():
    x, t = spiral.load_data()
    model = MLP(2, [8], 3, seed=0)
    trainer = Trainer(model, SGD(lr=1.0), seed=0)
    trainer.set_data(x, t, 30)
    trainer.max_grad = 1e-3
    before = model.flat_params.copy()
    trainer.train_steps(1)
    assert np.linalg.norm(model.flat_params - before) == pytest.approx(1e-3, rel=1e-3)


def test_remove_duplicate_merges_shared_and_tied_weights():
    W, b = np.ones((2, 3)), np.zeros(3)
    tied = W.T.copy()
    params, grads = remove_duplicate([W, b, W, tied], [np.ones((2, 3)), np.ones(3), np.ones((2, 3)), np.ones((3, 2))])
    assert len(params) == len(grads) == 2 and params[0] is W and params[1] is b
    np.testing.assert_array_equal(grads[0], 3.0)


def test_generic_book_style_models_train_too():
    """A model with only layers/params/grads/forward/backward (no flat vectors) trains through remove_duplicate."""

    class Wrapper:
        def __init__(self):
            inner = MLP(2, [6], 3, "tanh", seed=0)
            self.layers, self.params, self.grads = inner.layers, inner.params, inner.grads
            self.forward, self.backward = inner.forward, inner.backward

    x, t = spiral.load_data()
    model = Wrapper()
    trainer = Trainer(model, SGD(lr=1.0), seed=0)
    trainer.set_data(x, t, 30)
    first = np.mean([s.loss for s in trainer.train_steps(10)])
    trainer.train_steps(400)
    last = np.mean([s.loss for s in trainer.train_steps(10)])
    assert last < first - 0.2


def test_steps_left_in_epoch_follows_the_batch_size():
    x, t = spiral.load_data()
    trainer = Trainer(MLP(2, [4], 3, seed=0), SGD(), seed=0)
    trainer.set_data(x, t, 30)
    assert trainer.steps_left_in_epoch == 10
    trainer.train_steps(4)
    assert trainer.steps_left_in_epoch == 6
    trainer.batch_size = 50  # 180 samples left: 3 more batches of 50
    assert trainer.steps_left_in_epoch == 3
    trainer.train_steps(3)
    assert trainer.current_epoch == 1 and trainer.steps_left_in_epoch == 6


# --- the next batch, known before it is trained on -------------------------------------------------------------


def seeded_trainer(x, t, batch_size=64, seed=9):
    trainer = Trainer(MLP(2, [16], 3, "relu", seed=4), Adam(lr=0.01), seed=seed)
    trainer.set_data(x, t, batch_size)  # 300 // 64 = 4 full batches per epoch
    return trainer


def test_next_batch_is_the_real_shuffle_and_where_its_points_are_in_the_data_as_given():
    x, t = spiral.load_data()
    trainer = seeded_trainer(x, t)
    rng = np.random.RandomState(9)  # the trainer's shuffle, restated: each epoch reorders the last epoch's order
    order = np.arange(300)
    for epoch in range(3):
        order = order[rng.permutation(300)]
        for iteration in range(4):
            batch = trainer.next_batch()
            np.testing.assert_array_equal(batch.indices, order[64 * iteration : 64 * (iteration + 1)])
            np.testing.assert_array_equal(batch.x, x[batch.indices])
            np.testing.assert_array_equal(batch.t, t[batch.indices])
            (step,) = trainer.train_steps(1)
            assert (step.epoch, step.iteration) == (epoch, iteration)


def test_looking_at_the_next_batch_changes_no_step_of_the_training():
    x, t = spiral.load_data()
    looked, plain = seeded_trainer(x, t), seeded_trainer(x, t)
    for step in range(10):
        first = looked.next_batch()
        again = looked.next_batch()  # the same batch: an epoch's shuffle is drawn once
        np.testing.assert_array_equal(first.indices, again.indices)
        assert looked.step_count == step and looked.steps_left_in_epoch == plain.steps_left_in_epoch
        assert looked.train_steps(1) == plain.train_steps(1)
        np.testing.assert_array_equal(looked.model.flat_params, plain.model.flat_params)
        rng_looked, rng_plain = looked._rng.get_state(), plain._rng.get_state()
        assert all(np.array_equal(a, b) for a, b in zip(rng_looked, rng_plain))


def test_the_first_batch_of_an_epoch_is_taken_at_that_epochs_rate():
    x, t = spiral.load_data()
    trainer = Trainer(MLP(2, [4], 3, seed=0), SGD(lr=1.0), seed=0, schedule=lambda base, epoch: base / (epoch + 1))
    trainer.set_data(x, t, 100)
    trainer.train_steps(3)
    assert trainer.optimizer.lr == 0.5 and trainer.steps_left_in_epoch == 3
    trainer.base_lr = 2.0  # between epochs: the next shuffle applies the schedule again
    trainer.next_batch()
    assert trainer.optimizer.lr == 1.0


def test_new_data_start_a_new_order():
    x, t = spiral.load_data()
    trainer = seeded_trainer(x, t, batch_size=100)
    trainer.train_steps(4)
    trainer.set_data(x[:200], t[:200], 50)
    batch = trainer.next_batch()
    np.testing.assert_array_equal(batch.x, x[:200][batch.indices])
    assert batch.indices.max() < 200 and trainer.steps_left_in_epoch == 4
