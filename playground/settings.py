"""Everything the user can set, its defaults and ranges, and its round trip through the URL's query string.

A copied link reopens the same configuration: ``to_query`` writes every setting, ``from_query`` reads them
back and replaces anything missing, garbled or out of range by its default, with a notice saying so.
"""

import dataclasses
import functools
import math
from dataclasses import dataclass

from playground.i18n import Message

DATASETS = {
    "book_spiral": "Spiral (the book's)",
    "spiral": "Spiral, k arms",
    "circle": "Circle",
    "xor": "XOR",
    "gaussian": "Gaussian clusters",
    "moons": "Moons",
    "upload": "Upload CSV",
}
MULTI_CLASS_DATASETS = ("spiral", "circle", "gaussian")  # the others have a fixed number of classes
FEATURES = ("x1", "x2", "x1²", "x2²", "x1·x2", "sin x1", "sin x2")
ACTIVATION_NAMES = {
    "sigmoid": "Sigmoid",
    "tanh": "Tanh",
    "relu": "ReLU",
    "leaky_relu": "Leaky ReLU",
    "identity": "Linear",
}
INITS = {"std:0.01": "0.01·randn (the book's)", "auto": "Xavier / He (by activation)", "xavier": "Xavier", "he": "He"}
REGULARIZATIONS = ("none", "L1", "L2")
OPTIMIZERS = ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam")
SCHEDULES = {"constant": "Constant", "step": "Halve every N epochs", "cosine": "Cosine to 0 over N epochs"}
PRECISIONS = {"float64": "float64", "float32": "float32", "cupy": "float32 on the GPU (CuPy)"}
SPEEDS = (10, 30, 100, 300, 1000, 3000, 10_000, 0)  # training steps per second; 0: as fast as the server can
VIEW_OPTIONS = ("show_test", "hard_regions", "log_loss", "show_network")

MAX_HIDDEN_LAYERS = 8
MAX_WIDTH = 256
CLASS_RANGE = (2, 6)
POINTS_RANGE = (10, 1000)
NOISE_RANGE = (0.0, 1.0)
TRAIN_PERCENT_RANGE = (10, 90)
SEED_RANGE = (0, 2**31 - 1)
# the sliders' stops, whose ends are the ranges a link may set (any value between them reads)
LEARNING_RATES = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (1e-6, 1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0)
LR_RANGE = (LEARNING_RATES[0], LEARNING_RATES[-1])
RATE_RANGE = (REG_RATES[0], REG_RATES[-1])
BATCH_RANGE = (1, 100_000)
MOMENTUM_RANGE = (0.0, 0.999)
BETA_RANGE = (0.0, 0.9999)
SCHEDULE_EPOCHS_RANGE = (1, 100_000)
STOP_EPOCH_RANGE = (0, 1_000_000)  # 0: no target
STOP_LOSS_RANGE = (0.0, 10.0)

# settings that act on the running training; every other one rebuilds the model
LIVE = (
    "learning_rate",
    "batch_size",
    "momentum",
    "decay_rate",
    "beta1",
    "beta2",
    "regularization",
    "reg_rate",
    "schedule",
    "schedule_epochs",
    "stop_epoch",
    "stop_loss",
)


@dataclass(frozen=True)
class Settings:
    dataset: str = "book_spiral"
    classes: int = 3
    points: int = 100  # per class
    noise: float = 0.1
    train_percent: int = 80
    seed: int = 1984
    features: tuple = ("x1", "x2")
    hidden: tuple = (10,)
    activation: str = "sigmoid"
    layer_activations: tuple = ()  # one per hidden layer, or () for ``activation`` in all of them
    init: str = "std:0.01"
    regularization: str = "none"
    reg_rate: float = 1e-3
    optimizer: str = "SGD"
    learning_rate: float = 1.0
    momentum: float = 0.9
    decay_rate: float = 0.99
    beta1: float = 0.9
    beta2: float = 0.999
    batch_size: int = 30
    schedule: str = "constant"
    schedule_epochs: int = 100
    stop_epoch: int = 0  # pause when this epoch is reached; 0: never
    stop_loss: float = 0.0  # pause when the training loss falls to this; 0: never
    precision: str = "float64"

    @property
    def activations(self):
        """The activation of each hidden layer."""
        if len(self.layer_activations) == len(self.hidden):
            return self.layer_activations
        return (self.activation,) * len(self.hidden)

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)

    def changed(self, other):
        """Names of the settings whose values differ between ``self`` and ``other``."""
        return {
            field.name for field in dataclasses.fields(self) if getattr(self, field.name) != getattr(other, field.name)
        }

    def to_json_dict(self):
        return {field.name: _jsonable(getattr(self, field.name)) for field in dataclasses.fields(self)}


DEFAULTS = Settings()


@dataclass(frozen=True)
class View:
    """How the page shows the run, not what it trains; in the link too, so a shared link looks the same."""

    speed: int = 300  # steps per second: the book's run reaches 97 % in ~8 s, slow enough to watch it happen
    options: tuple = ("show_network",)  # of VIEW_OPTIONS


DEFAULT_VIEW = View()


def _jsonable(value):
    return list(value) if isinstance(value, tuple) else value


def _number(kind, low, high):
    def parse(text):
        value = kind(float(text)) if kind is int and float(text).is_integer() else kind(text)
        if not (math.isfinite(value) and low <= value <= high):
            raise ValueError
        return value

    return parse


def _choice(options):
    def parse(text):
        if text not in options:
            raise ValueError
        return text

    return parse


def _features(text):
    parts = text.split(",")
    if len(parts) != len(set(parts)) or not set(parts) <= set(FEATURES):
        raise ValueError
    return tuple(name for name in FEATURES if name in parts)


def _activations(text):
    names = tuple(text.split(",")) if text else ()
    if len(names) > MAX_HIDDEN_LAYERS or not set(names) <= set(ACTIVATION_NAMES):
        raise ValueError
    return names


def _view_options(text):
    names = tuple(text.split(",")) if text else ()
    if len(names) != len(set(names)) or not set(names) <= set(VIEW_OPTIONS):
        raise ValueError
    return tuple(name for name in VIEW_OPTIONS if name in names)


def _speed(text):
    speeds = {str(speed): speed for speed in SPEEDS}
    if text not in speeds:
        raise ValueError
    return speeds[text]


def _hidden(text):
    widths = tuple(int(part) for part in text.split(",")) if text else ()
    if len(widths) > MAX_HIDDEN_LAYERS or not all(1 <= width <= MAX_WIDTH for width in widths):
        raise ValueError
    return widths


# each a parser and what a valid value looks like, from one range or list of options
def _one_of(options):
    return _choice(options), Message("one of {options}", options=", ".join(options))


def _whole(low, high):
    return _number(int, low, high), Message("a whole number from {low} to {high}", low=low, high=high)


def _real(low, high):
    return _number(float, low, high), Message("a number from {low:g} to {high:g}", low=low, high=high)


# field -> (query key, parser, what a valid value looks like)
QUERY = {
    "dataset": ("data", *_one_of(DATASETS)),
    "classes": ("classes", *_whole(*CLASS_RANGE)),
    "points": ("points", *_whole(*POINTS_RANGE)),
    "noise": ("noise", *_real(*NOISE_RANGE)),
    "train_percent": ("train", *_whole(*TRAIN_PERCENT_RANGE)),
    "seed": ("seed", *_whole(*SEED_RANGE)),
    "features": ("features", _features, Message("a comma-separated list of {options}", options=", ".join(FEATURES))),
    "hidden": (
        "hidden",
        _hidden,
        Message("up to {layers} comma-separated widths from 1 to {width}", layers=MAX_HIDDEN_LAYERS, width=MAX_WIDTH),
    ),
    "activation": ("activation", *_one_of(ACTIVATION_NAMES)),
    "layer_activations": (
        "acts",
        _activations,
        Message("up to {layers} comma-separated activations, one per hidden layer", layers=MAX_HIDDEN_LAYERS),
    ),
    "init": ("init", *_one_of(INITS)),
    "regularization": ("reg", *_one_of(REGULARIZATIONS)),
    "reg_rate": ("reg_rate", *_real(*RATE_RANGE)),
    "optimizer": ("optimizer", *_one_of(OPTIMIZERS)),
    "learning_rate": ("lr", *_real(*LR_RANGE)),
    "momentum": ("momentum", *_real(*MOMENTUM_RANGE)),
    "decay_rate": ("decay", *_real(*MOMENTUM_RANGE)),
    "beta1": ("beta1", *_real(*BETA_RANGE)),
    "beta2": ("beta2", *_real(*BETA_RANGE)),
    "batch_size": ("batch", _number(int, *BATCH_RANGE), Message("a whole number from 1 to the training-set size")),
    "schedule": ("schedule", *_one_of(SCHEDULES)),
    "schedule_epochs": ("sched_epochs", *_whole(*SCHEDULE_EPOCHS_RANGE)),
    "stop_epoch": ("stop_epoch", *_whole(*STOP_EPOCH_RANGE)),
    "stop_loss": ("stop_loss", *_real(*STOP_LOSS_RANGE)),
    "precision": ("precision", *_one_of(PRECISIONS)),
}


# View field -> (query key, parser, what a valid value looks like)
VIEW_QUERY = {
    "speed": ("speed", _speed, Message("one of {options} (0: as fast as the server can)",
                                       options=", ".join(map(str, SPEEDS)))),
    "options": ("view", _view_options, Message("a comma-separated list of {options}", options=", ".join(VIEW_OPTIONS))),
}  # fmt: skip


@functools.cache
def gpu_available():
    """Whether CuPy imports and sees a GPU: only then does the page offer the CuPy precision."""
    try:
        import cupy

        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:  # no CuPy, no driver, no device: all mean the same here
        return False


def classes_and_points(settings):
    """(classes, points per class) of a generated data set: the book's spiral has 3 × 100 whatever is set."""
    if settings.dataset == "book_spiral":
        return 3, 100
    return (settings.classes if settings.dataset in MULTI_CLASS_DATASETS else 2), settings.points


def train_size(settings):
    """How many points the training split holds (uploaded data: unknown here, checked by the session)."""
    classes, points = classes_and_points(settings)
    return max(1, round(classes * points * settings.train_percent / 100))


def capped_batch_size(batch_size, train_points):
    """The batch size training uses: the setting, capped at the training-set size."""
    return max(1, min(batch_size, train_points))


def value_text(value, separator=","):
    """A setting's value as people read it: 0.3 rather than 0.30000000000000004, a tuple as 8,4."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return separator.join(map(str, value))
    return str(value)


def to_query(settings, view=DEFAULT_VIEW):
    """The settings and the view as query-string values: every field, so a link means the same thing later."""
    query = {}
    for table, source in ((QUERY, settings), (VIEW_QUERY, view)):
        for field, (key, _, _) in table.items():
            value = getattr(source, field)
            query[key] = ",".join(map(str, value)) if isinstance(value, tuple) else str(value)
    return query


def _parsed(query, table, defaults):
    """The fields of ``table`` that ``query`` sets, and a notice for each value that falls back to its default."""
    values, notices = {}, []
    for field, (key, parse, expected) in table.items():
        if key not in query:
            continue
        text = str(query[key])[:200]
        try:
            values[field] = parse(text)
        except (ValueError, TypeError, OverflowError):
            notices.append(
                Message(
                    "Link parameter {key}={text!r} is not {expected}; using {default!r}.",
                    key=key,
                    text=text,
                    expected=expected,
                    default=_jsonable(getattr(defaults, field)),
                )
            )
    return dataclasses.replace(defaults, **values), notices


def view_from_query(query):
    """The view from a query-string mapping, and the notices for every value that fell back to its default."""
    return _parsed(query, VIEW_QUERY, DEFAULT_VIEW)


def from_query(query):
    """Settings from a query-string mapping, and the notices for every value that fell back to its default."""
    settings, notices = _parsed(query, QUERY, DEFAULTS)
    if settings.layer_activations and len(settings.layer_activations) != len(settings.hidden):
        notices.append(
            Message(
                "Link parameter acts names {count} activations for {layers} hidden layers; "
                "using {activation} in every layer.",
                count=len(settings.layer_activations),
                layers=len(settings.hidden),
                activation=settings.activation,
            )
        )
        settings = settings.replace(layer_activations=())
    if settings.precision == "cupy" and not gpu_available():
        notices.append(Message("This server has no GPU with CuPy; training in float32 on the CPU instead."))
        settings = settings.replace(precision="float32")
    if settings.dataset == "upload":
        notices.append(Message("Uploaded data cannot travel in a link; showing the book's spiral instead."))
        settings = settings.replace(dataset=DEFAULTS.dataset)
    if settings.batch_size > train_size(settings):
        notices.append(
            Message(
                "The batch size {batch_size} is larger than the {points} training points; using {fallback}.",
                batch_size=settings.batch_size,
                points=train_size(settings),
                fallback=min(DEFAULTS.batch_size, train_size(settings)),
            )
        )
        settings = settings.replace(batch_size=min(DEFAULTS.batch_size, train_size(settings)))
    return settings, notices
