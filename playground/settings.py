"""Everything the user can set: its defaults, its ranges and options, and which settings act on a running
training. The link that carries them is ``links.py``."""

import dataclasses
import functools
import math
from dataclasses import dataclass

import nnlib.datasets
from playground.i18n import Message

DATASETS = {
    "book_spiral": "Spiral (the book's)",
    "spiral": "Spiral, k arms",
    "circle": "Circle",
    "xor": "XOR",
    "gaussian": "Gaussian clusters",
    "moons": "Moons",
    "sine": "Formula: x2 > ½·sin(π·x1)",  # data from a formula: class 1 above the curve, class 0 below
    "cubic": "Formula: x2 > 2·x1³ − 1.5·x1",
    "abs": "Formula: x2 > |x1| − ½",
    "upload": "Upload CSV",
    # a regression: the network fits each point's value, the surface's height there (nnlib.datasets.REGRESSIONS)
    "plane": "Regression: plane",
    "bumps": "Regression: Gaussian bumps",
    "wave": "Regression: sine wave",
    "pyramid": "Regression: |x| pyramid",
}
MULTI_CLASS_DATASETS = ("spiral", "circle", "gaussian")  # the others have a fixed number of classes
REGRESSION_DATASETS = tuple(nnlib.datasets.REGRESSIONS)
FEATURES = tuple(nnlib.datasets.FEATURES)  # their names, in the page's order
ACTIVATION_NAMES = {
    "sigmoid": "Sigmoid",
    "tanh": "Tanh",
    "relu": "ReLU",
    "leaky_relu": "Leaky ReLU",
    "identity": "Linear",
    "softmax": "Softmax",  # as a hidden activation, the chapter's classic mistake (lesson "softmax", the lab's step 7)
}
INITS = {
    "std:0.01": "0.01·randn (the book's)",
    "auto": "Xavier / He (by activation)",
    "xavier": "Xavier",
    "he": "He",
    "zero": "Zero (every weight 0)",  # TFP's initZero: a hidden layer that stays symmetric, to see why we draw
}
REGULARIZATIONS = ("none", "L1", "L2")
OPTIMIZERS = ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam")
SCHEDULES = {"constant": "Constant", "step": "Halve every N epochs", "cosine": "Cosine to 0 over N epochs"}
PRECISIONS = {"float64": "float64", "float32": "float32", "cupy": "float32 on the GPU (CuPy)"}
SPEEDS = (10, 30, 100, 300, 1000, 3000, 10_000, 0)  # training steps per second; 0: as fast as the server can
VIEW_OPTIONS = ("show_test", "hard_regions", "log_loss", "show_network", "insides", "hidden_space")

# the page's controls that set no setting, by the names a link hides or locks them with (``Access``); a setting's
# control goes by its link key
ACTIONS = (
    *("play", "epoch", "step", "slow", "reset", "pin"),  # the run bar's and the view's buttons
    *("export", "upload", "lab", "lessons", "inside", "edit"),  # files, pages and panels
    "weights",  # a weight or a bias typed in on the paused diagram
    "teacher",  # "Make a link for my class"
)
VIEW_OPTION_CONTROLS = {
    "show_test": "test",
    "hard_regions": "hard",
    "log_loss": "log",
    "show_network": "network",
    "insides": "insides",
    "hidden_space": "space",
}
PCA = "pca"  # the hidden space's axes (``View.space_axes``): the layer's first two principal components

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
DROPOUT_RATES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)  # of a hidden layer's outputs; 0: none
LR_RANGE = (LEARNING_RATES[0], LEARNING_RATES[-1])
# a regression chosen in the page starts at most at this rate: at the default 1.0, ½·MSE through 10 sigmoids
# diverges in 4 to 6 steps on every surface; at 0.1 each fits (ui/callbacks.py, chose_data)
REGRESSION_LEARNING_RATE = 0.1
DROPOUT_RANGE = (DROPOUT_RATES[0], DROPOUT_RATES[-1])
RATE_RANGE = (REG_RATES[0], REG_RATES[-1])
BATCH_RANGE = (1, 100_000)
MOMENTUM_RANGE = (0.0, 0.999)
BETA_RANGE = (0.0, 0.9999)
SCHEDULE_EPOCHS_RANGE = (1, 100_000)
STOP_EPOCH_RANGE = (0, 1_000_000)  # 0: no target
STOP_LOSS_RANGE = (0.0, 10.0)

# how a setting's widget holds it (``ui/tab.py``, ``ui/language.py``)
VALUE = "value"  # a widget under the setting's own name, holding its value
CHOICE = "choice"  # the same, showing its options by their labels, which a language switch changes
CHOICES = "choices"  # a multiple choice under the setting's own name, holding a list
PARTS = "parts"  # several widgets, drawn and read by their own code (the hidden layers, their activations, dropout)


def _number(kind, low, high):
    def parse(text):
        value = kind(float(text)) if kind is int and float(text).is_integer() else kind(text)
        if not (math.isfinite(value) and low <= value <= high):
            raise ValueError
        return value

    return parse


def one_of(options):
    """A parser of one of ``options`` from a link's text, and what a valid value looks like."""

    def parse(text):
        if text not in options:
            raise ValueError
        return text

    return parse, Message("one of {options}", options=", ".join(options))


def whole(low, high):
    return _number(int, low, high), Message("a whole number from {low} to {high}", low=low, high=high)


def real(low, high):
    return _number(float, low, high), Message("a number from {low:g} to {high:g}", low=low, high=high)


def names_of(options, what, least=0):
    """A parser of a comma-separated list of at least ``least`` of ``options``, each at most once, given back in
    their order."""

    def parse(text):
        names = text.split(",") if text else []
        if len(names) < least or len(names) != len(set(names)) or not set(names) <= set(options):
            raise ValueError
        return tuple(name for name in options if name in names)

    return parse, Message(what, options=", ".join(options))


def _activations(text):
    names = tuple(text.split(",")) if text else ()
    if len(names) > MAX_HIDDEN_LAYERS or not set(names) <= set(ACTIVATION_NAMES):
        raise ValueError
    return names


def _dropout_rates(text):
    rates = tuple(_number(float, *DROPOUT_RANGE)(part) for part in text.split(",")) if text else ()
    if len(rates) > MAX_HIDDEN_LAYERS:
        raise ValueError
    return rates


def _widths(text):
    widths = tuple(int(part) for part in text.split(",")) if text else ()
    if len(widths) > MAX_HIDDEN_LAYERS or not all(1 <= width <= MAX_WIDTH for width in widths):
        raise ValueError
    return widths


def _space_axes(text):
    """PCA, or two neurons' numbers as the page counts them (from 1), as "3,7"."""
    if text == PCA:
        return text
    numbers = tuple(int(part) for part in text.split(","))
    if len(numbers) != 2 or not all(1 <= number <= MAX_WIDTH for number in numbers):
        raise ValueError
    return ",".join(map(str, numbers))


def space_neurons(axes):
    """The two neurons ``View.space_axes`` names, counted from 1, or None for the principal components."""
    return None if axes == PCA else tuple(int(part) for part in axes.split(","))


def _speed(text):
    speeds = {str(speed): speed for speed in SPEEDS}
    if text not in speeds:
        raise ValueError
    return speeds[text]


def setting(default, key, reads, widget=VALUE, *, data=False, live=False):
    """A field of the settings and everything said about it, in one place: its default, its key in the page's
    link and how the link's text ``reads`` (a parser and what a valid value looks like), how its widget holds it,
    and whether it makes new data (``data``: a new model too) or acts on the running training (``live``); any
    other change rebuilds the model."""
    return dataclasses.field(
        default=default, metadata={"key": key, "reads": reads, "widget": widget, "data": data, "live": live}
    )


@dataclass(frozen=True)
class Settings:
    dataset: str = setting("book_spiral", "data", one_of(DATASETS), CHOICE, data=True)
    classes: int = setting(3, "classes", whole(*CLASS_RANGE), data=True)
    points: int = setting(100, "points", whole(*POINTS_RANGE), data=True)  # per class
    noise: float = setting(0.1, "noise", real(*NOISE_RANGE), data=True)
    train_percent: int = setting(80, "train", whole(*TRAIN_PERCENT_RANGE), data=True)
    seed: int = setting(1984, "seed", whole(*SEED_RANGE), data=True)
    features: tuple = setting(
        ("x1", "x2"), "features", names_of(FEATURES, "a comma-separated list of {options}", least=1), CHOICES, data=True
    )
    hidden: tuple = setting(
        (10,),
        "hidden",
        (
            _widths,
            Message(
                "up to {layers} comma-separated widths from 1 to {width}", layers=MAX_HIDDEN_LAYERS, width=MAX_WIDTH
            ),
        ),
        PARTS,
    )
    activation: str = setting("sigmoid", "activation", one_of(ACTIVATION_NAMES), CHOICE)
    layer_activations: tuple = setting(  # one per hidden layer, or () for ``activation`` in all of them
        (),
        "acts",
        (
            _activations,
            Message("up to {layers} comma-separated activations, one per hidden layer", layers=MAX_HIDDEN_LAYERS),
        ),
        PARTS,
    )
    init: str = setting("std:0.01", "init", one_of(INITS), CHOICE)
    regularization: str = setting("none", "reg", one_of(REGULARIZATIONS), CHOICE, live=True)
    reg_rate: float = setting(1e-3, "reg_rate", real(*RATE_RANGE), CHOICE, live=True)
    dropout: tuple = setting(  # one rate per hidden layer, or () for none in any
        (),
        "dropout",
        (
            _dropout_rates,
            Message(
                "up to {layers} comma-separated rates from {low:g} to {high:g}, one per hidden layer",
                layers=MAX_HIDDEN_LAYERS,
                low=DROPOUT_RANGE[0],
                high=DROPOUT_RANGE[1],
            ),
        ),
        PARTS,
    )
    optimizer: str = setting("SGD", "optimizer", one_of(OPTIMIZERS), CHOICE)  # a new optimizer, the same weights
    learning_rate: float = setting(1.0, "lr", real(*LR_RANGE), CHOICE, live=True)
    momentum: float = setting(0.9, "momentum", real(*MOMENTUM_RANGE), live=True)
    decay_rate: float = setting(0.99, "decay", real(*MOMENTUM_RANGE), live=True)
    beta1: float = setting(0.9, "beta1", real(*BETA_RANGE), live=True)
    beta2: float = setting(0.999, "beta2", real(*BETA_RANGE), live=True)
    batch_size: int = setting(
        30,
        "batch",
        (_number(int, *BATCH_RANGE), Message("a whole number from 1 to the training-set size")),
        live=True,
    )
    schedule: str = setting("constant", "schedule", one_of(SCHEDULES), CHOICE, live=True)
    schedule_epochs: int = setting(100, "sched_epochs", whole(*SCHEDULE_EPOCHS_RANGE), live=True)
    # pause when this epoch is reached, or when the training loss falls to this; 0: never
    stop_epoch: int = setting(0, "stop_epoch", whole(*STOP_EPOCH_RANGE), live=True)
    stop_loss: float = setting(0.0, "stop_loss", real(*STOP_LOSS_RANGE), live=True)
    precision: str = setting("float64", "precision", one_of(PRECISIONS), CHOICE)

    @property
    def activations(self):
        """The activation of each hidden layer."""
        if len(self.layer_activations) == len(self.hidden):
            return self.layer_activations
        return (self.activation,) * len(self.hidden)

    @property
    def regression(self):
        """Whether the data set is a surface to fit (one value a point, the squared error) rather than classes."""
        return self.dataset in REGRESSION_DATASETS

    @property
    def dropout_rates(self):
        """The dropout rate of each hidden layer (0: none)."""
        if len(self.dropout) == len(self.hidden):
            return self.dropout
        return (0.0,) * len(self.hidden)

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)

    def changed(self, other):
        """Names of the settings whose values differ between ``self`` and ``other``."""
        return {
            field.name for field in dataclasses.fields(self) if getattr(self, field.name) != getattr(other, field.name)
        }

    def to_json_dict(self):
        return {field.name: jsonable(getattr(self, field.name)) for field in dataclasses.fields(self)}


DEFAULTS = Settings()


@dataclass(frozen=True)
class View:
    """How the page shows the run, not what it trains; in the link too, so a shared link looks the same."""

    # steps per second: the book's run reaches 97 % in ~8 s, slow enough to watch it happen
    speed: int = setting(
        300,
        "speed",
        (_speed, Message("one of {options} (0: as fast as the server can)", options=", ".join(map(str, SPEEDS)))),
        CHOICE,
    )
    options: tuple = setting(
        ("show_network",), "view", names_of(VIEW_OPTIONS, "a comma-separated list of {options}"), CHOICES
    )
    # the hidden space's layer, from 1 (0: the last, whatever the depth; one past the network shows its last) and
    # axes: PCA or two neurons, from 1 (one past the layer's width shows its last)
    space_layer: int = setting(
        0,
        "space_layer",
        (
            _number(int, 0, MAX_HIDDEN_LAYERS),
            Message("a whole number from 0 to {layers} (0: the last hidden layer)", layers=MAX_HIDDEN_LAYERS),
        ),
    )
    space_axes: str = setting(
        PCA,
        "space_axes",
        (_space_axes, Message("pca or two neuron numbers from 1 to {width}, as 3,7", width=MAX_WIDTH)),
    )


def fields_where(table, **wanted):
    """The names of the fields of ``table`` (Settings or View) whose declaration says what ``wanted`` says."""
    return tuple(
        field.name
        for field in dataclasses.fields(table)
        if all(
            field.metadata[name] in (value if isinstance(value, tuple) else (value,)) for name, value in wanted.items()
        )
    )


LIVE = fields_where(Settings, live=True)
DATA_SETTINGS = frozenset(fields_where(Settings, data=True))
DEFAULT_VIEW = View()


@dataclass(frozen=True)
class Access:
    """The controls a teacher's link hides (not drawn) or locks (drawn disabled, showing its value), by their names
    (``links.CONTROLS``). What they set stays in force. A teaching aid, not access control: a student can remove
    the flags from the link."""

    hidden: frozenset = frozenset()
    locked: frozenset = frozenset()

    def __post_init__(self):
        object.__setattr__(self, "locked", self.locked - self.hidden)  # hidden wins: it cannot also show


FREE = Access()


def jsonable(value):
    """A setting's value as JSON holds it: a tuple as a list."""
    return list(value) if isinstance(value, tuple) else value


@functools.cache
def gpu_available():
    """Whether CuPy imports and sees a GPU: only then does the page offer the CuPy precision."""
    try:
        import cupy

        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:  # no CuPy, no driver, no device: all mean the same here
        return False


def classes_and_points(settings):
    """(classes, points per class) of a generated data set: the book's spiral has 3 × 100 whatever is set, and a
    regression's ``points`` are all in one (it has no classes)."""
    if settings.dataset == "book_spiral":
        return 3, 100
    if settings.regression:
        return 1, settings.points
    return (settings.classes if settings.dataset in MULTI_CLASS_DATASETS else 2), settings.points


def train_size(settings):
    """How many points the training split holds (uploaded data: unknown here, checked by the session)."""
    classes, points = classes_and_points(settings)
    return nnlib.datasets.train_size(classes * points, settings.train_percent)


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
