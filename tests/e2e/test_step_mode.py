"""One training step in slow motion, as a learner meets it in a real browser: the stages walked with the keyboard,
the numbers the diagram and the panel show against nnlib's own layers run in the test, Play going on from there as
a run that never slowed down, a batch's point chosen with a click, the paused probe, Korean, a phone, and no painted
frame without a chart while the stages change. The stages' pictures go to the artifacts, or where STEP_MODE_PICTURES
says: docs/step-mode, the README's, to take them again."""

import os
import re
import time
from pathlib import Path

import numpy as np

from bench.browser_tools import Screencast, chart_boxes, missing_chart
from playground.live import frames
from playground.session import Session
from tests.e2e.test_browser import ARTIFACTS, live, open_app, press, status, wait_until
from tests.e2e.test_live_view import collisions, redrawn

STAGES = ("batch", "forward", "backward", "update")
PICTURES = Path(os.environ.get("STEP_MODE_PICTURES", ARTIFACTS / "step-mode"))
NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?:e[-+]\d+)?$")


def stage(page):
    """The stage the live view draws, "" outside slow motion."""
    return page.locator(".spl-live").get_attribute("data-stage")


def at_stage(page, name):
    wait_until(lambda: stage(page) == name)
    time.sleep(0.3)  # its page run's frame drawn after the socket's


def canvas_texts(page):
    """The diagram's words and numbers, in the order it wrote them."""
    return page.locator(".spl-network-canvas").evaluate("canvas => canvas.labels.map(label => label.text)")


def drawn_texts(page):
    """The numbers written on the diagram's nodes, in its columns' order (inputs, hidden layers, classes)."""
    return [text for text in canvas_texts(page) if NUMBER.match(text)]


def assert_shown(shown, exact, slack=0.0):
    """Each number as the diagram rounds it: within half its last digit of the exact value (and ``slack`` of its
    size: the probe's values travel in float16)."""
    assert len(shown) == len(exact)
    for text, value in zip(shown, exact):
        digits, _, power = text.partition("e")
        decimals = len(digits.partition(".")[2])
        unit = 10.0 ** (int(power or 0) - decimals)
        assert abs(float(text) - value) <= 0.5 * unit + slack * abs(value) + 1e-12, (text, value)


def stage_bar(page):
    """The stage bar's stages, each (its words, whether it is the one chosen)."""
    segments = page.locator(".st-key-stage button")
    return [
        (segment.inner_text().strip(), segment.get_attribute("aria-checked") == "true") for segment in segments.all()
    ]


def panel(page):
    """The words of the panel below the view (markdown blocks after the stage's heading)."""
    return page.locator('[data-testid="stMainBlockContainer"]').inner_text()


def nnlib_step(steps, point=0, settings=None):
    """The step a page after ``steps`` Steps shows in slow motion, computed here with nnlib's own layers on a session
    of the page's settings (``settings``: a link's, else the defaults) stepped the same way: the batch, each layer's
    output, the loss's gradient and the dout arriving at the hidden layer, for the batch's point at ``point``."""
    session = Session(settings)
    for _ in range(steps):
        session.step()
    x, t, rows = session.trainer.next_batch()
    outputs, out = [], x
    for layer in session.model.layers:  # Affine, an activation, Affine
        out = layer.forward(out)
        outputs.append(out)
    loss = type(session.model.loss_layer)()  # SoftmaxWithLoss, or a regression's IdentityWithLoss
    loss.forward(out, t)
    dout = loss.backward()
    arriving_at_hidden = session.model.layers[2].backward(dout)
    return {
        "rows": rows,
        "forward": [*x[point], *outputs[1][point], *loss.y[point]],
        "backward": [*arriving_at_hidden[point], *dout[point]],
        "probabilities": loss.y[point],
        "gradient": dout[point],
    }


def screenshot(page, name):
    """The page at 1280 × 800 with the stage's part of the view in sight: the stage bar and the regions for the batch
    and the update, the diagram under the stage's words for the passes through it."""
    page.mouse.move(1270, 790)  # no tip in the picture
    main = page.locator('[data-testid="stMain"]')
    if name in ("batch", "update"):
        main.evaluate("main => main.scrollTo(0, 0)")
    else:  # the caption just below the sticky run bar
        main.evaluate(
            "main => main.scrollBy(0, document.querySelector('.spl-network-caption').getBoundingClientRect().top - 230)"
        )
    time.sleep(0.8 if name == "update" else 0.3)  # the regions' morph done
    PICTURES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PICTURES / f"{name}.png"))


def test_a_step_walked_with_the_keyboard_shows_nnlibs_numbers_and_play_goes_on_as_if_it_never_slowed(page, app_url):
    open_app(page, app_url)
    for _ in range(2):
        page.locator(".st-key-one_step button:visible").first.click()
        time.sleep(0.5)
    wait_until(lambda: live(page, "at-step") == 2)
    page.locator(".st-key-slow_motion button:visible").first.click()
    at_stage(page, "batch")
    expected = nnlib_step(2)
    assert stage_bar(page) == [("Mini-batch", True), ("Forward", False), ("Backward", False), ("Update", False)]
    assert f"rows [{', '.join(map(str, expected['rows'][:5]))}, … 25 more]" in panel(page)
    screenshot(page, "batch")

    page.keyboard.press("ArrowRight")
    at_stage(page, "forward")
    assert_shown(drawn_texts(page), expected["forward"])
    table = page.locator("table").filter(has_text="probability")
    probabilities = [float(cell) for cell in table.locator("tr").last.locator("td").all_inner_texts()[1:]]
    np.testing.assert_allclose(probabilities, expected["probabilities"], rtol=1e-3)
    assert [text for text in canvas_texts(page) if "×" in text] == ["30×2", "30×10", "30×3"]
    screenshot(page, "forward")

    page.keyboard.press("ArrowRight")
    at_stage(page, "backward")
    assert_shown(drawn_texts(page), expected["backward"])
    gradient = re.search(r"= \[([^\]]+)\], y its probabilities", panel(page)).group(1)
    np.testing.assert_allclose([float(value) for value in gradient.split(", ")], expected["gradient"], rtol=1e-3)
    screenshot(page, "backward")

    page.keyboard.press("ArrowRight")
    at_stage(page, "update")
    assert live(page, "at-step") == 3  # the update is the step taken
    screenshot(page, "update")

    # back to the batch and no further, and forward again to the update, each painted frame with both charts
    page.locator('[data-testid="stMain"]').evaluate("main => main.scrollTo(0, 0)")
    screencast = Screencast(page)
    for key, name in [("ArrowLeft", name) for name in ("backward", "forward", "batch", "batch")] + [
        ("ArrowRight", name) for name in ("forward", "backward", "update")
    ]:
        page.keyboard.press(key)
        screencast.record(10, during=lambda name=name: stage(page) == name)
        screencast.record(0.5)
        if name == "batch":
            assert live(page, "at-step") == 2 and stage_bar(page)[0] == ("Mini-batch", True)
    boxes = chart_boxes(page)
    missing = [index for index, (_, jpeg) in enumerate(screencast.frames) if missing_chart(jpeg, boxes)]
    assert len(screencast.frames) > 10 and missing == []

    # Play leaves slow motion and goes on from the step shown, as a run that took its steps without it
    press(page, "Play")
    wait_until(lambda: live(page, "at-step") > 40)
    press(page, "Pause")
    wait_until(lambda: "steps/s" not in status(page))
    time.sleep(0.5)
    assert stage(page) == "" and page.locator(".st-key-stage").count() == 0
    steps = live(page, "at-step")
    plain = Session()
    for _ in range(steps):
        plain.step()
    assert status(page) == frames.status_text(plain, "en").replace("**", "")


def test_a_click_on_a_batchs_point_follows_it_through_the_stages(page, app_url):
    open_app(page, app_url, "?slow=forward")
    at_stage(page, "forward")
    expected = nnlib_step(0, point=7)
    session = Session()
    x1, x2 = session.data.x_train[expected["rows"][7]]
    canvas = page.locator(".spl-regions-canvas")
    plot = canvas.evaluate("c => c.boxes.plot")
    (low1, high1), (low2, high2) = (
        (grid[0] - (grid[1] - grid[0]) / 2, grid[-1] + (grid[1] - grid[0]) / 2)
        for grid in (session.grid_x1, session.grid_x2)
    )
    across = plot["x"] + (x1 - low1) / (high1 - low1) * plot["width"]
    down = plot["y"] + (high2 - x2) / (high2 - low2) * plot["height"]
    canvas.click(position={"x": across, "y": down})
    wait_until(lambda: f"(row {expected['rows'][7]}, class" in panel(page))
    time.sleep(0.5)
    assert_shown(drawn_texts(page), expected["forward"])


def test_paused_a_hover_shows_every_neurons_value_there_on_the_diagram(page, app_url):
    open_app(page, app_url)
    assert drawn_texts(page) == []  # the neurons' pictures, not numbers
    session = Session()
    size = frames.PROBE_RESOLUTION
    ticks = np.linspace(0, len(session.grid_x1) - 1, size).round().astype(int)
    point = (session.grid_x1[ticks[18]], session.grid_x2[ticks[6]])  # one of the grid's points the probe reads
    canvas = page.locator(".spl-regions-canvas")
    plot = canvas.evaluate("c => c.boxes.plot")
    half1, half2 = (np.diff(grid[:2])[0] / 2 for grid in (session.grid_x1, session.grid_x2))
    low1, high1 = session.grid_x1[0] - half1, session.grid_x1[-1] + half1
    low2, high2 = session.grid_x2[0] - half2, session.grid_x2[-1] + half2
    box = canvas.bounding_box()
    page.mouse.move(
        box["x"] + plot["x"] + (point[0] - low1) / (high1 - low1) * plot["width"],
        box["y"] + plot["y"] + (high2 - point[1]) / (high2 - low2) * plot["height"],
    )
    page.locator(".spl-tip").get_by_text("The network: each neuron's value here").wait_for()
    probed = session.probe(point)  # that point through the model
    exact = [*probed["input"]["values"], *probed["hidden"][0], *probed["probabilities"]]
    assert_shown(drawn_texts(page), exact, slack=1e-3)
    page.mouse.move(box["x"] + box["width"] + 40, box["y"] + 10)  # off the regions: the pictures again
    wait_until(lambda: drawn_texts(page) == [])


def test_slow_motion_speaks_korean_in_the_books_terms(page, app_url):
    open_app(page, app_url, "?lang=ko&slow=backward")
    at_stage(page, "backward")
    assert stage_bar(page) == [("미니배치", False), ("순전파", False), ("역전파", True), ("갱신", False)]
    assert page.locator(".spl-network-caption").inner_text().startswith("반복 1, 역전파:")
    assert page.get_by_role("heading", name="4단계 중 3단계: 역전파: 기울기").count() == 1
    page.keyboard.press("ArrowRight")
    at_stage(page, "update")
    assert page.locator(".spl-network-caption").inner_text().startswith("반복 1, 갱신:")


def test_on_a_phone_the_stages_fit_the_screen_and_a_tap_moves_on(phone, app_url):
    open_app(phone, app_url, "?slow=forward")
    at_stage(phone, "forward")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert collisions(redrawn(phone, ".spl-network-canvas")) == []  # the numbers in their nodes, the shapes apart
    moves = [phone.locator(f".st-key-stage_{name} button:visible").first for name in ("back", "next", "leave")]
    for move in moves:
        found = move.bounding_box()
        assert found["width"] >= 44 and found["height"] >= 44 and found["x"] + found["width"] <= 390
    stages = phone.locator(".st-key-stage button")
    assert all(stages.nth(index).bounding_box()["x"] + stages.nth(index).bounding_box()["width"] <= 390
               for index in range(4))  # fmt: skip
    moves[1].tap()
    at_stage(phone, "backward")
    moves[2].tap()
    wait_until(lambda: stage(phone) == "")
