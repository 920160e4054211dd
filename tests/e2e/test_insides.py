"""Inside the training in a real browser: the layers' histograms move as the network trains, the dead ReLUs'
share is said in words, and it all fits a phone and a projector."""

import re

import numpy as np

from tests.e2e.test_accessibility import axe_source, blocking_violations  # noqa: F401 (a fixture)
from tests.e2e.test_browser import live, open_app, press, wait_until
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
