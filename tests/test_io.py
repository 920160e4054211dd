"""nnlib.io: exact round trips, hostile files refused without running anything, and a ValueError that names
the problem for every other kind of wrong content."""

import inspect
import io
import json
import pickle
import reprlib
import sys
import types
import zipfile
from contextlib import nullcontext
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib.backend
from nnlib.io import (
    ARCHITECTURE_KEY,
    MAX_ARCHITECTURE_CHARS,
    MAX_BYTES,
    MAX_HIDDEN_LAYERS,
    MAX_LAYER_SIZE,
    fits_float16,
    load_model,
    read_trained,
    save_params,
)
from nnlib.models import MLP, TwoLayerNet, named_params

DELETE = object()  # marks a key to remove in the edit helpers below


# --- helpers ---------------------------------------------------------------------------------------------


def saved_bytes(model):
    buffer = io.BytesIO()
    save_params(model, buffer)
    return buffer.getvalue()


def load_bytes(data, **kwargs):
    return load_model(io.BytesIO(data), **kwargs)


def reference_model():
    """The model the damage tests start from: arrays layers.0.W (2, 3), layers.0.b, layers.2.W (3, 2), layers.2.b."""
    return MLP(2, [3], 2, "relu", seed=0)


def arrays_of(data):
    """The named arrays of a weights file, as a plain dict to edit and re-save."""
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def npz_bytes(arrays, compressed=False):
    """An .npz of ``arrays`` (object arrays are pickled into it, as np.savez does by default)."""
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, **arrays)
    return buffer.getvalue()


def zip_bytes(members):
    """A zip of raw members, (name, bytes) pairs, for archives np.savez would never write."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=True)
    return buffer.getvalue()


def architecture_of(arrays):
    return json.loads(str(arrays[ARCHITECTURE_KEY]))


def edited(mapping, changes):
    """A copy of ``mapping`` with ``changes`` applied; a value of DELETE removes the key."""
    result = dict(mapping)
    for key, value in changes.items():
        if value is DELETE:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def with_architecture(arrays, architecture):
    """Replace the architecture entry: a dict is stored as JSON, anything else as given (a raw string...)."""
    text = json.dumps(architecture) if isinstance(architecture, dict) else architecture
    return edited(arrays, {ARCHITECTURE_KEY: np.array(text)})


def set_fields(**changes):
    """An edit of the architecture's top-level fields (format, version, class, config)."""
    return lambda arrays: with_architecture(arrays, edited(architecture_of(arrays), changes))


def set_config(**changes):
    """An edit of the architecture's config."""

    def edit(arrays):
        architecture = architecture_of(arrays)
        return with_architecture(arrays, edited(architecture, {"config": edited(architecture["config"], changes)}))

    return edit


def set_arrays(**changes):
    """An edit of the weight arrays; names are given with ``_`` for ``.`` (layers_0_W is layers.0.W)."""
    return lambda arrays: edited(arrays, {name.replace("_", "."): value for name, value in changes.items()})


def transform(name, function):
    """An edit that replaces array ``name`` with ``function(array)``."""
    return lambda arrays: edited(arrays, {name: function(arrays[name])})


def set_element(value):
    def put(array):
        array = array.copy()
        array.flat[1] = value
        return array

    return put


def assert_rng_unchanged(before, after):
    assert before[0] == after[0] and before[2:] == after[2:]
    assert np.array_equal(before[1], after[1])


# --- round trip ------------------------------------------------------------------------------------------

MODELS = {
    "two_layer_net": lambda: TwoLayerNet(2, 10, 3, seed=1),
    "linear_softmax": lambda: MLP(4, [], 3, seed=2),
    "one_hidden_float32": lambda: MLP(2, [8], 3, "relu", dtype=np.float32, seed=3),
    "per_layer_activations": lambda: MLP(3, [5, 4, 6], 2, ["tanh", "leaky_relu", "identity"], "he", seed=4),
    "regularised_float32": lambda: MLP(
        2, [7, 7], 4, "sigmoid", "std:0.05", weight_decay=1e-3, l1=2.5e-4, dtype=np.float32, seed=5
    ),
    "deep_float64": lambda: MLP(2, [3] * 6, 2, "relu", "xavier", weight_decay=0.1, l1=0.01, seed=6),
}


def trained(model):
    """The model with every parameter set, biases included, plus a -0.0 and a subnormal that must survive."""
    rng = np.random.default_rng(7)
    params = model.flat_params
    params[...] = rng.standard_normal(params.size).astype(params.dtype)
    params[-2:] = [-0.0, np.finfo(params.dtype).smallest_subnormal]
    return model


def save_to(model, destination, tmp_path):
    """Save ``model`` to a BytesIO or a file and return what load_model should be given."""
    if destination == "bytesio":
        buffer = io.BytesIO()
        save_params(model, buffer)
        buffer.seek(0)
        return buffer
    if destination == "path":
        save_params(model, tmp_path / "model.npz")
        return tmp_path / "model.npz"
    save_params(model, str(tmp_path / "model"))  # "str without suffix": NumPy adds .npz
    return str(tmp_path / "model.npz")


def assert_same_model(loaded, model):
    assert type(loaded) is type(model)
    assert loaded.config == model.config
    loaded_params, params = dict(named_params(loaded)), dict(named_params(model))
    assert list(loaded_params) == list(params)
    for name, param in params.items():
        assert loaded_params[name].dtype == param.dtype, name
        assert loaded_params[name].shape == param.shape, name
        assert loaded_params[name].tobytes() == param.tobytes(), name  # bit-identical, -0.0 included
        assert np.shares_memory(loaded_params[name], loaded.flat_params), name  # still views of one vector
    assert loaded.flat_params.tobytes() == model.flat_params.tobytes()
    x = np.random.default_rng(8).standard_normal((5, model.config["input_size"]))
    expected = model.predict(x)
    assert loaded.predict(x).dtype == expected.dtype
    assert np.array_equal(loaded.predict(x), expected)


@pytest.mark.parametrize("destination", ["bytesio", "path", "str without suffix"])
@pytest.mark.parametrize("name", MODELS)
def test_round_trip_is_exact_and_leaves_the_global_rng_alone(name, destination, tmp_path):
    model = trained(MODELS[name]())
    source = save_to(model, destination, tmp_path)
    before = np.random.get_state()
    loaded = load_model(source)
    assert_rng_unchanged(before, np.random.get_state())
    assert_same_model(loaded, model)


def test_saved_file_holds_named_plain_arrays_and_the_architecture_as_json():
    model = trained(MLP(3, [4], 2, ["tanh"], dtype=np.float32, seed=0))
    arrays = arrays_of(saved_bytes(model))
    assert sorted(arrays) == ["architecture", "layers.0.W", "layers.0.b", "layers.2.W", "layers.2.b"]
    assert arrays["layers.0.W"].dtype == np.float32 and arrays["layers.0.W"].shape == (3, 4)
    assert arrays["layers.2.b"].shape == (2,)
    assert architecture_of(arrays) == {"format": "nnlib-weights", "version": 1, "class": "MLP", "config": model.config}


def test_a_loaded_model_saves_to_the_same_arrays():
    data = saved_bytes(trained(MODELS["per_layer_activations"]()))
    again = arrays_of(saved_bytes(load_bytes(data)))
    original = arrays_of(data)
    assert list(again) == list(original)
    assert all(again[name].tobytes() == original[name].tobytes() for name in original)


# --- hostile files: refused, and nothing in them runs ----------------------------------------------------


class Tripwire:
    """Unpickling this creates the file ``marker``: if the marker exists, loading ran code from the file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return Path.touch, (self.marker,)


def tripwire_array(marker, shape=(2, 3)):
    array = np.empty(shape, dtype=object)
    array.flat[0] = Tripwire(marker)
    return array


def valid_arrays():
    return arrays_of(saved_bytes(reference_model()))


HOSTILE = {
    # name: (build(marker) -> bytes, what the ValueError says)
    "pickle of book-style params": (
        lambda marker: pickle.dumps({"W1": Tripwire(marker), "b1": np.zeros(3)}),
        "not a weights file",
    ),
    "protocol-0 pickle": (lambda marker: pickle.dumps(Tripwire(marker), protocol=0), "not a weights file"),
    "npz with an object weight array": (
        lambda marker: npz_bytes(edited(valid_arrays(), {"layers.0.W": tripwire_array(marker)})),
        "layers.0.W has dtype object",
    ),
    "npz with an object architecture": (
        lambda marker: npz_bytes(edited(valid_arrays(), {ARCHITECTURE_KEY: np.array(Tripwire(marker))})),
        "'architecture' must be one JSON string",
    ),
    "npz with an extra object array": (
        lambda marker: npz_bytes(edited(valid_arrays(), {"payload": tripwire_array(marker)})),
        r"unexpected array\(s\) payload",
    ),
    "npy object array": (lambda marker: npy_bytes(tripwire_array(marker)), "not a weights file"),
}


def careless_load(data):
    """What a loader that trusts pickles would do with ``data``: read every array, unpickling as it goes."""
    if data.startswith(b"PK") or data.startswith(b"\x93NUMPY"):
        loaded = np.load(io.BytesIO(data), allow_pickle=True)
        if isinstance(loaded, np.lib.npyio.NpzFile):
            with loaded:
                for name in loaded.files:
                    loaded[name]
        return
    pickle.loads(data)


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_payloads_are_live(case, tmp_path):
    """The payloads below do run when unpickled, so their marker not appearing is real evidence."""
    marker = tmp_path / "pwned"
    build, _ = HOSTILE[case]
    careless_load(build(marker))
    assert marker.exists()


@pytest.mark.parametrize("source", ["bytesio", "path"])
@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_files_are_refused_without_running_anything(case, source, tmp_path):
    marker = tmp_path / "pwned"
    build, message = HOSTILE[case]
    data = build(marker)
    if source == "path":
        (tmp_path / "weights.npz").write_bytes(data)
    with pytest.raises(ValueError, match=message):
        load_model(tmp_path / "weights.npz" if source == "path" else io.BytesIO(data))
    assert not marker.exists()


# --- wrong content: a ValueError that says what is wrong -------------------------------------------------

CONTENT_DAMAGE = [
    # (id, edit of the reference file's arrays, fragment of the message)
    ("missing weight", set_arrays(layers_2_W=DELETE), r"missing array 'layers\.2\.W'"),
    ("missing bias", set_arrays(layers_0_b=DELETE), r"missing array 'layers\.0\.b'"),
    (
        "renamed weight",
        lambda arrays: edited(arrays, {"layers.0.W": DELETE, "layer0_W": arrays["layers.0.W"]}),
        r"unexpected array\(s\) layer0_W",
    ),
    ("extra array", set_arrays(layers_4_W=np.zeros((2, 2))), r"unexpected array\(s\) layers\.4\.W"),
    ("transposed weight", transform("layers.0.W", np.transpose), r"layers\.0\.W has shape \(3, 2\).*needs \(2, 3\)"),
    ("flattened weight", transform("layers.2.W", np.ravel), r"layers\.2\.W has shape \(6,\).*needs \(3, 2\)"),
    ("0-d bias", set_arrays(layers_2_b=np.array(0.5)), r"layers\.2\.b has shape \(\).*needs \(2,\)"),
    ("float32 weight", transform("layers.0.W", lambda a: a.astype(np.float32)), r"layers\.0\.W has dtype float32"),
    ("int64 bias", transform("layers.0.b", lambda a: a.astype(np.int64)), r"layers\.0\.b has dtype int64"),
    ("bool weight", transform("layers.2.W", lambda a: a > 0), r"layers\.2\.W has dtype bool"),
    ("complex weight", transform("layers.2.W", lambda a: a + 0j), r"layers\.2\.W has dtype complex128"),
    ("string weight", transform("layers.2.W", lambda a: a.astype(str)), r"layers\.2\.W has dtype <U"),
    ("NaN", transform("layers.0.W", set_element(np.nan)), r"layers\.0\.W holds NaN or infinite values"),
    ("inf", transform("layers.2.b", set_element(np.inf)), r"layers\.2\.b holds NaN or infinite values"),
    ("-inf", transform("layers.2.W", set_element(-np.inf)), r"layers\.2\.W holds NaN or infinite values"),
    (
        "float64 arrays, float32 config",
        set_config(dtype="float32"),
        r"has dtype float64, but the architecture says float32",
    ),
    ("sizes that do not fit the arrays", set_config(input_size=5), r"layers\.0\.W has shape \(2, 3\).*needs \(5, 3\)"),
    ("missing architecture", set_arrays(architecture=DELETE), r"missing array 'architecture'"),
    (
        "architecture not JSON",
        lambda arrays: with_architecture(arrays, "{format: nnlib"),
        "'architecture' is not valid JSON",
    ),
    ("architecture empty string", lambda arrays: with_architecture(arrays, ""), "'architecture' is not valid JSON"),
    ("architecture a number", set_arrays(architecture=np.array(1.0)), "'architecture' must be one JSON string"),
    ("architecture bytes", set_arrays(architecture=np.array(b"{}")), "'architecture' must be one JSON string"),
    ("architecture a 1-d array", set_arrays(architecture=np.array(["{}"])), "'architecture' must be one JSON string"),
    (
        "architecture too long",
        lambda arrays: with_architecture(arrays, str(arrays[ARCHITECTURE_KEY]) + " " * MAX_ARCHITECTURE_CHARS),
        "'architecture' must be one JSON string",
    ),
    ("JSON list", lambda arrays: with_architecture(arrays, "[]"), "lacks format 'nnlib-weights'"),
    ("JSON string", lambda arrays: with_architecture(arrays, '"nnlib-weights"'), "lacks format 'nnlib-weights'"),
    ("wrong format", set_fields(format="keras-h5"), "lacks format 'nnlib-weights'"),
    ("no format", set_fields(format=DELETE), "lacks format 'nnlib-weights'"),
    ("newer version", set_fields(version=2), r"version 2 is not supported \(expected 1\)"),
    ("version as a string", set_fields(version="1"), r"version '1' is not supported"),
    ("no version", set_fields(version=DELETE), r"version None is not supported"),
    pytest.param(
        "version true",
        set_fields(version=True),
        r"version True is not supported",
        id="version true",
    ),
    ("unknown class", set_fields(**{"class": "Sequential"}), "unknown model class 'Sequential'"),
    ("no class", set_fields(**{"class": DELETE}), "unknown model class None"),
    ("class of the wrong model", set_fields(**{"class": "TwoLayerNet"}), "does not describe a TwoLayerNet"),
    ("no config", set_fields(config=DELETE), "no 'config' object"),
    ("config a list", set_fields(config=[2, [3], 2]), "no 'config' object"),
    ("config missing a key", set_config(l1=DELETE), "architecture config: missing 'l1'"),
    ("config with an extra key", set_config(momentum=0.9), "architecture config: unexpected 'momentum'"),
    (
        "bool layer size",
        set_config(input_size=True),
        r"'input_size' must hold whole numbers from 1 to 4096, found True",
    ),
    ("zero layer size", set_config(output_size=0), r"'output_size' must hold whole numbers.*found 0"),
    ("negative layer size", set_config(input_size=-2), r"'input_size' must hold whole numbers.*found -2"),
    ("huge layer size", set_config(output_size=MAX_LAYER_SIZE + 1), r"'output_size' must hold.*found 4097"),
    ("astronomical layer size", set_config(input_size=10**30), r"'input_size' must hold whole numbers"),
    ("float layer size", set_config(input_size=2.0), r"'input_size' must hold whole numbers.*found 2\.0"),
    ("string layer size", set_config(output_size="2"), r"'output_size' must hold whole numbers.*found '2'"),
    ("bool hidden size", set_config(hidden_sizes=[False]), r"'hidden_sizes' must hold whole numbers.*found False"),
    ("huge hidden size", set_config(hidden_sizes=[10**6]), r"'hidden_sizes' must hold whole numbers.*found 1000000"),
    ("hidden sizes not a list", set_config(hidden_sizes=3), r"'hidden_sizes' must be a list of at most 32"),
    (
        "too many hidden layers",
        set_config(hidden_sizes=[3] * (MAX_HIDDEN_LAYERS + 1), activation=["relu"] * (MAX_HIDDEN_LAYERS + 1)),
        r"'hidden_sizes' must be a list of at most 32",
    ),
    ("unknown activation", set_config(activation=["gelu"]), r"'activation' must be a list of sigmoid, tanh, relu"),
    ("activation a string", set_config(activation="relu"), r"'activation' must be a list of"),
    ("activation count", set_config(activation=["relu", "tanh"]), "one activation per hidden layer: it names 2 for 1"),
    ("unknown dtype", set_config(dtype="float16"), r"'dtype' must be one of float64, float32"),
    ("weight init not a string", set_config(weight_init=0.01), r"'weight_init' must be 'auto', .*, found 0\.01"),
    ("unknown weight init", set_config(weight_init="std:-1"), r"'weight_init' must be 'auto', .*, found 'std:-1'"),
    ("negative weight decay", set_config(weight_decay=-0.1), r"'weight_decay' must be a finite number >= 0"),
    ("NaN weight decay", set_config(weight_decay=float("nan")), r"'weight_decay' must be a finite number >= 0"),
    ("infinite l1", set_config(l1=float("inf")), r"'l1' must be a finite number >= 0, found inf"),
    ("bool l1", set_config(l1=True), r"'l1' must be a finite number >= 0, found True"),
    ("string l1", set_config(l1="0"), r"'l1' must be a finite number >= 0, found '0'"),
    pytest.param(
        "unhashable dtype",
        set_config(dtype=[]),
        r"'dtype' must be one of",
        id="unhashable dtype",
    ),
    pytest.param(
        "unhashable activation",
        set_config(activation=[["relu"]]),
        r"'activation' must be a list of",
        id="unhashable activation",
    ),
    pytest.param(
        "integer weight decay too big for a float",
        set_config(weight_decay=10**400),
        r"'weight_decay' must be a finite number",
        id="integer weight decay too big for a float",
    ),
    pytest.param(
        "deeply nested JSON",
        lambda arrays: with_architecture(arrays, "[" * 1000 + "]" * 1000),
        "'architecture'",
        id="deeply nested JSON",
    ),
]


def case_ids(cases):
    return [case[0] if isinstance(case, tuple) else case.id for case in cases]


@pytest.mark.parametrize(("name", "edit", "message"), CONTENT_DAMAGE, ids=case_ids(CONTENT_DAMAGE))
def test_wrong_content_is_refused_with_a_message_naming_the_problem(name, edit, message):
    data = npz_bytes(edit(valid_arrays()))
    with pytest.raises(ValueError, match=message):
        load_bytes(data)


def two_layer_net_arrays():
    return arrays_of(saved_bytes(TwoLayerNet(2, 4, 3, seed=0)))


NOT_A_TWO_LAYER_NET = "the config does not describe a TwoLayerNet"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (set_config(activation=["relu"]), NOT_A_TWO_LAYER_NET),
        (set_config(weight_init="auto"), NOT_A_TWO_LAYER_NET),
        (set_config(weight_decay=0.1), NOT_A_TWO_LAYER_NET),
        (set_config(dtype="float32"), NOT_A_TWO_LAYER_NET),
        (set_config(hidden_sizes=[0]), r"'hidden_sizes' must hold whole numbers.*found 0"),
        (set_config(input_size=3), r"layers\.0\.W has shape \(2, 4\).*needs \(3, 4\)"),
        (set_config(hidden_size=4), "architecture config: unexpected 'hidden_size'"),
        pytest.param(
            set_config(hidden_sizes=[4, 4], activation=["sigmoid", "sigmoid"]),
            NOT_A_TWO_LAYER_NET,
            id="two hidden layers",
        ),
        pytest.param(
            set_config(hidden_sizes=[], activation=[]),
            NOT_A_TWO_LAYER_NET,
            id="no hidden layer",
        ),
    ],
)
def test_wrong_two_layer_net_config_is_refused(edit, message):
    with pytest.raises(ValueError, match=message):
        load_bytes(npz_bytes(edit(two_layer_net_arrays())))


@pytest.mark.parametrize(
    "members",
    [
        pytest.param(
            lambda arrays: [("architecture", str(arrays[ARCHITECTURE_KEY]).encode())],
            id="architecture as a raw zip member",
        ),
        pytest.param(
            lambda arrays: [
                *((f"{name}.npy", npy_bytes(array)) for name, array in arrays.items() if name != "layers.0.W"),
                ("layers.0.W", arrays["layers.0.W"].tobytes()),
            ],
            id="weight as a raw zip member",
        ),
    ],
)
def test_zip_members_that_are_not_npy_are_refused(members):
    with pytest.raises(ValueError):
        load_bytes(zip_bytes(members(valid_arrays())))


# --- float16 files, the book's way -----------------------------------------------------------------------


def half_bytes(model):
    buffer = io.BytesIO()
    save_params(model, buffer, dtype=np.float16)
    return buffer.getvalue()


@pytest.mark.parametrize("name", MODELS)
def test_a_float16_file_loads_into_the_models_own_dtype_with_the_weights_rounded_once(name):
    model = trained(MODELS[name]())
    loaded = load_bytes(half_bytes(model))
    assert type(loaded) is type(model) and loaded.config == model.config
    for (_, param), (_, read) in zip(named_params(model), named_params(loaded)):
        assert read.dtype == param.dtype
        assert read.tobytes() == param.astype(np.float16).astype(param.dtype).tobytes()
        assert np.shares_memory(read, loaded.flat_params)
    assert half_bytes(loaded) == half_bytes(model)  # rounding twice changes nothing


@pytest.mark.parametrize(("dtype", "ratio"), [(np.float32, 0.55), (np.float64, 0.3)])
def test_a_float16_file_is_half_the_size_of_float32_and_a_quarter_of_float64(dtype, ratio):
    model = trained(MLP(2, [64, 64], 3, "relu", dtype=dtype, seed=0))
    assert len(half_bytes(model)) < ratio * len(saved_bytes(model))


def test_a_float16_file_holds_float16_arrays_and_says_so():
    model = trained(MLP(3, [4], 2, dtype=np.float32, seed=0))
    arrays = arrays_of(half_bytes(model))
    assert {arrays[name].dtype for name in arrays if name != ARCHITECTURE_KEY} == {np.dtype(np.float16)}
    assert architecture_of(arrays) == {
        "format": "nnlib-weights",
        "version": 1,
        "class": "MLP",
        "config": model.config,
        "array_dtype": "float16",
    }
    assert "array_dtype" not in architecture_of(arrays_of(saved_bytes(model)))
    same = io.BytesIO()
    save_params(model, same, dtype=np.float32)  # the model's own dtype: the usual file
    assert same.getvalue() == saved_bytes(model)


def test_weights_beyond_float16s_range_are_refused_without_a_warning():
    model = MLP(2, [3], 2, seed=0)
    model.layers[2].params[1][0] = 65_520.0  # rounds to inf in float16; 65,504 is its largest number
    with pytest.raises(ValueError, match=r"layers\.2\.b holds values beyond float16's range .*: save it in float64"):
        half_bytes(model)
    model.layers[2].params[1][0] = -65_504.0
    assert load_bytes(half_bytes(model)).layers[2].params[1][0] == -65_504.0


@pytest.mark.parametrize("dtype", [np.float32, np.int8, "complex64"])
def test_save_params_takes_float16_or_the_models_dtype(dtype):
    with pytest.raises(ValueError, match=r"dtype must be float16 or the model's float64, not (float32|int8|complex64)"):
        save_params(MLP(2, [3], 2, seed=0), io.BytesIO(), dtype=dtype)


def half_arrays():
    return arrays_of(half_bytes(reference_model()))


HALF_DAMAGE = [
    ("array_dtype another float", set_fields(array_dtype="float32"), r"'array_dtype' must be 'float16' or the model's"),
    ("array_dtype a number", set_fields(array_dtype=16), r"'array_dtype' must be 'float16' .* float64, found 16"),
    ("array_dtype null", set_fields(array_dtype=None), r"'array_dtype' must be 'float16' .*, found None"),
    ("array_dtype a list", set_fields(array_dtype=["float16"]), r"'array_dtype' must be 'float16'"),
    ("array_dtype missing", set_fields(array_dtype=DELETE), r"has dtype float16, but the architecture says float64"),
    (
        "one array not float16",
        transform("layers.2.W", lambda a: a.astype(np.float64)),
        r"layers\.2\.W has dtype float64, but the architecture says float16",
    ),
    ("inf", transform("layers.0.W", set_element(np.inf)), r"layers\.0\.W holds NaN or infinite values"),
    ("transposed", transform("layers.0.W", np.transpose), r"layers\.0\.W has shape \(3, 2\).*needs \(2, 3\)"),
]


@pytest.mark.parametrize(("name", "edit", "message"), HALF_DAMAGE, ids=case_ids(HALF_DAMAGE))
def test_a_damaged_float16_file_is_refused_with_a_message_naming_the_problem(name, edit, message):
    with pytest.raises(ValueError, match=message):
        load_bytes(npz_bytes(edit(half_arrays())))


def test_a_float16_file_keeps_the_size_limit():
    data = half_bytes(trained(MLP(2, [64], 3, seed=0)))
    assert load_bytes(data, max_bytes=len(data) * 2)
    with pytest.raises(ValueError, match="more than the 1,000 allowed"):
        load_bytes(data, max_bytes=1000)


# --- broken files ----------------------------------------------------------------------------------------

VALID_FILE = saved_bytes(reference_model())


def test_every_truncation_of_a_valid_file_is_refused():
    assert load_bytes(VALID_FILE).config == reference_model().config
    for length in range(len(VALID_FILE)):
        with pytest.raises(ValueError, match="not a weights file"):
            load_bytes(VALID_FILE[:length])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not a weights file"),
        (b"hello, world\n" * 20, "not a weights file"),
        (np.random.default_rng(0).bytes(4096), "not a weights file"),
        (b"PK\x03\x04" + np.random.default_rng(1).bytes(512), "not a weights file"),
        (b"\x93NUMPY" + np.random.default_rng(2).bytes(512), "not a weights file"),
        (npy_bytes(np.zeros((2, 3))), r"single NumPy array \(\.npy\)"),
        (zip_bytes([]), "missing array 'architecture'"),
        (zip_bytes([("readme.txt", b"hi")]), "missing array 'architecture'"),
    ],
    ids=[
        "empty",
        "text",
        "random bytes",
        "zip magic then garbage",
        "npy magic then garbage",
        "npy",
        "empty zip",
        "zip",
    ],
)
def test_files_that_are_not_weights_files_are_refused(data, message, tmp_path):
    path = tmp_path / "weights.npz"
    path.write_bytes(data)
    for source in (io.BytesIO(data), path):
        with pytest.raises(ValueError, match=message):
            load_model(source)


def test_a_corrupted_member_is_refused():
    """A byte changed inside the compressed data of a member: its check sum no longer matches."""
    data = bytearray(npz_bytes(valid_arrays()))
    position = bytes(data).index(valid_arrays()["layers.0.W"].tobytes())
    data[position] ^= 0xFF
    with pytest.raises(ValueError, match=r"'layers\.0\.W' cannot be read"):
        load_bytes(bytes(data))


def declared_size(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(member.file_size for member in archive.infolist())


def test_a_file_declaring_more_than_max_bytes_is_refused():
    size = declared_size(VALID_FILE)
    assert load_bytes(VALID_FILE, max_bytes=size).config == reference_model().config  # at the limit: fine
    with pytest.raises(ValueError, match=rf"would unpack to {size:,} bytes, more than the {size - 1:,} allowed"):
        load_bytes(VALID_FILE, max_bytes=size - 1)


def test_max_bytes_defaults_to_max_bytes():
    assert inspect.signature(load_model).parameters["max_bytes"].default == MAX_BYTES == 64 * 2**20


def test_a_zip_bomb_is_refused_before_it_is_read():
    """A small file of highly compressible zeros that declares more than max_bytes: refused before inflating,
    so the member is never read (it is not even an .npy)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("architecture.npy", "w") as member:
        for _ in range(4):
            member.write(bytes(2**20))
    assert len(buffer.getvalue()) < 2**14
    with pytest.raises(ValueError, match="would unpack to 4,194,304 bytes, more than the 1,048,576 allowed"):
        load_bytes(buffer.getvalue(), max_bytes=2**20)


@pytest.mark.parametrize(
    "added",
    [("layers.0.W.npy",), ("layers.0.W",), ("payload.npy", "payload.npy")],
    ids=["twice", "with and without .npy", "an extra array twice"],
)
def test_an_array_given_twice_is_refused(added):
    """zipfile would read the last member of a name, np.load a member with or without .npy: either could be the one
    not checked."""
    names = [f"{name}.npy" for name in valid_arrays()] + list(added)
    contents = [npy_bytes(array) for array in valid_arrays().values()] + [npy_bytes(np.zeros((2, 3)))] * len(added)
    with pytest.warns(UserWarning, match="Duplicate name") if len(set(names)) < len(names) else nullcontext():
        data = zip_bytes(zip(names, contents))
    repeated = added[0].removesuffix(".npy")
    with pytest.raises(ValueError, match=rf"duplicate array\(s\) {repeated}: a weights file holds each array once"):
        load_bytes(data)


def npy_header(shape, descr="<f8", version=b"\x01\x00"):
    """An .npy header that declares ``shape`` and no data after it."""
    text = repr({"descr": descr, "fortran_order": False, "shape": shape}).encode() + b"\n"
    return np.lib.format.MAGIC_PREFIX + version + len(text).to_bytes(2, "little") + text


def test_an_array_is_read_as_its_header_says_only_if_the_data_is_there():
    """NumPy would allocate the 128 MiB a header declares before finding the data missing."""
    members = {f"{name}.npy": npy_bytes(array) for name, array in valid_arrays().items()}
    members["layers.0.W.npy"] = npy_header((4096, 4096))
    with pytest.raises(ValueError, match="its header declares 134,217,728 bytes of data, but it holds 0"):
        load_bytes(zip_bytes(members.items()))


def test_an_npy_format_version_numpy_does_not_write_for_numbers_is_refused():
    members = {f"{name}.npy": npy_bytes(array) for name, array in valid_arrays().items()}
    members["layers.0.b.npy"] = npy_header((3,), version=b"\x03\x00") + bytes(24)
    with pytest.raises(ValueError, match=r"'layers\.0\.b' cannot be read: \.npy format version 3\.0"):
        load_bytes(zip_bytes(members.items()))


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (npy_bytes(np.array([{"W": 1}, None], dtype=object)), r"single NumPy array \(\.npy\), not a weights file"),
        (pickle.dumps({"W1": np.ones(3)}), r"not a weights file \(\.npz\) written by nnlib: it is not a zip archive"),
        (b"x1,x2,label\n0,0,0\n", r"not a weights file \(\.npz\) written by nnlib: it is not a zip archive"),
        (PNG, r"not a weights file \(\.npz\) written by nnlib: it is not a zip archive"),
    ],
    ids=["npy object array", "pickle", "text", "png"],
)
def test_a_file_that_is_no_npz_is_refused_plainly(data, message):
    """Not with NumPy's advice to load it with allow_pickle=True."""
    with pytest.raises(ValueError, match=message) as error:
        load_bytes(data)
    assert "pickle" not in str(error.value)


@pytest.fixture
def fake_cupy(monkeypatch):
    """A stand-in ``cupy`` module: NumPy under another name, so a test can see which backend a model got."""
    module = types.ModuleType("cupy")
    module.__getattr__ = lambda name: getattr(np, name)
    monkeypatch.setitem(sys.modules, "cupy", module)
    monkeypatch.setattr(nnlib.backend, "_cupy", None)  # restored afterwards: other tests see plain NumPy again
    return module


BACKEND_MODELS = [
    pytest.param(MODELS["per_layer_activations"], id="MLP"),
    pytest.param(
        MODELS["two_layer_net"],
        id="TwoLayerNet",
    ),
]


@pytest.mark.parametrize("model", BACKEND_MODELS)
def test_the_loaded_model_is_on_the_requested_backend(model, fake_cupy):
    model = trained(model())
    loaded = load_bytes(saved_bytes(model), backend="cupy")
    assert loaded.xp is fake_cupy
    assert_same_model(loaded, model)


@pytest.mark.parametrize(
    "model", [MODELS["per_layer_activations"], MODELS["two_layer_net"]], ids=["MLP", "TwoLayerNet"]
)
def test_an_unknown_backend_is_refused(model):
    with pytest.raises(ValueError, match="unknown backend 'abacus'"):
        load_bytes(saved_bytes(model()), backend="abacus")


# --- fuzzing ---------------------------------------------------------------------------------------------


def mutation(size):
    """One edit of a file of about ``size`` bytes: flip a bit, replace a byte, truncate, append or insert."""
    position = st.integers(0, size - 1)
    return st.one_of(
        st.tuples(st.just("flip"), position, st.integers(0, 7)),
        st.tuples(st.just("replace"), position, st.integers(0, 255)),
        st.tuples(st.just("truncate"), position),
        st.tuples(st.just("append"), st.binary(min_size=1, max_size=64)),
        st.tuples(st.just("insert"), position, st.binary(min_size=1, max_size=8)),
    )


def mutate(data, edits):
    data = bytearray(data)
    for kind, *args in edits:
        if kind == "append":
            data += args[0]
            continue
        position = args[0] % max(len(data), 1)
        if kind == "truncate":
            del data[position:]
        elif kind == "insert":
            data[position:position] = args[1]
        elif data:
            data[position] = data[position] ^ (1 << args[1]) if kind == "flip" else args[1]
    return bytes(data)


def assert_model_or_value_error(data):
    try:
        model = load_bytes(data)
    except ValueError:
        return
    assert isinstance(model, MLP)
    assert all(np.isfinite(param).all() for _, param in named_params(model))


FUZZ_BASES = {"save_params": VALID_FILE, "uncompressed": npz_bytes(valid_arrays())}


@pytest.mark.parametrize("base", FUZZ_BASES)
@settings(max_examples=300, deadline=None, derandomize=True)
@given(data=st.data())
def test_mutated_files_give_a_model_or_a_value_error(base, data):
    original = FUZZ_BASES[base]
    edits = data.draw(st.lists(mutation(len(original)), min_size=1, max_size=4))
    assert_model_or_value_error(mutate(original, edits))


AWKWARD_JSON = [
    None,
    True,
    False,
    0,
    -1,
    1.5,
    float("nan"),
    float("inf"),
    10**400,
    "",
    "relu",
    [],
    [1],
    [[]],
    {},
    {"a": 1},
]


CONFIG_VALUES = [
    pytest.param(key, value, id=f"{key}={reprlib.repr(value)}")
    for key in sorted(reference_model().config)
    for value in AWKWARD_JSON
]


@pytest.mark.parametrize(("key", "value"), CONFIG_VALUES)
def test_any_json_value_in_the_config_gives_a_model_or_a_value_error(key, value):
    arrays = set_config(**{key: value})(valid_arrays())
    try:
        model = load_bytes(npz_bytes(arrays))
    except ValueError:
        return
    assert model.config == edited(reference_model().config, {key: value})


def test_a_tiny_file_cannot_declare_a_huge_model():
    """The parameters must be in the file: an architecture larger than the archive is refused before building."""
    arrays = set_config(hidden_sizes=[4096] * 8, activation=["relu"] * 8, dropout=[0.0] * 8)(valid_arrays())
    with pytest.raises(ValueError, match=r"needs [\d,]+ bytes of parameters, but the file holds [\d,]+"):
        load_bytes(npz_bytes(arrays))


def test_the_float16_file_is_offered_only_for_weights_float16_can_hold():
    model = MLP(2, [4], 3, seed=0)
    assert fits_float16(model)
    model.params[0][0, 0] = 70_000.0  # beyond ±65,504
    assert not fits_float16(model)
    model.params[0][0, 0] = np.nan
    assert not fits_float16(model)


def test_a_file_records_how_long_its_weights_were_trained_and_loads_the_same_with_it(tmp_path):
    model = MLP(2, [6], 3, seed=2)
    path = tmp_path / "trained.npz"
    save_params(model, path, trained={"epoch": 120, "step": 960})
    assert read_trained(path) == {"epoch": 120, "step": 960}
    np.testing.assert_array_equal(load_model(path).flat_params, model.flat_params)
    assert read_trained(io.BytesIO(saved_bytes(model))) is None  # saved without it: the file does not say


@pytest.mark.parametrize(
    "trained", [{"epoch": -1, "step": 0}, {"epoch": 1.5, "step": 3}, {"epoch": True, "step": 8}, [1, 8], "long", None]
)
def test_a_training_record_in_any_other_form_is_not_taken_and_the_weights_still_load(trained):
    arrays = arrays_of(saved_bytes(MLP(2, [6], 3, seed=2)))
    data = npz_bytes(with_architecture(arrays, architecture_of(arrays) | {"trained": trained}))
    assert read_trained(io.BytesIO(data)) is None
    load_model(io.BytesIO(data))


def test_reading_the_training_record_of_what_is_not_a_weights_file_says_so():
    with pytest.raises(ValueError, match="not a weights file"):
        read_trained(io.BytesIO(b"not a zip"))
