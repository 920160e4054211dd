"""The curves' hover in a real browser: it reads the history's rows by their columns' names (live.js's Curves)."""

import re

from tests.e2e.test_browser import epoch, open_app, status, step, wait_until
from tests.e2e.test_live_view import drawn, redrawn, tip_after_touch

STEPS_PER_EPOCH = 8  # the default spiral: 240 training points in batches of 30
STATUS = re.compile(
    r"Epoch (\d+) · step [\d,]+ · loss train ([\d.]+) / test ([\d.]+) · accuracy train ([\d.]+)% / test ([\d.]+)%"
)


def test_a_hover_at_the_curves_end_shows_the_last_epoch_its_step_losses_and_accuracies(page, app_url):
    open_app(page, app_url)
    for epochs in (1, 2, 3):  # an epoch at a time, each row an epoch's end (a pause within one adds its own row)
        step(page)
        wait_until(lambda epochs=epochs: epoch(page) == epochs)
    last, train_loss, test_loss, train_accuracy, test_accuracy = STATUS.match(status(page)).groups()
    plot = redrawn(page, ".spl-curves-canvas")["boxes"]["plot"]
    page.locator(".spl-curves-canvas").hover(position={"x": plot["x"] + plot["width"] - 1, "y": plot["y"] + 10})
    tip = page.locator(".spl-tip")
    tip.wait_for()
    heading, losses, accuracies = tip.inner_text().splitlines()
    assert heading == f"epoch {last} · step {int(last) * STEPS_PER_EPOCH}"
    # the status's losses and accuracies: the tip's losses to 4 places, the status's to 3; both percentages to 1
    shown = re.fullmatch(r"loss train ([\d.]+) / test ([\d.]+)", losses).groups()
    shown += re.fullmatch(r"accuracy train ([\d.]+) % / test ([\d.]+) %", accuracies).groups()
    said = (train_loss, test_loss, train_accuracy, test_accuracy)
    assert all(abs(float(a) - float(b)) <= 0.00055 for a, b in zip(shown[:2], said[:2])), (losses, said)
    assert all(abs(float(a) - float(b)) <= 0.1 for a, b in zip(shown[2:], said[2:])), (accuracies, said)


def test_on_a_phone_a_tap_on_the_curves_shows_their_tip_in_place_of_the_regions_one(phone, app_url):
    open_app(phone, app_url)
    phone.locator(".st-key-step button:visible").first.tap()  # an epoch: the curves' first rows
    wait_until(lambda: epoch(phone) == 1)
    assert re.search(r"class \d: [\d.]+ %", tip_after_touch(phone, *plot_centre(phone, ".spl-regions-canvas")))
    shown = tip_after_touch(phone, *plot_centre(phone, ".spl-curves-canvas"))
    assert re.match(r"epoch \d+ · step \d+\nloss train", shown) and "class" not in shown


def plot_centre(page, chart):
    """The centre of ``chart``'s plot on the screen, the chart scrolled into view."""
    page.locator(chart).scroll_into_view_if_needed()
    area, plot = page.locator(chart).bounding_box(), drawn(page, chart)["boxes"]["plot"]
    return area["x"] + plot["x"] + plot["width"] / 2, area["y"] + plot["y"] + plot["height"] / 2
