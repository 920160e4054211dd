"""A playing tab's frames, trained and built between the page's runs: the live socket (``socket.py``) asks for
one every FRAME_SECONDS, or less often when many tabs share the server (``frame_seconds``), and sends it to the
browser, so no Streamlit run is needed to move the picture. No Streamlit here.

Two channels reach the view: a page run's data (the setup and a frame with every history row) and the socket's
frames, and either can arrive first. So each page run starts a new ``version``; the socket's frames carry it
and a number within it (the page run's own frame is number 0), and the view keeps to that order (live.js).

A tab with a task (``LiveFeed.task``, playground/tasks.py) sends its card with the frames, in the page's language,
since the run may meet it between two page runs: a version's first frame (a page run's, and the socket's first,
either of which the view may take first) has the whole card; the socket's others only what changed of it, if
anything. A tab without one sends nothing of it."""

import dataclasses
import logging
import secrets
import weakref

import numpy as np

from nnlib.messages import Message
from playground.i18n import UNEXPECTED, tr
from playground.live import frames
from playground.session.insides import Insides
from playground.session.space import Choice, HiddenSpace, choose
from playground.settings import DEFAULT_VIEW
from playground.tasks import TaskCheck

FRAME_SECONDS = 1 / 40  # a playing tab's frames at most this often
TRAIN_SECONDS = 0.009  # training per frame, at most (less when many tabs play)
GRID_SECONDS = 0.005  # the grid pass per frame: a big network's regions refresh a stripe at a time
# up to this many drawing tabs, a frame trains for TRAIN_SECONDS and passes the grid for GRID_SECONDS; beyond, for a
# share of them (``playing_share``)
FULL_SHARE_TABS = 5
# the CPU, in cores, that all playing tabs' frames take together at most, built and sent: 1.2 of a 2-core server's
# two, the rest left to the event loop, the page runs and the health checks (bench/load.py: 30 tabs, each ≥ 10
# frames/s at the defaults and ≥ 2 at the largest settings)
FRAME_CORES = 1.2
SPACE_DEFAULTS = (DEFAULT_VIEW.space_layer, DEFAULT_VIEW.space_axes)
HOVER_EVERY = 3  # frames: the class probabilities a hover reads are sent with every third
FEEDS = weakref.WeakValueDictionary()  # token -> LiveFeed, for as long as its tab's page keeps it
LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Shown:
    """What the page shows of the run, as its last run left it."""

    setup_id: str
    chosen: tuple | None
    lang: str
    hard: bool
    network: bool
    speed: int
    insides: bool = False  # "Inside the training" on: its snapshots are taken and sent
    space: Choice | None = None  # the hidden space's layer and axes, while the view shows it


class LiveFeed:
    def __init__(self, session, tab_id=None):
        self.session = session
        self.tab_id = tab_id  # its tab's Streamlit session: the socket stops with it (socket.py; None: never)
        self.token = secrets.token_urlsafe(24)  # the socket's only key to this tab: unguessable, never reused
        self.shown = None
        self.shown_run = None  # the trainer its page run showed: another (a rebuild, a reset) waits for the next
        self.version = 0
        self.number = 0  # the socket's frames of this version so far
        self.sent_step = None
        self.sent_mark = None  # where training stood in the last frame: the socket sends a paused run that moved
        self.listener = None  # the socket's: called when a page run shows a new version, to send a frame now
        self.socket = None  # the socket sending its frames (socket.py's Connection): one a tab, the newest
        self.tab_closed_at = None  # when its tab's Streamlit session was found disconnected (socket.watch_tabs)
        self.check = None  # the tab's task followed through its runs (a TaskCheck), or None: no task
        self.sent_card = None  # the task card as the socket last sent it in this version
        self.insides = None  # the run's snapshots for "Inside the training" (an Insides), while that is on
        self.sent_snapshot = None  # the number of the last snapshot the socket sent in this version
        self.space = HiddenSpace()  # its projection, eased from frame to frame while the view shows it
        FEEDS[self.token] = self

    @property
    def task(self):
        return self.check.task if self.check else None

    @task.setter
    def task(self, task):
        """The tab's task (playground.tasks.Task), or None, set by every page run: the same task keeps its check,
        and the epoch a run met it at."""
        if task != self.task:
            self.check, self.sent_card = (TaskCheck(task) if task else None), None

    def page_data(self, options, chosen, lang, speed, editable=True, space=SPACE_DEFAULTS):
        """What a page run sends the view (under the session's lock): the setup and a frame with every history
        row, from a whole grid pass when paused and a stripe while playing, as the socket's frames do (a page run
        at 8 × 256 stays quick). The socket's frames follow on from it. ``space``: the view's ``space_layer`` and
        ``space_axes``, which the hidden space, with its option on, shows as this network can."""
        session = self.session
        space_choice = choose(session.model.config["hidden_sizes"], *space)
        setup = frames.setup(session, options, session.playing, chosen, lang, editable, space_choice)
        self.show(
            Shown(
                setup["id"],
                chosen,
                lang,
                "hard_regions" in options,
                "show_network" in options,
                speed,
                "insides" in options,
                space_choice if "hidden_space" in options else None,
            )
        )
        frame = self._frame(GRID_SECONDS if session.playing else None, after_step=None)
        if self.check:
            frame["task"] = self._card()
        return {"frames": [frame | {"version": self.version, "number": 0}], "setup": setup}

    def show(self, shown):
        """A page run draws the view with ``shown``: a new version. The socket's next frame sends every history
        row, since the view may take it before the page run's (live.js), and it is sent at once: it reaches the
        browser before the page run's data, which Streamlit's frontend renders first."""
        self.shown, self.sent_step, self.shown_run, self.sent_mark = shown, None, self.session.trainer, self._mark()
        self.sent_card = self.sent_snapshot = None
        if not shown.insides:
            self.insides = None  # on again, it starts from then: what it missed is not there to show
        if shown.space is None:
            self.space = HiddenSpace()  # nothing kept of a run it no longer shows
        self.version += 1
        self.number = 0
        self.changed()

    def changed(self, wait=False):
        """The session changed (a page run showed it, or a control's callback made it): the socket sends a frame
        now, without training, which reaches the browser before the page run's data. ``wait``: until that frame
        is built and sent (at most a frame's time), so a callback's change goes out before the run that follows
        it takes the lock or makes the browser busy."""
        if self.listener:
            built = self.listener()
            if wait:
                built.wait(FRAME_SECONDS)

    def _mark(self):
        return self.session.trainer.step_count, len(self.session.history["step"])

    def moved(self):
        """Whether a frame is due: playing, or paused after steps no frame has shown (those trained just before
        a Pause, or a Step's epoch), so the view shows them without waiting for the page run."""
        return self.session.playing or self._mark() != self.sent_mark

    def next_frame(self, share=1.0, train=True):
        """Train for a frame's share of time and steps (not with ``train`` False: a page run has just shown a
        change, which the frame shows at once), and what it changed; paused, what moved since the last frame, or
        None. None too while the session runs a model its page has not shown yet. An unexpected error is logged
        and pauses the run with a message, as a divergence does: the page says it in its words."""
        session = self.session
        with session.lock:  # what the page shows read under it too: a page run may be changing it (``show``)
            shown = self.shown
            if shown is None or session.trainer is not self.shown_run or not self.moved():
                return None
            training = session.playing and train
            try:
                frame = self._trained_frame(share) if training else self._frame_since_last(share)
            except Exception:
                LOG.exception("unexpected error in the live feed")
                session.playing, session.message = False, Message(UNEXPECTED)
                frame = {"stopped": True, "failed": True}
            if frame is None:
                return None
            self.number += 1
            # ``now``: the view draws it at once, as it draws a page run's frame, rather than after those queued. A
            # frame that did not train shows a change: a page run's, or a Pause or Step that took the lock before
            # its callback could ask for the frame
            order = {"setupId": shown.setup_id, "version": self.version, "number": self.number}
            return frame | order | {"now": not training}

    def _trained_frame(self, share):
        session, shown = self.session, self.shown
        session.train_for(TRAIN_SECONDS * share, max_steps=session.steps_allowed(shown.speed))
        if session.hurry:  # a page run waits for the lock: it goes first, its frame shows what changed
            return None
        frame = self._frame_since_last(share, hover=self.number % HOVER_EVERY == 0)
        if not session.playing:  # it diverged or reached a target: the page says why
            frame["stopped"] = True
        return frame

    def _frame_since_last(self, share=1.0, hover=True):
        """A socket frame: what changed since the last one sent, remembered as sent."""
        frame = self._frame(GRID_SECONDS * share, self.sent_step, hover=hover)
        self.sent_step, self.sent_mark = self.session.history["step"][-1], self._mark()
        if self.insides is not None:
            self.sent_snapshot = self.insides.last_number()
        if self.check:
            card, sent = self._card(), self.sent_card
            changed = card if sent is None else {key: value for key, value in card.items() if value != sent[key]}
            if changed:
                frame["task"] = changed
            self.sent_card = card
        return frame

    def _card(self):
        """The task card as the view draws it, in the page's language (see ``task_card``)."""
        return task_card(self.check.task, self.check.status(self.session), self.shown.lang)

    def _frame(self, grid_seconds, after_step, hover=True):
        """The session as ``shown`` shows it, after a grid pass of ``grid_seconds`` (None: all of it), with the
        history rows after ``after_step``."""
        session, shown = self.session, self.shown
        neurons = frames.drawn_neurons(session.model, shown.chosen)  # the maps of the others are not kept
        probabilities, hidden = session.grid_pass(shown.network, grid_seconds, neurons)
        frame = frames.frame(
            session,
            probabilities,
            hidden if shown.network else None,
            shown.chosen,
            shown.lang,
            after_step,
            shown.hard,
            hover=hover,
            insides=self._insides(after_step) if shown.insides else None,
        )
        # playing, the projection moves a step (a frame the space is not due in leaves its last picture; a version's
        # first, which may follow a new setup, always has it); paused, it shows the fit as it is
        if shown.space is not None and self.space.due(session.playing and after_step is not None):
            grid = np.array(frames.grid_extent(session))
            frame["space"] = frames.space_frame(*self.space.coordinates(session, shown.space, grid, session.playing))
        return frame

    def _insides(self, after_step):
        """The new snapshots of "Inside the training" (all of them with ``after_step`` None, as the rows), after
        one taken now if the history has a new row and one is due, or paused (not in slow motion: its stages show
        the step's own values)."""
        session = self.session
        if self.insides is None or self.insides.trainer is not session.trainer:
            self.insides = Insides(session.trainer, session.model, session.features_train)
        if session.slow_step is None and (not session.playing or self.insides.due()):  # paused: the last epoch too
            self.insides.update(session.history)
        return frames.insides_frame(self.insides, None if after_step is None else self.sent_snapshot)


def task_card(task, status, lang):
    """A task (playground.tasks.Task) and its ``status`` (a TaskStatus) as the view's card shows them (task.js), in
    ``lang``: a teacher's text and answer as written, a lesson's translated; each goal, met or with what is missing;
    the epoch it was met at, or None."""

    def said(text):
        return tr(text, lang) if isinstance(text, Message) else text

    return {
        "title": tr("Task", lang),
        "text": said(task.text),
        "answer": said(task.answer),
        "answerLabel": tr("Show the answer", lang),
        "marks": [tr("not met yet:", lang), tr("met:", lang)],
        "goals": [[said(goal.goal), goal.met, said(goal.missing) if goal.missing else ""] for goal in status.goals],
        "met": None if status.met_epoch is None else tr("Met at epoch {epoch:,}", lang, epoch=status.met_epoch),
    }


def drawing_tabs():
    """How many tabs share the server's frames: those playing whose socket is open and drawing. One with no socket,
    or whose page does not take its frames, or whose browser has gone, gets no frames, and no share."""
    return sum(
        1 for feed in list(FEEDS.values()) if feed.session.playing and feed.socket is not None and feed.socket.drawing()
    )


def playing_share(tabs):
    """A playing tab's share of a frame's full training and grid pass when ``tabs`` draw: 1 up to FULL_SHARE_TABS,
    less beyond, so that a frame's work shrinks as more tabs play and their frames keep coming (``frame_seconds``)."""
    return min(1.0, FULL_SHARE_TABS / max(tabs, 1))


def frame_seconds(tabs, cost):
    """The time between a playing tab's frames when ``tabs`` draw and each of its frames takes ``cost`` seconds of
    CPU: FRAME_SECONDS at least, and each tab an even part of FRAME_CORES, so that all the tabs' frames together
    take no more of the server however many play, at whatever settings; a tab whose frames cost more (a bigger
    network) gets fewer of them, not more of the server."""
    return max(FRAME_SECONDS, max(tabs, 1) * cost / FRAME_CORES)
