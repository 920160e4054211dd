"""What axe-core finds in a real browser: the playing playground and the lab, in English and Korean, on a desktop
and a phone, with no serious or critical violation; and the lab read in Korean on a phone.

axe-core is the npm package pinned in tests/e2e/package.json and its lock file (``npm ci --prefix tests/e2e``),
read from node_modules and run inside the page: nothing is fetched. Without it these tests are skipped and say
so, unless REQUIRE_BROWSER=1, as .ci/run sets after installing it: then a missing axe-core fails the run.
"""

import os
import time
from pathlib import Path

import pytest

from tests.e2e.test_browser import epoch, open_app, press, wait_until

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        reason = "axe-core is not installed (npm ci --prefix tests/e2e)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"accessibility tests are required here, but {reason}")
        pytest.skip(f"accessibility tests skipped: {reason}")
    return AXE.read_text()


def page_on(browser, screen):
    context = browser.new_context(**SCREENS[screen])
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


@pytest.fixture(params=SCREENS)
def screen(request, axe_source, browser):
    """A page on a desktop or a phone screen."""
    context, page = page_on(browser, request.param)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context, page = page_on(browser, "phone")
    yield page
    context.close()


def blocking_violations(page, axe_source):
    """Each serious or critical violation axe finds on the page as it is now: its rule, where (the element's CSS
    path and the start of its HTML, which says more than Streamlit's generated class names), and why."""
    page.add_script_tag(content=axe_source)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} at {' '.join(node['target'])} {node['html'][:80]}: {node['failureSummary']}"
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ]


def open_lab(page, url, query=""):
    page.goto(f"{url}/lab{query}")
    page.locator(".stPlotlyChart .main-svg").first.wait_for()  # the last step drawn
    page.locator('[data-testid="stSkeleton"]').first.wait_for(state="detached")


@pytest.mark.parametrize(
    ("lang", "play", "pause"), [("en", "Play", "Pause"), ("ko", "재생", "일시 정지")], ids=["English", "Korean"]
)
def test_the_playing_playground_has_no_serious_violation(screen, app_url, axe_source, lang, play, pause):
    open_app(screen, app_url, f"?view=show_network&lang={lang}")
    press(screen, play)
    wait_until(lambda: epoch(screen) > 20)
    time.sleep(2)
    found = blocking_violations(screen, axe_source)
    press(screen, pause)
    assert not found, "\n".join(found)
    time.sleep(1.5)  # paused: Play filled, the panels below the view
    found = blocking_violations(screen, axe_source)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("query", ["", "?lang=ko"], ids=["English", "Korean"])
def test_the_lab_has_no_serious_violation(screen, app_url, axe_source, query):
    open_lab(screen, app_url, query)
    found = blocking_violations(screen, axe_source)
    assert not found, "\n".join(found)


def wider_than_the_screen(page):
    """Elements that reach past the right edge of the screen, outside an SVG (whose own box clips its shapes)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(element => !element.closest('svg') && element.getClientRects().length
                    && element.getBoundingClientRect().right > innerWidth + 0.5)
            .map(element => `${element.tagName}.${element.className}`)"""
    )


def test_the_lab_reads_in_korean_on_a_phone(phone, app_url):
    """NumPy's refusal in Korean, with its shapes; the steps' code wrapped, not wider than the phone; the legend in
    Korean words."""
    page = phone
    open_lab(page, app_url, "?lang=ko")
    page.locator(".st-key-lab_inner_w input").fill("3")
    page.locator(".st-key-lab_inner_w input").press("Enter")
    error = page.locator('[data-testid="stAlertContentError"]')
    error.wait_for()
    assert error.inner_text().strip() == (
        "np.dot이 거부합니다: 형상이 맞지 않습니다: x (10,2)의 열 2개(dim 1) ≠ W (3,4)의 행 3개(dim 0)"
    )
    assert page.locator(".stCode").count() == 7
    assert wider_than_the_screen(page) == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    legend = page.locator(".stPlotlyChart .legendtext").all_text_contents()
    assert legend == ["은닉층의 소프트맥스", "은닉층의 시그모이드"]


@pytest.mark.parametrize("stage", ["backward", "update"])
@pytest.mark.parametrize("lang", ["en", "ko"], ids=["English", "Korean"])
def test_slow_motion_has_no_serious_violation(screen, app_url, axe_source, lang, stage):
    """A step in slow motion: its stage bar, the diagram's numbers and the panel with the nnlib code below."""
    open_app(screen, app_url, f"?slow={stage}&lang={lang}")
    screen.locator(".st-key-stage").wait_for()
    screen.locator('[data-testid="stCode"]').first.wait_for()  # the stage's panel, its code beside it
    found = blocking_violations(screen, axe_source)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("lang", ["en", "ko"], ids=["English", "Korean"])
def test_a_teachers_link_and_its_class_link_dialog_have_no_serious_violation(screen, app_url, axe_source, lang):
    """A lesson's link: locked and hidden controls, the task card with its answer open; then the dialog that makes
    a class link, with the task's fields and the link to copy; none wider than a phone."""
    open_app(screen, app_url, f"?lesson=neurons&hide=lr&lang={lang}")
    screen.locator(".spl-task summary").click()
    found = blocking_violations(screen, axe_source)
    assert not found, "\n".join(found)
    assert screen.evaluate("() => document.documentElement.scrollWidth") <= screen.viewport_size["width"]
    if screen.viewport_size["width"] < 640:
        screen.locator('[data-testid="stExpandSidebarButton"]').click()  # the dialog's button is in the sidebar
    screen.locator(".st-key-class_link button:visible").click()
    dialog = screen.get_by_role("dialog")
    dialog.locator("code").first.wait_for()
    found = blocking_violations(screen, axe_source)
    assert not found, "\n".join(found)
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= screen.viewport_size["width"]


@pytest.mark.parametrize("lang", ["en", "ko"], ids=["English", "Korean"])
def test_the_field_for_a_weight_on_the_diagram_has_no_serious_violation(screen, app_url, axe_source, lang):
    """Paused, a node of the diagram opened for its bias (a click; a finger's second tap), the field named and in
    view, on a desktop and a phone."""
    from tests.e2e.test_edit_weights import NETWORK, node

    open_app(screen, app_url, f"?view=show_network&hidden=4&lang={lang}")
    canvas = screen.locator(NETWORK)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y = node(screen, 2, 0)
    field = screen.locator(".spl-edit input")
    press_on = screen.touchscreen.tap if screen.viewport_size["width"] < 640 else screen.mouse.click
    for _ in range(2):  # a click opens it at once; a finger's first tap shows the tip
        if not field.is_visible():
            press_on(box["x"] + x, box["y"] + y)
    field.wait_for()
    found = blocking_violations(screen, axe_source)
    assert not found, "\n".join(found)
    assert screen.evaluate("() => document.documentElement.scrollWidth") <= screen.viewport_size["width"]
    field_box = field.bounding_box()
    assert field_box["x"] >= 0 and field_box["x"] + field_box["width"] <= screen.viewport_size["width"]


@pytest.mark.parametrize("lang", ["en", "ko"], ids=["English", "Korean"])
def test_a_regression_has_no_serious_violation_and_its_colour_key_fits_the_screen(screen, app_url, axe_source, lang):
    open_app(screen, app_url, f"?data=bumps&lang={lang}")
    found = blocking_violations(screen, axe_source)
    assert not found, "\n".join(found)
    key = screen.locator(".spl-regions .spl-key")
    key.scroll_into_view_if_needed()
    box, width = key.bounding_box(), screen.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert screen.evaluate("() => document.documentElement.scrollWidth") <= width  # nothing wider than the screen
