"""What the page shows below the live view: the neuron picker, and while paused the look inside the model,
the point editor and the pinned runs."""

import pandas as pd
import streamlit as st

from nnlib.datasets import MAX_CLASSES
from playground import export, network, pins
from playground.charts import compare_curves
from playground.i18n import Message
from playground.settings import PRECISIONS
from playground.ui.callbacks import unpin_run, use_edited_points
from playground.ui.sidebar import available_precisions
from playground.ui.tab import shows
from playground.ui.text import labels_of, lang, t

MAX_EDITED_POINTS = 6_000  # the largest generated data set; an uploaded CSV may hold up to 100,000
SAMPLE_POINTS = 1_000  # shown of a data set too large to edit in the page
NETWORK_COLUMNS = [2.7, 1.3]  # the diagram, and one neuron's map large


def chosen_neuron(session):
    """The hidden neuron shown large, as (layer, index), kept valid for the current network; None without one.

    Kept under a key of its own: Streamlit drops the picker's state whenever the network view is off."""
    state = st.session_state
    neurons = dict(network.hidden_neurons(session.model.config["hidden_sizes"]))
    if not neurons:
        return None
    state.chosen_neuron = state.get("neuron", state.get("chosen_neuron"))
    if state.chosen_neuron not in neurons:
        state.chosen_neuron = next(iter(neurons))
    state.neuron = state.chosen_neuron
    return state.chosen_neuron


def network_legend(slow):
    """What the diagram's links and nodes show: the weights and each neuron's map, or in slow motion (``slow``) the
    stage's numbers, which step.js draws in their place."""
    if slow is None or slow.stage_name == "batch":
        return t(
            "Links: blue positive, orange negative weights, thicker when larger. Each neuron's picture: "
            "its output over the input plane, blue high, orange low."
        )
    return {
        "forward": t(
            "Links: blue positive, orange negative weights, thicker when larger. Each node: its value for the ringed "
            "point."
        ),
        "backward": t(
            "Links: each weight's gradient dL/dW over the mini-batch, blue positive, orange negative, thicker when "
            "larger. Each node: the gradient dout arriving there for the ringed point."
        ),
        "update": t(
            "Links: how much this step changed each weight, blue up, orange down, thicker when larger. Hover over "
            "a link for its weight before and after and the optimizer's state."
        ),
    }[slow.stage_name]


def panel(label, key):
    """An expander below the chart, open or closed as last left: its id includes its label, so after a language switch
    it is a new expander, which starts as ``expanded`` says (the old one's state, still under ``key``)."""
    return st.expander(label, key=key, expanded=st.session_state.get(key, False), on_change="rerun")


def neuron_picker(session):
    """Below the live view, outside the ticking fragment: a widget there would be redrawn on every tick."""
    neurons = dict(network.hidden_neurons(session.model.config["hidden_sizes"], lang()))
    legend, picker = st.columns(NETWORK_COLUMNS, vertical_alignment="center")
    legend.caption(network_legend(session.slow_step))
    if chosen_neuron(session) is None:
        picker.caption(t("A linear model has no hidden neurons: its regions are cut by straight lines."))
    else:
        picker.selectbox(
            t("Neuron shown large"),
            list(neurons),
            format_func=neurons.get,
            key="neuron",
            help=t("Its output over the input plane, with values."),
        )


def edit_points(session):
    """The points as a table to change, extend or cut down, then train on: your own data, or a variation."""
    with panel(t("Your data: click to add points, or edit them in a table"), "your_data") as expander:
        classes = session.data.classes
        st.pills(  # drawn closed too: a click on the regions adds a point of its class
            t("Click the regions chart to add a point of class"),
            list(range(min(classes + 1, MAX_CLASSES))),
            format_func=labels_of({classes: Message("{label} (new)", label=classes)}, default=str),
            key="add_class",
            help=t(
                "Each click adds a point where it falls and trains afresh on the points: they become your data "
                "set. Choose the class again to stop adding."
            ),
        )
        if not expander.open:  # the table is drawn once opened: its code would delay the page's first picture
            return
        frame = export.points_frame(session.data.points, session.data.labels)
        if len(frame) > MAX_EDITED_POINTS:  # a table of 100,000 rows took the browser 16 s to show
            st.caption(
                t(
                    "The first {shown:,} of {count:,} points. To change them, download them as CSV under Export "
                    "and import, edit the file and upload it.",
                    shown=SAMPLE_POINTS,
                    count=len(frame),
                )
            )
            st.dataframe(frame.head(SAMPLE_POINTS), height=300)
            return
        st.caption(
            t(
                "Or change a cell, add a row at the bottom, or select rows and delete them; labels are whole "
                "numbers from 0. Then train on the table: it becomes the uploaded data set."
            )
        )
        edited = st.data_editor(
            frame,
            num_rows="dynamic",
            key="points_editor",
            height=300,
            column_config={"label": st.column_config.NumberColumn("label", min_value=0, max_value=9, step=1)},
        )
        st.button(
            t("Train on these points"),
            key="use_points",
            on_click=use_edited_points,
            args=(edited,),
            help=t("Fresh weights from the seed, on the points in the table."),
        )


def confusion_table(counts):
    """Rows named by the true class, columns by the bare predicted one: narrow enough for six classes side by side
    at 1280 pixels (the caption above says which is which)."""
    classes = range(len(counts))
    return pd.DataFrame(
        counts,
        index=[t("true class {label}", label=label) for label in classes],
        columns=[str(label) for label in classes],
    )


def confusion_matrices(session):
    st.caption(
        t(
            "Confusion matrices: a row for each true class, a column for each class predicted; the diagonal "
            "counts the points classified right."
        )
    )
    train, test = st.columns(2)
    train.markdown(t("**Training points**"))
    train.dataframe(confusion_table(session.confusion_matrix("train")))
    test.markdown(t("**Test points**"))
    test.dataframe(confusion_table(session.confusion_matrix("test")))


def look_inside(session):
    """Confusion matrices, a gradient check and the speed of each precision, shown while paused (while playing
    they would slow every tick)."""
    with panel(t("Look inside: confusion matrices, gradient check, precision"), "look_inside") as expander:
        if not expander.open:  # drawn when opened: its tables' code would delay the page's first picture
            return
        if session.settings.regression:
            st.caption(t("A regression has no classes to confuse: its R² and RMSE are on the status line."))
        else:
            confusion_matrices(session)
        gradients, precision = st.columns(2)
        gradients.markdown(t("**Gradient check**"))
        if gradients.button(
            t("Compare with numerical gradients"),
            key="gradient_check",
            help=t("Backpropagation against central differences on 20 training points."),
        ):
            errors = session.gradient_check()
            verdicts = [t("agrees") if error < 1e-5 else t("check") for error in errors.values()]
            worst = [f"{error:.1e}" for error in errors.values()]
            table = pd.DataFrame({t("worst relative error"): worst, t("verdict"): verdicts}, index=list(errors))
            gradients.dataframe(table)
        precision.markdown(t("**Precision**"))
        timing = t("Trains a copy of this network in each for 0.2 s; the run is untouched.")
        if precision.button(t("Time each precision"), key="precision_speeds", help=timing):
            speeds = session.precision_speeds(available_precisions())
            precision.dataframe(
                pd.DataFrame(
                    {t("steps/s"): [f"{speed:,.0f}" for speed in speeds.values()]},
                    index=[t(PRECISIONS[name]) for name in speeds],
                )
            )


def pinned_runs(pinned):
    """The pinned runs' curves on one chart, their final metrics, and each one's weights to download."""
    names = pins.labels(pinned, lang())
    st.markdown(t("#### Pinned runs ({count} of {limit})", count=len(pinned), limit=pins.MAX_PINNED))
    st.plotly_chart(compare_curves(pinned, names, shows("log_loss"), lang()), key="compare")
    st.dataframe(
        pins.metrics_table(pinned, lang()),
        column_config={
            "_index": st.column_config.TextColumn(width="large"),  # the run's name, whole
            **{t(name): st.column_config.NumberColumn(format="%.4f") for name in ("train loss", "test loss")},
            **{t(name): st.column_config.NumberColumn(format="%.3f") for name in ("train R²", "test R²")},
            **{
                t(name): st.column_config.NumberColumn(format="percent") for name in ("train accuracy", "test accuracy")
            },
        },
    )
    for run in pinned:
        pinned_run_row(run, names[run.number])


def pinned_run_row(run, name):
    """A pinned run's name, then its buttons at their words' width (no fixed share of the row cuts them), wrapping
    below the name where the row is narrow."""
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.markdown(name, width="stretch")
        st.download_button(
            t("Weights (.npz)"),
            run.weights,
            f"run-{run.number}.npz",
            key=f"pin_download_{run.number}",
            on_click="ignore",
            help=t("This run's weights as they were when pinned."),
        )
        st.button(t("Unpin"), key=f"unpin_{run.number}", on_click=unpin_run, args=(run.number,))
