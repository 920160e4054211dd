"""A task that checks itself (issue 25): a teacher's link, or a built-in lesson, sets a text, an answer and goals
the page can measure, and the page says, as the run plays, which goals it meets and what is still missing. No
Streamlit here.

``task_from_query`` reads a task from the link's keys, ``task_query`` writes them back. ``TaskCheck`` follows a
tab's runs: each goal's status at the run's last recorded epoch, and the epoch at which the whole task was first
met. That epoch is a latch: a run that met its task has met it while it plays on, whatever its accuracy does next;
a new run (a rebuild, a reset, new data) starts unmet.
"""

import dataclasses
import weakref
from dataclasses import dataclass

from playground.i18n import Message
from playground.links import fell_back
from playground.settings import (
    FEATURES,
    MAX_HIDDEN_LAYERS,
    MAX_WIDTH,
    REGRESSION_DATASETS,
    STOP_EPOCH_RANGE,
    STOP_LOSS_RANGE,
    names_of,
    real,
    whole,
)

# a task's text and its answer: user text, shown as written, at most this long; a built-in lesson's fits in
# both languages, so a class link made from a lesson keeps it whole
TEXT_CHARS = 500
TEXT_KEYS = {"text": "task", "answer": "answer"}
# a goal's field -> its key in the link, and how the link's text reads (a parser, what a valid value looks like)
GOAL_KEYS = {
    "goal_acc": ("goal_acc", real(0, 1)),
    "goal_loss": ("goal_loss", real(*STOP_LOSS_RANGE)),
    "max_neurons": ("max_neurons", whole(0, MAX_HIDDEN_LAYERS * MAX_WIDTH)),
    "max_layers": ("max_layers", whole(0, MAX_HIDDEN_LAYERS)),
    "from_epoch": ("from_epoch", whole(*STOP_EPOCH_RANGE)),
    "within": ("within", whole(*STOP_EPOCH_RANGE)),
    "only": ("only", names_of(FEATURES, "a comma-separated list of {options}", least=1)),
}


@dataclass(frozen=True)
class Task:
    text: object  # str (a teacher's, shown as written) or Message (a built-in lesson's, translated)
    answer: object = ""  # the same kinds
    goal_acc: float | None = None  # test accuracy at least
    goal_loss: float | None = None  # test loss at most
    max_neurons: int | None = None  # hidden neurons in all, at most
    max_layers: int | None = None  # hidden layers, at most
    within: int | None = None  # met by this epoch
    only: tuple | None = None  # input features the run may use (a subset of settings.FEATURES)
    # the goals count from this epoch on: a run must still meet them then (overfitting undoes a test loss reached
    # early, and a goal met once stays met)
    from_epoch: int | None = None

    @property
    def has_goals(self):
        """Whether it sets a goal; from_epoch alone sets none, it only says when the others count."""
        return any(getattr(self, field) is not None for field in GOAL_KEYS if field != "from_epoch")


@dataclass(frozen=True)
class GoalStatus:
    """One goal at one epoch: what it asks (``goal``), whether the run meets it, and if not, what is missing."""

    goal: Message
    met: bool
    missing: Message | None = None


@dataclass(frozen=True)
class TaskStatus:
    """A task's goals at the run's last epoch (all met where the task was met), and the epoch it was first met at,
    or None."""

    goals: tuple
    met_epoch: int | None


def task_from_query(query, base=None):
    """The task a link sets, or None where it sets none, and a notice for each value it cannot read (that value
    is dropped, the rest of the task stays). ``base``: a lesson's task, whose parts the link's own keys replace. A
    link with goals but no ``task=`` text (and no base) gets a text made of its goals; an answer with neither is no
    task."""
    given, notices = {}, []
    for field, key in TEXT_KEYS.items():
        text = str(query.get(key, "")).strip()[:TEXT_CHARS]
        if text:
            given[field] = text
    for field, (key, (parse, expected)) in GOAL_KEYS.items():
        if key not in query:
            continue
        text = str(query[key]).strip()[:200]
        try:
            given[field] = parse(text)
        except (ValueError, TypeError, OverflowError):
            notices.append(fell_back(key, text, expected, Message("no goal")))
    task = dataclasses.replace(base, **given) if base is not None else Task(**{"text": ""} | given)
    task, dropped = counted_from(task)
    notices += dropped
    if base is not None:
        return task, notices
    if not task.text and not task.has_goals:
        if task.answer:
            notices.append(Message("Link parameter answer has no task to answer; ignoring it."))
        return None, notices
    if not task.text:
        task = dataclasses.replace(task, text=goals_text(task, fits_values(query)))
    return task, notices


def counted_from(task):
    """``task`` as a run can meet it, and a notice for what was dropped: its from_epoch where there is no goal to
    count from then, or where it is past ``within`` (a link's or a lesson's, whichever set it)."""
    since = task.from_epoch
    if since is None:
        return task, []
    if not task.has_goals:
        notice = Message("Link parameter from_epoch={since} has no goal to count from then; ignoring it.", since=since)
    elif task.within is not None and since > task.within:
        notice = Message(
            "Link parameter from_epoch={since} is past within={within}: no run could meet both; ignoring from_epoch.",
            since=since,
            within=task.within,
        )
    else:
        return task, []
    return dataclasses.replace(task, from_epoch=None), [notice]


def task_query(task):
    """The link's keys for ``task``: its goals, and its text and answer where they are a teacher's own (a built-in
    lesson's, a Message, travels as the lesson's id; a text made of the goals, as the goals)."""
    query = {
        key: ",".join(value) if isinstance(value, tuple) else f"{value:g}" if isinstance(value, float) else str(value)
        for field, (key, _) in GOAL_KEYS.items()
        if (value := getattr(task, field)) is not None
    }
    for field, key in TEXT_KEYS.items():
        text = getattr(task, field)
        if text and not isinstance(text, Message):
            query[key] = text
    return query


def fits_values(query):
    """Whether a link's data set is a regression's, whose accuracy goal is an R² (a link's task is read before its
    settings)."""
    return query.get("data") in REGRESSION_DATASETS


def goals_text(task, regression=False):
    """A task's text made of its goals, for a link that gives goals and no text (``regression``: its data's)."""
    labels = [goal for goal, _ in _goals(task, regression)]
    listed = labels[-1]
    for label in reversed(labels[:-1]):
        listed = Message("{first}, and {rest}", first=label, rest=listed)
    return Message("Reach these goals: {goals}.", goals=listed)


def goal_statuses(task, settings, row):
    """Each goal of ``task`` for a run with ``settings`` whose last history row is ``row`` (a dict, as
    ``Session.latest`` gives it): a GoalStatus."""
    statuses = []
    for goal, check in _goals(task, settings.regression):
        met, missing = check(settings, row)
        statuses.append(GoalStatus(goal, bool(met), None if met else missing))
    return statuses


# what a run's settings and history row say of it, for the goals that bound it (at most, or at least)
TEST_LOSS = lambda settings, row: row["test_loss"]  # noqa: E731
NEURONS = lambda settings, row: sum(settings.hidden)  # noqa: E731
LAYERS = lambda settings, row: len(settings.hidden)  # noqa: E731
EPOCH = lambda settings, row: row["epoch"]  # noqa: E731


def _bound(limit, least, asked, measure, missing):
    """A goal that bounds ``measure`` of the run: at most ``limit`` (``least``: at least). (What it asks, its
    check): ``asked`` and ``missing`` are templates of the limit, named ``most`` or ``least``, and ``missing`` of
    the value too, which says what is missing when it is not met."""
    name = "least" if least else "most"

    def check(settings, row):
        value = measure(settings, row)
        return (value >= limit if least else value <= limit), Message(missing, value=value, **{name: limit})

    return Message(asked, **{name: limit}), check


def _goals(task, regression=False):
    """(what a goal asks, its check) for each goal of ``task``; a check takes the run's settings and a history row
    and gives (met, what is missing). A ``regression``'s accuracy goal asks for its R², which the history keeps in
    the accuracy's place."""
    goals = []
    if task.goal_acc is not None:
        goal = task.goal_acc

        def accuracy(settings, row):
            value = row["test_accuracy"]
            if settings.regression:
                return value >= goal, Message("test R² {value:.3f} of {goal:.3f}", value=value, goal=goal)
            return value >= goal, Message("test accuracy {value:.1%} of {goal:.1%}", value=value, goal=goal)

        asked = "test R² at least {goal:.3f}" if regression else "test accuracy at least {goal:.1%}"
        goals.append((Message(asked, goal=goal), accuracy))
    for limit, least, asked, measure, missing in (
        (task.goal_loss, False, "test loss at most {most:g}", TEST_LOSS, "test loss {value:.3f} of at most {most:g}"),
        (task.max_neurons, False, "hidden neurons in all: at most {most}", NEURONS,
         "hidden neurons: {value}, at most {most}"),
        (task.max_layers, False, "hidden layers: at most {most}", LAYERS, "hidden layers: {value}, at most {most}"),
        (task.from_epoch, True, "from epoch {least:,} on", EPOCH,
         "epoch {value:,}: the goals count from epoch {least:,} on"),
        (task.within, False, "by epoch {most:,}", EPOCH, "epoch {value:,} is past {most:,}: Reset to try again"),
    ):  # fmt: skip
        if limit is not None:
            goals.append(_bound(limit, least, asked, measure, missing))
    if task.only is not None:
        allowed = task.only

        def features(settings, row):
            extra = [name for name in settings.features if name not in allowed]
            return not extra, Message(
                "uses {extra}, only {allowed} allowed", extra=", ".join(extra), allowed=", ".join(allowed)
            )

        goals.append((Message("input features: only {features}", features=", ".join(allowed)), features))
    return goals


class TaskCheck:
    """``task`` followed through a tab's runs: ``status(session)`` after each change, under the session's lock."""

    def __init__(self, task):
        self.task = task
        self.checks = [check for _, check in _goals(task)]
        self.run = None  # a weak reference to the run's trainer: a new one is a new run, met by none of its rows yet
        self.checked_step = None  # the step of the last history row looked at
        self.met_epoch = None

    def status(self, session):
        """The task's status in ``session`` now: each goal at the last history row, and the epoch of the first row
        that met every goal, looked for among the rows since the last call (a frame may cover several epochs, and
        the task is met at the first that meets it, not at the one the frame ends on)."""
        history, settings = session.history, session.settings
        if self.run is None or self.run() is not session.trainer:
            self.run, self.checked_step, self.met_epoch = weakref.ref(session.trainer), None, None
        if self.met_epoch is None and self.checks:
            steps = history["step"]
            first = len(steps)
            while first > 0 and (self.checked_step is None or steps[first - 1] > self.checked_step):
                first -= 1
            for index in range(first, len(steps)):
                row = {column: values[index] for column, values in history.items()}
                if all(check(settings, row)[0] for check in self.checks):
                    self.met_epoch = row["epoch"]
                    break
        self.checked_step = history["step"][-1]
        if self.met_epoch is not None:
            goals = [GoalStatus(goal, True) for goal, _ in _goals(self.task, settings.regression)]
        else:
            goals = goal_statuses(self.task, settings, session.latest())
        return TaskStatus(tuple(goals), self.met_epoch)
