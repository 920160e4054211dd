"""The chapter 1 lab page: the chapter's steps made interactive, each beside the nnlib code that computes it."""

import inspect

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from playground import lab
from playground.charts import CLASS_COLORS
from playground.links import language_query, slow_motion_query
from playground.ui.language import write_link
from playground.ui.page import playground_page
from playground.ui.text import alert, lang, shielded, t

# Streamlit's syntax colours are too light on its code background (2.2 to 3.6 : 1): the same hues, darkened to at
# least 4.7 : 1 on #f7f7f6, in the light scheme only (the dark one keeps Streamlit's light-on-dark colours)
CODE_COLOURS = """<style>
@media (prefers-color-scheme: light) {
  .stCode .token.keyword, .stCode .token.tag, .stCode .token.function, .stCode .token.class-name { color: #0068c9; }
  .stCode .token.string, .stCode .token.char, .stCode .token.attr-value { color: #177233; }
  .stCode .token.boolean, .stCode .token.constant, .stCode .token.symbol { color: #1e7b3a; }
  .stCode .token.number, .stCode .token.regex { color: #12756a; }
  .stCode .token.operator, .stCode .token.entity, .stCode .token.decorator { color: #b04a00; }
  .stCode .token.punctuation, .stCode .token.comment { color: #5c5f6b; }
  .stCode .token.attr-name, .stCode .token.property, .stCode .token.variable { color: #006a8a; }
  .stCode .token.important, .stCode .token.deleted { color: #b3261e; }
}
</style>"""


def step(title, text, function):
    """A step's heading, what it shows, and the source of the function that computes it, its lines wrapped: a
    block that scrolls sideways cannot be read on a phone, nor reached by the keyboard."""
    st.subheader(t(title))
    st.markdown(t(text))
    with st.expander(t("The nnlib code of this step"), expanded=True):
        st.code(inspect.getsource(function), language="python", wrap_lines=True)


def on_the_live_network(stage):
    """A link to the step above done by the playground's own network: its next training step in slow motion, shown
    at ``stage`` (one of step_stages.STAGES), the same layers' code beside real numbers."""
    st.page_link(
        st.Page(playground_page, default=True),  # the page app.py registers, found by its function's name
        label=t("See this on the live network"),
        icon=":material/slow_motion_video:",
        query_params=slow_motion_query(stage, lang()),
    )


def matrix_product():
    step(
        "1 · The shape of a matrix product",
        "`np.dot(x, W)` needs x's columns to equal W's rows; the product then has x's rows and W's columns.",
        lab.matrix_product,
    )
    rows, inner_x, inner_w, columns = st.columns(4)
    result = lab.matrix_product(
        rows.number_input(t("rows of x"), 1, 100, 10, key="lab_rows"),
        inner_x.number_input(t("columns of x"), 1, 100, 2, key="lab_inner_x"),
        inner_w.number_input(t("rows of W"), 1, 100, 2, key="lab_inner_w"),
        columns.number_input(t("columns of W"), 1, 100, 4, key="lab_columns"),
    )
    if result["error"]:
        alert("error", t("np.dot refuses: {reason}", reason=result["error"]))
    else:
        alert("success", t("x · W has shape {shape}", shape=result["shape"]))


def broadcasting():
    step(
        "2 · Broadcasting",
        "Adding a bias `b` of shape (H,) to `x` of shape (N, H) adds it to every row: NumPy "
        "acts as if `b` were repeated N times.",
        lab.broadcasting,
    )
    rows = st.slider(t("rows of x"), 1, 6, 3, key="lab_broadcast_rows")
    result = lab.broadcasting(rows, 4)
    for column, name in zip(st.columns(4), ("x", "b", "b repeated", "x + b")):
        column.markdown(f"`{name}` {result[name].shape}")
        column.dataframe(pd.DataFrame(result[name].reshape(-1, 4)), hide_index=True)


def forward_pass():
    step(
        "3 · Forward: Affine → Sigmoid → Affine",
        "A mini-batch of points becomes hidden activations, then one score per class and point.",
        lab.forward_pass,
    )
    batch, hidden = st.columns(2)
    result = lab.forward_pass(
        batch.slider(t("batch size"), 1, 30, 10, key="lab_batch"),
        hidden.slider(t("hidden neurons"), 1, 20, 4, key="lab_hidden"),
    )
    st.markdown(" → ".join(f"`{name}` {result[name].shape}" for name in ("x", "h", "a", "s")))
    columns = [t("class {label}", label=label) for label in range(result["s"].shape[1])]
    st.dataframe(pd.DataFrame(result["s"], columns=columns).head(5))
    on_the_live_network("forward")


def node_gradients():
    step(
        "4 · Backward through Repeat, Sum and MatMul",
        "Each node's `backward` against the numerical gradient (central differences): they agree to about 1e-10.",
        lab.node_gradients,
    )
    errors = lab.node_gradients()
    st.dataframe(
        pd.DataFrame({t("worst relative error"): [f"{error:.1e}" for error in errors.values()]}, index=list(errors))
    )
    on_the_live_network("backward")


def softmax_with_loss():
    step(
        "5 · The gradient of Softmax with Loss",
        "Softmax and cross-entropy together: the gradient is just (y − t) / N.",
        lab.softmax_with_loss_gradient,
    )
    result = lab.softmax_with_loss_gradient()
    left, right = st.columns(2)
    left.markdown(t("`(y − t) / N` (backward)"))
    left.dataframe(pd.DataFrame(result["(y − t) / N"]).round(6))
    right.markdown(t("numerical"))
    right.dataframe(pd.DataFrame(result["numerical"]).round(6))
    st.markdown(
        t("loss {loss:.4f} · worst relative error {error:.1e}", loss=result["loss"], error=result["relative error"])
    )
    on_the_live_network("backward")


def sgd_step():
    step("6 · One SGD step", "`W ← W − lr · dL/dW` on the book's TwoLayerNet and 30 spiral points.", lab.sgd_step)
    result = lab.sgd_step(st.select_slider(t("learning rate"), [0.1, 0.3, 1.0, 3.0, 10.0], 1.0, key="lab_lr"))
    st.markdown(
        t(
            "loss before **{before:.4f}** → after **{after:.4f}**",
            before=result["loss before"],
            after=result["loss after"],
        )
    )
    on_the_live_network("update")


# each net of step 7 by the activation of its hidden layer, as the legend names it
HIDDEN_ACTIVATIONS = {"softmax": "Softmax in the hidden layer", "sigmoid": "Sigmoid in the hidden layer"}


@st.cache_data(max_entries=8)
def _mistake(epochs, seed):
    return lab.hidden_softmax_mistake(epochs, seed)


def hidden_softmax():
    step(
        "7 · The classic mistake: Softmax as a hidden activation",
        "Its outputs sum to 1, so ten neurons start out "
        "all near 0.1 and pass the next layer almost nothing to tell the points apart: the loss sits at ln 3 ≈ 1.10 "
        "for some thirty epochs. The same net with Sigmoid, same seed, leaves that plateau in less than half the "
        "time.",
        lab.hidden_softmax_mistake,
    )
    seed = st.number_input(t("seed"), 0, 2**31 - 1, 1984, key="lab_seed")
    losses = _mistake(300, seed)
    figure = go.Figure()
    for (name, values), color in zip(losses.items(), CLASS_COLORS):
        figure.add_trace(go.Scatter(y=values, name=t(HIDDEN_ACTIVATIONS[name]), line={"color": color, "width": 2}))
    figure.update_layout(
        xaxis_title=t("epoch"),
        yaxis_title=t("loss"),
        height=320,
        margin={"t": 20, "b": 40},
        legend={"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0},  # below: off the curves and the toolbar
    )
    st.plotly_chart(figure, key="lab_mistake")
    stuck = {name: lab.epochs_stuck(values) for name, values in losses.items()}
    st.markdown(t("Loss above 1.05 for **{softmax} epochs** with Softmax, **{sigmoid}** with Sigmoid.", **stuck))


@shielded
def lab_page():
    write_link(language_query(lang()))
    st.html(CODE_COLOURS)
    st.markdown(t("### Chapter 1 lab"))
    # plain text, not a caption: a caption's grey is 3.9 : 1 on white, too faint to read
    st.markdown(t("The steps of the book's chapter 1, each computed by nnlib as you change it."))
    for section in (
        matrix_product,
        broadcasting,
        forward_pass,
        node_gradients,
        softmax_with_loss,
        sgd_step,
        hidden_softmax,
    ):
        section()
        st.divider()
