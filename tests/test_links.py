"""playground.links: a copied link reopens the same settings, and a garbled one falls back field by field."""

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.i18n import tr
from playground.links import (
    QUERY,
    VIEW_QUERY,
    from_query,
    language_from_query,
    language_query,
    presenter_from_query,
    presenter_query,
    slow_motion_from_query,
    slow_motion_query,
    to_query,
    view_from_query,
)
from playground.settings import (
    ACTIVATION_NAMES,
    BATCH_RANGE,
    BETA_RANGE,
    CLASS_RANGE,
    DATASETS,
    DEFAULT_VIEW,
    DEFAULTS,
    DROPOUT_RANGE,
    FEATURES,
    INITS,
    LR_RANGE,
    MAX_HIDDEN_LAYERS,
    MAX_WIDTH,
    MOMENTUM_RANGE,
    NOISE_RANGE,
    OPTIMIZERS,
    POINTS_RANGE,
    RATE_RANGE,
    REGULARIZATIONS,
    SCHEDULE_EPOCHS_RANGE,
    SCHEDULES,
    SEED_RANGE,
    SPEEDS,
    STOP_EPOCH_RANGE,
    STOP_LOSS_RANGE,
    TRAIN_PERCENT_RANGE,
    VIEW_OPTIONS,
    Settings,
    View,
    space_neurons,
    train_size,
)

KEYS = {field: key for field, (key, _, _) in QUERY.items()}
FIELD_OF_KEY = {key: field for field, key in KEYS.items()}

# --- a strategy for every valid Settings -----------------------------------------------------------------------


def floats_in(bounds):
    return st.floats(*bounds, allow_nan=False, allow_infinity=False)


@st.composite
def valid_settings(draw):
    chosen_features = draw(st.sets(st.sampled_from(FEATURES), min_size=1))
    without_batch = Settings(
        dataset=draw(st.sampled_from([name for name in DATASETS if name != "upload"])),
        classes=draw(st.integers(*CLASS_RANGE)),
        points=draw(st.integers(*POINTS_RANGE)),
        noise=draw(floats_in(NOISE_RANGE)),
        train_percent=draw(st.integers(*TRAIN_PERCENT_RANGE)),
        seed=draw(st.integers(*SEED_RANGE)),
        features=tuple(name for name in FEATURES if name in chosen_features),  # the order the page keeps them in
        hidden=(hidden := tuple(draw(st.lists(st.integers(1, MAX_WIDTH), max_size=MAX_HIDDEN_LAYERS)))),
        activation=draw(st.sampled_from(list(ACTIVATION_NAMES))),
        layer_activations=draw(
            st.sampled_from(
                [
                    (),
                    tuple(
                        draw(
                            st.lists(
                                st.sampled_from(list(ACTIVATION_NAMES)), min_size=len(hidden), max_size=len(hidden)
                            )
                        )
                    ),
                ]
            )
        ),
        init=draw(st.sampled_from(list(INITS))),
        dropout=draw(
            st.sampled_from(
                [(), tuple(draw(st.lists(floats_in(DROPOUT_RANGE), min_size=len(hidden), max_size=len(hidden))))]
            )
        ),
        regularization=draw(st.sampled_from(REGULARIZATIONS)),
        reg_rate=draw(floats_in(RATE_RANGE)),
        optimizer=draw(st.sampled_from(OPTIMIZERS)),
        learning_rate=draw(floats_in(LR_RANGE)),
        momentum=draw(floats_in(MOMENTUM_RANGE)),
        decay_rate=draw(floats_in(MOMENTUM_RANGE)),
        beta1=draw(floats_in(BETA_RANGE)),
        beta2=draw(floats_in(BETA_RANGE)),
        schedule=draw(st.sampled_from(list(SCHEDULES))),
        schedule_epochs=draw(st.integers(*SCHEDULE_EPOCHS_RANGE)),
        stop_epoch=draw(st.integers(*STOP_EPOCH_RANGE)),
        stop_loss=draw(floats_in(STOP_LOSS_RANGE)),
        precision=draw(st.sampled_from(["float64", "float32"])),
    )
    return without_batch.replace(batch_size=draw(st.integers(BATCH_RANGE[0], train_size(without_batch))))


# --- round trips ------------------------------------------------------------------------------------------------


def test_the_defaults_round_trip():
    assert from_query(to_query(DEFAULTS)) == (DEFAULTS, [])


def test_the_query_holds_every_setting_and_the_view_as_text():
    query = to_query(DEFAULTS)
    assert set(query) == set(KEYS.values()) | {"speed", "view", "space_layer", "space_axes"}
    assert all(isinstance(value, str) for value in query.values())
    assert query["features"] == "x1,x2" and query["hidden"] == "10" and query["lr"] == "1.0"


@settings(derandomize=True, deadline=None, max_examples=300)
@given(valid_settings())
def test_every_valid_setting_round_trips(chosen):
    assert from_query(to_query(chosen)) == (chosen, [])


@pytest.mark.parametrize("hidden", [(), (1,), (MAX_WIDTH,) * MAX_HIDDEN_LAYERS])
def test_the_extreme_architectures_round_trip(hidden):
    chosen = DEFAULTS.replace(hidden=hidden)
    assert from_query(to_query(chosen)) == (chosen, [])


@pytest.mark.parametrize("speed", SPEEDS)
@pytest.mark.parametrize("options", [(), ("show_network",), VIEW_OPTIONS, ("show_test", "log_loss")])
def test_the_speed_and_the_view_round_trip(speed, options):
    view = View(speed, options)
    assert view_from_query(to_query(DEFAULTS, view)) == (view, [])
    assert from_query(to_query(DEFAULTS, view)) == (DEFAULTS, [])  # the view is no training setting


def test_the_view_defaults_to_a_speed_slow_enough_to_watch():
    assert view_from_query({}) == (DEFAULT_VIEW, [])
    assert View(speed=300, options=("show_network",)) == DEFAULT_VIEW


@pytest.mark.parametrize(
    ("key", "value"),
    [("speed", "7"), ("speed", "fast"), ("speed", "300.5"), ("view", "network"), ("view", "show_test,show_test")],
)
def test_a_bad_speed_or_view_falls_back_with_a_notice(key, value):
    chosen = View(3000, ("show_test",))
    view, notices = view_from_query({**to_query(DEFAULTS, chosen), key: value})
    field = next(field for field, (query_key, _, _) in VIEW_QUERY.items() if query_key == key)
    assert view == dataclasses.replace(chosen, **{field: getattr(DEFAULT_VIEW, field)})  # the other one stays
    assert len(notices) == 1 and notices[0].startswith(f"Link parameter {key}=")


@pytest.mark.parametrize(("layer", "axes"), [("2", "pca"), ("0", "3,7"), ("8", "256,1"), ("1", "5,5")])
def test_the_hidden_spaces_layer_and_axes_round_trip(layer, axes):
    view, notices = view_from_query({"space_layer": layer, "space_axes": axes})
    assert notices == [] and (view.space_layer, view.space_axes) == (int(layer), axes)
    assert view_from_query(to_query(DEFAULTS, view)) == (view, [])
    assert space_neurons(view.space_axes) == (None if axes == "pca" else tuple(map(int, axes.split(","))))


def test_the_hidden_space_defaults_to_the_last_layers_principal_components():
    assert (DEFAULT_VIEW.space_layer, DEFAULT_VIEW.space_axes) == (0, "pca")


@pytest.mark.parametrize(
    ("key", "value"),
    [("space_layer", "9"), ("space_layer", "-1"), ("space_layer", "two"), ("space_axes", "PCA")]
    + [("space_axes", text) for text in ("3", "1,2,3", "0,1", "1,257", "a,b", "")],
)
def test_a_hidden_space_value_the_page_cannot_show_falls_back_with_a_notice(key, value):
    view, notices = view_from_query({key: value})
    assert view == DEFAULT_VIEW
    assert len(notices) == 1 and notices[0].startswith(f"Link parameter {key}=")


# --- missing and bad values -------------------------------------------------------------------------------------


def test_an_empty_query_gives_the_defaults_without_notices():
    assert from_query({}) == (DEFAULTS, [])


@pytest.mark.parametrize("missing", sorted(KEYS.values()))
def test_each_missing_key_takes_its_default_silently(missing):
    custom = DEFAULTS.replace(
        classes=4, noise=0.3, seed=7, hidden=(3, 4), activation="tanh", optimizer="Adam", learning_rate=0.01
    )
    query = to_query(custom)
    del query[missing]
    field = FIELD_OF_KEY[missing]
    assert from_query(query) == (custom.replace(**{field: getattr(DEFAULTS, field)}), [])


GARBAGE_FOR_EVERY_KEY = ["abc", "nan", "NaN", "inf", "-inf", "-1", "1e400", "9" * 300, "1,2,x"]

BAD_VALUES = {
    "data": ["", "Book_Spiral", "spiral ", "mnist"],
    "classes": ["", "1", "7", "2.5", "0x3"],
    "points": ["", "9", "1001", "10.5"],
    "noise": ["", "-0.1", "1.5", "1e-400x"],
    "train": ["", "9", "91", "50.5", "100"],
    "seed": ["", "2147483648", "1.5", "-0.5"],
    "features": ["", ",", "x3", "x1,abc", "X1", "x1;x2"],
    "hidden": ["0", "257", "10,0", "10,,10", "10,", "2.5", "-3", ",".join(["4"] * (MAX_HIDDEN_LAYERS + 1))],
    "activation": ["", "softmax2", "ReLU", "Sigmoid"],
    "init": ["", "std:0.5", "gaussian", "He"],
    "reg": ["", "L3", "l2", "None"],
    "reg_rate": ["", "0", "1e-7", "1.5"],
    "optimizer": ["", "adam", "LBFGS"],
    "lr": ["", "0", "1e-6", "10.5", "11"],
    "momentum": ["", "1", "0.9991", "-0.1"],
    "decay": ["", "1", "0.9991", "-0.1"],
    "beta1": ["", "1", "0.99991", "-0.1"],
    "beta2": ["", "1", "0.99991", "-0.1"],
    "batch": ["", "0", "2.5", str(BATCH_RANGE[1] + 1), "1e6"],
    "acts": ["softmax2", "relu,ReLU", "relu,", ",".join(["relu"] * (MAX_HIDDEN_LAYERS + 1))],
    "dropout": ["0.95", "1", "-0.1", "0.2,", "0.2,,0.1", "0.1;0.2", ",".join(["0.1"] * (MAX_HIDDEN_LAYERS + 1))],
    "schedule": ["", "linear", "Cosine"],
    "sched_epochs": ["", "0", "100001", "2.5"],
    "stop_epoch": ["", "1000001", "2.5"],
    "stop_loss": ["", "10.5", "-0.1"],
    "precision": ["", "float16", "int8", "Float32"],
}
assert set(BAD_VALUES) == set(KEYS.values())

BAD_CASES = [(key, value) for key in sorted(BAD_VALUES) for value in GARBAGE_FOR_EVERY_KEY + BAD_VALUES[key]]


@pytest.mark.parametrize(("key", "value"), BAD_CASES)
def test_a_bad_value_falls_back_to_its_default_with_one_notice_naming_the_key(key, value):
    result, notices = from_query({key: value})
    assert result == DEFAULTS
    assert len(notices) == 1
    assert notices[0].startswith(f"Link parameter {key}=")
    default = getattr(DEFAULTS, FIELD_OF_KEY[key])
    assert repr(list(default) if isinstance(default, tuple) else default) in notices[0]  # says what it uses


@pytest.mark.parametrize("key", sorted(BAD_VALUES))
def test_a_bad_value_leaves_the_other_settings_of_the_link_alone(key):
    custom = DEFAULTS.replace(points=50, seed=3, hidden=(6,), activation="relu", optimizer="Adam", batch_size=20)
    query = {**to_query(custom), key: "abc"}
    result, notices = from_query(query)
    field = FIELD_OF_KEY[key]
    assert result == custom.replace(**{field: getattr(DEFAULTS, field)})
    assert len(notices) == 1 and f"{key}=" in notices[0]


@pytest.mark.parametrize("value", ["x1,x1", "x1,x2,x1"])
def test_duplicated_features_fall_back_with_a_notice(value):
    result, notices = from_query({"features": value})
    assert result.features == DEFAULTS.features
    assert len(notices) == 1 and "features=" in notices[0]


def test_several_bad_values_give_one_notice_each():
    result, notices = from_query({"lr": "nan", "hidden": "0", "seed": "-1", "points": "50"})
    assert result == DEFAULTS.replace(points=50)
    assert sorted(notice.split("=")[0] for notice in notices) == sorted(
        ["Link parameter lr", "Link parameter hidden", "Link parameter seed"]
    )


def test_numbers_in_other_spellings_are_read():
    result, notices = from_query({"classes": "4.0", "points": "1e2", "noise": "5e-1", "lr": "0.10"})
    assert notices == []
    assert (result.classes, result.points, result.noise, result.learning_rate) == (4, 100, 0.5, 0.1)
    assert isinstance(result.classes, int) and isinstance(result.points, int)


def test_features_are_kept_in_the_pages_order():
    assert from_query({"features": "sin x2,x1"}) == (DEFAULTS.replace(features=("x1", "sin x2")), [])


def test_dropout_per_hidden_layer_reads_and_a_count_that_is_not_the_layers_falls_back_to_none():
    assert from_query({"hidden": "6,4,2", "dropout": "0.2,0,0.5"}) == (
        DEFAULTS.replace(hidden=(6, 4, 2), dropout=(0.2, 0.0, 0.5)),
        [],
    )
    assert to_query(DEFAULTS.replace(hidden=(6, 4, 2), dropout=(0.2, 0.0, 0.5)))["dropout"] == "0.2,0.0,0.5"
    result, notices = from_query({"hidden": "3,3", "dropout": "0.2"})
    assert result == DEFAULTS.replace(hidden=(3, 3))
    assert notices == ["Link parameter dropout names 1 rates for 2 hidden layers; using no dropout."]


def test_an_empty_hidden_list_is_a_linear_classifier():
    assert from_query({"hidden": ""}) == (DEFAULTS.replace(hidden=()), [])


# --- values that cannot be honoured -----------------------------------------------------------------------------


def test_uploaded_data_in_a_link_shows_the_books_spiral():
    result, notices = from_query({**to_query(DEFAULTS.replace(seed=5)), "data": "upload"})
    assert result == DEFAULTS.replace(seed=5)
    assert len(notices) == 1 and "upload" in notices[0].lower()


@pytest.mark.parametrize(
    ("query", "expected_batch"),
    [
        ({"batch": "241"}, DEFAULTS.batch_size),  # 240 training points of the book's spiral
        ({"batch": "1000"}, DEFAULTS.batch_size),
        ({"data": "xor", "points": "10", "train": "50", "batch": "20"}, 10),  # 10 training points: capped there
        ({"data": "xor", "points": "10", "train": "50"}, 10),  # the default batch does not fit either
        ({"data": "spiral", "classes": "2", "points": "10", "train": "10", "batch": "3"}, 2),
    ],
)
def test_a_batch_larger_than_the_training_set_is_capped_with_a_notice(query, expected_batch):
    result, notices = from_query(query)
    assert result.batch_size == expected_batch <= train_size(result)
    assert len(notices) == 1 and f"batch size {query.get('batch', DEFAULTS.batch_size)} is larger" in notices[0]


def test_a_batch_of_exactly_the_training_set_is_kept():
    assert from_query({"batch": "240"}) == (DEFAULTS.replace(batch_size=240), [])


def test_per_layer_activations_must_match_the_hidden_layers():
    settings, notices = from_query({"hidden": "8,8", "acts": "relu,tanh,relu", "activation": "tanh"})
    assert settings.layer_activations == () and settings.activations == ("tanh", "tanh")
    assert len(notices) == 1 and "3 activations for 2 hidden layers" in notices[0]
    settings, notices = from_query({"hidden": "8,8", "acts": "relu,identity"})
    assert settings.activations == ("relu", "identity") and notices == []


def test_the_cupy_precision_falls_back_to_float32_where_there_is_no_gpu(monkeypatch):
    monkeypatch.setattr("playground.links.gpu_available", lambda: False)
    settings, notices = from_query({"precision": "cupy"})
    assert settings.precision == "float32"
    assert notices == ["This server has no GPU with CuPy; training in float32 on the CPU instead."]
    monkeypatch.setattr("playground.links.gpu_available", lambda: True)
    assert from_query({"precision": "cupy"}) == (DEFAULTS.replace(precision="cupy"), [])


def test_the_language_goes_into_the_link_only_when_it_is_not_english():
    assert "lang" not in to_query(DEFAULTS) and "lang" not in to_query(DEFAULTS, lang="en")
    query = to_query(DEFAULTS, lang="ko")
    assert query["lang"] == "ko" and language_from_query(query) == ("ko", [])
    assert from_query(query) == (DEFAULTS, []) and language_query("en") == {}


@pytest.mark.parametrize("asked", ["fr", "", "KO", "ko" * 200])
def test_a_language_the_page_does_not_speak_falls_back_to_english_with_a_notice(asked):
    lang, notices = language_from_query({"lang": asked})
    assert lang == "en" and len(notices) == 1
    assert notices[0] == f"Link parameter lang={asked[:200]!r} is not one of en, ko; using 'en'."


@pytest.mark.parametrize(
    ("parse", "query", "korean"),
    [
        (from_query, {"lr": "fast"}, "링크 매개변수 lr='fast'는 쓸 수 없는 값입니다 (허용: 1e-05부터 10까지의 수). "
         "1.0을 씁니다."),
        (from_query, {"seed": "-3"}, "링크 매개변수 seed='-3'은 쓸 수 없는 값입니다 (허용: 0부터 2147483647까지의 "
         "정수). 1984를 씁니다."),
        (from_query, {"data": "moon"}, "링크 매개변수 data='moon'은 쓸 수 없는 값입니다 (허용: book_spiral, spiral, "
         "circle, xor, gaussian, moons, sine, cubic, abs, upload, plane, bumps, wave, pyramid 중 하나). "
         "'book_spiral'을 씁니다."),
        (from_query, {"optimizer": "adamw"}, "링크 매개변수 optimizer='adamw'는 쓸 수 없는 값입니다 (허용: SGD, "
         "Momentum, Nesterov, AdaGrad, RMSprop, Adam 중 하나). 'SGD'를 씁니다."),
        (from_query, {"features": "x3"}, "링크 매개변수 features='x3'은 쓸 수 없는 값입니다 (허용: x1, x2, x1², "
         "x2², x1·x2, sin x1, sin x2를 쉼표로 나열한 목록). ['x1', 'x2']를 씁니다."),
        (from_query, {"hidden": "3,3", "acts": "relu"}, "링크 매개변수 acts에 은닉층 2개에 대해 활성화 함수가 "
         "1개 있습니다. 모든 층에 sigmoid를 씁니다."),
        (from_query, {"batch": "9999"}, "배치 크기 9999가 훈련 데이터 240개보다 큽니다. 30을 씁니다."),
        (view_from_query, {"speed": "7"}, "링크 매개변수 speed='7'은 쓸 수 없는 값입니다 (허용: 10, 30, 100, 300, "
         "1000, 3000, 10000, 0 중 하나 (0: 서버가 할 수 있는 만큼 빠르게)). 300을 씁니다."),
        (view_from_query, {"view": "x"}, "링크 매개변수 view='x'는 쓸 수 없는 값입니다 (허용: show_test, "
         "hard_regions, log_loss, show_network, insides, hidden_space를 쉼표로 나열한 목록). "
         "['show_network']를 씁니다."),
        (language_from_query, {"lang": "fr"}, "링크 매개변수 lang='fr'은 쓸 수 없는 값입니다 (허용: en, ko 중 "
         "하나). 'en'을 씁니다."),
    ],
)  # fmt: skip
def test_a_korean_link_notice_takes_the_particles_its_values_need(parse, query, korean):
    """은 or 는, 을 or 를, 이 or 가 by how the value before is read: 'fast' …트, '-3' …삼, 1.0 …영, 1984 …사, 9999 …구,
    'fr' 에프알, 'x' 엑스, ['x1', 'x2'] …이, 300 삼백."""
    _, notices = parse(query)
    assert [tr(notice, "ko") for notice in notices] == [korean]  # each particle in the form its value takes


def test_a_lab_link_opens_slow_motion_at_its_stage_and_the_playgrounds_own_link_leaves_it_out():
    for stage in ("batch", "forward", "backward", "update"):
        assert slow_motion_from_query(slow_motion_query(stage, "en")) == (stage, [])
    assert slow_motion_query("forward", "ko") == {"slow": "forward", "lang": "ko"}
    assert from_query(slow_motion_query("update", "ko")) == (DEFAULTS, [])
    assert slow_motion_from_query(to_query(DEFAULTS)) == (None, [])


@pytest.mark.parametrize("asked", ["", "Forward", "gradients", "x" * 300])
def test_a_slow_motion_stage_a_link_garbles_opens_the_first_with_a_notice(asked):
    stage, notices = slow_motion_from_query({"slow": asked})
    assert stage == "batch"
    assert notices == [
        f"Link parameter slow={asked[:200]!r} is not one of batch, forward, backward, update; using 'batch'."
    ]
    assert tr(notices[0], "ko").endswith("(허용: batch, forward, backward, update 중 하나). 'batch'를 씁니다.")


def test_presenter_mode_travels_in_a_link_and_a_garbled_value_leaves_it_off_with_a_notice():
    assert presenter_from_query(presenter_query(True)) == (True, [])
    assert presenter_query(False) == {} and presenter_from_query(to_query(DEFAULTS)) == (False, [])
    assert presenter_from_query({"present": "0"}) == (False, [])
    on, notices = presenter_from_query({"present": "yes"})
    assert not on and notices == ["Link parameter present='yes' is not one of 0, 1; using 0."]
