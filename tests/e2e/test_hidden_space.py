"""The hidden space in a browser: it moves as the network learns, says what it shows, and fits a phone in Korean."""

import re

import numpy as np

from tests.e2e.test_accessibility import axe_source, blocking_violations  # noqa: F401 (a fixture)
from tests.e2e.test_browser import live, open_app, press, wait_until
from tests.e2e.test_live_view import canvas_pixels, collisions, paused_after, redrawn

SPACE = ".spl-space-canvas"


def drawing(page):
    """The hidden space's pixels once its drawing is at its size."""
    redrawn(page, SPACE)
    return canvas_pixels(page, SPACE)


def test_the_hidden_space_moves_while_playing_and_names_its_axes(page, app_url):
    open_app(page, app_url, "?view=show_network,hidden_space")
    canvas = page.locator(SPACE)
    canvas.scroll_into_view_if_needed()
    assert canvas.get_attribute("role") == "img"
    assert re.match(r"The hidden space: .* as Hidden layer 1 · width 10 maps them, on PC 1 across and PC 2 up",
                    canvas.get_attribute("aria-label"))  # fmt: skip
    before = drawing(page)
    press(page, "Play")
    moments = []
    for steps in (60, 240):
        wait_until(lambda steps=steps: live(page, "at-step") > steps)
        moments.append(canvas_pixels(page, SPACE))
    assert (np.abs(moments[0].astype(int) - before).sum(axis=2) > 60).sum() > 200  # the lines and points moved
    assert (np.abs(moments[1].astype(int) - moments[0]).sum(axis=2) > 60).sum() > 200  # and go on moving
    press(page, "Pause")
    chart = redrawn(page, SPACE)
    assert {"PC 1", "PC 2"} <= {label["text"] for label in chart["labels"]}
    assert collisions(chart) == []


def test_on_a_phone_in_korean_it_fits_the_screen_and_a_layer_of_neurons_names_them(phone, app_url):
    open_app(phone, app_url, "?view=hidden_space&lang=ko&hidden=10,4&space_layer=1&space_axes=2,3")
    paused_after(phone, 2, "ko")
    canvas = phone.locator(SPACE)
    canvas.scroll_into_view_if_needed()
    chart = redrawn(phone, SPACE)
    assert 330 < chart["width"] <= 390
    assert {"은닉층 1 · 뉴런 2", "은닉층 1 · 뉴런 3"} <= {label["text"] for label in chart["labels"]}
    assert collisions(chart) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    controls = phone.locator(".st-key-space_controls").bounding_box()
    assert controls["x"] >= 0 and controls["x"] + controls["width"] <= 390
    assert (canvas_pixels(phone, SPACE).min(axis=2) < 200).sum() > 500  # drawn: lines and points on white


def test_a_network_without_hidden_layers_says_so_in_words(page, app_url):
    open_app(page, app_url, "?view=hidden_space&hidden=")
    note = page.locator(".spl-space-note")
    assert note.inner_text() == "This network has no hidden layer: its inputs go straight to the output layer."
    assert not page.locator(SPACE).is_visible()


def test_axe_finds_no_serious_violation_with_the_hidden_space_in_korean(page, app_url, axe_source):  # noqa: F811
    open_app(page, app_url, "?view=hidden_space&lang=ko&space_axes=1,2")
    page.locator(SPACE).scroll_into_view_if_needed()
    found = blocking_violations(page, axe_source)
    assert not found, "\n".join(found)
    label = page.locator(SPACE).get_attribute("aria-label")
    assert label == (
        "은닉 공간: 은닉층 1 · 뉴런 10개에서 본 입력 평면의 격자선과 학습 데이터, "
        "가로축 은닉층 1 · 뉴런 1, 세로축 은닉층 1 · 뉴런 2"
    )
