"""Saving and loading models as ``.npz`` files: named arrays plus the architecture as JSON, never a pickle.

The book saves parameters with pickle, and unpickling a stranger's file runs whatever code it carries. Here a
weights file holds plain numeric arrays named like ``layers.0.W`` and one JSON string that says how to
rebuild the model; loading reads it as the zip of ``.npy`` files it is, and checks everything before it trusts it.
Like the book's (1.5.1), a file can hold the weights as float16, half the size: the architecture then says so.
Anything that is not a file written by ``save_params`` raises ``ValueError`` with a message saying what is wrong
(an ``nnlib.messages.Message``, so that a page can say it in its own language).

A file of a kilobyte can claim anything: that it unpacks to gigabytes, that an array has a billion rows, that the
model has thirty-two layers of 4096 neurons. Loading reads no more than ``max_bytes``, compares each array's header
with what the architecture needs before it reads the array, and builds the model only once every array is read:
a file makes it allocate no more than the file holds (four times that for a float64 model saved as float16).
"""

import io
import json
import math
import os
import zipfile
from collections import Counter
from functools import partial

import numpy as np

from nnlib.backend import to_numpy
from nnlib.messages import Message, listing, quoted, reason, shortened
from nnlib.models import ACTIVATIONS, DTYPES, LOSSES, MLP, TwoLayerNet, init_std, named_params

FORMAT = "nnlib-weights"
VERSION = 1
ARCHITECTURE_KEY = "architecture"
ARRAY_DTYPE_KEY = "array_dtype"  # in the architecture of a file whose arrays are not in the model's dtype
TRAINED_KEY = "trained"  # in the architecture of a file saved with how long its weights were trained
HALF = np.dtype(np.float16)
MAX_BYTES = 64 * 2**20  # load_model's default limit: what the members unpack to, as the archive declares it
MAX_LAYER_SIZE = 4096
MAX_HIDDEN_LAYERS = 32
MAX_ARCHITECTURE_CHARS = 10_000
# config keys that files written before regression and dropout lack: such a file's model has none of either
LATER_KEYS = {"loss", "dropout"}
MAX_DIRECTORY_BYTES = 2**20  # a weights file lists a few dozen arrays in a few kilobytes
HEADER_READERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
NPY_MAGIC = np.lib.format.MAGIC_PREFIX
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a member's header, or the end of an empty archive


def save_params(model, file, dtype=None, trained=None):
    """Write the model's parameters and architecture to ``file`` (a path or a binary file object).

    NumPy adds ``.npz`` to a path that lacks it. ``dtype=np.float16`` stores the weights as the book's
    ``save_params`` does, in half the space, each rounded to float16's 11 significant bits; ``load_model`` reads
    them back into the model's own dtype. A weight beyond float16's range (±65,504) is refused. ``trained``,
    ``{"epoch": e, "step": s}``, records how long the weights were trained, so that whoever loads them can say
    where they come from (``read_trained``).
    """
    model_dtype = np.dtype(model.dtype)
    array_dtype = model_dtype if dtype is None else np.dtype(dtype)
    if array_dtype not in (model_dtype, HALF):
        raise ValueError(
            Message(
                "dtype must be float16 or the model's {dtype}, not {given}",
                dtype=model_dtype.name,
                given=array_dtype.name,
            )
        )
    overflowing = _beyond_float16(model) if array_dtype == HALF else None
    if overflowing:
        raise ValueError(
            Message(
                "{name} holds values beyond float16's range (±65,504): save it in {dtype}",
                name=overflowing,
                dtype=model_dtype.name,
            )
        )
    arrays = {name: _cast(param, array_dtype) for name, param in named_params(model)}
    architecture = {
        "format": FORMAT,
        "version": VERSION,
        "class": type(model).__name__,
        "config": model.config,
    }
    if array_dtype != model_dtype:
        architecture[ARRAY_DTYPE_KEY] = array_dtype.name
    if trained is not None:
        architecture[TRAINED_KEY] = {"epoch": int(trained["epoch"]), "step": int(trained["step"])}
    arrays[ARCHITECTURE_KEY] = np.array(json.dumps(architecture))
    np.savez_compressed(file, **arrays)


def fits_float16(model):
    """Whether ``save_params(model, file, dtype=np.float16)`` can write the model: every weight within float16's
    range once rounded to it."""
    return _beyond_float16(model) is None


def _beyond_float16(model):
    """The name of the first parameter that float16 cannot hold (rounded to it, a weight becomes inf), or None."""
    return next((name for name, param in named_params(model) if not np.isfinite(_cast(param, HALF)).all()), None)


def _cast(param, dtype):
    with np.errstate(over="ignore"):  # what overflows becomes inf, which the callers refuse
        return to_numpy(param).astype(dtype, copy=False)


def load_model(file, backend="numpy", max_bytes=MAX_BYTES):
    """Rebuild the ``MLP`` or ``TwoLayerNet`` saved in ``file`` (a path or a seekable binary file object).

    A file whose arrays would unpack to more than ``max_bytes`` together is refused before any is read: a caller
    that knows the largest model it takes can pass a tighter limit. The model has the dtype it was saved from,
    float32 or float64 (a TwoLayerNet's); from a float16 file, its weights are the file's, widened exactly.
    """
    if isinstance(file, (str, os.PathLike)):
        with open(file, "rb") as handle:
            return load_model(handle, backend, max_bytes)
    with _open_archive(file) as archive:
        members = _members(archive)
        declared_bytes = _check_declared_size(members, max_bytes)
        architecture = _read_architecture(archive, members)
        kind, arguments = _arguments(architecture)
        shapes = _param_shapes(arguments)
        dtype = _array_dtype(architecture, arguments["dtype"])
        needed = sum(math.prod(shape) for shape in shapes.values()) * dtype.itemsize
        if needed > declared_bytes:  # the arrays must be in the file
            raise ValueError(
                Message(
                    "the architecture needs {needed:,} bytes of parameters, but the file holds {declared:,}",
                    needed=needed,
                    declared=declared_bytes,
                )
            )
        unexpected = sorted(members.keys() - shapes.keys() - {ARCHITECTURE_KEY})
        if unexpected:
            raise ValueError(
                Message("unexpected array(s) {names} for this architecture", names=listing(unexpected, shortened))
            )
        arrays = {name: _read_param(archive, members, name, shape, dtype) for name, shape in shapes.items()}
    model = _construct(kind, arguments, backend)
    for name, param in named_params(model):
        param[...] = model.xp.asarray(arrays[name])
    return model


def read_trained(file):
    """How long the weights in ``file`` were trained, ``{"epoch": e, "step": s}``, as ``save_params`` recorded it;
    None where the file does not say, or says it in any other form (it describes the weights, and they load
    without it). Raises ValueError, as ``load_model`` does, for a file that is not an nnlib weights file."""
    if isinstance(file, (str, os.PathLike)):
        with open(file, "rb") as handle:
            return read_trained(handle)
    with _open_archive(file) as archive:
        trained = _read_architecture(archive, _members(archive)).get(TRAINED_KEY)
    counts = (trained.get("epoch"), trained.get("step")) if isinstance(trained, dict) else None
    if counts is None or not all(type(count) is int and count >= 0 for count in counts):
        return None
    return {"epoch": counts[0], "step": counts[1]}


def _open_archive(file):
    """The zip archive an .npz is. Like np.load, only a file that starts as a zip does is taken for one; unlike
    np.load, anything else is refused here, not taken for a pickle (and refused with its advice to unpickle it)."""
    start = file.tell()
    magic = file.read(len(NPY_MAGIC))
    file.seek(start)
    if magic == NPY_MAGIC:
        raise ValueError(Message("this is a single NumPy array (.npy), not a weights file (.npz) written by nnlib"))
    try:
        if not magic.startswith(ZIP_MAGIC):
            raise ValueError(Message("it is not a zip archive"))
        _check_directory_size(file)
        return zipfile.ZipFile(file)
    except Exception as error:  # every way of failing to open it means the same to the caller
        raise ValueError(
            Message("not a weights file (.npz) written by nnlib: {reason}", reason=reason(error))
        ) from None


def _check_directory_size(file):
    """zipfile reads the archive's whole directory when it opens it, a few microseconds for each member listed, and a
    file of a few megabytes can list a hundred thousand: the directory's size is checked first, as zipfile finds it
    (with its own reader of the end record, so that both read the same one)."""
    end = zipfile._EndRecData(file)
    if end and end[zipfile._ECD_SIZE] > MAX_DIRECTORY_BYTES:
        raise ValueError(
            Message(
                "the archive's list of members takes {size:,} bytes, more than the {limit:,} allowed",
                size=end[zipfile._ECD_SIZE],
                limit=MAX_DIRECTORY_BYTES,
            )
        )


def _members(archive):
    """Each member by the name np.load gives its array (``layers.0.W.npy`` holds ``layers.0.W``).

    A name given twice is refused: zipfile would read the last of them, whichever one was checked.
    """
    infos = archive.infolist()
    names = [info.filename.removesuffix(".npy") for info in infos]
    members = dict(zip(names, infos))
    if len(members) < len(names):
        repeated = sorted(name for name, count in Counter(names).items() if count > 1)
        raise ValueError(
            Message(
                "duplicate array(s) {names}: a weights file holds each array once",
                names=listing(repeated, shortened),
            )
        )
    return members


def _check_declared_size(members, max_bytes):
    declared = sum(info.file_size for info in members.values())
    if declared > max_bytes:
        raise ValueError(
            Message(
                "the file would unpack to {declared:,} bytes, more than the {limit:,} allowed",
                declared=declared,
                limit=max_bytes,
            )
        )
    return declared


def _read(archive, members, name, check):
    """The array ``name``, read once ``check(shape, dtype)`` accepts what its header declares.

    NumPy would allocate an array as large as its header says before reading a byte of it; here the header is read
    first, and refused if it declares more data than the member holds, or what ``check`` does not expect.
    """
    if name not in members:
        raise ValueError(Message("missing array {name!r}: not a complete weights file written by nnlib", name=name))
    try:
        content = _member_bytes(archive, members[name])
        shape, fortran_order, dtype, offset = _read_header(content)
    except Exception as error:  # truncated, corrupt, not an .npy: zipfile, zlib and NumPy each raise their own
        raise ValueError(Message("array {name!r} cannot be read: {reason}", name=name, reason=reason(error))) from None
    check(shape, dtype)
    return np.frombuffer(content, dtype, count=math.prod(shape), offset=offset).reshape(
        shape, order="F" if fortran_order else "C"
    )


def _member_bytes(archive, info):
    """The member's bytes, inflated no further than the size it declares.

    zipfile inflates all of a member's compressed data before cutting it to the size asked for: a file of kilobytes
    that declares a few could inflate gigabytes. Bounded reads stop that for deflate; bzip2 and LZMA inflate whole
    chunks however little is asked for, and NumPy never writes them.
    """
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ValueError(
            Message(
                "compression method {method} (NumPy writes only stored or deflated members)",
                method=info.compress_type,
            )
        )
    with archive.open(info) as member:
        return member.read(info.file_size)


def _read_header(content):
    """(shape, fortran_order, dtype, where the data starts), from the .npy header at the start of ``content``."""
    if not content.startswith(NPY_MAGIC):  # a zip member that is no .npy
        raise ValueError(Message("it is not a NumPy array (.npy)"))
    file = io.BytesIO(content)
    version = np.lib.format.read_magic(file)
    if version not in HEADER_READERS:
        raise ValueError(
            Message(
                ".npy format version {major}.{minor} (NumPy writes 1.0 or 2.0 for arrays of numbers)",
                major=version[0],
                minor=version[1],
            )
        )
    shape, fortran_order, dtype = HEADER_READERS[version](file)
    declared, held = math.prod(shape) * dtype.itemsize, len(content) - file.tell()
    if declared > held:
        raise ValueError(
            Message(
                "its header declares {declared:,} bytes of data, but it holds {held:,}", declared=declared, held=held
            )
        )
    return shape, fortran_order, dtype, file.tell()


def _read_architecture(archive, members):
    raw = _read(archive, members, ARCHITECTURE_KEY, _check_architecture_header)
    try:
        architecture = json.loads(raw.item())
    except (ValueError, RecursionError) as error:  # also an integer of thousands of digits, or absurd nesting
        raise ValueError(
            Message("{key!r} is not valid JSON: {reason}", key=ARCHITECTURE_KEY, reason=reason(error))
        ) from None
    if not isinstance(architecture, dict) or architecture.get("format") != FORMAT:
        raise ValueError(
            Message("not an nnlib weights file: {key!r} lacks format {format!r}", key=ARCHITECTURE_KEY, format=FORMAT)
        )
    version = architecture.get("version")
    if type(version) is not int or version != VERSION:  # not True or 1.0: only what save_params writes
        raise ValueError(
            Message(
                "weights file version {version} is not supported (expected {expected})",
                version=quoted(version),
                expected=VERSION,
            )
        )
    return architecture


def _check_architecture_header(shape, dtype):
    if dtype.kind != "U" or shape != () or not 0 < dtype.itemsize <= 4 * MAX_ARCHITECTURE_CHARS:
        raise ValueError(Message("{key!r} must be one JSON string", key=ARCHITECTURE_KEY))


def _arguments(architecture):
    """The model class and the arguments to build it with, that the architecture describes, after checking each."""
    config = architecture.get("config")
    if not isinstance(config, dict):
        raise ValueError(Message("the architecture has no 'config' object"))
    kind = architecture.get("class")
    if kind not in ("MLP", "TwoLayerNet"):
        raise ValueError(Message("unknown model class {kind}: expected MLP or TwoLayerNet", kind=quoted(kind)))
    _check_keys(
        config,
        {"input_size", "hidden_sizes", "output_size", "activation", "weight_init", "weight_decay", "l1", "dtype"},
    )
    hidden, activation, dtype = config["hidden_sizes"], config["activation"], config["dtype"]
    if not isinstance(hidden, list) or len(hidden) > MAX_HIDDEN_LAYERS:
        raise ValueError(
            Message("'hidden_sizes' must be a list of at most {limit} layer sizes", limit=MAX_HIDDEN_LAYERS)
        )
    if not (isinstance(activation, list) and all(isinstance(name, str) and name in ACTIVATIONS for name in activation)):
        raise ValueError(Message("'activation' must be a list of {names}", names=", ".join(ACTIVATIONS)))
    if len(activation) != len(hidden):
        raise ValueError(
            Message(
                "'activation' must name one activation per hidden layer: it names {count} for {layers}",
                count=len(activation),
                layers=len(hidden),
            )
        )
    if not (isinstance(dtype, str) and dtype in DTYPES):
        raise ValueError(Message("'dtype' must be one of {names}", names=", ".join(DTYPES)))
    _check_weight_init(config["weight_init"])
    loss = config.get("loss", "softmax")
    if not (isinstance(loss, str) and loss in LOSSES):
        raise ValueError(
            Message("'loss' must be one of {names}, found {value}", names=", ".join(LOSSES), value=quoted(loss))
        )
    if kind == "TwoLayerNet" and len(hidden) != 1:
        raise ValueError(
            Message(
                "the config does not describe a TwoLayerNet: it has {layers} hidden layers, not 1", layers=len(hidden)
            )
        )
    arguments = {
        "input_size": _size(config["input_size"], "input_size"),
        "hidden_sizes": [_size(size, "hidden_sizes") for size in hidden],
        "output_size": _size(config["output_size"], "output_size"),
        "activation": activation,
        "weight_init": config["weight_init"],
        "weight_decay": _rate(config["weight_decay"], "weight_decay"),
        "l1": _rate(config["l1"], "l1"),
        "dtype": dtype,
        "loss": loss,
        "dropout": _dropout_rates(config.get("dropout", [0.0] * len(hidden)), len(hidden)),
    }
    if kind == "TwoLayerNet" and arguments != _two_layer_net_config(arguments):
        raise ValueError(
            Message("the config does not describe a TwoLayerNet (one sigmoid layer, 'std:0.01' init, float64)")
        )
    return kind, arguments


def _array_dtype(architecture, model_dtype):
    """The dtype of the file's arrays: the model's own, or float16 where the architecture says so."""
    name = architecture.get(ARRAY_DTYPE_KEY, model_dtype)
    if name not in (model_dtype, HALF.name):
        raise ValueError(
            Message(
                "{key!r} must be 'float16' or the model's dtype {dtype}, found {value}",
                key=ARRAY_DTYPE_KEY,
                dtype=model_dtype,
                value=quoted(name),
            )
        )
    return np.dtype(name)


def _two_layer_net_config(arguments):
    """The config of a TwoLayerNet of the arguments' sizes: but for its sizes, every TwoLayerNet has the same."""
    sizes = {key: arguments[key] for key in ("input_size", "hidden_sizes", "output_size")}
    return {**TwoLayerNet(1, 1, 1, seed=0).config, **sizes}


def _check_keys(config, keys):
    missing, extra = sorted(keys - config.keys()), sorted(config.keys() - keys - LATER_KEYS)
    if missing:
        raise ValueError(Message("architecture config: missing {keys}", keys=listing(missing)))
    if extra:
        raise ValueError(Message("architecture config: unexpected {keys}", keys=listing(extra)))


def _check_weight_init(weight_init):
    """Refused here, in a message of this file's, if the model would refuse it: the model's own test decides."""
    try:
        init_std(weight_init, "identity", fan_in=1)
    except ValueError:
        raise ValueError(
            Message(
                "'weight_init' must be 'auto', 'he', 'xavier', 'zero' or 'std:<positive number>', found {value}",
                value=quoted(weight_init),
            )
        ) from None


def _size(value, key):
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_LAYER_SIZE:
        raise ValueError(
            Message(
                "{key!r} must hold whole numbers from 1 to {limit}, found {value}",
                key=key,
                limit=MAX_LAYER_SIZE,
                value=quoted(value),
            )
        )
    return value


def _rate(value, key):
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e300:
        value = float(value)
        if math.isfinite(value) and value >= 0:
            return value
    raise ValueError(Message("{key!r} must be a finite number >= 0, found {value}", key=key, value=quoted(value)))


def _dropout_rates(rates, layers):
    """The rates, if they are one per hidden layer, each from 0 to below 1."""
    numbers = isinstance(rates, list) and all(type(rate) in (int, float) for rate in rates)
    if not (numbers and len(rates) == layers and all(0 <= rate < 1 for rate in rates)):
        raise ValueError(
            Message(
                "'dropout' must list one rate per hidden layer ({layers}), each from 0 to below 1, found {value}",
                layers=layers,
                value=quoted(rates),
            )
        )
    return [float(rate) for rate in rates]


def _param_shapes(arguments):
    """Each parameter's shape, by the name ``named_params`` gives it: an Affine layer's W and b at every even index
    (an activation in between), so the arrays can be read and checked before the model is built."""
    sizes = [arguments["input_size"], *arguments["hidden_sizes"], arguments["output_size"]]
    shapes = {}
    for index, (rows, cols) in enumerate(zip(sizes[:-1], sizes[1:])):
        shapes[f"layers.{2 * index}.W"], shapes[f"layers.{2 * index}.b"] = (rows, cols), (cols,)
    return shapes


def _read_param(archive, members, name, shape, dtype):
    array = _read(archive, members, name, partial(_check_param_header, name, shape, dtype))
    if not np.isfinite(array).all():
        raise ValueError(Message("{name} holds NaN or infinite values", name=name))
    return array


def _check_param_header(name, shape, dtype, declared_shape, declared_dtype):
    if declared_shape != shape:
        raise ValueError(
            Message(
                "{name} has shape {shape}, but the architecture needs {needed}",
                name=name,
                shape=quoted(declared_shape),
                needed=shape,
            )
        )
    if declared_dtype != dtype:
        raise ValueError(
            Message(
                "{name} has dtype {dtype}, but the architecture says {needed}",
                name=name,
                dtype=shortened(str(declared_dtype)),
                needed=str(dtype),
            )
        )


def _construct(kind, arguments, backend):
    """The model, built from checked arguments (seeded: no global RNG use); its weights are replaced by the file's."""
    with np.errstate(over="ignore"):  # a huge 'std:' init overflows, but the file's weights replace the drawn ones
        if kind == "MLP":
            return MLP(**arguments, seed=0, backend=backend)
        return TwoLayerNet(
            arguments["input_size"], *arguments["hidden_sizes"], arguments["output_size"], seed=0, backend=backend
        )
