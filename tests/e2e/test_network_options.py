"""The network options beyond the book's, in a real browser: zero initial weights, and dropout per hidden layer."""

import re
import time

import numpy as np
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.test_browser import choose, epoch, open_app, press, status, wait_until
from tests.e2e.test_live_view import canvas_pixels, paused_after


def neuron_shown_large(page, name):
    """The pixels of hidden neuron ``name``'s map shown large, once they stay the same for a moment."""
    choose(page, "Neuron shown large", name)
    page.locator(".spl-neuron-title").get_by_text(name, exact=True).wait_for()
    pixels = None
    for _ in range(50):
        time.sleep(0.3)
        before, pixels = pixels, canvas_pixels(page, ".spl-neuron-canvas")
        if before is not None and np.array_equal(before, pixels):
            return pixels
    raise AssertionError(f"{name}'s map kept changing while paused")


def test_zero_init_keeps_every_hidden_neuron_the_same_while_random_init_does_not(page, app_url):
    open_app(page, app_url, "?init=zero&hidden=4")
    paused_after(page, 40)
    maps = [neuron_shown_large(page, f"layer 1 · neuron {index}") for index in range(1, 5)]
    assert maps[0].std() > 5  # a map, not a blank square: the neurons learned something
    assert all(np.array_equal(maps[0], other) for other in maps[1:])
    open_app(page, app_url, "?hidden=4")  # the book's 0.01·randn: four neurons, four maps
    paused_after(page, 40)
    first, second = (neuron_shown_large(page, f"layer 1 · neuron {index}") for index in (1, 2))
    assert np.abs(first.astype(int) - second.astype(int)).mean() > 5


def train_accuracy(page):
    return float(re.search(r"accuracy train ([\d.]+)%", status(page)).group(1))


def test_a_formulas_data_set_chosen_in_the_sidebar_is_learned_past_what_a_line_can_do(page, app_url):
    # a net that learns fast, on points without jitter: only a curve gets past the ~90 % a straight line scores
    open_app(page, app_url, "?noise=0&hidden=8,8&activation=relu&init=auto&optimizer=Adam&lr=0.03")
    choose(page, "Data set", "Formula: x2 > |x1| − ½")
    page.wait_for_url(re.compile("data=abs"))
    assert train_accuracy(page) < 60  # epoch 0: the new data, the untrained net
    press(page, "Play")
    wait_until(lambda: epoch(page) >= 5 and train_accuracy(page) >= 97, timeout=60)


def choose_in_popover(page, popover, box, option):
    """``choose`` in a popover, opened by its button while the box is out of sight (a page run may close it)."""
    for _ in range(3):
        if not page.get_by_role("combobox", name=box).is_visible():
            popover.click()
        try:
            page.get_by_role("combobox", name=box).click(timeout=5_000)
            page.get_by_role("option", name=option, exact=True).click(timeout=3_000)
            return
        except PlaywrightError:
            page.keyboard.press("Escape")
    raise AssertionError(f"could not choose {option} in {box}")


def test_dropout_from_a_link_shows_per_layer_plays_and_turned_off_leaves_the_link(page, app_url):
    open_app(page, app_url, "?hidden=12,8&activation=relu&init=auto&dropout=0.5,0")
    popover = page.locator(".st-key-dropout_popover button").first
    assert popover.inner_text().startswith("Dropout 0.5 · 0")
    popover.click()
    first, second = (page.get_by_role("combobox", name=f"Drop. {layer}") for layer in (1, 2))
    assert (first.input_value(), second.input_value()) == ("0.5", "0")
    page.keyboard.press("Escape")
    first.wait_for(state="hidden")
    paused_after(page, 3)
    assert epoch(page) >= 3 and train_accuracy(page) > 50  # it trains, measured without dropout
    choose_in_popover(page, popover, "Drop. 1", "0")
    page.wait_for_url(re.compile(r"dropout=(&|$)"))
    wait_until(lambda: epoch(page) == 0)  # a network without dropout, from its initial weights
    assert popover.inner_text().startswith("No dropout")
