"""The hidden space in a browser: it moves as the network learns, says what it shows, and fits a phone in Korean."""

import re

import numpy as np

from playground.links import from_query
from playground.session import Session
from playground.session.space import sample
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
        "가로축 은닉층 1 · 뉴런 1, 세로축 은닉층 1 · 뉴런 2. 화살표 키로 학습 데이터를 하나씩 짚어 봅니다."
    )


def pointed_at(page):
    """The tip of the first training point the hidden space drew, hovered: (the point's index among the space's
    training points, the tip's lines)."""
    canvas = page.locator(SPACE)
    canvas.scroll_into_view_if_needed()
    redrawn(page, SPACE)
    index, x, y = canvas.evaluate("c => c.points[0]")
    canvas.hover(position={"x": x, "y": y})
    tip = page.locator(".spl-tip")
    tip.wait_for()
    return index, tip.inner_text().splitlines()


def test_a_hovered_point_says_its_class_where_it_was_and_where_the_layer_put_it(page, app_url):
    open_app(page, app_url, "?view=show_network,hidden_space&space_axes=1,2")
    index, lines = pointed_at(page)
    session = Session()  # the page's defaults: the same points, shuffled alike, and the same initial weights
    x1, x2 = sample(session.data.x_train)[index].astype(np.float32)  # as sent
    label = sample(session.data.t_train)[index].argmax()
    hidden = session.probe((x1, x2))["hidden"][0]
    assert lines[:2] == [f"class {label}", f"x1 {x1:.2f}, x2 {x2:.2f}"]
    found = re.fullmatch(r"in the hidden space: layer 1 · neuron 1 (\S+), layer 1 · neuron 2 (\S+)", lines[2])
    a, b = float(found[1]), float(found[2])
    assert abs(a - hidden[0]) < 0.01 and abs(b - hidden[1]) < 0.01  # the layer's own values, to the drawing's grain


def test_on_a_phone_in_korean_a_tap_on_a_regressions_point_says_its_value(phone, app_url):
    open_app(phone, app_url, "?view=hidden_space&lang=ko&data=wave&hidden=6&space_axes=pca")
    canvas = phone.locator(SPACE)
    canvas.scroll_into_view_if_needed()
    redrawn(phone, SPACE)
    index, x, y = canvas.evaluate("c => c.points[0]")
    canvas.tap(position={"x": x, "y": y})
    phone.locator(".spl-tip").wait_for()
    lines = phone.locator(".spl-tip").inner_text().splitlines()
    settings, _ = from_query({"data": "wave", "hidden": "6"})
    value = np.float32(sample(Session(settings).data.t_train)[index, 0])  # as sent
    assert lines[0] == f"이 점의 값 {value:.3f}" and lines[2].startswith("은닉 공간에서: 주성분 1 ")
    assert ", 주성분 2 " in lines[2] and phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_by_keyboard_the_arrow_keys_step_through_the_points_each_with_its_tip(page, app_url):
    open_app(page, app_url, "?view=hidden_space&space_axes=1,2")
    canvas = page.locator(SPACE)
    canvas.scroll_into_view_if_needed()
    redrawn(page, SPACE)
    assert canvas.get_attribute("aria-label").endswith("Arrow keys step through the training points.")
    points = canvas.evaluate("c => c.points.map(([index]) => index)")
    page.locator(".spl-regions-canvas").focus()  # the last of the view's canvases the keyboard reaches before it
    page.keyboard.press("Tab")
    assert canvas.evaluate("c => c === document.activeElement")
    tip = page.locator(".spl-tip")
    tip.wait_for()
    session = Session()
    x1, x2 = sample(session.data.x_train)[points[0]].astype(np.float32)
    assert tip.inner_text().splitlines()[1] == f"x1 {x1:.2f}, x2 {x2:.2f}"  # the first point drawn, as it arrives
    page.keyboard.press("ArrowRight")
    x1, x2 = sample(session.data.x_train)[points[1]].astype(np.float32)
    assert tip.inner_text().splitlines()[1] == f"x1 {x1:.2f}, x2 {x2:.2f}"  # the next
    voice = page.locator(".spl-tip-voice")  # a screen reader hears what the keyboard reached
    assert voice.get_attribute("aria-live") == "polite"
    assert voice.inner_text() == " · ".join(tip.inner_text().splitlines())
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    x1, x2 = sample(session.data.x_train)[points[-1]].astype(np.float32)
    assert tip.inner_text().splitlines()[1] == f"x1 {x1:.2f}, x2 {x2:.2f}"  # round to the last
    page.keyboard.press("Tab")
    assert not tip.is_visible()  # the keyboard gone, its tip too
