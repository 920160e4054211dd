"""Below the live view while a training step plays in slow motion: the stage on show in words, in its numbers and
in the nnlib code that computed it, as the lab page shows its steps beside their code. Every number is read from
the stage's data (``SlowStep.data``, playground/session/step_stages.py), none computed again here."""

import textwrap

import numpy as np
import streamlit as st

from playground.session.step_stages import STAGES, target
from playground.ui.text import t

SHOWN_VALUES = 5  # of a long vector (a 256-wide layer's dout): its first values, then how many more

STAGE_NAMES = {
    "batch": "The mini-batch",
    "forward": "Forward",
    "backward": "Backward: the gradients",
    "update": "Update",
}
STAGE_TEXTS = {
    "batch": "A training step starts from a mini-batch: a few of the training points, taken in turn from a shuffled "
    "order. The whole step, forward, backward and update, uses these points alone.",
    "forward": "The batch goes through the layers one after another, each layer's `forward` turning its input into "
    "its output. At the end Softmax turns each point's scores into probabilities, and the cross-entropy loss says "
    "how far they are from the points' classes.",
    "backward": "Backpropagation goes the other way, from the loss back to the first layer: each layer's `backward` "
    "takes the gradient of the loss with respect to its output (`dout`), passes back the gradient with respect to "
    "its input, and keeps the gradients of its weights (`dW`) and biases (`db`) on the way.",
    "update": "The optimizer moves every weight a little against its gradient, so that the loss on this batch goes "
    "down. This is the only stage that changes the network.",
}
# a regression's own words where a classifier's speak of classes: its last layer is IdentityWithLoss
REGRESSION_STAGE_TEXTS = STAGE_TEXTS | {
    "forward": "The batch goes through the layers one after another, each layer's `forward` turning its input into "
    "its output. The last Affine's output is each point's prediction as it is (the identity), and the squared error "
    "loss says how far the predictions are from the points' values.",
}
# each optimizer's rule (as its nnlib ``update`` computes it) and what it does in words, with its numbers
UPDATE_RULES = {
    "SGD": ("W ← W − lr·dW", "Each weight moves against its gradient, by lr = {lr} times it."),
    "Momentum": (
        "v ← momentum·v − lr·dW;  W ← W + v",
        "Each weight keeps a velocity v that remembers its past moves (momentum = {momentum}) and moves by it; "
        "lr = {lr}.",
    ),
    "Nesterov": (
        "v ← momentum·v − lr·dW;  W ← W + momentum²·v − (1 + momentum)·lr·dW",
        "Momentum that looks ahead: each weight moves to where its velocity is taking it (momentum = {momentum}); "
        "lr = {lr}.",
    ),
    "AdaGrad": (
        "h ← h + dW·dW;  W ← W − lr·dW / (√h + 1e-7)",
        "h sums each weight's squared gradients, so a weight that has moved a lot takes smaller steps; lr = {lr}.",
    ),
    "RMSprop": (
        "h ← decay_rate·h + (1 − decay_rate)·dW·dW;  W ← W − lr·dW / (√h + 1e-7)",
        "AdaGrad whose h forgets old gradients (decay_rate = {decay_rate}), so learning never stops; lr = {lr}.",
    ),
    "Adam": (
        "m ← m + (1 − beta1)·(dW − m);  v ← v + (1 − beta2)·(dW² − v);  "
        "W ← W − lr·√(1 − beta2^iter) / (1 − beta1^iter)·m / (√v + 1e-7)",
        "m is a running mean of each weight's gradient (beta1 = {beta1}) and v of its square (beta2 = {beta2}); "
        "both start at 0, which the factor with iter = {iter}, the optimizer's step count, corrects; lr = {lr}.",
    ),
}


def number(value):
    """4 significant digits: enough to follow a number from stage to stage, short enough to read."""
    return f"{value:.4g}"


def vector(values, form=number):
    """A short row, ``[0.3347, 0.3271, 0.3381]``, or a long one's first values and how many more."""
    shown = [form(value) for value in values[:SHOWN_VALUES]]
    if len(values) > SHOWN_VALUES:
        shown.append(t("… {count} more", count=len(values) - SHOWN_VALUES))
    return f"[{', '.join(shown)}]"


def graph(data):
    """The forward stage's shapes for the whole batch as the book's computational graph writes them, each layer
    between its input and its output: ``30×2 → Affine → 30×10 → Sigmoid → 30×10 → Affine → 30×3``."""
    shapes = [data["input"]["shape"], *(layer["shape"] for layer in data["layers"])]
    names = [layer["name"] for layer in data["layers"]]
    steps = [f"{shape[0]}×{shape[1]}" for shape in shapes]
    return " → ".join(part for pair in zip(steps, names) for part in pair) + f" → {steps[-1]}"


def book_names(layers):
    """Each layer named as the book's networks name them, its kind and a count from 1: Affine1, Sigmoid1, Affine2."""
    seen = {}
    names = []
    for layer in layers:
        seen[layer["name"]] = seen.get(layer["name"], 0) + 1
        names.append(f"{layer['name']}{seen[layer['name']]}")
    return names


def largest(array):
    """The entry of ``array`` largest in size and where it is, (value, row, column) of a matrix, (value, index) of a
    vector: the link or bias a summary points to."""
    where = np.unravel_index(np.argmax(np.abs(array)), array.shape)
    return array[where], *map(int, where)


def chosen_point(slow, data):
    """The chosen point's (x1, x2) and class (a regression's: value), from the training split its row is of."""
    points, row = slow.session.data, data["point_index"]
    return points.x_train[row], target(slow.session.model, points.t_train[row])


def step_panel(slow):
    """The stage on show of ``slow`` (a ``SlowStep``), its words and numbers beside its code: two columns on a wide
    screen, one after the other on a phone. Call it under the session's lock, as anything that reads the step."""
    data = slow.data()
    st.subheader(
        t(
            "Stage {number} of {count}: {name}",
            number=data["index"] + 1,
            count=len(STAGES),
            name=t(STAGE_NAMES[data["stage"]]),
        )
    )
    words, code = st.columns(2)
    with words:
        st.markdown(
            t(
                "Training step {step}: iteration {iteration} of {iterations} in epoch {epoch}.",
                step=data["step"],
                iteration=data["iteration"] + 1,
                iterations=slow.trainer.iterations_per_epoch,
                epoch=data["epoch"] + 1,
            )
            + "  \n"
            + t((REGRESSION_STAGE_TEXTS if slow.settings.regression else STAGE_TEXTS)[data["stage"]])
        )
        STAGE_NUMBERS[data["stage"]](slow, data)
    with code:
        nnlib_sources(data["sources"])


def nnlib_sources(sources):
    """The nnlib functions that computed the stage, a tab each under its name, their lines wrapped (as the lab's) and
    a method's flush left: indented by its class, each wrapped line of a phone's column would lose four spaces."""
    st.caption(t("The nnlib code that computed this stage"))
    for tab, source in zip(st.tabs([source["name"] for source in sources]), sources):
        with tab:
            st.code(textwrap.dedent(source["code"]), language="python", wrap_lines=True)


def batch_numbers(slow, data):
    (x1, x2), goal = chosen_point(slow, data)
    lines = [
        t(
            "**{size}** of the {count:,} training points, in the order the step takes them: rows {rows}.",
            size=data["size"],
            count=len(slow.session.data.x_train),
            rows=vector(data["indices"], str),
        )
    ]
    if data["starts_epoch"]:
        lines.append(
            t(
                "The first batch of epoch {epoch}: the trainer has just shuffled the training points, with the "
                "random generator training uses, and takes its batches from that order one after another.",
                epoch=data["epoch"] + 1,
            )
        )
    else:
        lines.append(t("The next {size} points of the order this epoch's shuffle drew.", size=data["size"]))
    if data["ends_epoch"]:
        lines.append(
            t("The epoch's last batch: after its update the epoch ends, and the next batch starts a new shuffle.")
        )
    where = {"position": data["point"] + 1, "row": data["point_index"], "x1": number(x1), "x2": number(x2)}
    if slow.settings.regression:
        chosen = t(
            "The chosen point, number {position} of the batch (click another to follow it): row {row} of the "
            "training points, at ({x1}, {x2}), value {value}.",
            value=number(goal),
            **where,
        )
    else:
        chosen = t(
            "The chosen point, number {position} of the batch (click another to follow it): row {row} of the "
            "training points, at ({x1}, {x2}), class {label}.",
            label=goal,
            **where,
        )
    lines.append(chosen)
    st.markdown("\n\n".join(lines))


def forward_numbers(slow, data):
    lines = [
        t("Shapes for the whole batch, as the computational graph draws them: {graph}", graph=graph(data)),
        *(regression_output(data) if slow.settings.regression else class_output(data)),
        t(
            "The batch's loss, the mean over its {size} points: **{loss}**.",
            size=data["size"],
            loss=number(data["loss"]),
        ),
    ]
    if data["penalty"] is not None:
        lines.append(
            t(
                "With the {kind} penalty, {penalty}, the loss the step minimises is **{total}**.",
                kind=slow.settings.regularization,
                penalty=number(data["penalty"]),
                total=number(data["total_loss"]),
            )
        )
    st.markdown("\n\n".join(lines))


def class_output(data):
    """The forward stage's end for a classifier's chosen point: its scores and probabilities, a column per class
    (its own in bold), and its cross-entropy."""
    header = [t("class {label}", label=c) for c in range(len(data["scores"]))]
    header[data["target"]] = f"**{header[data['target']]}**"
    table = [
        f"| | {' | '.join(header)} |",
        f"|--|{'--:|' * len(header)}",
        f"| {t('score')} | {' | '.join(map(number, data['scores']))} |",
        f"| {t('probability')} | {' | '.join(map(number, data['probabilities']))} |",
    ]
    return [
        t(
            "The chosen point (row {row}, class {label}) has inputs {inputs}, and at the end:",
            row=data["point_index"],
            label=data["target"],
            inputs=vector(data["input"]["values"]),
        ),
        "\n".join(table),
        t("Its loss, −log of its class's probability: **{loss}**.", loss=number(data["point_loss"])),
    ]


def regression_output(data):
    """The forward stage's end for a regression's chosen point: its prediction against its value, and its half
    squared error (IdentityWithLoss's)."""
    return [
        t(
            "The chosen point (row {row}, value t = {value}) has inputs {inputs}, and at the end its prediction "
            "y = **{prediction}**.",
            row=data["point_index"],
            value=number(data["target"]),
            inputs=vector(data["input"]["values"]),
            prediction=number(data["probabilities"][0]),
        ),
        t("Its loss, half its squared error ½·(y − t)²: **{loss}**.", loss=number(data["point_loss"])),
    ]


def backward_numbers(slow, data):
    _, goal = chosen_point(slow, data)
    layers = [layer | {"book_name": name} for layer, name in zip(data["layers"], book_names(data["layers"]))]
    if slow.settings.regression:
        gradient = t(
            "The gradient of Identity with Loss for the chosen point (value {value}): `(y − t) / N` = {gradient}, "
            "y its prediction, t its value, N = {size}.",
            value=number(goal),
            gradient=vector(data["loss_gradient"]),
            size=data["size"],
        )
    else:
        gradient = t(
            "The gradient of Softmax with Loss for the chosen point (class {label}): `(y − t) / N` = {gradient}, "
            "y its probabilities, t its class one-hot, N = {size}.",
            label=goal,
            gradient=vector(data["loss_gradient"]),
            size=data["size"],
        )
    lines = [
        gradient,
        t("The `dout` arriving at each layer for the chosen point, from the last layer back:"),
        "\n".join(
            f"- {layer['book_name']} ← `{data['size']}×{len(layer['dout'])}` {vector(layer['dout'])}"
            for layer in reversed(layers)
        ),
        t("Each Affine's gradients for the whole batch:"),
        "\n".join(f"- {link_gradients(slow, data, index, link)}" for index, link in enumerate(data["links"])),
    ]
    st.markdown("\n\n".join(lines))
    thinned_note(data)


def link_gradients(slow, data, index, link):
    """One Affine's dW and db in a line: the largest of each and where it is."""
    dW, row, column = largest(link["dW"])
    db, bias = largest(link["db"])
    line = t(
        "W{layer} ({rows}×{columns}): the dW largest in size is {dW}, at W{layer}[{row}, {column}]; the db largest "
        "in size is {db}, at b{layer}[{bias}].",
        layer=index + 1,
        rows=link["shape"][0],
        columns=link["shape"][1],
        dW=number(dW),
        row=row,
        column=column,
        db=number(db),
        bias=bias,
    )
    if link["dW_loss"] is not None:
        part = number(link["dW_loss"][row, column])
        if slow.settings.regression:
            line += " " + t("The squared error's part of that dW: {part}.", part=part)
        else:
            line += " " + t("The cross-entropy's part of that dW: {part}.", part=part)
    return line


def thinned_note(data):
    """At large sizes the links' matrices cover the neurons the diagram draws: say so where they are summed up."""
    if data["thinned"]:
        st.caption(
            t(
                "At this size the links' numbers cover only the neurons the diagram draws: the first {shown} of "
                "{sizes} in each column.",
                shown=" · ".join(map(str, data["shown"])),
                sizes=" · ".join(map(str, data["sizes"])),
            )
        )


def update_numbers(slow, data):
    formula, words = UPDATE_RULES[data["optimizer"]]
    numbers = {name: number(value) for name, value in data["hyper_parameters"].items()}
    changes = [largest(link["change"]) for link in data["links"]]
    layer = max(range(len(changes)), key=lambda index: abs(changes[index][0]))
    link, (change, row, column) = data["links"][layer], changes[layer]
    lines = [
        f"`{formula}`",
        t(words, lr=number(data["lr"]), **numbers),
        t(
            "The largest weight change: W{layer}[{row}, {column}] went from {before} to {after} ({change}), its "
            "dW being {dW}.",
            layer=layer + 1,
            row=row,
            column=column,
            before=number(link["W_before"][row, column]),
            after=number(link["W_after"][row, column]),
            change=number(change),
            dW=number(link["dW"][row, column]),
        ),
    ]
    if link["state"]:
        state = ", ".join(f"{name} = {number(arrays['W'][row, column])}" for name, arrays in link["state"].items())
        lines.append(t("The optimizer's state for that weight after the step: {state}.", state=state))
    lines.append(
        t(
            "The batch's loss: **{before}** before the update, **{after}** after.",
            before=number(data["loss_before"]),
            after=number(data["loss_after"]),
        )
    )
    if data["penalty_before"] is not None:
        lines.append(
            t(
                "Of which the {kind} penalty: {before} before, {after} after.",
                kind=slow.settings.regularization,
                before=number(data["penalty_before"]),
                after=number(data["penalty_after"]),
            )
        )
    if data["loss_after"] > data["loss_before"]:
        lines.append(
            t(
                "It went up: this step overshot on this batch (a learning rate too large for it, or momentum "
                "carrying the weights on). One batch's loss can rise while the loss over all the points falls."
            )
        )
    if data["ended_epoch"]:
        lines.append(
            t(
                "This step ended epoch {epoch}: the history records it, and the next batch starts a new shuffle.",
                epoch=data["epoch"] + 1,
            )
        )
    st.markdown("\n\n".join(lines))
    thinned_note(data)


STAGE_NUMBERS = {
    "batch": batch_numbers,
    "forward": forward_numbers,
    "backward": backward_numbers,
    "update": update_numbers,
}
