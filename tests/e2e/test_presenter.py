"""Presenter mode at 1920 × 1080, a projector's screen: the sidebar closed, the charts' text at least 20 px and
their lines as thick, the status line large, the view on the screen, the keyboard's shortcuts at work; from a
link's ``present=1`` or from the toggle, which the link then follows; in English and Korean, and no serious
accessibility violation."""

import re
import time

import numpy as np
import pytest

from tests.e2e.test_accessibility import axe_source, blocking_violations  # noqa: F401  (a fixture, and its use)
from tests.e2e.test_browser import epoch, live, open_app, status, wait_until
from tests.e2e.test_live_view import canvas_pixels, collisions, drawn, line_width, redrawn

PROJECTOR = {"width": 1920, "height": 1080}
ROOM_TEXT = 20  # px: the smallest chart text read from the back of a room
TOGGLE = {"en": "Presenter mode", "ko": "발표 모드"}
SPEED = re.compile("steps/s|초당")


@pytest.fixture
def projector(browser):
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def sidebar_open(page):
    return page.locator("#stSidebar").get_attribute("data-collapsed") == "false"


def presenting(page):
    """Whether the link in the address bar says presenter mode (as written: Playwright's page.url may lag it)."""
    return "present=1" in page.evaluate("location.search")


def smallest_text(page):
    """The smallest text the charts drew: the regions' and the curves' ticks, the legend, the network's names."""
    sizes = []
    for chart in (".spl-regions-canvas", ".spl-curves-canvas"):
        ticks = [label for label in redrawn(page, chart)["labels"] if re.fullmatch(r"[-\d.,%]+", label["text"])]
        assert len(ticks) > 6, chart
        sizes += [label["height"] for label in ticks]
    legend = drawn(page, ".spl-curves-canvas")["boxes"]["legend"]
    assert len(legend) == 4
    sizes += [entry["height"] for entry in legend]
    network = redrawn(page, ".spl-network-canvas")
    assert collisions(network) == []
    sizes += [label["height"] for label in network["labels"]]
    return min(sizes)


def legend_line(page):
    """The training loss's line in the legend, level: its width in CSS pixels (test_live_view measures it so)."""
    swatch = drawn(page, ".spl-curves-canvas")["boxes"]["legend"][0]
    ratio = page.evaluate("devicePixelRatio")
    pixels = canvas_pixels(page, ".spl-curves-canvas", "RGBA")
    band = pixels[int(swatch["y"] * ratio) : int((swatch["y"] + swatch["height"]) * ratio)]
    return line_width(band, np.array([0x00, 0x72, 0xB2]), [int((swatch["x"] + 4) * ratio)], ratio)


def status_size(page):
    return float(page.locator(".spl-status").evaluate("status => getComputedStyle(status).fontSize")[:-2])


@pytest.mark.parametrize("lang", ["en", "ko"], ids=["English", "Korean"])
def test_a_link_with_present_opens_presenter_mode_for_the_back_of_a_room(projector, app_url, lang):
    page = projector
    open_app(page, app_url, f"?present=1&lang={lang}&view=show_network")
    wait_until(lambda: not sidebar_open(page))
    assert presenting(page) and page.get_by_role("switch", name=TOGGLE[lang]).is_checked()
    assert smallest_text(page) >= ROOM_TEXT
    assert legend_line(page) >= ROOM_TEXT * 3 / 16 - 0.1  # the lines as thick as for 20 px text, or thicker
    assert status_size(page) >= 1.5 * 16  # the page's text is 16 px
    for chart in (".spl-regions-canvas", ".spl-curves-canvas"):  # side by side, each whole on the screen
        box = page.locator(chart).bounding_box()
        assert box["width"] >= 0.45 * PROJECTOR["height"] and box["y"] + box["height"] <= PROJECTOR["height"], chart

    page.keyboard.press("Space")
    wait_until(lambda: SPEED.search(status(page)) and live(page, "at-step") > 10)
    page.keyboard.press("Space")
    wait_until(lambda: not SPEED.search(status(page)))
    paused_at = epoch(page)
    time.sleep(1)
    assert epoch(page) == paused_at
    page.keyboard.press("ArrowRight")
    wait_until(lambda: epoch(page) == paused_at + 1)

    page.locator("button[aria-controls='stSidebar']").click()  # the header's », one tap away
    wait_until(lambda: sidebar_open(page))
    assert presenting(page)


@pytest.mark.parametrize("lesson", ["neurons", "features"])
def test_a_lessons_task_card_leaves_the_charts_on_the_screen_and_their_text_as_large(projector, app_url, lesson):
    """The tallest of the lessons' cards (three goals, their text on two lines), in Korean, whose text wraps more."""
    page = projector
    open_app(page, app_url, f"?present=1&lesson={lesson}&lang=ko&view=show_network")
    card = page.locator(".spl-task")
    card.wait_for()
    assert card.bounding_box()["height"] > 150  # the task's text, its goals and the answer's summary
    for chart in (".spl-regions-canvas", ".spl-curves-canvas"):
        redrawn(page, chart)
        box = page.locator(chart).bounding_box()
        assert box["y"] + box["height"] <= PROJECTOR["height"], chart
    assert smallest_text(page) >= ROOM_TEXT


def test_the_toggle_turns_presenter_mode_on_and_off_and_the_link_follows(projector, app_url):
    page = projector
    open_app(page, app_url, "?lang=ko&view=show_network")
    assert sidebar_open(page) and not presenting(page)
    usual = smallest_text(page)
    assert usual < ROOM_TEXT  # 16 px here, with the sidebar open beside the charts
    toggle = page.locator(".st-key-presenter").get_by_text(TOGGLE["ko"])
    toggle.click()
    wait_until(lambda: presenting(page) and not sidebar_open(page))
    wait_until(lambda: smallest_text(page) >= ROOM_TEXT)
    assert status_size(page) >= 1.5 * 16
    toggle.click()
    wait_until(lambda: not presenting(page) and sidebar_open(page))  # open again, as it was
    wait_until(lambda: smallest_text(page) == usual)
    assert status_size(page) == 16


@pytest.mark.parametrize("lang", ["en", "ko"], ids=["English", "Korean"])
def test_presenter_mode_has_no_serious_violation(projector, app_url, axe_source, lang):  # noqa: F811
    open_app(projector, app_url, f"?present=1&lang={lang}&view=show_network")
    wait_until(lambda: not sidebar_open(projector))
    found = blocking_violations(projector, axe_source)
    assert not found, "\n".join(found)
