"""The page's link, both ways, and the only code that knows it: the settings, the view and the language as
query-string values, and back.

A copied link reopens the same configuration: ``to_query`` writes every setting, ``from_query`` reads them
back and replaces anything missing, garbled or out of range by its default, with a notice saying so. No
Streamlit here: the page reads and writes ``st.query_params`` with these (``ui/tab.py``).
"""

import dataclasses
import math

from playground.i18n import DEFAULT_LANGUAGE, LANGUAGES, Message
from playground.session.step_stages import STAGES
from playground.settings import (
    ACTIVATION_NAMES,
    BATCH_RANGE,
    BETA_RANGE,
    CLASS_RANGE,
    DATASETS,
    DEFAULT_VIEW,
    DEFAULTS,
    FEATURES,
    INITS,
    LR_RANGE,
    MAX_HIDDEN_LAYERS,
    MAX_WIDTH,
    MOMENTUM_RANGE,
    NOISE_RANGE,
    OPTIMIZERS,
    POINTS_RANGE,
    PRECISIONS,
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
    capped_batch_size,
    gpu_available,
    jsonable,
    train_size,
)


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


LANGUAGE_KEY = "lang"
SLOW_MOTION_KEY = "slow"  # a stage of STAGES: the playground opens showing the next step in slow motion at it
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
    "speed": (
        "speed",
        _speed,
        Message("one of {options} (0: as fast as the server can)", options=", ".join(map(str, SPEEDS))),
    ),
    "options": ("view", _view_options, Message("a comma-separated list of {options}", options=", ".join(VIEW_OPTIONS))),
}


def to_query(settings, view=DEFAULT_VIEW, lang=DEFAULT_LANGUAGE):
    """The settings, the view and the language as query-string values: every field, so a link means the same
    thing later; the language only when it is not English, the default."""
    query = language_query(lang)
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
            notices.append(_fell_back(key, text, expected, jsonable(getattr(defaults, field))))
    return dataclasses.replace(defaults, **values), notices


def _fell_back(key, text, expected, default):
    """The notice for a link value that is not what ``key`` takes, and so falls back to ``default``."""
    return Message(
        "Link parameter {key}={text!r} is not {expected}; using {default!r}.",
        key=key,
        text=text,
        expected=expected,
        default=default,
    )


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
        fallback = capped_batch_size(DEFAULTS.batch_size, train_size(settings))
        notices.append(
            Message(
                "The batch size {batch_size} is larger than the {points} training points; using {fallback}.",
                batch_size=settings.batch_size,
                points=train_size(settings),
                fallback=fallback,
            )
        )
        settings = settings.replace(batch_size=fallback)
    return settings, notices


def language_query(lang):
    """The language's part of a link: nothing for English, the default (the lab page's whole link)."""
    return {} if lang == DEFAULT_LANGUAGE else {LANGUAGE_KEY: lang}


def language_from_query(query):
    """The language a link asks for, and a notice if it names none the page speaks."""
    text = str(query.get(LANGUAGE_KEY, DEFAULT_LANGUAGE))[:200]
    parse, expected = _one_of(LANGUAGES)
    try:
        return parse(text), []
    except ValueError:
        return DEFAULT_LANGUAGE, [_fell_back(LANGUAGE_KEY, text, expected, DEFAULT_LANGUAGE)]


def slow_motion_query(stage, lang):
    """A link to the playground showing its next training step in slow motion at ``stage`` (one of STAGES): the
    lab's "see this on the live network". The playground's own link then leaves it out: it opens the mode once."""
    return {SLOW_MOTION_KEY: stage} | language_query(lang)


def slow_motion_from_query(query):
    """The stage a link opens slow motion at, or None where it asks for none, and a notice if it names no stage
    (slow motion then opens at the first)."""
    if SLOW_MOTION_KEY not in query:
        return None, []
    text = str(query[SLOW_MOTION_KEY])[:200]
    parse, expected = _one_of(STAGES)
    try:
        return parse(text), []
    except ValueError:
        return STAGES[0], [_fell_back(SLOW_MOTION_KEY, text, expected, STAGES[0])]
