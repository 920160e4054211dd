"""One training step in slow motion, chapter 1 on the live network: the mini-batch (미니배치), the forward pass
a layer at a time (순전파), the backward pass with every gradient (역전파, 기울기) and the update (갱신).

Every number comes from nnlib's own layers and optimizer on the session's own model, as they return it or keep
it (``Affine.forward``, ``SoftmaxWithLoss.y``, ``Affine.grads``, ``Adam.m``): nothing here restates a formula. A
regression's step is the same walk with its own loss layer, ``IdentityWithLoss``, whose output is the prediction.
The update is the session's own ``step``, so the step shown is the step training takes. No Streamlit.
"""

import copy
import functools
import inspect

import numpy as np

from nnlib.backend import to_numpy
from nnlib.functions import softmax
from nnlib.trainer import Trainer
from playground.session.passes import layer_outputs

STAGES = ("batch", "forward", "backward", "update")
UPDATE = STAGES.index("update")
# what other threads use to take turns on a session (see ``Session.held``): never put back to an earlier value
SHARED_FIELDS = ("lock", "hurry")


def numbers(array):
    """A model's array or scalar as float64 NumPy on the CPU: exact for float32 too, and ready to send."""
    return np.array(to_numpy(array), dtype=np.float64)


@functools.cache
def source(function):
    """``{"name": "Affine.forward", "code": ...}``: nnlib code that computed a stage, its own source, as the lab
    page shows its steps' code."""
    return {"name": function.__qualname__, "code": inspect.getsource(function)}


def sources(functions):
    """The sources of ``functions``, each once, in the order met: a stage's code, from the first layer to the last."""
    return [source(function) for function in dict.fromkeys(functions)]


def optimizer_methods(optimizer):
    """The optimizer's ``update`` and the methods of its own that it calls (AdaGrad's and RMSprop's
    ``_accumulate``, Momentum's and Nesterov's ``_move``), as its class resolves them."""
    kind = type(optimizer)
    own = [name for name in dir(kind) if name.startswith("_") and not name.startswith("__")]
    return [kind.update, *(getattr(kind, name) for name in own if inspect.isfunction(getattr(kind, name)))]


def neuron_values(model, features, outputs, row):
    """Every neuron's value for one row of ``features``, from ``outputs``, each layer's (``passes.layer_outputs``):

    - ``input``: ``{"shape": (rows, features), "values": (features,)}``, the row's input features;
    - ``layers``: for each of ``model.layers`` in order (Affine, activation, ..., Affine), ``{"name": "Affine",
      "shape": (rows, width), "values": (width,)}``: the layer's output for all the rows passed (the book's
      computational graph: N×2 → N×10 → N×10 → N×3) and its ``width`` values for this row;
    - ``hidden``: the diagram's hidden columns, each hidden layer's activation output for the row (``layers[1::2]``'s
      values); ``scores``: the last Affine's, one per class; ``probabilities``: their softmax (a regression's: its
      predictions, the scores themselves, as ``MLP.probabilities`` gives them).

    Arrays are float64 NumPy (``numbers``)."""
    layers = [
        {"name": type(layer).__name__, "shape": tuple(output.shape), "values": numbers(output[row])}
        for layer, output in zip(model.layers, outputs)
    ]
    scores = layers[-1]["values"]
    return {
        "input": {"shape": tuple(features.shape), "values": numbers(features[row])},
        "layers": layers,
        "hidden": [layer["values"] for layer in layers[1::2]],
        "scores": scores,
        "probabilities": scores if model.is_regression else numbers(softmax(outputs[-1][row : row + 1])[0]),
    }


def target(model, row):
    """What the loss compares a point's output with: its class (the index of its one-hot row), or a regression's
    value."""
    return float(to_numpy(row)[0]) if model.is_regression else int(to_numpy(row).argmax())


class Undo:
    """All that one step changes in a session, saved before it, so that ← from the update puts it back bit for bit:
    the weights and gradients (changed in place), the optimizer (its state arrays, Adam's step count and the rate
    are changed in place, and a divergence replaces it: a deep copy), the trainer's position and step count, the
    history (whose lists a step appends to, thins or pops) and every field of the session and of its guards."""

    def __init__(self, session):
        model = session.model
        self.weights, self.grads = model.flat_params.copy(), model.flat_grads.copy()
        self.optimizer = copy.deepcopy(session.optimizer)
        self.trainer = dict(vars(session.trainer))
        self.history = {column: list(values) for column, values in session.history.items()}
        self.guards = dict(vars(session.guards))
        self.session = {name: value for name, value in vars(session).items() if name not in SHARED_FIELDS}

    def restore(self, session):
        """Put the session back as it was (once: what it puts back is no longer this object's)."""
        vars(session).update(self.session)
        vars(session.trainer).update(self.trainer)
        vars(session.guards).update(self.guards)
        session.optimizer = session.trainer.optimizer = self.optimizer
        session.history = self.history
        session.model.flat_params[...] = self.weights
        session.model.flat_grads[...] = self.grads


class SlowStep:
    """A session's next training step in stages (STAGES), paused between them: ``next_stage`` (→) and
    ``previous_stage`` (←) move through them any number of times, ``choose`` picks the batch's point that the
    stages follow, and ``data`` is what the stage on show shows. The session holds it (``Session.enter_slow_step``
    makes it, ``Session.slow_step`` reads it); call it under the session's lock, as anything that changes it.

    The session is always as the stage shows it, so leaving slow motion at any stage, which is only forgetting this
    object, leaves the session exactly as a run that took the same steps without it. Before the update the step is
    not taken: only its batch is drawn (``Trainer.next_batch``: at an epoch's start, the shuffle the step would
    draw), and the gradients the backward stage computes are put back; the same batch is next. The update takes
    the step with the session's own ``step``; ← from it puts back all that the step changed (``Undo``); → from it
    goes on to the next step's batch (the step before can no longer be undone)."""

    def __init__(self, session, shown=None, point=0):
        self.session = session
        config = session.model.config
        sizes = [config["input_size"], *config["hidden_sizes"], config["output_size"]]
        if shown is not None and (len(shown) != len(sizes) or not all(1 <= n <= s for n, s in zip(shown, sizes))):
            raise ValueError(f"shown must give 1 to each column's size of neurons, {sizes}, not {shown}")
        self.sizes = tuple(sizes)
        self.shown = tuple(sizes if shown is None else shown)  # per column: how many neurons' links are sent
        self._begin(point)

    def _begin(self, point):
        """Draw the next step's batch and walk its forward and backward passes: the batch stage."""
        trainer = self.session.trainer
        self.trainer, self.settings, self.steps_before = trainer, self.session.settings, trainer.step_count
        self.epoch = trainer.current_epoch
        self.batch = trainer.next_batch()
        self.iteration = trainer.iterations_per_epoch - trainer.steps_left_in_epoch
        self.ends_epoch = trainer.steps_left_in_epoch == 1
        self.stage = 0
        self._undo = self._update = None
        self.choose(point)

    def current(self):
        """Whether the session is still where these stages left it: paused, the same run and settings, and the
        step taken only once the update is on show."""
        session = self.session
        return (
            not session.playing
            and session.trainer is self.trainer
            and session.settings == self.settings
            and self.trainer.step_count == self.steps_before + (self.stage == UPDATE)
        )

    @property
    def stage_name(self):
        return STAGES[self.stage]

    @property
    def position(self):
        """(step, stage) on show: the step counted from 1 and the stage's index in STAGES, in the order → moves."""
        return self.steps_before + 1, self.stage

    def go_to(self, step, stage):
        """→ or ← until ``position`` is (step, stage), as far back as ← goes (this step's batch): a control names
        where its click goes rather than a move, so a click that reaches the server twice moves once. Returns the
        stage's name.

        Raises ValueError for a stage outside STAGES or a step beyond the next one."""
        if not (0 <= stage < len(STAGES) and step <= self.steps_before + 2):
            raise ValueError(f"go to a stage of this step or the next, not stage {stage} of step {step}")
        while self.position < (step, stage):
            self.next_stage()
        while self.position > (step, stage) and self.stage > 0:
            self.previous_stage()
        return self.stage_name

    def next_stage(self):
        """→: the next stage (the update takes the step), or from the update, the next step's batch; returns
        the stage's name."""
        if self.stage == UPDATE:
            self._begin(self.point)
        elif self.stage == UPDATE - 1:
            self._update = self._take_step()
            self.stage = UPDATE
        else:
            self.stage += 1
        return self.stage_name

    def previous_stage(self):
        """←: the stage before, the step undone when leaving the update; the batch stays where it is (the step
        before it is taken for good). Returns the stage's name."""
        if self.stage == UPDATE:
            self._undo.restore(self.session)
            self._undo = self._update = None
            if self._walk["point"] != self.point:  # chosen while the update was on show
                self._walk = self._walked()
        self.stage = max(self.stage - 1, 0)
        return self.stage_name

    def choose(self, point):
        """Follow the batch's point at position ``point`` (of ``data()["indices"]``) through the stages.

        Raises ValueError for a position outside the batch."""
        if not (isinstance(point, int | np.integer) and 0 <= point < len(self.batch.indices)):
            raise ValueError(f"the batch has {len(self.batch.indices)} points: choose one from 0 to the last")
        self.point = int(point)
        if self.stage < UPDATE:  # the walk is of the weights before the step
            self._walk = self._walked()

    def _links(self, arrays):
        """Each Affine's matrix in ``arrays`` (one per layer of links, in order), cut to the links drawn."""
        return [numbers(array[:rows, :cols]) for array, rows, cols in zip(arrays, self.shown, self.shown[1:])]

    def _walked(self):
        """The batch's forward and backward passes, a layer at a time through the session's model, read for the
        chosen point; the gradients it computes are put back after (they are a step's own: the update computes
        them again, to the same bits)."""
        model, (x, t, _), point = self.session.model, self.batch, self.point
        affines, penalty = model.layers[0::2], bool(model.weight_decay or model.l1)
        loss_kind = type(model.loss_layer)  # SoftmaxWithLoss, or a regression's IdentityWithLoss
        grads = model.flat_grads.copy()
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging model's numbers show as they are
            total_loss = model.forward(x, t)  # the batch's loss as the step computes it, the penalty included
            outputs = layer_outputs(model, x)
            loss = model.loss_layer.forward(outputs[-1], t)
            forward = neuron_values(model, x, outputs, point) | {
                "probabilities": numbers(model.loss_layer.y[point]),
                "target": target(model, t[point]),
                "point_loss": float(loss_kind().forward(outputs[-1][point : point + 1], t[point : point + 1])),
                "loss": float(loss),
                "penalty": float(model.penalty()) if penalty else None,
                "total_loss": float(total_loss),
            }
            dout = model.loss_layer.backward()
            layers = [None] * len(model.layers)
            backward = {"loss_gradient": numbers(dout[point])}
            for index in reversed(range(len(model.layers))):
                layer, arriving = model.layers[index], dout
                dout = layer.backward(arriving)
                layers[index] = {
                    "name": type(layer).__name__,
                    "dout": numbers(arriving[point]),
                    "dx": None if dout is None else numbers(dout[point]),
                }
            loss_dW = self._links([layer.grads[0] for layer in affines]) if penalty else [None] * len(affines)
            model.penalty_backward()
            dW = self._links([layer.grads[0] for layer in affines])
            backward["layers"] = layers
            backward["links"] = [
                {
                    "shape": tuple(layer.params[0].shape),
                    "shown": (rows, cols),
                    "dW": link_dW,
                    "dW_loss": link_loss_dW,
                    "db": numbers(layer.grads[1]),
                }
                for layer, link_dW, link_loss_dW, rows, cols in zip(affines, dW, loss_dW, self.shown, self.shown[1:])
            ]
        model.flat_grads[...] = grads
        kinds = [type(layer) for layer in model.layers]
        penalty_forward, penalty_backward = (
            ([type(model).penalty], [type(model).penalty_backward]) if penalty else ([], [])
        )
        forward["sources"] = sources([kind.forward for kind in kinds] + [loss_kind.forward] + penalty_forward)
        backward["sources"] = sources(
            [loss_kind.backward] + [kind.backward for kind in reversed(kinds)] + penalty_backward
        )
        return {"point": point, "forward": forward, "backward": backward}

    def _take_step(self):
        """The update: the session's own step, with what it changed read from the model and the optimizer."""
        session, model, (x, t, _) = self.session, self.session.model, self.batch
        self._undo = Undo(session)
        lr = session.optimizer.lr  # the rate this step uses: an epoch's end sets the next epoch's after it
        grid_before = session.grid_probabilities()
        session.step()
        with np.errstate(over="ignore", invalid="ignore"):
            loss_after = float(model.forward(x, t))
            penalty_after = float(model.penalty()) if model.weight_decay or model.l1 else None
        optimizer = session.optimizer
        state = {
            name: model.param_views(value[0]) for name, value in vars(optimizer).items() if isinstance(value, list)
        }
        before, after = model.param_views(self._undo.weights), model.param_views(model.flat_params)
        W_before, W_after = self._links(before[0::2]), self._links(after[0::2])
        b_before, b_after = [numbers(b) for b in before[1::2]], [numbers(b) for b in after[1::2]]
        state = {name: (self._links(views[0::2]), [numbers(b) for b in views[1::2]]) for name, views in state.items()}
        links = [
            {
                "shape": walked["shape"],
                "shown": walked["shown"],
                "dW": walked["dW"],
                "W_before": W_before[index],
                "W_after": W_after[index],
                "change": W_after[index] - W_before[index],
                "b_before": b_before[index],
                "b_after": b_after[index],
                "b_change": b_after[index] - b_before[index],
                "state": {name: {"W": W[index], "b": b[index]} for name, (W, b) in state.items()},
            }
            for index, walked in enumerate(self._walk["backward"]["links"])
        ]
        return {
            "optimizer": type(optimizer).__name__,
            "lr": float(lr),
            "hyper_parameters": {
                name: value
                for name, value in vars(optimizer).items()
                if isinstance(value, int | float) and name != "lr"
            },
            "links": links,
            "loss_before": self._walk["forward"]["total_loss"],
            "loss_after": loss_after,
            "penalty_before": self._walk["forward"]["penalty"],
            "penalty_after": penalty_after,
            "grid_before": grid_before,
            "grid_after": session.grid_probabilities(),
            "ended_epoch": session.trainer.current_epoch != self.epoch,
            "step_taken": session.trainer.step_count,
            "message": session.message,
            "notice": session.notice,
            "sources": sources(optimizer_methods(optimizer)),
        }

    def data(self):
        """What the stage on show shows, a dict. Arrays are float64 NumPy on the CPU (exact images of a float32
        model's numbers); N is the batch size, F the input features, C the classes.

        Every stage: ``stage`` (a name of STAGES) and ``index`` (0 to 3); ``step``, the step shown, counted from 1
        as the history counts steps; ``epoch`` and ``iteration``, the step's, from 0; ``size``, N; ``point``, the
        chosen point's position in the batch, and ``point_index``, its row in the training split
        (``session.data.x_train``); ``can_go_back`` (False at the batch); ``sizes``, every column's neurons
        (inputs, hidden layers, classes), ``shown``, how many first neurons of each column the links' matrices
        below cover (the diagram's), and ``thinned``, whether that is fewer; ``sources``, a list of ``{"name":
        "Affine.forward", "code": its source}``, each nnlib function that computed the stage, once, in order.

        A regression (one output, IdentityWithLoss) has C = 1: its "probabilities" are its predictions, its
        cross-entropy is the squared error ½·(y − t)², and its grids hold predicted values.

        - batch: ``indices`` (N,) int, the batch's rows of the training split in its order; ``starts_epoch`` (the
          epoch's shuffle was drawn for it); ``ends_epoch`` (the step ends its epoch, whose row the history adds).
        - forward, for the chosen point (shapes for the batch): ``input`` ``{"shape": (N, F), "values": (F,)}``;
          ``layers``, one per layer of ``model.layers`` (Affine, activation, ..., Affine), ``{"name": "Affine",
          "shape": (N, width), "values": (width,)}``, every neuron; ``hidden``, each hidden layer's activation
          values (``layers[1::2]``'s: the diagram's hidden columns); ``scores`` (C,); ``probabilities`` (C,), as
          SoftmaxWithLoss keeps them (``y``); ``target``, its class (a regression's: its value, float);
          ``point_loss``, its cross-entropy alone;
          ``loss``, the batch's mean cross-entropy; ``penalty``, the L1/L2 part (None without); ``total_loss``,
          their sum: what the step minimises and records.
        - backward: ``loss_gradient`` (C,), SoftmaxWithLoss's gradient (y − t)/N for the point; ``layers``, one
          per layer in forward order (the pass runs them last to first), ``{"name", "dout": (width out,) arriving
          for the point, "dx": (width in,) passed back, None from the first Affine (the data need none)}``;
          ``links``, one per Affine (column k to k + 1), ``{"shape": (in, out), "shown": (rows, cols), "dW": (rows,
          cols), the batch's gradient of the total loss for the links shown (``W[:rows, :cols]``), "dW_loss": the
          cross-entropy's part of it (None without a penalty), "db": (out,), every bias's}``.
        - update, the step taken: ``optimizer``, its class's name; ``lr``, the rate the step used (the
          schedule's); ``hyper_parameters``, the optimizer's other numbers after it (momentum, decay_rate, beta1,
          beta2, Adam's step count ``iter``); ``links``, one per Affine, ``{"shape", "shown", "dW", "W_before",
          "W_after", "change" (after − before), all (rows, cols); "b_before", "b_after", "b_change", (out,);
          "state": {name: {"W": (rows, cols), "b": (out,)}}}``, the optimizer's state after the step (Momentum's
          and Nesterov's ``v``, AdaGrad's and RMSprop's ``h``, Adam's ``m`` and ``v``; none for SGD);
          ``loss_before``, ``loss_after`` (the batch's total loss), ``penalty_before``, ``penalty_after`` (None
          without); ``grid_before``, ``grid_after`` (resolution², C), the class probabilities over the regions'
          grid (``Session.grid_probabilities``); ``ended_epoch``; ``step_taken``, the step count now; ``message``,
          the session's after the step (a divergence's) or None, and ``notice`` (a target reached) or None."""
        batch, point = self.batch, self.point
        common = {
            "stage": self.stage_name,
            "index": self.stage,
            "step": self.steps_before + 1,
            "epoch": self.epoch,
            "iteration": self.iteration,
            "size": len(batch.indices),
            "point": point,
            "point_index": int(batch.indices[point]),
            "can_go_back": self.stage > 0,
            "shown": self.shown,
            "sizes": self.sizes,
            "thinned": self.shown != self.sizes,
        }
        if self.stage_name == "batch":
            return common | {
                "indices": np.array(batch.indices),
                "starts_epoch": self.iteration == 0,
                "ends_epoch": self.ends_epoch,
                "sources": sources([Trainer.next_batch, Trainer._next_rows]),
            }
        if self.stage == UPDATE:
            return common | self._update
        return common | self._walk[self.stage_name]
