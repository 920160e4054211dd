"""Fuzzing the loaders of users' files, nnlib.io.load_model and nnlib.datasets.load_points.

Whatever the bytes, a call returns a result that keeps the loader's promises or raises ValueError with a short
message the page can say in Korean, ends within CALL_SECONDS (the Korean included) and runs nothing from the file:
`call` checks all of it on each of the 10,700 cases, and on files built to be slow that are nearly as large as the
page takes. The cases are derandomized, so every CI run tries the same ones.
"""

import bz2
import csv
import io
import json
import pickle
import signal
import struct
import sys
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as npst

from nnlib.datasets import MAX_CLASSES, load_points
from nnlib.io import ARCHITECTURE_KEY, MAX_BYTES, load_model, save_params
from nnlib.messages import Message
from nnlib.models import ACTIVATIONS, MLP, TwoLayerNet, named_params
from playground import i18n

CALL_SECONDS = 2  # a call takes milliseconds, and under a second for a file of megabytes: this tells a hang
MESSAGE_CHARS = 2_000  # a sentence or two, whatever the file quotes


def fuzz(cases):
    """The same ``cases`` inputs on every run, and no deadline: `call` times the loader, not the making of its input."""
    return settings(max_examples=cases, deadline=None, derandomize=True)


# --- every call: a result or a ValueError, in time, running nothing --------------------------------------


class Hang(BaseException):
    """Raised by the alarm in a call that runs too long; not an Exception, so that no `except Exception` in a loader
    can turn it into a ValueError."""


def raise_hang(signum, frame):
    raise Hang


UNPICKLED = []  # the globals a pickle looked up: the step by which unpickling reaches code it can run


def record_unpickling(event, args):
    if event == "pickle.find_class":
        UNPICKLED.append(args)


sys.addaudithook(record_unpickling)  # audit hooks stay for the whole session; this one only appends to a list


def call(loader, data):
    """``loader`` on a file of ``data``, as (result, None) or (None, the ValueError); any other exception, a message
    the page cannot say in Korean in time, a call that runs past CALL_SECONDS and one that unpickles anything fail
    the test."""
    UNPICKLED.clear()
    previous = signal.signal(signal.SIGALRM, raise_hang)
    signal.alarm(CALL_SECONDS)
    try:
        outcome = loader(io.BytesIO(data)), None
    except ValueError as error:
        check_message(error.args[0])
        outcome = None, error
    except Hang:
        raise AssertionError(f"{loader.__name__} ran for more than {CALL_SECONDS} s") from None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert not UNPICKLED, f"{loader.__name__} unpickled {UNPICKLED}"
    return outcome


def check_message(message):
    """A message made from a template the page has Korean for, short in either language."""
    assert isinstance(message, Message), f"not a Message, so the page cannot say it in Korean: {message!r}"
    untranslated = set(i18n.missing)
    korean = i18n.tr(message, "ko")
    assert i18n.missing == untranslated, f"no Korean for {i18n.missing - untranslated}"
    assert 0 < len(message) < MESSAGE_CHARS and len(korean) < MESSAGE_CHARS, (len(message), message[:200])


def check_load_model(data):
    """A loaded model holds the file's arrays, all of them and bit for bit: a file is read whole or refused."""
    model, _ = call(load_model, data)
    if model is None:
        return
    assert isinstance(model, MLP)
    arrays = arrays_of(data)
    params = dict(named_params(model))
    assert sorted(params) == sorted(set(arrays) - {ARCHITECTURE_KEY})
    for name, param in params.items():
        assert param.dtype == arrays[name].dtype and param.tobytes() == arrays[name].tobytes(), name


def check_load_points(data):
    """Loaded points are finite float64 pairs, with one-hot targets of at least two classes, sized by the largest."""
    points, _ = call(load_points, data)
    if points is None:
        return
    x, t = points
    assert x.dtype == np.float64 and x.ndim == 2 and x.shape[1] == 2 and np.isfinite(x).all()
    assert t.dtype == np.int64 and t.shape == (len(x), t.shape[1]) and 2 <= t.shape[1] <= MAX_CLASSES
    assert np.isin(t, (0, 1)).all() and (t.sum(axis=1) == 1).all()
    assert len(set(t.argmax(axis=1))) >= 2 and t[:, -1].any()


# --- weights files to start from, and ways to take them apart --------------------------------------------


def saved(model):
    buffer = io.BytesIO()
    save_params(model, buffer)
    return buffer.getvalue()


def arrays_of(data):
    with np.load(io.BytesIO(data)) as archive:
        return {name: archive[name] for name in archive.files}


def npz(arrays):
    """An uncompressed .npz of ``arrays``, as np.savez writes it (pickling object arrays, as it does by default)."""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def npy(array):
    """An .npy of ``array`` (pickled, if it holds objects)."""
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=True)
    return buffer.getvalue()


MODELS = [
    MLP(3, [4, 2], 2, ["tanh", "relu"], "he", weight_decay=0.01, seed=0),
    MLP(2, [3], 3, "leaky_relu", dtype=np.float32, seed=1),
    MLP(2, [], 2, seed=2),
    MLP(1, [1, 2, 1], 1, ["sigmoid", "identity", "softmax"], "std:0.5", l1=2.0, seed=3),
    MLP(4, [2], 4, "relu", "xavier", weight_decay=1e-4, l1=1e-4, dtype=np.float32, seed=4),
    TwoLayerNet(2, 3, 2, seed=5),
]
SAVED = [saved(model) for model in MODELS]
FILES = SAVED + [npz(arrays_of(data)) for data in SAVED]  # deflated, as save_params writes them, and stored
SAVED_ARRAYS = [arrays_of(data) for data in SAVED]
ARRAY_NAMES = sorted({name for arrays in SAVED_ARRAYS for name in arrays})
ANY_DTYPES = (
    npst.scalar_dtypes()
    | npst.unicode_string_dtypes()
    | npst.byte_string_dtypes()
    | st.sampled_from([">f8", [("W", "f8")], [("W", "f8", (2,)), ("b", "f4")]])
)
ANY_SHAPES = npst.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)
ANY_ARRAYS = npst.arrays(ANY_DTYPES, ANY_SHAPES)
ZIP_METHODS = [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA, 99]  # 99: unknown


def deflate():
    """A compressor of raw deflate streams, as zip members hold them."""
    return zlib.compressobj(9, zlib.DEFLATED, -15)


COMPRESSORS = {zipfile.ZIP_DEFLATED: deflate, zipfile.ZIP_BZIP2: bz2.BZ2Compressor}


def compressed(method, content):
    """``content`` compressed as a member of ``method`` holds it; LZMA and unknown methods get it as it is, garbage
    to a reader, which must refuse such a member anyway."""
    if method not in COMPRESSORS:
        return content
    compressor = COMPRESSORS[method]()
    return compressor.compress(content) + compressor.flush()


def honest(name, method, content):
    """A member for `zip_of` whose check sum and size are the content's own."""
    return [name, method, content, zlib.crc32(content), len(content)]


def members_of(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [honest(info.filename, info.compress_type, archive.read(info)) for info in archive.infolist()]


def zip_of(members):
    """A zip of [name, method, content, check sum, size] members whose headers say what the members say, true or
    not: zipfile would compute the check sums and sizes itself, and a zip bomb lies about them."""
    body, directory = bytearray(), bytearray()
    for name, method, content, crc, size in members:
        data, encoded = compressed(method, content), name.encode("utf-8", "surrogatepass")
        fields = struct.pack("<HHHHIIIHH", 0x800, method, 0, 0, crc, len(data), size, len(encoded), 0)
        directory += b"PK\x01\x02\x14\x00\x14\x00" + fields + struct.pack("<HHHII", 0, 0, 0, 0, len(body)) + encoded
        body += b"PK\x03\x04\x14\x00" + fields + encoded + data
    count = len(members)
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(body), 0)
    return bytes(body + directory + end)


SPLICES = st.tuples(
    st.integers(0, 2**16),
    st.sampled_from([0, 1, 2, 4, 2**16]) | st.integers(0, 64),
    st.binary(max_size=8),
)


def spliced(data, splices):
    """``data`` with each (position, bytes removed, bytes inserted) applied in turn: a changed byte, a truncation..."""
    data = bytearray(data)
    for position, removed, inserted in splices:
        position %= len(data) + 1
        data[position : position + removed] = inserted
    return bytes(data)


# --- load_model: arbitrary and damaged bytes -------------------------------------------------------------

# no magic number, a zip's, an empty zip's, a protocol-5 pickle's, an .npy's of each format version
MAGIC = [b"", b"PK\x03\x04", b"PK\x05\x06", b"\x80\x05"] + [b"\x93NUMPY" + bytes([version, 0]) for version in (1, 2, 3)]


def npy_header(header):
    text = repr(header).encode() + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text


NPY_HEADERS = st.fixed_dictionaries(
    {
        "descr": st.sampled_from(["<f8", "<f4", ">f8", "|O", "<U8", "|V0", "|S0", "<U999999999", "<i8"]),
        "fortran_order": st.booleans(),
        "shape": st.lists(st.integers(0, 2**40), max_size=3).map(tuple),
    }
).map(npy_header)


@fuzz(1800)
@given(prefix=st.sampled_from(MAGIC) | NPY_HEADERS, rest=st.binary(max_size=300))
def test_load_model_on_any_bytes(prefix, rest):
    """Random bytes, also behind the magic numbers of a zip, an .npy (or a whole .npy header) and a pickle."""
    check_load_model(prefix + rest)


@fuzz(1500)
@given(data=st.sampled_from(FILES), splices=st.lists(SPLICES, min_size=1, max_size=4))
def test_load_model_on_damaged_weights_files(data, splices):
    """Real weights files with bytes changed, inserted, removed or cut off anywhere, zip headers included."""
    check_load_model(spliced(data, splices))


# --- load_model: rebuilt archives, zip bombs -------------------------------------------------------------

MEMBER_NAMES = st.sampled_from(
    [f"{name}{suffix}" for name in [*ARRAY_NAMES, "layers.4.W", "payload"] for suffix in (".npy", "")]
    + ["architecture.npy.npy", "../architecture.npy", "/layers.0.W.npy", "", "dir/"]
) | st.text(max_size=12)
MEMBERS = [members_of(data) for data in FILES]
CONTENTS = [member[2] for members in MEMBERS for member in members]
# new content for a member: random bytes, another array, or a real member's content with bytes spliced (check-summed
# again by zip_of, so that zipfile reads it and NumPy's parser sees the damage)
MEMBER_CONTENTS = (
    st.binary(max_size=64)
    | ANY_ARRAYS.map(npy)
    | st.builds(spliced, st.sampled_from(CONTENTS), st.lists(SPLICES, min_size=1, max_size=3))
)


@st.composite
def rebuilt_archives(draw):
    """A weights file taken apart and zipped again with members dropped, added, renamed, duplicated, given other
    content or compression, or given headers that lie about their check sum and size."""
    members = list(draw(st.sampled_from(MEMBERS)))
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, max(len(members) - 1, 0)))
        edit = draw(st.sampled_from(["drop", "add", "rename", "duplicate", "content", "method", "lie"]))
        if edit == "add" or not members:
            members.append(honest(draw(MEMBER_NAMES), zipfile.ZIP_STORED, draw(MEMBER_CONTENTS)))
        elif edit == "drop":
            del members[index]
        elif edit == "rename":
            members[index] = [draw(MEMBER_NAMES), *members[index][1:]]
        elif edit == "duplicate":
            members.insert(draw(st.integers(0, len(members))), [draw(MEMBER_NAMES), *members[index][1:]])
        elif edit == "content":
            members[index] = honest(members[index][0], members[index][1], draw(MEMBER_CONTENTS))
        elif edit == "method":
            members[index] = [members[index][0], draw(st.sampled_from(ZIP_METHODS)), *members[index][2:]]
        else:
            members[index] = [*members[index][:3], draw(st.integers(0, 2**32 - 1)), draw(st.integers(0, 2**32 - 1))]
    return zip_of(members)


@fuzz(1200)
@given(data=rebuilt_archives())
def test_load_model_on_rebuilt_archives(data):
    check_load_model(data)


def zeros_declaring_8_kb(method, name):
    """A member that inflates to MAX_BYTES of zeros but declares 8 KB, with the check sum of 8 KB of zeros: to a
    reader that stops at the declared size, a short and intact member."""
    return [name, method, bytes(MAX_BYTES), zlib.crc32(bytes(2**13)), 2**13]


def architecture_member(hidden_sizes):
    """An honest architecture member for an MLP of 2 inputs, ``hidden_sizes`` and 2 classes."""
    architecture = json.loads(str(SAVED_ARRAYS[2][ARCHITECTURE_KEY]))
    architecture["config"].update(hidden_sizes=hidden_sizes, activation=["relu"] * len(hidden_sizes))
    return honest("architecture.npy", zipfile.ZIP_STORED, npy(np.array(json.dumps(architecture))))


BOMBS = {
    # name: the members of a small file that declares, or inflates to, far more than it holds
    "a member declaring 4 GB": lambda: [["architecture.npy", zipfile.ZIP_STORED, b"\x93NUMPY", 0, 2**32 - 2]],
    "members together declaring more than MAX_BYTES": lambda: [
        [name, zipfile.ZIP_STORED, b"", 0, MAX_BYTES // 2 + 1] for name in ("architecture.npy", "layers.0.W.npy")
    ],
    "deflate": lambda: [zeros_declaring_8_kb(zipfile.ZIP_DEFLATED, "architecture.npy")],
    "bzip2": lambda: [zeros_declaring_8_kb(zipfile.ZIP_BZIP2, "architecture.npy")],
    "deflate, in a weights file": lambda: [
        *members_of(SAVED[0]),
        zeros_declaring_8_kb(zipfile.ZIP_DEFLATED, "layers.0.W"),
    ],
    "an architecture of 33 MB of parameters, and a member declaring 40 MB": lambda: [
        architecture_member([2048, 2048]),
        ["layers.0.W.npy", zipfile.ZIP_STORED, b"", 0, 40 * 2**20],
    ],
    "an .npy header declaring 4096 x 4096": lambda: [
        architecture_member([3]),
        honest(
            "layers.0.W.npy",
            zipfile.ZIP_STORED,
            npy_header({"descr": "<f8", "fortran_order": False, "shape": (4096, 4096)}),
        ),
    ],
}


@pytest.mark.parametrize("bomb", BOMBS)
def test_load_model_refuses_zip_bombs_without_inflating_them(bomb):
    """Files of a few kilobytes that declare, or inflate to, more than MAX_BYTES, or more than they hold: refused in
    time, and without ever holding much memory (tracemalloc counts what zipfile inflates and NumPy allocates)."""
    data = zip_of(BOMBS[bomb]())
    assert len(data) < MAX_BYTES // 500
    tracemalloc.start()
    try:
        _, error = call(load_model, data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error is not None
    assert peak < 2**20, f"{peak:,} bytes held while refusing a file of {len(data):,}"


# --- load_model: mutated architectures -------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
RATES = st.floats() | st.integers(-1, 10**400) | st.sampled_from([0, 1e-3, True])
NEAR_VALID = {
    # values close to the ones save_params writes, so that loading often gets far, or all the way
    "format": st.sampled_from(["nnlib-weights", "nnlib-weight", "NNLIB-WEIGHTS"]),
    "version": st.sampled_from([1, 1.0, True, 0, 2, "1"]),
    "class": st.sampled_from(["MLP", "TwoLayerNet", "mlp", "Sequential"]),
    "input_size": st.integers(-1, 5) | st.sampled_from([2.0, True, MAX_BYTES]),
    "output_size": st.integers(-1, 5) | st.sampled_from([2.0, True, 10**30]),
    "hidden_sizes": st.lists(st.integers(0, 5) | st.sampled_from([2.0, False, 4097]), max_size=4),
    "activation": st.lists(st.sampled_from([*ACTIVATIONS, "gelu", "", "RELU"]), max_size=4),
    "weight_init": st.sampled_from(["auto", "he", "xavier", "std:0.01", "std:", "std:-1", "std:nan", "std:1e308"])
    | st.floats().map("std:{}".format)
    | st.text(max_size=8),
    "weight_decay": RATES,
    "l1": RATES,
    "dtype": st.sampled_from(["float64", "float32", "float16", "int64", "bool", "object", "<f8"]),
}
TOP_LEVEL = ("format", "version", "class")
DELETE = object()  # as the value of an edit: remove the field
NEAR_VALID_EDITS = st.one_of([st.tuples(st.just(key), values) for key, values in NEAR_VALID.items()])
WILD_EDITS = st.tuples(st.sampled_from(list(NEAR_VALID)) | st.text(max_size=8), st.just(DELETE) | JSON_VALUES)


def edited(architecture, key, value, top_level):
    """``architecture`` with field ``key``, at the top or in the config, set to ``value`` or removed."""
    target = architecture if top_level or key in TOP_LEVEL else architecture["config"]
    if value is DELETE:
        target.pop(key, None)
    else:
        target[key] = value
    return architecture


@fuzz(1200)
@given(
    arrays=st.sampled_from(SAVED_ARRAYS),
    near_valid_edits=st.lists(NEAR_VALID_EDITS, max_size=3),
    wild_edits=st.lists(st.tuples(WILD_EDITS, st.booleans()), max_size=1),
)
def test_load_model_on_mutated_architectures(arrays, near_valid_edits, wild_edits):
    """A real file with fields of its architecture changed to near-valid values, or one field removed, added or set
    to any JSON value of any type (at the top or in the config)."""
    architecture = json.loads(str(arrays[ARCHITECTURE_KEY]))
    for key, value in near_valid_edits:
        architecture = edited(architecture, key, value, top_level=False)
    for (key, value), top_level in wild_edits:
        architecture = edited(architecture, key, value, top_level)
    check_load_model(npz({**arrays, ARCHITECTURE_KEY: np.array(json.dumps(architecture))}))


TEXT_SPLICES = SPLICES.map(lambda splice: (splice[0], splice[1], splice[2].decode("latin-1")))


@fuzz(400)
@given(arrays=st.sampled_from(SAVED_ARRAYS), whole=st.none() | JSON_VALUES, splices=st.lists(TEXT_SPLICES, max_size=2))
def test_load_model_on_garbled_architecture_text(arrays, whole, splices):
    """A real file whose architecture is any JSON value instead, or its JSON text with characters changed."""
    text = str(arrays[ARCHITECTURE_KEY]) if whole is None else json.dumps(whole)
    for position, removed, inserted in splices:
        position %= len(text) + 1
        text = text[:position] + inserted + text[position + removed :]
    check_load_model(npz({**arrays, ARCHITECTURE_KEY: np.array(text)}))


# --- load_model: arrays of any dtype, shape and value ----------------------------------------------------


@st.composite
def array_edits(draw, arrays):
    """(name, array): one of the file's arrays replaced by one of its dtype or another, of its shape or another,
    holding any values (NaN, infinities, -0.0, subnormals, any text...)."""
    name = draw(st.sampled_from(sorted(arrays)))
    dtype = draw(st.just(arrays[name].dtype) | ANY_DTYPES)
    return name, draw(npst.arrays(dtype, draw(st.just(arrays[name].shape) | ANY_SHAPES)))


@fuzz(400)
@given(data=st.data(), arrays=st.sampled_from(SAVED_ARRAYS))
def test_load_model_on_arrays_of_any_dtype_shape_and_value(data, arrays):
    edits = data.draw(st.lists(array_edits(arrays), min_size=1, max_size=3))
    check_load_model(npz({**arrays, **dict(edits)}))


# --- load_model: pickles, wherever they hide -------------------------------------------------------------

PAYLOADS_RUN = []  # record_payload appends to it: only unpickling a SetsGlobal calls it


def record_payload():
    PAYLOADS_RUN.append(True)


class SetsGlobal:
    """Unpickling this changes the running program: it calls record_payload."""

    def __reduce__(self):
        return record_payload, ()


class WritesFile:
    """Unpickling this creates the file ``marker``."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return Path.touch, (self.marker,)


def object_array(payload):
    array = np.zeros((2, 3), dtype=object)
    array[0, 1] = payload
    return array


PLACEMENTS = {
    # name: (payload, pickle protocol, name of an array) -> a file that carries the payload
    "pickle": lambda payload, protocol, name: pickle.dumps(payload, protocol),
    "book-style pickle of params": lambda payload, protocol, name: pickle.dumps({name: payload}, protocol),
    "npy object array": lambda payload, protocol, name: npy(object_array(payload)),
    "npy with an object field": lambda payload, protocol, name: npy(
        np.array([(0.5, payload)], dtype=[("x", "f8"), ("payload", "O")])
    ),
    "npz object array": lambda payload, protocol, name: npz({**SAVED_ARRAYS[0], name: object_array(payload)}),
    "npz member that is a pickle": lambda payload, protocol, name: zip_of(
        [
            *(member for member in members_of(SAVED[0]) if member[0] != f"{name}.npy"),
            honest(f"{name}.npy", zipfile.ZIP_STORED, pickle.dumps(payload, protocol)),
        ]
    ),
}


def careless_load(data):
    """What a loader that trusts pickles would do: unpickle the file, or every member of it."""
    if not data.startswith((b"PK", b"\x93NUMPY")):
        pickle.loads(data)
        return
    loaded = np.load(io.BytesIO(data), allow_pickle=True)
    if isinstance(loaded, np.lib.npyio.NpzFile):
        with loaded:
            for name in loaded.files:
                if isinstance(member := loaded[name], bytes):
                    pickle.loads(member)


@pytest.mark.parametrize("placement", PLACEMENTS)
def test_the_pickled_payloads_are_live(placement, tmp_path):
    """Loaded carelessly, each placement runs its payloads: so the fuzz below finding no trace means something."""
    PAYLOADS_RUN.clear()
    marker = tmp_path / "ran"
    careless_load(PLACEMENTS[placement](WritesFile(marker), pickle.DEFAULT_PROTOCOL, "layers.0.W"))
    careless_load(PLACEMENTS[placement](SetsGlobal(), pickle.DEFAULT_PROTOCOL, "layers.0.W"))
    assert marker.exists() and PAYLOADS_RUN


@fuzz(200)
@given(
    placement=st.sampled_from(list(PLACEMENTS)),
    protocol=st.integers(0, pickle.HIGHEST_PROTOCOL),
    name=st.sampled_from([*ARRAY_NAMES, "payload"]),
    writes_file=st.booleans(),
)
def test_load_model_never_runs_a_pickle(placement, protocol, name, writes_file, tmp_path_factory):
    PAYLOADS_RUN.clear()
    marker = tmp_path_factory.mktemp("payload") / "ran"
    data = PLACEMENTS[placement](WritesFile(marker) if writes_file else SetsGlobal(), protocol, name)
    model, _ = call(load_model, data)
    assert model is None and not marker.exists() and not PAYLOADS_RUN


# --- load_points -----------------------------------------------------------------------------------------


@fuzz(1800)
@given(data=st.binary(max_size=400))
def test_load_points_on_any_bytes(data):
    check_load_points(data)


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1", "cp1252", "shift_jis", "gb18030"]


@fuzz(1200)
@given(text=st.text(max_size=200), encoding=st.sampled_from(ENCODINGS))
def test_load_points_on_any_text_in_any_encoding(text, encoding):
    check_load_points(text.encode(encoding, "replace"))


ODD_FIELDS = st.sampled_from(
    [
        *["nan", "-inf", "1e999", "-1e-400", "1_0", "٣", "0x10", " 1 ", "+.5", "1.", ".", "-", "e5"],  # numbers?
        "9" * 400,  # a number too long for the error message to quote whole
        *["0.0", "1.5", "1e0", "-0", " 1", "01", "1e-9", "-1", "10", "99"],  # labels?
        *["x1", "x2", "label", "X1", " x2 ", "LABEL", "x3", "", "x1,x2", '"'],  # header names?
    ]
)
FIELDS = ODD_FIELDS | st.integers(-2, MAX_CLASSES + 2).map(str) | st.floats().map(repr) | st.text(max_size=6)
FINITE = st.floats(allow_nan=False, allow_infinity=False).map(repr)
GOOD_ROWS = st.tuples(FINITE, FINITE, st.integers(0, 3).map(str)).map(list)
ROWS = GOOD_ROWS | st.lists(FIELDS, max_size=4) | st.just([])
HEADERS = st.permutations(["x1", "x2", "label"]) | st.lists(ODD_FIELDS, max_size=4)


@fuzz(1000)
@given(
    header=st.none() | HEADERS,
    rows=st.lists(GOOD_ROWS, max_size=10) | st.lists(ROWS, max_size=10),
    quoting=st.sampled_from([None, csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    line_end=st.sampled_from(["\n", "\r\n", "\r"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]),
)
def test_load_points_on_structured_csv(header, rows, quoting, line_end, encoding):
    """CSV files of good rows, or of good and bad ones (words, NaN, inf, huge and odd numbers, labels out of range,
    too few or many fields, empty lines), with or without a header, quoted or not (or badly), with or without a
    byte-order mark, in UTF-8 or in Latin-1 (refused unless it is all ASCII)."""
    lines = ([header] if header is not None else []) + rows
    if quoting is None:
        text = line_end.join(",".join(line) for line in lines)
    else:
        buffer = io.StringIO()
        csv.writer(buffer, quoting=quoting, lineterminator=line_end).writerows(lines)
        text = buffer.getvalue()
    check_load_points(text.encode(encoding, "replace"))


# --- files nearly as large as the page takes, built to be slow -------------------------------------------

UPLOAD_BYTES = 5 * 10**6  # the page's limit on an upload
NEAR_LIMIT = UPLOAD_BYTES - 100_000
TEMPLATE_WORDS = " must hold whole numbers from 1 to x"  # a template's words: slow for a regular expression to skip


def with_empty_members(name, count):
    """A maker of a real weights file with ``count`` empty members more, named ``name.format(index)``."""
    return lambda: zip_of(MEMBERS[0] + [honest(name.format(index), zipfile.ZIP_STORED, b"") for index in range(count)])


LARGE_FILES = {
    # name: (loader, a function making a file of nearly UPLOAD_BYTES, or of a size that once took seconds)
    "a line of millions of numbers": (load_points, lambda: b"0," * (NEAR_LIMIT // 2) + b"0"),
    "a header of millions of names": (load_points, lambda: b"a," * (NEAR_LIMIT // 2) + b"\n0,0,0\n"),
    "a line of millions of empty fields": (load_points, lambda: b"," * NEAR_LIMIT),
    "a header of three names of 128 kB": (load_points, lambda: b",".join([b"n" * 130_000] * 3) + b"\n0,0,0\n"),
    "a header naming a template's words": (
        load_points,
        lambda: ",".join(f"{index}{TEMPLATE_WORDS}" for index in range(11_000)).encode() + b"\n",
    ),
    "millions of blank lines": (load_points, lambda: b"\n" * NEAR_LIMIT),
    "millions of rows of blank fields": (load_points, lambda: b" , ,\n" * (NEAR_LIMIT // 5)),
    "millions of tiny rows": (load_points, lambda: b"0,0,1\n" * (NEAR_LIMIT // 6)),
    "100,000 points, all good": (load_points, lambda: b"0.25,-0.5,0\n0.5,0.125,1\n" * 50_000),
    "a field of megabytes": (load_points, lambda: b'"' + b"9" * NEAR_LIMIT + b'"'),
    "4,001 unexpected arrays": (load_model, with_empty_members("extra{}.npy", 4_001)),
    "arrays named with a template's words": (load_model, with_empty_members("{}" + TEMPLATE_WORDS, 6_000)),
    "arrays of names of 65 kB": (load_model, with_empty_members("{}" + "n" * 65_000, 12)),
    "a zip listing 57,000 members": (load_model, with_empty_members("{:x}", 57_000)),
}


@pytest.mark.parametrize("name", LARGE_FILES)
def test_a_large_file_built_to_be_slow_is_answered_in_time_and_in_a_sentence(name):
    """Each of these once froze the page for seconds or minutes: the loader, or the Korean of its message, took time
    that grew with the square of the file's size. `call` checks the time and the message in both languages."""
    loader, make = LARGE_FILES[name]
    data = make()
    assert len(data) < UPLOAD_BYTES
    result, _ = call(loader, data)
    assert (result is not None) == (name == "100,000 points, all good")
