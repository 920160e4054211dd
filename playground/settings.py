"""Everything the user can set: its defaults, its ranges and options, and which settings act on a running
training. The link that carries them is ``links.py``."""

import dataclasses
import functools
from dataclasses import dataclass

import nnlib.datasets

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
FEATURES = tuple(nnlib.datasets.FEATURES)  # their names, in the page's order
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

# settings that make new data (and so a new model)
DATA_SETTINGS = {"dataset", "classes", "points", "noise", "train_percent", "seed", "features"}


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
        return {field.name: jsonable(getattr(self, field.name)) for field in dataclasses.fields(self)}


DEFAULTS = Settings()


@dataclass(frozen=True)
class View:
    """How the page shows the run, not what it trains; in the link too, so a shared link looks the same."""

    speed: int = 300  # steps per second: the book's run reaches 97 % in ~8 s, slow enough to watch it happen
    options: tuple = ("show_network",)  # of VIEW_OPTIONS


DEFAULT_VIEW = View()


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
    """(classes, points per class) of a generated data set: the book's spiral has 3 × 100 whatever is set."""
    if settings.dataset == "book_spiral":
        return 3, 100
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
