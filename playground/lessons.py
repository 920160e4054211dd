"""The built-in lessons (issue 25): chapter 1 of the book and the classics people teach with TensorFlow Playground,
each a link the page opens with (``?lesson=<id>``) and a task that checks itself. No Streamlit here.

A lesson's ``query`` is the playground's link as a teacher would write it: the settings to start from (``links``'
keys) and the controls it hides or locks; its ``task`` is what to reach; its ``solution`` is the change to the link
that reaches it (``tests/test_lessons.py`` plays every lesson to its goal).
"""

from dataclasses import dataclass

from playground.i18n import Message
from playground.tasks import Task

LESSON_KEY = "lesson"

# the sections of the book's chapter 1 the lessons follow: number -> title
SECTIONS = {
    "1.2": Message("Inference in a neural network"),
    "1.3.6": Message("Updating the weights"),
    "1.4.1": Message("The spiral data set"),
    "1.4.2": Message("Implementing the network"),
    "1.4.3": Message("The training code"),
}


@dataclass(frozen=True)
class Lesson:
    id: str
    title: Message
    section: str  # a key of SECTIONS: the part of chapter 1 it follows
    query: dict  # the link it opens with: settings, and the controls hidden or locked
    task: Task  # its text is the lesson's: what to try, and why
    solution: dict  # the keys changed in ``query`` that meet the task


def lesson(id, title, section, query, solution, text, answer, **goals):
    """A Lesson, its task made of its text, its answer and its goals."""
    return Lesson(id, title, section, query, Task(text, answer, **goals), solution)


LESSONS = {
    item.id: item
    for item in (
        lesson(
            "line",
            Message("A line cannot split the spiral"),
            "1.2",
            {"hidden": "", "lock": "data"},
            {"hidden": "10"},
            Message(
                "With no hidden layer the network is one Affine layer: its regions are split by straight lines, and "
                "no straight line separates the spiral's arms. Play it, then add a hidden layer and play again."
            ),
            Message("One hidden layer of 10 neurons, the book's TwoLayerNet, reaches 90 % by about epoch 130."),
            goal_acc=0.9,
            within=300,
        ),
        lesson(
            "neurons",
            Message("How many hidden neurons does the spiral need?"),
            "1.4.2",
            {"hidden": "1", "lock": "data"},
            {"hidden": "5"},
            Message(
                "The book uses 10 hidden neurons. One is far too few: each hidden neuron gives the regions one more "
                "line to bend along. Find a width of at most 5 that still reaches the goal; try 2 and 3 on the way."
            ),
            Message("5 neurons reach 90 % by about epoch 170; 3 get there too, just; 2 stay below."),
            goal_acc=0.9,
            max_neurons=5,
            within=300,
        ),
        lesson(
            "learning_rate",
            Message("The learning rate: too small, right, too large"),
            "1.3.6",
            {"hidden": "30", "activation": "tanh", "lr": "0.01", "lock": "data,hidden,activation,optimizer"},
            {"lr": "1"},
            Message(
                "Each update moves the weights by the learning rate times the gradient. At 0.01 the loss hardly "
                "moves; at 10 it jumps, and the run diverges (the page pauses it). Find a rate in between."
            ),
            Message("A learning rate of 1 reaches 95 % by about epoch 55; 0.3 by about epoch 140."),
            goal_acc=0.95,
            within=200,
        ),
        lesson(
            "batch",
            Message("The batch size and the noise of the loss"),
            "1.4.3",
            {"batch": "240", "lock": "data,hidden,lr"},
            {"batch": "10"},
            Message(
                "A batch of all 240 training points makes one smooth update per epoch: too few. Smaller "
                "mini-batches make more updates per epoch, each from fewer points, so the loss gets noisy; "
                "at a batch size of 1 it jumps around. Find a size that reaches the goal in time."
            ),
            Message("Batches of 10 reach 90 % by about epoch 45, batches of 30 by about epoch 130."),
            goal_acc=0.9,
            within=300,
        ),
        lesson(
            "saturation",
            Message("Sigmoid saturates in a deep network"),
            "1.2",
            {"hidden": "10,10,10,10", "init": "auto", "lock": "data,hidden,init"},
            {"activation": "tanh"},
            Message(
                "Sigmoid's slope is at most 0.25, and almost 0 where it saturates: through four Sigmoid layers "
                "the gradient that reaches the first layer is tiny, and the loss sits on a plateau. Try another "
                "activation."
            ),
            Message("Tanh, whose slope is 1 at 0, reaches 90 % by about epoch 20."),
            goal_acc=0.9,
            within=100,
        ),
        lesson(
            "softmax",
            Message("Softmax as a hidden activation"),
            "1.2",
            {"activation": "softmax", "lock": "data,hidden"},
            {"activation": "sigmoid"},
            Message(
                "Softmax belongs at the output, where it turns scores into probabilities. As the hidden activation "
                "its ten outputs always sum to 1: they start near 0.1 each, their gradients are small, and the loss "
                "stays above 1.05, near ln 3 ≈ 1.10, for about 45 epochs (the lab's step 7, live). Change the hidden "
                "activation."
            ),
            Message(
                "Sigmoid, the book's, reaches 90 % by about epoch 130; Softmax, after 300 epochs, is still below 90 %."
            ),
            goal_acc=0.9,
            within=300,
        ),
        lesson(
            "features",
            Message("Features instead of depth"),
            "1.2",
            {"data": "circle", "classes": "2", "hidden": "", "lock": "data,classes,hidden"},
            {"features": "x1²,x2²"},
            Message(
                "Without a hidden layer a circle cannot be separated by x1 and x2: a line never encloses it. "
                "But the circle is x1² + x2² = r²: give the network the right input features instead of a "
                "hidden layer."
            ),
            Message("x1² and x2² make the circle a straight line: 90 % within a few epochs."),
            goal_acc=0.9,
            max_layers=0,
            within=100,
        ),
        lesson(
            "init",
            Message("The book's 0.01·randn at depth, and Xavier / He"),
            "1.4.2",
            {"hidden": "10,10,10", "activation": "tanh", "init": "std:0.01", "lock": "data,hidden,activation"},
            {"init": "auto"},
            Message(
                "The book's TwoLayerNet starts from 0.01·randn weights. With one hidden layer that works; through "
                "three, the signal shrinks at every layer, and so does the gradient coming back: the loss stays at "
                "ln 3 ≈ 1.10. Change the initial weights."
            ),
            Message("Xavier / He (by activation) scales each layer's weights to its inputs: 90 % by about epoch 25."),
            goal_acc=0.9,
            within=100,
        ),
        lesson(
            "overfitting",
            Message("Overfitting with few points, and L2 against it"),
            "1.4.1",
            {
                "train": "10",
                "hidden": "50,50",
                "activation": "relu",
                "init": "auto",
                "lr": "0.3",
                "batch": "10",
                "view": "show_test,show_network",
                "lock": "data,train,hidden,activation,init,optimizer,lr,batch,schedule",
            },
            {"reg": "L2", "reg_rate": "0.003"},
            Message(
                "Only 30 training points and a large network: the training loss falls to almost 0 while the test "
                "loss turns and climbs: the network learns the points, not the spiral. L2 regularization adds the "
                "weights' squares to the loss, which keeps them small."
            ),
            Message(
                "L2 at a rate of 0.003 brings the test loss under 0.44 by about epoch 100; without it, the test loss "
                "never falls below 0.46."
            ),
            goal_loss=0.44,
            within=200,
        ),
        lesson(
            "dropout",
            Message("Dropout: overfitting held back to the end"),
            "1.4.1",
            {
                "data": "xor",
                "points": "100",
                "noise": "0.3",
                "train": "20",
                "hidden": "50,50",
                "activation": "relu",
                "init": "auto",
                "lr": "0.1",
                "batch": "10",
                "view": "show_test,show_network",
                "lock": "data,points,noise,train,hidden,activation,init,reg,optimizer,lr,batch,schedule",
            },
            {"dropout": "0.3,0.3"},
            Message(
                "20 noisy training points and two layers of 50: the test loss is lowest within a few epochs, then "
                "climbs for the rest of the run as the network learns the noise. Dropout switches off a random part of "
                "each hidden layer at every training step, so no neuron can count on another; the regions and the "
                "test loss are the whole network's. Give each hidden layer a dropout rate, and watch the test loss "
                "from epoch 200."
            ),
            Message(
                "A rate of 0.3 in both layers keeps the test loss near 0.8 from epoch 200 on (0.5: near 0.6); without "
                "dropout it is over 1.4 by then and still rising."
            ),
            goal_loss=0.9,
            from_epoch=200,
            within=300,
        ),
        lesson(
            "bumps",
            Message("A regression: six bumps, one wide layer or two"),
            "1.4.2",
            {
                "data": "bumps",
                "points": "400",
                "hidden": "24",
                "activation": "tanh",
                "init": "auto",
                "optimizer": "Adam",
                "lr": "0.03",
                "lock": "data,points,optimizer,lr",
            },
            {"hidden": "10,10"},
            Message(
                "A regression: the network fits each point's value, here six Gaussian bumps, with one output and the "
                "squared error (IdentityWithLoss) in place of Softmax with Loss. The field shows the predicted value, "
                "each point its own; R² says how much of the values' spread is explained, 1 at best. One hidden layer "
                "of 24 neurons fits the bumps slowly. Spend fewer neurons in two layers."
            ),
            Message(
                "Two layers of 10 reach R² 0.8 by about epoch 80: the second layer combines the first's slopes into "
                "bumps. One layer of 24 stays below 0.7 for 300 epochs."
            ),
            goal_acc=0.8,
            within=300,
        ),
    )
}


def expand(query):
    """``query`` with ``lesson=<id>`` made into that lesson's link, the link's own keys winning, ``lesson`` kept so
    the page knows the lesson; and a notice if it names none (the link is then read without it)."""
    query = dict(query)
    if LESSON_KEY not in query:
        return query, []
    text = str(query[LESSON_KEY])[:200]
    if text not in LESSONS:
        del query[LESSON_KEY]
        return query, [
            Message(
                "Link parameter lesson={text!r} names no lesson (the lessons are {options}); opening without one.",
                text=text,
                options=", ".join(LESSONS),
            )
        ]
    return LESSONS[text].query | query, []


def lesson_of(query):
    """The lesson a query (as ``expand`` gives it) opens, or None."""
    return LESSONS.get(query.get(LESSON_KEY))
