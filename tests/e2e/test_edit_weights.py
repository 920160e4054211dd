"""A weight or a bias typed in on the paused diagram, as TensorFlow Playground lets one do (issue 26, 2): a click on
a link opens a field named after it, Enter sets the weight and the loss follows at once; a click on an output's node
sets its bias, and the regions follow; a value that is no number is marked and sends nothing; playing, a click opens
nothing."""

import re

from tests.e2e.test_browser import open_app, press, status, wait_until
from tests.e2e.test_live_view import canvas_pixels, drawn, redrawn

NETWORK = ".spl-network-canvas"


def click_on(page, x, y):
    page.locator(NETWORK).scroll_into_view_if_needed()
    box = page.locator(NETWORK).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def node(page, column, row):
    """A node's centre on the diagram, in the canvas's CSS pixels."""
    return redrawn(page, NETWORK)["boxes"]["nodes"][column][row]


def link_middle(page, start, end):
    (x0, y0), (x1, y1) = node(page, *start), node(page, *end)
    return (x0 + x1) / 2, (y0 + y1) / 2


def regions_drawn(page):
    """The regions' pixels, in view (the view draws only the charts on the screen)."""
    page.locator(".spl-regions-canvas").scroll_into_view_if_needed()
    redrawn(page, ".spl-regions-canvas")
    return canvas_pixels(page, ".spl-regions-canvas")


def loss(page):
    return float(re.search(r"loss train ([\d.]+)", status(page)).group(1))


def test_a_link_and_a_bias_typed_in_set_the_network_and_the_regions_and_loss_follow(page, app_url):
    open_app(page, app_url, "?view=show_network&hidden=4")
    field = page.locator(".spl-edit input")
    click_on(page, *link_middle(page, (0, 0), (1, 0)))  # x1 → layer 1 · neuron 1
    field.wait_for()
    assert field.get_attribute("aria-label") == "The weight x1 → layer 1 · neuron 1: type a value, then Enter"
    before = loss(page)
    field.fill("nonsense")
    field.press("Enter")
    assert field.get_attribute("aria-invalid") == "true" and field.is_visible()  # marked, nothing sent
    field.fill("8")
    field.press("Enter")
    page.get_by_text("Set to 8 by hand").wait_for()
    wait_until(lambda: loss(page) != before)
    assert not field.is_visible()

    click_on(page, *node(page, 2, 0))  # class 0's node: its bias
    field.wait_for()
    assert field.get_attribute("aria-label") == "The bias of class 0: type a value, then Enter"
    before, regions = loss(page), regions_drawn(page)
    field.fill("-50")
    field.press("Enter")
    page.get_by_text("Set to -50 by hand").wait_for()
    wait_until(lambda: loss(page) > before)  # class 0 is never the answer now: its points cost more
    wait_until(lambda: (regions_drawn(page) != regions).any())

    press(page, "Play")
    wait_until(lambda: "steps/s" in status(page))
    click_on(page, *link_middle(page, (0, 0), (1, 0)))
    assert not field.is_visible()  # playing: a click opens nothing


def test_the_field_is_named_in_korean(page, app_url):
    open_app(page, app_url, "?view=show_network&hidden=4&lang=ko")
    assert drawn(page, NETWORK)["boxes"]["nodes"]
    click_on(page, *node(page, 2, 1))
    field = page.locator(".spl-edit input")
    field.wait_for()
    assert field.get_attribute("aria-label").endswith("의 편향: 값을 입력하고 Enter")


def test_by_keyboard_enter_opens_a_nodes_bias_and_escape_comes_back_to_the_node(page, app_url):
    open_app(page, app_url, "?view=show_network&hidden=4")
    page.locator(NETWORK).scroll_into_view_if_needed()
    page.keyboard.press("Tab")  # the skip link, then on to the diagram
    page.locator(NETWORK).focus()
    for key in ("ArrowRight", "ArrowRight", "Enter"):  # the inputs, layer 1, the outputs: class 0
        page.keyboard.press(key)
    field = page.locator(".spl-edit input")
    field.wait_for()
    assert field.get_attribute("aria-label") == "The bias of class 0: type a value, then Enter"
    page.keyboard.press("Escape")
    wait_until(lambda: not field.is_visible())
    assert page.evaluate("document.activeElement.classList.contains('spl-network-canvas')")
    page.keyboard.press("Enter")  # the same node again
    field.wait_for()
    page.keyboard.type("-50")
    page.keyboard.press("Enter")
    page.get_by_text("Set to -50 by hand").wait_for()


def test_on_a_phone_a_tap_shows_the_tip_and_a_second_tap_opens_the_field(phone, app_url):
    open_app(phone, app_url, "?view=show_network&hidden=4")
    phone.locator(NETWORK).scroll_into_view_if_needed()
    box = phone.locator(NETWORK).bounding_box()
    x, y = node(phone, 2, 0)  # class 0's node
    phone.touchscreen.tap(box["x"] + x, box["y"] + y)
    phone.locator(".spl-tip", has_text="bias ").wait_for()
    field = phone.locator(".spl-edit input")
    assert not field.is_visible()  # no keyboard for a look
    phone.touchscreen.tap(box["x"] + x, box["y"] + y)
    field.wait_for()
    assert field.get_attribute("aria-label") == "The bias of class 0: type a value, then Enter"
