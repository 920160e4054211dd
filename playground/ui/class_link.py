"""Make a link for my class: a teacher chooses what students may change (each control free, locked or hidden),
writes a task if they like, and copies the link, or an embed snippet for a web page. The link opens the page as it
is now (``tab.page_link``) with those flags and that task (``links.access_query``, ``tasks.task_query``)."""

import html
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from playground.i18n import LANGUAGES, Message, tr
from playground.links import CONTROLS
from playground.settings import FEATURES, MAX_HIDDEN_LAYERS, Access
from playground.tasks import TEXT_CHARS, Task, counted_from
from playground.ui.tab import link_query, locks, tab_access
from playground.ui.text import alert, labels_of, lang, t

# each control by the words its widget shows (the same texts, so the same translations)
CONTROL_LABELS = {
    "data": "Data set",
    "classes": "Classes",
    "points": "Points per class",
    "noise": "Noise",
    "train": "Training data (%)",
    "seed": "Seed",
    "features": "Input features",
    "hidden": "Hidden layers",
    "activation": "Activation",
    "acts": "Activation per layer",
    "init": "Weight init",
    "reg": "Regularization",
    "reg_rate": "Rate",
    "dropout": "Dropout",
    "optimizer": "Optimizer",
    "lr": "Learning rate",
    "momentum": "Momentum",
    "decay": "Decay rate",
    "beta1": "β1",
    "beta2": "β2",
    "batch": "Batch size",
    "schedule": "Rate schedule",
    "sched_epochs": "N epochs",
    "stop_epoch": "Stop at epoch",
    "stop_loss": "Stop at loss",
    "precision": "Precision",
    "speed": "Speed (steps/s)",
    "view": "View",
    "space_layer": "Hidden space: layer",
    "space_axes": "Hidden space: axes",
    "test": "Test points",
    "hard": "Hard regions",
    "log": "Log-scale loss",
    "network": "Network",
    "insides": "Inside the training",
    "space": "Hidden space",
    "play": "Play",
    "epoch": "Epoch",
    "step": "Step",
    "slow": "Slow motion",
    "reset": "Reset",
    "pin": "Pin this run",
    "export": "Export and import",
    "upload": "Upload",
    "lab": "Chapter 1 lab",
    "lessons": "Lessons",
    "inside": "Look inside",
    "edit": "Your data",
    "weights": "Set a weight by hand",
    "teacher": "Make a link for my class",
}
EMBED_HEIGHT = 900  # px: the run bar, the charts and the network at a laptop's width


def class_link_button():
    """The button that opens the dialog, at the foot of the sidebar."""
    st.button(
        t("Make a link for my class"),
        key="class_link",
        icon=":material/share:",
        on_click=lambda: CLASS_LINK_DIALOGS[lang()](),
        disabled=locks("teacher"),
        width="stretch",
        help=t("Choose what students may change, add a task, and copy the link or an embed snippet."),
    )


def class_link_dialog():
    access = chosen_access(tab_access())
    task = chosen_task(st.session_state.get("task"))
    state = st.session_state
    # the students' phones, not the teacher's projector: no presenter mode
    query = link_query(state.session.settings, state.shown, access, task, presenting=False)
    link = link_to(query)
    st.markdown(t("**The link** (the copy button is at its right):"))
    st.code(link, language=None, wrap_lines=True)
    st.markdown(t("**To embed it in a web page:**"))
    st.code(embed_snippet(link), language="html", wrap_lines=True)
    st.caption(
        t(
            "A teaching aid, not access control: a student can remove the flags from the link. The page opens "
            "with the settings as they are now."
        )
    )


# a dialog's title is fixed when it is declared, and names it to a screen reader: one dialog in each language
CLASS_LINK_DIALOGS = {
    language: st.dialog(tr("Make a link for my class", language), width="large")(class_link_dialog)
    for language in LANGUAGES
}


def chosen_access(access):
    """The controls students see locked, and those they do not see at all, each a list to pick from (a keyboard
    and a screen reader can use them, as they cannot a grid); they start from the tab's own link. Hidden wins over
    locked."""
    locked = st.multiselect(
        t("Locked: shown with its value, not to be changed"),
        CONTROLS,
        default=sorted(access.locked, key=CONTROLS.index),
        format_func=labels_of(CONTROL_LABELS),
        key="class_link_locked",
    )
    hidden = st.multiselect(
        t("Hidden: not shown, its value stays in force"),
        CONTROLS,
        default=sorted(access.hidden, key=CONTROLS.index),
        format_func=labels_of(CONTROL_LABELS),
        key="class_link_hidden",
    )
    return Access(hidden=frozenset(hidden), locked=frozenset(locked))


def chosen_task(task):
    """The task's text, answer and goals, from the tab's own task; None where nothing is written or set."""
    task = task or Task("")
    text = st.text_area(t("Task (optional)"), own_text(task.text), max_chars=TEXT_CHARS, key="class_link_task")
    answer = st.text_input(t("Answer, revealed on request"), own_text(task.answer), max_chars=TEXT_CHARS)
    accuracy, loss, epochs = st.columns(3)
    goal_acc = accuracy.number_input(
        t("Test accuracy at least (%)"), 0, 100, round((task.goal_acc or 0) * 100), help=t("0: no such goal.")
    )
    goal_loss = loss.number_input(t("Test loss at most"), 0.0, 10.0, task.goal_loss or 0.0, help=t("0: no such goal."))
    within = epochs.number_input(t("By epoch"), 0, 1_000_000, task.within or 0, help=t("0: no such goal."))
    since, neurons, layers = st.columns(3)
    from_epoch = since.number_input(
        t("From epoch"),
        0,
        1_000_000,
        task.from_epoch or 0,
        help=t(
            "The goals count from this epoch on: a loss reached early and lost again does not meet them. 0: from "
            "the start."
        ),
    )
    max_neurons = neurons.number_input(
        t("Hidden neurons at most"), 0, MAX_HIDDEN_LAYERS * 256, task.max_neurons or 0, help=t("0: no such goal.")
    )
    max_layers = layers.selectbox(
        t("Hidden layers at most"),
        [None, *range(MAX_HIDDEN_LAYERS + 1)],
        index=0 if task.max_layers is None else task.max_layers + 1,
        format_func=lambda count: t("no such goal") if count is None else str(count),
    )
    only = st.pills(t("Only these input features"), FEATURES, selection_mode="multi", default=list(task.only or ()))
    goals = {
        "goal_acc": goal_acc / 100 or None,
        "goal_loss": goal_loss or None,
        "within": within or None,
        "from_epoch": from_epoch or None,
        "max_neurons": max_neurons or None,
        "max_layers": max_layers,
        "only": tuple(name for name in FEATURES if name in only) or None,
    }
    task, dropped = counted_from(Task(text.strip(), answer.strip(), **goals))
    for notice in dropped:  # a From epoch with no goal to count, or past By epoch: the link leaves it out
        alert("warning", t(notice))
    return task if task.text or task.has_goals else None


def own_text(text):
    """A task's text as the teacher may edit it: a built-in lesson's (a Message, itself a str in English) in the
    page's language."""
    return t(text) if isinstance(text, Message) else text


def link_to(query):
    """The playground's address (where this page is served) with ``query``."""
    scheme, netloc, path, _, _ = urlsplit(st.context.url)
    return urlunsplit((scheme, netloc, path or "/", urlencode(query), ""))


def embed_snippet(link):
    """An iframe of the page in Streamlit's embedded mode (no header, no menu), for a school's own web page."""
    source = html.escape(link + ("&" if "?" in link else "?") + "embed=true", quote=True)
    return (
        f'<iframe src="{source}" title="{html.escape(t("Spiral playground"))}" width="100%" height="{EMBED_HEIGHT}" '
        'style="border: 0" allow="clipboard-write"></iframe>'
    )
