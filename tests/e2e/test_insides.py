"""Inside the training in a real browser: the layers' histograms move as the network trains, the dead ReLUs'
share is said in words, a hover or the keyboard reads a strip at an epoch, and it all fits a phone and a
projector."""

import re

import numpy as np

from playground.session import Session
from playground.session.insides import ACTIVATION_BINS, GRADIENT_BINS, SHARE_LEVELS, Insides
from playground.settings import Settings
from tests.e2e.test_accessibility import axe_source, blocking_violations  # noqa: F401 (a fixture)
from tests.e2e.test_browser import live, open_app, press, status, wait_until
from tests.e2e.test_live_view import canvas_pixels, collisions, redrawn

FIRST = ".spl-insides-canvas >> nth=0"


def test_the_layers_histograms_move_while_it_trains_on_a_projector(browser, app_url):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        open_app(page, app_url, "?view=show_network,insides")
        section = page.locator(".spl-insides")
        section.scroll_into_view_if_needed()
        assert section.get_by_role("heading", name="Inside the training").is_visible()
        canvases = page.locator(".spl-insides-canvas")
        assert canvases.count() == 2  # the hidden layer's and the output layer's
        assert canvases.first.get_attribute("role") == "img"
        assert canvases.first.get_attribute("aria-label").startswith("hidden layer 1:")
        assert page.locator(".spl-insides-name").all_inner_texts() == ["hidden layer 1 · Sigmoid", "output layer"]
        before = canvas_pixels(page, FIRST)
        press(page, "Play")
        wait_until(lambda: live(page, "at-step") > 400)
        page.locator(FIRST).scroll_into_view_if_needed()
        wait_until(lambda: not np.array_equal(canvas_pixels(page, FIRST), before), timeout=10)
        for index in range(2):
            assert collisions(redrawn(page, f".spl-insides-canvas >> nth={index}")) == []
        assert re.search(r"‖W‖ \d", page.locator('[data-testid="insides-numbers"]').first.inner_text())
    finally:
        context.close()


def test_on_a_phone_a_relu_networks_dead_share_is_said_as_a_percentage_in_korean(phone, app_url):
    open_app(phone, app_url, "?view=insides&hidden=8,8&activation=relu&lang=ko")
    numbers = phone.locator('[data-testid="insides-numbers"]')
    assert numbers.count() == 3
    phone.locator(".spl-insides").scroll_into_view_if_needed()
    wait_until(lambda: "죽은 ReLU" in numbers.first.inner_text(), timeout=10)
    for layer in range(2):
        assert re.search(r"죽은 ReLU: \d+\.\d %", numbers.nth(layer).inner_text())
    assert "죽은" not in numbers.nth(2).inner_text()  # the output layer has no ReLUs
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    first = phone.locator(".spl-insides-canvas").first.bounding_box()
    assert first["width"] > 300  # one panel a row, at the phone's width
    assert collisions(redrawn(phone, FIRST)) == []
    strip = phone.locator(FIRST).evaluate("c => c.boxes.gradients")
    phone.locator(FIRST).tap(position={"x": strip["x"] + strip["width"] / 2, "y": strip["y"] + strip["height"] / 2})
    tip = phone.locator(".spl-tip")
    tip.wait_for()
    lines = tip.inner_text().splitlines()
    assert lines[0].startswith("은닉층 1 · 에폭 ") and lines[1].startswith("|dW| ") and "가중치의 " in lines[1]
    assert re.match(r"죽은 ReLU: \d+\.\d %", lines[-1])
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # the tip inside the screen


def test_a_network_without_hidden_layers_says_so_and_still_shows_its_gradients_and_norm(page, app_url):
    open_app(page, app_url, "?view=insides&hidden=")
    assert page.locator(".spl-insides-none").is_visible()
    assert page.locator(".spl-insides-name").all_inner_texts() == ["output layer"]
    assert re.search(r"‖W‖ \d", page.locator('[data-testid="insides-numbers"]').inner_text())


def test_inside_the_training_has_no_serious_violation_in_korean(page, app_url, axe_source):  # noqa: F811
    open_app(page, app_url, "?view=insides&hidden=6,4&activation=relu&lang=ko")
    page.locator(".spl-insides").scroll_into_view_if_needed()
    assert page.locator(".spl-insides-canvas").first.get_attribute("aria-label").startswith("은닉층 1:")
    found = blocking_violations(page, axe_source)
    assert not found, "\n".join(found)


def share(shares, bin):
    return f"{100 * int(shares[bin]) / SHARE_LEVELS:.1f} %"


def test_a_hover_and_the_keyboard_read_a_layers_strips_at_an_epoch(page, app_url):
    """The tips' numbers against a snapshot taken here of a session trained the same 3 epochs: the fullest bins by
    keyboard, the bin under the pointer by mouse, and the arrow keys back through the epochs."""
    open_app(page, app_url, "?view=insides&activation=tanh&init=auto")  # activations spread over tanh's -1 to 1
    for epochs in (1, 2, 3):
        page.locator(".st-key-step button:visible").first.click()  # Epoch
        wait_until(lambda epochs=epochs: live(page, "at-step") == 8 * epochs)
    session = Session(Settings(activation="tanh", init="auto"))
    for _ in range(3):
        session.step_epoch()
    snapshot = Insides(session.trainer, session.model, session.features_train).snapshot(0, 3, 24)
    activations, gradients = snapshot["activations"][:ACTIVATION_BINS], snapshot["gradients"][:GRADIENT_BINS]
    most_active, most_dW = int(activations.argmax()), int(gradients.argmax())
    norm = f"‖W‖ {snapshot['norms'][0]:.3f}"

    canvas = page.locator(FIRST)
    canvas.scroll_into_view_if_needed()
    assert canvas.get_attribute("aria-label").endswith("Arrow keys step through the epochs.")
    wait_until(lambda: redrawn(page, FIRST) and canvas.evaluate("c => Object.keys(c.boxes).length") == 3)
    keyboard_to(page, canvas)
    tip = page.locator(".spl-tip")
    wait_until(lambda: tip.is_visible())
    low, high = -1 + 2 * most_active / ACTIVATION_BINS, -1 + 2 * (most_active + 1) / ACTIVATION_BINS
    assert tip.inner_text().splitlines() == [
        "hidden layer 1 · epoch 3",
        f"most activations: {low:.3g} to {high:.3g}, {share(activations, most_active)} of the values",
        f"most |dW|: {10 ** (-8 + most_dW / 4):.3g} to {10 ** (-8 + (most_dW + 1) / 4):.3g}, "
        f"{share(gradients, most_dW)} of the weights",
        norm,
    ]
    page.keyboard.press("ArrowLeft")
    assert tip.inner_text().startswith("hidden layer 1 · epoch 2\n")
    assert page.locator(".spl-tip-voice").inner_text() == " · ".join(tip.inner_text().splitlines())  # said too
    page.keyboard.press("Home")
    assert tip.inner_text().startswith("hidden layer 1 · epoch 0\n")
    page.keyboard.press("Tab")  # the output layer's panel: its gradients and norm
    lines = tip.inner_text().splitlines()
    assert lines[0] == "output layer · epoch 3" and lines[1].startswith("most |dW|: ") and len(lines) == 3
    page.keyboard.press("Tab")
    assert not tip.is_visible()  # the keyboard gone, its tip too

    boxes = canvas.evaluate("c => c.boxes")
    right = lambda box: box["x"] + box["width"] - 2  # noqa: E731 (the last snapshot's column)
    strip = boxes["activations"]
    canvas.hover(
        position={"x": right(strip), "y": strip["y"] + (1 - (most_active + 0.5) / ACTIVATION_BINS) * strip["height"]}
    )
    wait_until(lambda: tip.is_visible())
    assert tip.inner_text().splitlines()[:2] == [
        "hidden layer 1 · epoch 3",
        f"activations {low:.3g} to {high:.3g}: {share(activations, most_active)} of the values",
    ]
    strip = boxes["gradients"]
    row = GRADIENT_BINS - 1 - most_dW  # the largest at the top
    canvas.hover(position={"x": right(strip), "y": strip["y"] + (row + 0.5) / GRADIENT_BINS * strip["height"]})
    wait_until(lambda: tip.inner_text().splitlines()[1].startswith("|dW| "))
    assert tip.inner_text().splitlines()[1:] == [
        f"|dW| {10 ** (-8 + most_dW / 4):.3g} to {10 ** (-8 + (most_dW + 1) / 4):.3g}: "
        f"{share(gradients, most_dW)} of the weights",
        norm,
    ]

    # Play and Pause by the page's key, each a new setup, keep the panels and the keyboard's place on this one
    keyboard_to(page, canvas)
    page.keyboard.press("Space")
    wait_until(lambda: "steps/s" in status(page))
    page.keyboard.press("Space")
    wait_until(lambda: "steps/s" not in status(page))
    assert canvas.evaluate("c => c === document.activeElement")
    epoch = int(re.search(r"Epoch ([\d,]+)", status(page)).group(1).replace(",", ""))
    epoch_of = lambda: int(re.match(r"hidden layer 1 · epoch ([\d,]+)", tip.inner_text()).group(1).replace(",", ""))  # noqa: E731
    page.keyboard.press("End")
    wait_until(lambda: epoch_of() == epoch)  # the latest snapshot, the paused run's last epoch
    for _ in range(3):  # a Pause mid-epoch records a row, and a snapshot, of the same epoch
        page.keyboard.press("ArrowLeft")
        if epoch_of() < epoch:
            break
    assert 3 <= epoch_of() < epoch


def keyboard_to(page, canvas):
    """Tab from the regions to ``canvas``, as a keyboard arrives at it."""
    page.locator(".spl-regions-canvas").focus()
    for _ in range(3):
        page.keyboard.press("Tab")
        if canvas.evaluate("c => c === document.activeElement"):
            break
    assert canvas.evaluate("c => c === document.activeElement")
