"""The page's link, both ways, and the only code that knows it: the settings, the view and the language as
query-string values, and back.

A copied link reopens the same configuration: ``to_query`` writes every setting, ``from_query`` reads them
back and replaces anything missing, garbled or out of range by its default, with a notice saying so. No
Streamlit here: the page reads and writes ``st.query_params`` with these (``ui/tab.py``).
"""

import dataclasses

from playground.i18n import DEFAULT_LANGUAGE, LANGUAGES, Message
from playground.session.step_stages import STAGES
from playground.settings import (
    ACTIONS,
    DEFAULT_VIEW,
    DEFAULTS,
    VIEW_OPTION_CONTROLS,
    Access,
    Settings,
    View,
    capped_batch_size,
    gpu_available,
    jsonable,
    one_of,
    train_size,
)

LANGUAGE_KEY = "lang"
SLOW_MOTION_KEY = "slow"  # a stage of STAGES: the playground opens showing the next step in slow motion at it
PRESENTER_KEY = "present"  # 1: the playground in presenter mode (ui/presenter.py)


def _table(source):
    """field -> (query key, parser, what a valid value looks like), from the fields' declarations (settings.py)."""
    return {field.name: (field.metadata["key"], *field.metadata["reads"]) for field in dataclasses.fields(source)}


QUERY = _table(Settings)
VIEW_QUERY = _table(View)
HIDE_KEY, LOCK_KEY = "hide", "lock"
# every control a link may hide or lock, by name: a setting's by its link key, then the view's options and the actions
CONTROLS = (
    *(key for key, _, _ in (*QUERY.values(), *VIEW_QUERY.values())),
    *VIEW_OPTION_CONTROLS.values(),
    *ACTIONS,
)


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
            notices.append(fell_back(key, text, expected, jsonable(getattr(defaults, field))))
    return dataclasses.replace(defaults, **values), notices


def fell_back(key, text, expected, default):
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
    if settings.dropout and len(settings.dropout) != len(settings.hidden):
        notices.append(
            Message(
                "Link parameter dropout names {count} rates for {layers} hidden layers; using no dropout.",
                count=len(settings.dropout),
                layers=len(settings.hidden),
            )
        )
        settings = settings.replace(dropout=())
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
    parse, expected = one_of(LANGUAGES)
    try:
        return parse(text), []
    except ValueError:
        return DEFAULT_LANGUAGE, [fell_back(LANGUAGE_KEY, text, expected, DEFAULT_LANGUAGE)]


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
    parse, expected = one_of(STAGES)
    try:
        return parse(text), []
    except ValueError:
        return STAGES[0], [fell_back(SLOW_MOTION_KEY, text, expected, STAGES[0])]


def presenter_query(on):
    """Presenter mode's part of a link: ``present=1`` while it is on, nothing otherwise."""
    return {PRESENTER_KEY: "1"} if on else {}


def presenter_from_query(query):
    """Whether a link opens the playground in presenter mode, and a notice if its value is neither 1 nor 0."""
    text = str(query.get(PRESENTER_KEY, "0"))[:200]
    parse, expected = one_of(("0", "1"))
    try:
        return parse(text) == "1", []
    except ValueError:
        return False, [fell_back(PRESENTER_KEY, text, expected, 0)]


def access_from_query(query):
    """The controls a link hides and locks, and a notice for each name it gives that names no control (the others
    still apply)."""
    names, notices = {}, []
    for key in (HIDE_KEY, LOCK_KEY):
        text = str(query.get(key, ""))[:1000]
        given = [name.strip() for name in text.split(",") if name.strip()]
        unknown = [name for name in given if name not in CONTROLS]
        if unknown:
            notices.append(
                Message(
                    "Link parameter {key} names no control called {names}; the page's controls are {options}.",
                    key=key,
                    names=", ".join(map(repr, unknown)),
                    options=", ".join(CONTROLS),
                )
            )
        names[key] = frozenset(given) - set(unknown)
    return Access(hidden=names[HIDE_KEY], locked=names[LOCK_KEY]), notices


def access_query(access):
    """The link's flags for ``access``: nothing for a page that hides and locks nothing."""
    return {
        key: ",".join(name for name in CONTROLS if name in names)
        for key, names in ((HIDE_KEY, access.hidden), (LOCK_KEY, access.locked))
        if names
    }
