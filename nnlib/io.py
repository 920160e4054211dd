"""Saving and loading models as ``.npz`` files: named arrays plus the architecture as JSON, never a pickle.

The book saves parameters with pickle, and unpickling a stranger's file runs whatever code it carries. Here a
weights file holds plain numeric arrays named like ``layers.0.W`` and one JSON string that says how to
rebuild the model; loading reads it with ``allow_pickle=False`` and checks everything before it trusts it.
Anything that is not a file written by ``save_params`` raises ``ValueError`` with a message saying what is wrong.
"""

import io
import json
import math
import zipfile

import numpy as np

from nnlib.backend import to_numpy
from nnlib.models import ACTIVATIONS, DTYPES, MLP, TwoLayerNet, named_params

FORMAT = "nnlib-weights"
VERSION = 1
ARCHITECTURE_KEY = "architecture"
MAX_BYTES = 64 * 2**20  # uncompressed, as the archive declares it: a zip bomb is refused before inflating
MAX_LAYER_SIZE = 4096
MAX_HIDDEN_LAYERS = 32
MAX_ARCHITECTURE_CHARS = 10_000


def save_params(model, file):
    """Write the model's parameters and architecture to ``file`` (a path or a binary file object).

    NumPy adds ``.npz`` to a path that lacks it.
    """
    arrays = {name: to_numpy(param) for name, param in named_params(model)}
    architecture = {
        "format": FORMAT,
        "version": VERSION,
        "class": type(model).__name__,
        "config": model.config,
    }
    arrays[ARCHITECTURE_KEY] = np.array(json.dumps(architecture))
    np.savez_compressed(file, **arrays)


def load_model(file, backend="numpy"):
    """Rebuild the ``MLP`` or ``TwoLayerNet`` saved in ``file`` (a path or a binary file object)."""
    try:
        archive = np.load(file, allow_pickle=False)
    except Exception as error:  # every way of failing to open it means the same to the caller
        raise ValueError(f"not a weights file (.npz) written by nnlib: {_reason(error)}") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError("this is a single NumPy array (.npy), not a weights file (.npz) written by nnlib")
    with archive:
        declared_bytes = _check_declared_size(archive)
        model = _build(_read_architecture(archive), backend, declared_bytes)
        expected = dict(named_params(model))
        unexpected = sorted(set(archive.files) - set(expected) - {ARCHITECTURE_KEY})
        if unexpected:
            raise ValueError(f"unexpected array(s) {', '.join(unexpected)} for this architecture")
        for name, param in expected.items():
            param[...] = model.xp.asarray(_read_param(archive, name, param))
    return model


def _reason(error):
    return str(error) or type(error).__name__


def _check_declared_size(archive):
    declared = sum(member.file_size for member in archive.zip.infolist())
    if declared > MAX_BYTES:
        raise ValueError(f"the file would unpack to {declared:,} bytes, more than the {MAX_BYTES:,} allowed")
    return declared


def _read(archive, name):
    if name not in archive.files:
        raise ValueError(f"missing array {name!r}: not a complete weights file written by nnlib")
    try:
        content = _member_bytes(archive.zip, name)
        is_npy = content.startswith(np.lib.format.MAGIC_PREFIX)
        array = np.lib.format.read_array(io.BytesIO(content), allow_pickle=False) if is_npy else content
    except Exception as error:  # truncated, corrupt, or an object array that would need unpickling
        raise ValueError(f"array {name!r} cannot be read: {_reason(error)}") from None
    if not isinstance(array, np.ndarray):  # a zip member that is no .npy comes back as raw bytes
        raise ValueError(f"{name!r} is not a NumPy array")
    return array


def _member_bytes(zip_file, name):
    """The member NumPy would read as ``name``, inflated no further than the size it declares.

    NumPy reads a member that is no .npy whole, and zipfile inflates all its compressed data before cutting it to
    the declared size: a file of kilobytes that declares a few could inflate gigabytes. Bounded reads stop that for
    deflate; bzip2 and LZMA inflate whole chunks however little is asked for, and NumPy never writes them.
    """
    info = zip_file.getinfo(name if name in zip_file.namelist() else f"{name}.npy")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ValueError(f"compression method {info.compress_type} (NumPy writes only stored or deflated members)")
    with zip_file.open(info) as member:
        return member.read(info.file_size)


def _read_architecture(archive):
    raw = _read(archive, ARCHITECTURE_KEY)
    if raw.dtype.kind != "U" or raw.ndim != 0 or len(str(raw)) > MAX_ARCHITECTURE_CHARS:
        raise ValueError(f"{ARCHITECTURE_KEY!r} must be one JSON string")
    try:
        architecture = json.loads(str(raw))
    except (json.JSONDecodeError, RecursionError) as error:  # RecursionError: absurdly nested brackets
        raise ValueError(f"{ARCHITECTURE_KEY!r} is not valid JSON: {_reason(error)}") from None
    if not isinstance(architecture, dict) or architecture.get("format") != FORMAT:
        raise ValueError(f"not an nnlib weights file: {ARCHITECTURE_KEY!r} lacks format {FORMAT!r}")
    version = architecture.get("version")
    if type(version) is not int or version != VERSION:  # not True or 1.0: only what save_params writes
        raise ValueError(f"weights file version {version!r} is not supported (expected {VERSION})")
    return architecture


def _build(architecture, backend, declared_bytes):
    """Make the model the architecture describes, after checking every field (seeded: no global RNG use)."""
    config = architecture.get("config")
    if not isinstance(config, dict):
        raise ValueError("the architecture has no 'config' object")
    kind = architecture.get("class")
    if kind not in ("MLP", "TwoLayerNet"):
        raise ValueError(f"unknown model class {kind!r}: expected MLP or TwoLayerNet")
    _check_keys(
        config,
        {"input_size", "hidden_sizes", "output_size", "activation", "weight_init", "weight_decay", "l1", "dtype"},
    )
    hidden, activation, dtype = config["hidden_sizes"], config["activation"], config["dtype"]
    if not isinstance(hidden, list) or len(hidden) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"'hidden_sizes' must be a list of at most {MAX_HIDDEN_LAYERS} layer sizes")
    if not (isinstance(activation, list) and all(isinstance(name, str) and name in ACTIVATIONS for name in activation)):
        raise ValueError(f"'activation' must be a list of {', '.join(ACTIVATIONS)}")
    if not (isinstance(dtype, str) and dtype in DTYPES):
        raise ValueError(f"'dtype' must be one of {', '.join(DTYPES)}")
    if not isinstance(config["weight_init"], str):
        raise ValueError("'weight_init' must be a string")
    sizes = [
        _size(config["input_size"], "input_size"),
        *(_size(size, "hidden_sizes") for size in hidden),
        _size(config["output_size"], "output_size"),
    ]
    # the arrays must be in the file, so a file cannot make us allocate more than it holds
    needed = sum((rows + 1) * cols for rows, cols in zip(sizes[:-1], sizes[1:])) * np.dtype(dtype).itemsize
    if needed > declared_bytes:
        raise ValueError(
            f"the architecture needs {needed:,} bytes of parameters, but the file holds {declared_bytes:,}"
        )
    arguments = {
        "input_size": sizes[0],
        "hidden_sizes": sizes[1:-1],
        "output_size": sizes[-1],
        "activation": activation,
        "weight_init": config["weight_init"],
        "weight_decay": _rate(config["weight_decay"], "weight_decay"),
        "l1": _rate(config["l1"], "l1"),
        "dtype": dtype,
    }
    if kind == "MLP":
        return _construct(MLP, **arguments, seed=0, backend=backend)
    if len(sizes) != 3:
        raise ValueError(f"the config does not describe a TwoLayerNet: it has {len(sizes) - 2} hidden layers, not 1")
    model = _construct(TwoLayerNet, *sizes, seed=0, backend=backend)
    if model.config != arguments:
        raise ValueError("the config does not describe a TwoLayerNet (one sigmoid layer, 'std:0.01' init, float64)")
    return model


def _construct(model_class, *args, **kwargs):
    try:
        with np.errstate(over="ignore"):  # a huge 'std:' init overflows, but the file's weights replace the drawn ones
            return model_class(*args, **kwargs)
    except ValueError as error:
        raise ValueError(f"the architecture cannot be built: {error}") from None


def _check_keys(config, keys):
    missing, extra = sorted(keys - config.keys()), sorted(config.keys() - keys)
    if missing or extra:
        raise ValueError(f"architecture config: missing {missing or 'nothing'}, unexpected {extra or 'nothing'}")


def _size(value, key):
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_LAYER_SIZE:
        raise ValueError(f"{key!r} must hold whole numbers from 1 to {MAX_LAYER_SIZE}, found {value!r}")
    return value


def _rate(value, key):
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e300:
        value = float(value)
        if math.isfinite(value) and value >= 0:
            return value
    raise ValueError(f"{key!r} must be a finite number >= 0, found {repr(value)[:40]}")


def _read_param(archive, name, param):
    array = _read(archive, name)
    if array.shape != param.shape:
        raise ValueError(f"{name} has shape {array.shape}, but the architecture needs {param.shape}")
    if array.dtype != param.dtype:
        raise ValueError(f"{name} has dtype {array.dtype}, but the architecture says {param.dtype}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} holds NaN or infinite values")
    return array
