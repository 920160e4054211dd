"""playground.settings: the settings themselves, and the training-set size they give."""

import dataclasses

import pytest

from playground.links import LANGUAGE_KEY, QUERY, SLOW_MOTION_KEY, VIEW_QUERY
from playground.settings import DATA_SETTINGS, DEFAULTS, LIVE, Settings, train_size


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, 240),  # the book's 300 points, whatever points and classes say
        ({"points": 10, "classes": 6}, 240),
        ({"dataset": "spiral", "classes": 6, "points": 1000, "train_percent": 90}, 5400),
        ({"dataset": "xor", "classes": 6, "points": 37, "train_percent": 33}, 24),  # XOR always has 2 classes
        ({"dataset": "moons", "points": 10, "train_percent": 10}, 2),
        ({"dataset": "gaussian", "classes": 4, "points": 37, "train_percent": 33}, 49),
    ],
)
def test_train_size(changes, expected):
    assert train_size(DEFAULTS.replace(**changes)) == expected


def test_changed_names_the_fields_that_differ_both_ways():
    other = DEFAULTS.replace(learning_rate=0.1, hidden=(5,), features=("x1",))
    assert DEFAULTS.changed(DEFAULTS) == set()
    assert DEFAULTS.changed(Settings()) == set()
    assert DEFAULTS.changed(other) == other.changed(DEFAULTS) == {"learning_rate", "hidden", "features"}


def test_changed_sees_every_field():
    for field in dataclasses.fields(Settings):
        value = getattr(DEFAULTS, field.name)
        different = (*value, 1) if isinstance(value, tuple) else ("other" if isinstance(value, str) else value + 1)
        assert DEFAULTS.replace(**{field.name: different}).changed(DEFAULTS) == {field.name}


def test_settings_are_immutable_and_replace_makes_a_copy():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULTS.seed = 1  # type: ignore[misc]
    assert DEFAULTS.replace(seed=1).seed == 1 and DEFAULTS.seed == 1984


def test_each_setting_has_its_own_link_key_apart_from_the_pages_other_keys():
    keys = [key for key, _, _ in (*QUERY.values(), *VIEW_QUERY.values())]
    assert len(keys) == len(set(keys))
    assert not set(keys) & {LANGUAGE_KEY, SLOW_MOTION_KEY}


def test_data_settings_rebuild_and_never_act_on_the_running_training():
    assert {"dataset", "classes", "points", "noise", "train_percent", "seed", "features"} == DATA_SETTINGS
    assert not DATA_SETTINGS & set(LIVE)
    assert "learning_rate" in LIVE and "hidden" not in LIVE and "optimizer" not in LIVE
