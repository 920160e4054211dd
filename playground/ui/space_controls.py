"""The hidden space's controls, below the live view while it shows the space: which hidden layer, and on which
axes (its first two principal components, or two of its neurons). Their values are the view's (``View.space_layer``
and ``View.space_axes``, in the link), kept under keys of their own that a change copies them to: Streamlit drops a
widget's state while it is not drawn, and the view's values stay as the link set them, however far past this
network they reach (``space.choose`` keeps what is shown to it)."""

import streamlit as st

from playground.session import space
from playground.settings import PCA
from playground.ui.tab import hides, locks
from playground.ui.text import labels_of, t

NEURONS = "neurons"  # the axes widget's other option: two neurons, chosen in two more
AXES_LABELS = {PCA: "Principal components", NEURONS: "Two neurons"}
LAST = {0: "The last"}  # space_layer 0: the last hidden layer, whatever the depth


def space_controls(session):
    """The layer and the axes, small, side by side; a link may hide or lock either (``space_layer``,
    ``space_axes``). Nothing without hidden layers: the view says there is none to show."""
    shown = st.session_state.shown
    choice = space.choose(session.model.config["hidden_sizes"], shown.space_layer, shown.space_axes)
    if choice is None:
        return
    with st.container(key="space_controls", horizontal=True, gap="small"):
        if not hides("space_layer"):
            layer_control(len(session.model.config["hidden_sizes"]))
        if not hides("space_axes"):
            axes_control(choice)


def layer_control(layers):
    state = st.session_state
    state.space_layer_pick = min(state.shown.space_layer, layers)
    st.selectbox(
        t("Hidden space: layer"),
        range(layers + 1),
        format_func=labels_of(LAST, default=lambda layer: t("Hidden layer {layer}", layer=layer)),
        key="space_layer_pick",
        on_change=lambda: setattr(state, "space_layer", state.space_layer_pick),
        disabled=locks("space_layer"),
        width=200,
        help=t("The hidden layer whose outputs the hidden space shows."),
    )


def axes_control(choice):
    """PCA or two neurons, and with two neurons (of a layer wider than one) which go across and up."""
    state = st.session_state
    locked = locks("space_axes")
    state.space_mode_pick = PCA if choice.neurons is None else NEURONS
    st.selectbox(
        t("Hidden space: axes"),
        list(AXES_LABELS),
        format_func=labels_of(AXES_LABELS),
        key="space_mode_pick",
        on_change=lambda: setattr(state, "space_axes", PCA if state.space_mode_pick == PCA else "1,2"),
        disabled=locked,
        width=200,
        help=t(
            "Principal components: the two directions along which the training points' outputs spread most, "
            "refitted slowly as the network learns. Two neurons: their outputs, as they are."
        ),
    )
    if choice.neurons is None or choice.width == 1:
        return
    state.space_across_pick, state.space_up_pick = (neuron + 1 for neuron in choice.neurons)
    for key, label in (("space_across_pick", "Across"), ("space_up_pick", "Up")):
        st.selectbox(
            t(label),
            range(1, choice.width + 1),
            format_func=lambda neuron: t("neuron {neuron}", neuron=neuron),
            key=key,
            on_change=lambda: setattr(state, "space_axes", f"{state.space_across_pick},{state.space_up_pick}"),
            disabled=locked,
            width=130,
        )
