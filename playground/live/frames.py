"""What the live view is sent: a setup, which changes rarely, and frames, which training changes. No Streamlit.

The browser keeps both (``live.js``): a setup is sent when it changes, and a frame carries only what a step of
training moves. Arrays travel as base64 of their bytes (one byte per region cell, float32 for the points and
the weights), history rows as JSON numbers with ``None`` for NaN, which JSON cannot say.
"""

import base64
import hashlib
import json

import numpy as np

from nnlib.backend import to_numpy
from nnlib.metrics import rmse_from_loss
from playground.charts import (
    CLASS_COLORS,
    CURVE_COLUMNS,
    FIELD_TINT,
    REGRESSION_CURVE_NAMES,
    VALUE_RANGE,
    curve_indices,
    picture_codes,
    region_palette,
    value_codes,
    value_palette,
)
from playground.i18n import tr
from playground.network import (
    BIN_OPACITIES,
    MAX_SHOWN_NEURONS,
    NEGATIVE,
    NEURON_PALETTE,
    PICTURE_SIZE,
    POSITIVE,
    WIDTH_BINS,
    neuron_codes,
    neuron_label,
    sample_rows,
)
from playground.session import space
from playground.session.core import HISTORY_COLUMNS
from playground.session.insides import (
    ACTIVATION_BINS,
    DYING,
    GRADIENT_BINS,
    GRADIENT_DECADES,
    MAX_SNAPSHOTS,
    SAMPLE_POINTS,
    SHARE_LEVELS,
)
from playground.settings import ACTIVATION_NAMES

MAX_SENT_ROWS = 2_000  # history rows sent when the view starts again; then only the new ones
PROBABILITY_RESOLUTION = 50  # the grid of class probabilities a hover reads: 1 % steps, a quarter of the cells
SPACE_CODES, NOT_DRAWN = 65534, 65535  # the hidden space's coordinates as codes (``space_frame``)
PROBE_RESOLUTION = 25  # the grid of the shown neurons' values the paused probe reads, as their pictures sample it
# the live view's own words, as the browser fills them in: {placeholders} are the browser's
TEXTS = {
    "epochAxis": "epoch",
    "lossAxis": "loss (solid)",
    "accuracyAxis": "accuracy (dotted)",
    "classProbability": "class {label}: {p}",
    "curveEpoch": "epoch {epoch} · step {step}",
    "curveLoss": "loss train {train} / test {test}",
    "curveAccuracy": "accuracy train {train} / test {test}",
    "weight": "weight {value}",
    "bias": "bias {value}",
    "chooseNeuron": "click to show it large",
    "editHint": "paused: click (on a phone, tap again) to type its value",
    "editWeight": "The weight {from} → {to}: type a value, then Enter",
    "editBias": "The bias of {name}: type a value, then Enter",
    "neuronScale": "from {low} (orange) to {high} (blue)",
    "classKey": "class {label}",
    "trainTestKey": "filled: train · hollow: test",
    "regionsName": "Decision regions and data points. Arrow keys move a probe that reads the class probabilities.",
    "curvesName": "Loss and accuracy by epoch",
    "networkName": "The network. Arrow keys choose a node; Enter shows a hidden neuron large and, paused, opens its "
    "bias to type a value.",
    "viewName": "Live view of the training",
    "spaceName": "The hidden space: the input plane's grid lines and the training points as {layer} maps them, "
    "on {across} across and {up} up. Arrow keys step through the training points.",
    "spaceNameOne": "The hidden space: the input plane's grid lines and the training points as {layer} maps them, "
    "on {across} alone. Arrow keys step through the training points.",
    "probeNote": "The network: each neuron's value here, at the nearest point of a {size} × {size} grid",
    "slowBatch": "Step {step}, the mini-batch: its {size} points stand out, the others are faded; the ringed one is "
    "followed through the stages (click another to follow it)",
    "slowForward": "Step {step}, forward: each neuron's value for the ringed point, as a number and a colour; above "
    "each layer, the shape of its output for the whole batch",
    "slowBackward": "Step {step}, backward: each neuron's dout (the loss's gradient at its output) for the ringed "
    "point; each link drawn by its gradient dW for the whole batch (point at one for its numbers)",
    "slowUpdate": "Step {step}, the update: each link drawn by its change; point at one for its weight before and "
    "after, dW, the rate and the optimizer's state. The regions move from before the step to after",
    "slowThinned": "The diagram draws the first {shown} of the layers' {sizes} neurons: its numbers are theirs",
    "stageValue": "value for the ringed point {value}",
    "stageDout": "dout for the ringed point {value}",
    "stageGradient": "gradient {name} {value}",
    "stageChange": "{name} before {before} → after {after}",
    "stageRate": "{optimizer}, lr {lr}",
    "stageState": "optimizer's state {name} {value}",
    "insidesTitle": "Inside the training",
    "insidesCaption": "Each strip runs over the epochs, left to right: the darker a cell, the larger the share of "
    "the values in its range (point at one for its numbers). Activations over {points} training points, without "
    "dropout; gradients: the last step's dW, on a log scale.",
    "insidesNoHidden": "No hidden layer: no activations to show. The output layer's gradients and weight norm:",
    "insidesActivations": "activations",
    "insidesGradients": "gradients |dW|",
    "insidesNorm": "weight norm ‖W‖",
    "insidesDead": "dead ReLUs: {share}",
    "insidesNormValue": "‖W‖ {value}",
    "insidesLayerName": "{layer}: its activations' and its gradients' histograms over the epochs, and its weight "
    "norm. Arrow keys step through the epochs.",
    "insidesWaiting": "Play or step: a snapshot is taken at each new epoch's record.",
    "insidesTipEpoch": "{layer} · epoch {epoch}",
    "insidesTipActivations": "activations {from} to {to}: {share} of the values",
    "insidesTipMostActivations": "most activations: {from} to {to}, {share} of the values",
    "insidesTipGradients": "|dW| {from} to {to}: {share} of the weights",
    "insidesTipMostGradients": "most |dW|: {from} to {to}, {share} of the weights",
    "spaceAt": "in the hidden space: {across} {a}, {up} {b}",
    "spaceAtOne": "in the hidden space: {across} {a}",
}
# a regression's words in place of the classes' (see Settings.regression)
REGRESSION_TEXTS = {
    "accuracyAxis": "R² (dotted)",
    "curveAccuracy": "R² train {train} / test {test}",
    "regionsName": "Predicted values over the plane, and the data points coloured by their values. Arrow keys move "
    "a probe that reads the predicted value.",
    "curvesName": "Loss and R² by epoch",
    "valueAt": "predicted value {value}",
    "valueKey": "value",
    "valueKeyNote": "field: predicted · points: their values",
    "pointValue": "its value {value}",
}


def encoded(array, dtype):
    """An array's bytes in ``dtype``, as base64 text."""
    return base64.b64encode(np.ascontiguousarray(to_numpy(array), dtype=dtype).tobytes()).decode()


def status_text(session, lang):
    """The status line: the epoch first (in bold), then where training stands, and, while playing, its speed (a
    paused run has none: the last speed measured would read as if it were still training). The step is the
    trainer's, which moves within an epoch (a long one takes thousands of steps); the losses and accuracies are
    the last epoch's end's. A regression's say R² and RMSE where a classifier's say accuracy."""
    latest = session.latest()
    if session.settings.regression:
        train, test = latest["train_loss"], latest["test_loss"]
        score = tr(
            "R² train {train:.3f} / test {test:.3f} · RMSE train {train_rmse:.3f} / test {test_rmse:.3f}",
            lang,
            train=latest["train_accuracy"],
            test=latest["test_accuracy"],
            train_rmse=rmse_from_loss(train),
            test_rmse=rmse_from_loss(test),
        )
    else:
        score = tr(
            "accuracy train {train:.1%} / test {test:.1%}",
            lang,
            train=latest["train_accuracy"],
            test=latest["test_accuracy"],
        )
    text = tr(
        "**Epoch {epoch:,}** · step {step:,} · loss train {train_loss:.3f} / test {test_loss:.3f} · {score} · "
        "lr {lr:g} · batch {batch}",
        lang,
        **latest | {"step": session.trainer.step_count},
        score=score,
        lr=session.optimizer.lr,
        batch=session.batch_size,
    )
    if not session.playing:
        return text
    return f"{text} · {tr('{speed:,.0f} steps/s', lang, speed=session.steps_per_second)}"


def shown_neurons(model):
    """How many neurons of each layer, inputs and outputs included, the diagram draws."""
    config = model.config
    return [
        min(size, MAX_SHOWN_NEURONS) for size in [config["input_size"], *config["hidden_sizes"], config["output_size"]]
    ]


def drawn_neurons(model, chosen):
    """Each hidden layer's neurons whose maps a frame draws: the diagram's (their pictures, the paused probe) and
    the one shown large, ``chosen`` (layer, neuron) or None. The grid pass keeps only theirs (``neurons``): at
    8 × 256, 96 or 97 of 2,048 neurons, 1 MB of a playing tab's maps where all of them took 22."""
    counts = shown_neurons(model)[1:-1]
    return [
        sorted({*range(count), *([chosen[1]] if chosen and chosen[0] == layer else [])})
        for layer, count in enumerate(counts)
    ]


def grid_extent(session):
    """[[x1 low, high], [x2 low, high]]: the plane the regions cover, their outer cells' edges included."""
    return [
        [float(ticks[0] - (ticks[1] - ticks[0]) / 2), float(ticks[-1] + (ticks[1] - ticks[0]) / 2)]
        for ticks in (session.grid_x1, session.grid_x2)
    ]


def setup(session, options, playing, chosen, lang, editable=True, space=None):
    """What the view draws with until it changes: the grid's extent and palettes, the points, the labels, the
    network's shape, which neuron is shown large, the hidden space's layer and axes (``space``, a
    ``session.space.Choice``, or None without hidden layers); ``options`` are the view toggles chosen (see
    VIEW_OPTIONS)."""
    data, classes = session.data, session.data.classes
    groups = [(data.x_train, data.t_train, False)]
    if "show_test" in options and len(data.x_test):
        groups.append((data.x_test, data.t_test, True))
    x1, x2 = grid_extent(session)
    regression = session.settings.regression
    content = {
        "grid": {"x1": x1, "x2": x2, "resolution": len(session.grid_x1)},
        "dataId": id(data),  # the zoom stays while the same points are shown
        "classes": classes,
        "classColors": CLASS_COLORS,
        "regionPalette": (value_palette(FIELD_TINT) if regression else region_palette(classes)).tolist(),
        "neuronPalette": NEURON_PALETTE.tolist(),
        "points": [
            {"xy": encoded(x, np.float32), "labels": encoded(point_codes(t, regression), np.uint8), "hollow": hollow}
            for x, t, hollow in groups
        ],
        # a regression's points coloured by their values (their codes), the field's colours at full strength
        "regression": {"pointPalette": value_palette().tolist(), "range": VALUE_RANGE} if regression else None,
        "hard": "hard_regions" in options,
        "logLoss": "log_loss" in options,
        "playing": playing,
        "probabilityResolution": PROBABILITY_RESOLUTION,
        "labels": {name: tr(text, lang) for name, text in (TEXTS | (REGRESSION_TEXTS if regression else {})).items()},
        "curves": [curve(column, lang, regression) for column in CURVE_COLUMNS],
        "network": network_setup(session, chosen, lang, editable) if "show_network" in options else None,
        "chosen": list(chosen) if chosen and "show_network" in options else None,
        "insides": insides_setup(session, lang) if "insides" in options else None,
        "space": space_setup(session, space, lang) if "hidden_space" in options else None,
    }
    content["id"] = hashlib.sha1(json.dumps(content, sort_keys=True).encode()).hexdigest()
    return content


def point_codes(t, regression):
    """What the view colours each point by: its class (one-hot ``t``), or a regression's value as a code."""
    return value_codes(t[:, 0]) if regression else t.argmax(axis=1)


def curve(column, lang, regression=False):
    """How the view draws one history column's curve, and where it finds it in a history row; a regression's
    accuracy columns hold R² (``Session._record_epoch``)."""
    name, color, axis, dash = CURVE_COLUMNS[column]
    if regression:
        name = REGRESSION_CURVE_NAMES.get(column, name)
    index = HISTORY_COLUMNS.index(column)
    return {"column": index, "name": tr(name, lang), "color": color, "accuracy": axis == "y2", "dotted": dash == "dot"}


def network_setup(session, chosen, lang, editable=True):
    """The diagram's columns: the input features, each hidden layer's first neurons, the classes; ``editable``:
    whether a click sets a weight while paused (a teacher's link may say no)."""
    config = session.model.config
    shown = shown_neurons(session.model)
    return {
        "inputs": list(session.settings.features),
        "hidden": [
            {"names": [neuron_label(layer, neuron, lang) for neuron in range(count)], "size": size}
            for layer, (size, count) in enumerate(zip(config["hidden_sizes"], shown[1:-1]))
        ],
        "outputs": [tr("value", lang)]
        if session.settings.regression
        else [tr("class {label}", lang, label=label) for label in range(config["output_size"])],
        "more": [
            [column, tr("+{count} more", lang, count=size - count)]
            for column, (size, count) in enumerate(zip([config["input_size"], *config["hidden_sizes"]], shown))
            if size > count
        ],
        "pictureSize": PICTURE_SIZE,
        "links": {"widths": WIDTH_BINS, "opacities": BIN_OPACITIES, "positive": POSITIVE, "negative": NEGATIVE},
        "bigResolution": len(session.grid_x1),
        "chosenLabel": neuron_label(*chosen, lang) if chosen else "",
        "editable": editable,
    }


def space_setup(session, choice, lang):
    """The hidden space as the view draws it until the choice changes: how the lines are laid out, the training
    points' colours (``point_codes``, as the regions colour them), the title and the axes' names; or, without
    hidden layers, a ``note`` saying so. A point's tip says where it was in the input plane (``inputs``) and, for
    a regression, its value (``values``)."""
    if choice is None:
        return {"note": tr("This network has no hidden layer: its inputs go straight to the output layer.", lang)}

    def axis_name(axis):
        if axis == 1 and choice.width == 1:
            return ""  # one neuron: one axis
        if choice.neurons is None:
            return tr("PC {number}", lang, number=axis + 1)
        return neuron_label(choice.layer, choice.neurons[axis], lang)

    targets, regression = space.sample(session.data.t_train), session.settings.regression
    return {
        "largest": SPACE_CODES,
        "lines": space.LINES,
        "samples": space.SAMPLES,
        "labels": encoded(point_codes(targets, regression), np.uint8),
        "inputs": encoded(space.sample(session.data.x_train), np.float32),
        "values": encoded(targets[:, 0], np.float32) if regression else None,
        "axes": [axis_name(0), axis_name(1)],
        "title": tr("Hidden layer {layer} · width {width}", lang, layer=choice.layer + 1, width=choice.width),
        "note": tr("One neuron: its values on one axis.", lang) if choice.width == 1 else "",
    }


def space_frame(coordinates, ranges):
    """The hidden space's points (the lines' then the training points') as two uint16 codes each, 0 at the low
    end of its axis's range and SPACE_CODES at the high end, NOT_DRAWN where a value is not finite: half the
    float32's size, and finer than a pixel."""
    low, span = ranges[:, 0], ranges[:, 1] - ranges[:, 0]
    with np.errstate(invalid="ignore"):
        codes = np.rint(np.clip((coordinates - low) / span, 0, 1) * SPACE_CODES)
    codes[~np.isfinite(coordinates).all(axis=1)] = NOT_DRAWN
    return {"codes": encoded(codes, np.uint16), "ranges": ranges.tolist()}


def insides_setup(session, lang):
    """What "Inside the training" draws each layer with: its name as the diagram's column (the hidden layers,
    then the output layer, an Affine each), its activation, whether its neurons can die, how many points the
    activations are of, and the bins' layout of the snapshots (playground/session/insides.py)."""
    activations = session.model.config["activation"]
    return {
        "layers": [
            *(tr("hidden layer {layer}", lang, layer=number) for number in range(1, len(activations) + 1)),
            tr("output layer", lang),
        ],
        "activations": [tr(ACTIVATION_NAMES[name], lang) for name in activations],
        "dying": [name in DYING for name in activations],
        "activationBins": ACTIVATION_BINS,
        "gradientBins": GRADIENT_BINS,
        "gradientDecades": list(GRADIENT_DECADES),
        "shareLevels": SHARE_LEVELS,
        "maxSnapshots": MAX_SNAPSHOTS,
        "points": min(SAMPLE_POINTS, len(session.features_train)),
    }


def insides_frame(insides, after=None):
    """The snapshots of ``insides`` (an ``Insides``) numbered after ``after`` (None: all of them, which replace
    what the view has), their shares as base64 bytes, and the numbers that stay (multiples of ``every``)."""
    return {
        "after": after,
        "all": after is None,
        "every": insides.every,
        "snapshots": [
            snapshot
            | {
                "activations": encoded(snapshot["activations"], np.uint8),
                "gradients": encoded(snapshot["gradients"], np.uint8),
            }
            for snapshot in insides.since(after)
        ],
    }


def history_rows(history, after_step=None):
    """The history's rows recorded after ``after_step`` (with None, every row, thinned to MAX_SENT_ROWS evenly
    spread ones), as [epoch, step, train loss, test loss, train accuracy, test accuracy] lists, NaN as None."""
    steps = history["step"]
    if after_step is None:
        rows = curve_indices(len(steps), MAX_SENT_ROWS)
    else:
        first = next((index for index in range(len(steps) - 1, -1, -1) if steps[index] <= after_step), -1) + 1
        rows = range(first, len(steps))
    return [
        [value if value == value else None for value in (history[column][row] for column in HISTORY_COLUMNS)]
        for row in rows
    ]


def frame(session, probabilities, hidden, chosen, lang, after_step=None, hard=False, hover=True, insides=None):
    """What a step of training changed: the status, the regions, the history's rows after ``after_step`` (None:
    all of them, to replace what the view has), and, with ``hidden`` (every hidden layer's outputs over the grid),
    the links' weights, the neurons' pictures and the chosen one's map. ``hover`` adds the class probabilities a
    hover reads; ``insides``, the new snapshots of the view's "Inside the training" (``insides_frame``)."""
    resolution = len(session.grid_x1)
    content = {
        "run": str(id(session.trainer)),  # a new run (a reset, a rebuild) starts the curves again
        "step": session.trainer.step_count,
        "status": status_text(session, lang),
        "playing": session.playing,  # the setup's word may lag: the socket's first playing frames come before it
        "rows": history_rows(session.history, after_step),
        "allRows": after_step is None,
        "after": after_step,  # the view asks for all rows again if it missed some (see live.js)
        "regions": encoded(picture_codes(probabilities, resolution, hard, session.settings.regression), np.uint8),
    }
    if hover and session.settings.regression:  # the predicted values a hover reads, as they are
        content["values"] = encoded(
            to_numpy(probabilities)[sample_rows(resolution, PROBABILITY_RESOLUTION), 0], np.float16
        )
    elif hover:
        content["probabilities"] = encoded(coarse(probabilities, resolution), np.uint8)
    if hidden is not None:
        content["network"] = network_frame(session.model, hidden, chosen, resolution)
        if not session.playing:
            content["network"]["probe"] = probe_grid(session, probabilities, hidden)
    if insides is not None:
        content["insides"] = insides
    slow = session.slow_step
    if slow is not None:
        content["slow"] = slow_frame(slow, resolution, hard)
    return content


def probe_grid(session, probabilities, hidden, size=PROBE_RESOLUTION):
    """The values of every neuron the diagram shows (the input features, each hidden layer's first ones, the class
    probabilities) on an evenly spread size × size sample of the grid pass's points, cell by cell: the paused probe
    reads a point's values here rather than asking the server at each move of the pointer. In float16, 3 digits,
    as many as a node shows: at 8 × 256 float32 took 340 kB of each paused page run's data, this 170."""
    shown = shown_neurons(session.model)
    rows = sample_rows(len(session.grid_x1), size)
    columns = [
        session.grid_features[rows, : shown[0]],
        *(layer[rows, :count] for layer, count in zip(hidden, shown[1:-1])),
        to_numpy(probabilities)[rows, : shown[-1]],
    ]
    return {"size": size, "values": encoded(np.concatenate(columns, axis=1), np.float16)}


def flat(arrays):
    """Arrays as one float32 vector, each row by row: the order the diagram takes its links and nodes in."""
    return encoded(np.concatenate([np.ravel(array) for array in arrays]), np.float32)


def slow_frame(slow, resolution, hard):
    """The stage on show of a step in slow motion (``SlowStep.data``) as the view draws it: the batch, as rows of
    the training points (which the setup sends first, in their order), the point followed, and for the diagram's
    neurons and links (each cut to those it draws), float32 in the order the weights are sent:

    - forward: ``nodes``, every shown neuron's value for the point (its inputs, hidden activations, class
      probabilities or a regression's prediction);
    - backward: ``nodes`` from the first hidden column on, the ``dout`` arriving at each one's output (at the
      outputs', (y − t)/N); ``links``, each link's dW; ``biases``, each bias's db;
    - update: ``links`` and ``biases``, each one's change; ``update``, the optimizer, its rate, the names of its
      state, and for the tips each link's weight before and after, dW and state, each bias before and after;
      ``regionsBefore``, the regions' codes before the step, which the view morphs from."""
    data, shown = slow.data(), slow.shown
    content = {
        "stage": data["stage"],
        "step": data["step"],
        "size": data["size"],
        "point": data["point"],
        "pointRow": data["point_index"],
        "batch": encoded(slow.batch.indices, np.int32),
        "sizes": list(data["sizes"]),
        "shown": list(shown),
        "thinned": data["thinned"],
    }
    stage, links = data["stage"], data.get("links")
    cut = [slice(count) for count in shown[1:]]  # each bias column's shown neurons
    if stage == "forward":
        columns = [data["input"]["values"], *data["hidden"], data["probabilities"]]
        content["nodes"] = {"first": 0, "values": flat(values[:count] for values, count in zip(columns, shown))}
    elif stage == "backward":
        arriving = [layer["dout"] for layer in data["layers"][1::2]] + [data["layers"][-1]["dout"]]
        content["nodes"] = {"first": 1, "values": flat(dout[part] for dout, part in zip(arriving, cut))}
        content["links"] = flat(link["dW"] for link in links)
        content["biases"] = flat(link["db"][part] for link, part in zip(links, cut))
    elif stage == "update":
        content["links"] = flat(link["change"] for link in links)
        content["biases"] = flat(link["b_change"][part] for link, part in zip(links, cut))
        state = list(links[0]["state"])
        tips = {name: flat(link[name] for link in links) for name in ("W_before", "W_after", "dW")}
        tips |= {name: flat(link[name][part] for link, part in zip(links, cut)) for name in ("b_before", "b_after")}
        tips |= {f"W_{name}": flat(link["state"][name]["W"] for link in links) for name in state}
        content["update"] = {"optimizer": data["optimizer"], "lr": data["lr"], "state": state, "tips": tips}
        before = picture_codes(data["grid_before"], resolution, hard, slow.settings.regression)
        content["regionsBefore"] = encoded(before, np.uint8)
    return content


def coarse(probabilities, resolution, size=PROBABILITY_RESOLUTION):
    """Every class's probability on an evenly spread size × size sample of the grid, as 0-255."""
    rows = sample_rows(resolution, size)
    sampled = np.nan_to_num(np.asarray(to_numpy(probabilities), dtype=np.float64)[rows], nan=0.0)
    return np.rint(np.clip(sampled, 0, 1) * 255).astype(np.uint8)


def network_frame(model, hidden, chosen, resolution):
    """The shown links' weights (each layer's W[:shown in, :shown out], row by row), the shown neurons' biases and
    25 × 25 pictures, and the chosen neuron's whole map with its range."""
    shown = shown_neurons(model)
    affine = model.layers[0::2]
    weights = [to_numpy(layer.params[0])[:rows, :cols].ravel() for layer, rows, cols in zip(affine, shown, shown[1:])]
    biases = [to_numpy(layer.params[1])[:count] for layer, count in zip(affine, shown[1:])]
    rows = sample_rows(resolution)
    pictures = [neuron_codes(layer[rows, :count], PICTURE_SIZE) for layer, count in zip(hidden, shown[1:-1])]
    content = {
        "weights": encoded(np.concatenate(weights), np.float32),
        "biases": encoded(np.concatenate(biases), np.float32),
        "pictures": encoded(np.concatenate(pictures) if pictures else np.zeros(0), np.uint8),
    }
    if chosen is not None:
        values = np.asarray(hidden[chosen[0]][:, chosen[1]], dtype=np.float64)
        finite = values[np.isfinite(values)]
        content["big"] = {
            "codes": encoded(neuron_codes(values[:, None], resolution)[0], np.uint8),
            "low": float(finite.min()) if len(finite) else None,
            "high": float(finite.max()) if len(finite) else None,
        }
    return content
