"""What a session can be downloaded as: its weights (.npz), its history (.csv), its settings (.json), a Python
script that replays its run, and the lines that load the weights in a notebook.

The script needs NumPy and nnlib only, so it runs wherever nnlib is: it rebuilds the data, the split, the input
features and the network from the seed, trains with the same optimizer, schedule and batch size, replays every
change made during the run at the step it was made, and prints the training loss after the last step: bit for bit
the loss of the page's model. A run on uploaded points reads them from ``points.csv`` next to the script: the user
has the CSV they uploaded.
"""

import dataclasses
import io
import json
import textwrap

import pandas as pd

from nnlib import optimizers
from nnlib.datasets import GENERATORS, REGRESSIONS
from nnlib.io import save_params
from playground.recipe import HYPER_PARAMETERS, make_schedule, penalties, precision_of
from playground.settings import (
    ACTIVATION_NAMES,
    DATASETS,
    INITS,
    MULTI_CLASS_DATASETS,
    PRECISIONS,
    capped_batch_size,
    value_text,
)

MAKERS = GENERATORS | REGRESSIONS  # each generated data set's nnlib function, by the page's name for it
FINAL_LOSS_LABEL = "final training loss:"  # the script prints the loss after it, to 17 significant digits
DOCSTRING_WIDTH = 116


def weights_bytes(model, dtype=None, trained=None):
    """The model as nnlib.io writes it: named arrays (in ``dtype``, float16 for the book's half-size file), the
    architecture and ``trained``, how long it was (``{"epoch": e, "step": s}``), loadable with allow_pickle=False."""
    buffer = io.BytesIO()
    save_params(model, buffer, dtype=dtype, trained=trained)
    return buffer.getvalue()


def history_csv(history):
    """One row per recorded epoch: epoch, step, train/test loss and accuracy."""
    return pd.DataFrame(history).to_csv(index=False).encode()


def points_frame(x, t, regression=False):
    """Points and one-hot labels as the columns x1, x2, label: what the CSV upload reads back; a ``regression``'s
    targets (one column) as x1, x2, value."""
    if regression:
        return pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "value": t[:, 0]})
    return pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "label": t.argmax(axis=1)})


def points_csv(x, t, regression=False):
    """The data set as a CSV file that nnlib.datasets.load_points (and the page's CSV upload) reads back, a
    classifier's; a ``regression``'s for the user's own use."""
    return points_frame(x, t, regression).to_csv(index=False).encode()


def settings_json(settings):
    return json.dumps(settings.to_json_dict(), indent=2, ensure_ascii=False).encode()


def python_script(session):
    """A script, NumPy and nnlib only, that takes the session's training steps again and prints its final loss.

    Raises ValueError, saying why, for a run no script can repeat (``Session.no_script``): one that started from a
    weights file, which no seed rebuilds, say.
    """
    if session.no_script:
        raise ValueError(session.no_script)
    start = session.timeline[0][1]
    train_size = len(session.features_train)
    changes = _replayed_changes(session.timeline, train_size)
    sections = [
        _header(start, session, changes),
        _imports(session.timeline),
        [f"SEED = {_literal(start.seed)}"],
        _data_code(start),
        _model_code(start, len(start.features), session.data.classes),
        _training_code(start, train_size, changes, session.trainer.step_count),
        _result_code(start.regression),
    ]
    return "\n\n".join("\n".join(lines) for lines in sections) + "\n"


def notebook_snippet(filename="weights.npz", features=("x1", "x2"), regression=False):
    """Lines to paste into a notebook: load downloaded weights and classify points (a ``regression``'s: predict
    their values), through the input ``features`` the network was trained on."""
    plain = tuple(features) == ("x1", "x2")
    lines = [
        "import numpy as np",
        "",
        *([] if plain else ["from nnlib.datasets import input_features"]),
        "from nnlib.io import load_model",
        "",
        f"model = load_model({_literal(filename)})  # the weights downloaded from the playground",
        "points = np.array([[0.0, 0.0], [0.5, -0.5], [-0.25, 0.75]])  # your points, one (x1, x2) row each",
    ]
    inputs = "points" if plain else "features"
    if not plain:
        lines.append(
            f"features = input_features(points, {_literal(features)})  # the inputs the network was trained on"
        )
    if regression:
        lines.append(f"predicted_values = model.predict({inputs})[:, 0]")
    else:
        lines += [f"probabilities = model.predict_proba({inputs})", "predicted_class = probabilities.argmax(axis=1)"]
    return "\n".join(lines) + "\n"


def _replayed_changes(timeline, train_size):
    """(step, description, statements) of each change that acts on the training, in the order it was made."""
    changes = []
    for (_, before), (step, after) in zip(timeline, timeline[1:]):
        statements = _change_statements(before, after, train_size)
        if statements:
            changed = after.changed(before)
            names = [field.name for field in dataclasses.fields(after) if field.name in changed]
            description = ", ".join(f"{name.replace('_', ' ')} {_shown(getattr(after, name))}" for name in names)
            changes.append((step, description, statements))
    return changes


def _change_statements(before, after, train_size):
    """What Session.apply does to the running training, less the assignments of values that are already there:
    the same values reach the same arrays, so the same floating-point operations follow."""
    statements = []
    batch_size = capped_batch_size(after.batch_size, train_size)
    if batch_size != capped_batch_size(before.batch_size, train_size):
        capped = f"  # {after.batch_size}, capped at the training-set size" if batch_size < after.batch_size else ""
        statements.append(f"trainer.batch_size = {batch_size}{capped}")
    for name, old, new in zip(("weight_decay", "l1"), penalties(before), penalties(after)):
        if new != old:
            statements.append(f"model.{name} = {_literal(new)}")
    schedule = _schedule_code(after)
    schedule_changed = schedule != _schedule_code(before)
    rate_changed = after.learning_rate != before.learning_rate
    new_optimizer = after.optimizer != before.optimizer
    if schedule_changed:
        statements.append(f"trainer.schedule = {schedule}")
    if rate_changed:
        statements.append(f"trainer.base_lr = {_literal(after.learning_rate)}")
    if new_optimizer:
        statements.append(f"optimizer = trainer.optimizer = {_optimizer_code(after)}")
    else:
        statements += [
            f"optimizer.{name} = {_literal(getattr(after, name))}"
            for name in _hyper_parameters(after.optimizer)
            if getattr(after, name) != getattr(before, name)
        ]
        if schedule == "None" and (rate_changed or schedule_changed):  # a schedule no longer sets the rate
            statements.append(f"optimizer.lr = {_literal(after.learning_rate)}")
    if schedule != "None" and (schedule_changed or rate_changed or new_optimizer):
        statements.append("trainer.apply_schedule()")
    return statements


def _shown(value):
    """A setting's value as a comment or docstring shows it: tuples with spaces after the commas."""
    return value_text(value, ", ")


def _hyper_parameters(optimizer_name):
    """The settings, besides the learning rate, that an optimizer of this name takes."""
    optimizer = getattr(optimizers, optimizer_name)()
    return [name for name in HYPER_PARAMETERS if hasattr(optimizer, name)]


def _optimizer_code(settings):
    arguments = [f"lr={_literal(settings.learning_rate)}"]
    arguments += [f"{name}={_literal(getattr(settings, name))}" for name in _hyper_parameters(settings.optimizer)]
    return f"{settings.optimizer}({', '.join(arguments)})"


def _schedule_code(settings):
    """The schedule make_schedule builds, as a constructor call with its arguments, or "None"."""
    schedule = make_schedule(settings)
    if schedule is None:
        return "None"
    arguments = ", ".join(f"{name}={_literal(value)}" for name, value in vars(schedule).items())
    return f"{type(schedule).__name__}({arguments})"


def _literal(value):
    """Python source for a setting's value, with strings in double quotes as ruff format writes them."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return f"[{', '.join(map(_literal, value))}]"
    return repr(value)


def _header(start, session, changes):
    """The script's docstring: what it reproduces, in the page's words."""
    data = {
        "book_spiral": "the book's spiral (3 arms of 100 points)",
        "upload": "your uploaded points, read from points.csv next to this script",
    }.get(start.dataset)
    if data is None and start.regression:
        data = f"{DATASETS[start.dataset]}, {start.points} points, noise {_shown(start.noise)}"
    elif data is None:
        classes = f", {start.classes} classes" if start.dataset in MULTI_CLASS_DATASETS else ""
        data = f"{DATASETS[start.dataset]}, {start.points} points per class{classes}, noise {_shown(start.noise)}"
    layers = [f"{len(start.features)} inputs"]
    layers += [
        f"{width} {ACTIVATION_NAMES[name]}" + (f" (dropout {_shown(rate)})" if rate else "")
        for width, name, rate in zip(start.hidden, start.activations, start.dropout_rates)
    ]
    layers.append("1 value (squared error)" if start.regression else f"{session.data.classes} classes")
    regularization = (
        "no regularisation"
        if start.regularization == "none"
        else f"{start.regularization} regularisation {_shown(start.reg_rate)}"
    )
    hyper_parameters = "".join(
        f", {name.replace('_', ' ')} {_shown(getattr(start, name))}" for name in _hyper_parameters(start.optimizer)
    )
    schedule = {"constant": "constant rate", "step": "rate halved every", "cosine": "cosine decay over"}[start.schedule]
    if start.schedule != "constant":
        schedule += f" {start.schedule_epochs} epoch{'s' if start.schedule_epochs > 1 else ''}"
    summary = [
        f"Data: {data}; {start.train_percent} % of it for training; input features {_shown(start.features)}.",
        f"Network: {' → '.join(layers)}; initial weights {INITS[start.init]}; {PRECISIONS[start.precision]}; "
        f"{regularization}.",
        f"Training: {start.optimizer} (learning rate {_shown(start.learning_rate)}{hyper_parameters}), "
        f"batch size {capped_batch_size(start.batch_size, len(session.features_train))}, {schedule}.",
        f"Seed {start.seed} for the data, the split, the initial weights and the shuffling.",
    ]
    requirements = "NumPy, CuPy with a GPU, and nnlib" if start.precision == "cupy" else "NumPy and nnlib"
    paragraphs = [
        textwrap.fill(
            f"Needs only {requirements}: `pip install .` in a checkout of the spiral playground installs nnlib (or "
            "put the checkout on PYTHONPATH). Run it with python3: it prints the training loss after the last step "
            "to 17 significant digits, bit for bit the loss of the page's model.",
            DOCSTRING_WIDTH,
        ),
        "\n".join(textwrap.fill(line, DOCSTRING_WIDTH, subsequent_indent="    ") for line in summary),
    ]
    if changes:
        replayed = "; ".join(f"step {step}: {description}" for step, description, _ in changes)
        paragraphs.append(
            textwrap.fill(f"Changes made during the run, replayed at their steps: {replayed}.", DOCSTRING_WIDTH)
        )
    title = (
        f"The spiral playground's run, replayed with nnlib: {session.trainer.step_count:,} steps, then its final loss."
    )
    return [f'"""{title}', "", "\n\n".join(paragraphs), '"""']


def _imports(timeline):
    """The import lines for what the script uses, sorted as ruff's isort sorts them."""
    settings = [entry for _, entry in timeline]
    start = settings[0]
    nnlib_names = {
        "nnlib.metrics": {"loss_and_r2" if start.regression else "loss_and_accuracy"},
        "nnlib.models": {"MLP"},
        "nnlib.optimizers": {entry.optimizer for entry in settings},
        "nnlib.trainer": {"Trainer"},
    }
    schedules = {type(make_schedule(entry)).__name__ for entry in settings if make_schedule(entry) is not None}
    if schedules:
        nnlib_names["nnlib.schedules"] = schedules
    if start.dataset == "book_spiral":
        point_source = "spiral"
    elif start.dataset == "upload":
        point_source = "load_points"
    else:
        point_source = MAKERS[start.dataset].__name__
    nnlib_names["nnlib.datasets"] = {point_source, "input_features", "train_test_split"}
    standard = ["from pathlib import Path", ""] if start.dataset == "upload" else []
    nnlib_lines = [
        f"from {module} import {', '.join(sorted(names, key=_isort_key))}"
        for module, names in sorted(nnlib_names.items())
    ]
    return [*standard, "import numpy as np", *nnlib_lines]  # nnlib is a library to the script, as NumPy is


def _isort_key(name):
    """ruff's order of imported names: CONSTANTS, then Classes, then functions and modules."""
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return kind, name


def _data_code(start):
    """Points, and nnlib's seeded split and input features, as the page makes them (``playground.data``)."""
    if start.dataset == "book_spiral":
        load = ["# the book's spiral: 3 arms of 100 points", "x, t = spiral.load_data()"]
    elif start.dataset == "upload":
        load = [
            "# the points you uploaded to the page: save that CSV (x1, x2, label) next to this script as points.csv",
            'x, t = load_points(Path(__file__).with_name("points.csv"))',
        ]
    else:
        extra = f", classes={_literal(start.classes)}" if start.dataset in MULTI_CLASS_DATASETS else ""
        generate = MAKERS[start.dataset].__name__
        load = [f"x, t = {generate}(n={_literal(start.points)}, noise={_literal(start.noise)}, seed=SEED{extra})"]
    return [
        "# --- data ---",
        *load,
        "",
        f"# the page's split: a seeded shuffle, then the first {start.train_percent} % of the points for training",
        f"x_train, t_train, x_test, t_test = train_test_split(x, t, {_literal(start.train_percent)}, seed=SEED)",
        "# the network's inputs, computed from each point (x1, x2)",
        f"FEATURES = {_literal(start.features)}",
        "features_train, features_test = input_features(x_train, FEATURES), input_features(x_test, FEATURES)",
    ]


def _model_code(start, input_size, classes):
    """The MLP of make_model, with the initial weights of the seed."""
    weight_decay, l1 = penalties(start)
    dtype, backend = precision_of(start)
    activations = start.activations
    activation = activations[0] if len(set(activations)) == 1 else activations
    arguments = [
        f"input_size={_literal(input_size)}",
        f"hidden_sizes={_literal(start.hidden)}",
        f"output_size={_literal(classes)}",
        f"activation={_literal(activation)}" if activations else None,
        f"weight_init={_literal(start.init)}",
        f"weight_decay={_literal(weight_decay)}" if weight_decay else None,
        f"l1={_literal(l1)}" if l1 else None,
        f"dropout={_literal(start.dropout_rates)}" if any(start.dropout_rates) else None,
        f"dtype=np.{dtype.__name__}",
        "seed=SEED",
        f"backend={_literal(backend)}" if backend != "numpy" else None,
        'loss="mse"' if start.regression else None,
    ]
    return [
        "# --- model ---",
        "model = MLP(",
        *(f"    {argument}," for argument in arguments if argument),
        ")",
    ]


def _training_code(start, train_size, changes, step_count):
    """The optimizer and Trainer of Session._start, then the steps between the changes and the changes."""
    schedule = _schedule_code(start)
    lines = [
        "# --- training ---",
        f"optimizer = {_optimizer_code(start)}",
        f"trainer = Trainer(model, optimizer, seed=SEED{'' if schedule == 'None' else f', schedule={schedule}'})",
        f"trainer.set_data(features_train, t_train, batch_size={capped_batch_size(start.batch_size, train_size)})",
    ]
    if schedule != "None":
        lines.append("trainer.apply_schedule()  # the first epoch's rate")
    trained_to = 0
    for step, description, statements in changes:
        if step > trained_to:
            lines.append(f"trainer.train_steps({step - trained_to})")
            trained_to = step
        lines += ["", f"# step {step}: {description}", *statements]
    if step_count > trained_to:
        lines.append(f"trainer.train_steps({step_count - trained_to})")
    return lines


def _result_code(regression=False):
    """The loss and accuracy (a ``regression``'s R²) the page records (``playground.session.passes``), printed to
    the last bit."""
    measure, score, name = ("loss_and_r2", "r2", "R²") if regression else ("loss_and_accuracy", "accuracy", "accuracy")
    return [
        "# --- result ---",
        f"loss, {score} = {measure}(model.predict(features_train), t_train)",
        f"test_loss, test_{score} = {measure}(model.predict(features_test), t_test)",
        'print(f"steps: {trainer.step_count}, epochs: {trainer.current_epoch}")',
        f'print(f"{FINAL_LOSS_LABEL} {{loss:.17g}}")',
        f'print(f"final training {name}: {{{score}:.17g}}")',
        f'print(f"test loss: {{test_loss:.17g}}, test {name}: {{test_{score}:.17g}}")',
    ]
