"""A teacher's link in a real browser (issue 25): what it hides is missing from the page, what it locks is there
and disabled, the keyboard cannot reach around them, and "Make a link for my class" builds a link that reopens
the page as it was, flags included, in a page of its own and in an iframe on another origin."""

import re
import threading
import time
import urllib.parse
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.e2e.test_browser import epoch, open_app, status, wait_until

LINK = "?hide=lr,play,data,test,lab&lock=batch,hidden,hard,seed&lr=0.3&data=moons&view=show_test,show_network"
HIDDEN_WIDGETS = (".st-key-learning_rate", ".st-key-run", ".st-key-dataset")
LOCKED_SLIDERS = (".st-key-batch_size", ".st-key-hidden_layers")
SIDEBAR_WORDS = {"en": "This link locks some controls (greyed) and hides others", "ko": "이 링크는 일부 컨트롤을"}
PAGES = {"en": "Chapter 1 lab", "ko": "1장 실습"}


def visible(page, selector):
    return page.locator(f"{selector}:visible").count() > 0


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_link_hides_and_locks_exactly_what_it_names(page, app_url, lang):
    open_app(page, app_url, f"{LINK}&lang={lang}")
    for selector in HIDDEN_WIDGETS:
        assert page.locator(selector).count() == 0, selector
    for selector in LOCKED_SLIDERS:
        assert page.locator(f"{selector} input[type='range']").is_disabled(), selector
    assert (
        page.locator(".st-key-seed input").is_disabled()
        and page.locator(".st-key-regenerate button").first.is_disabled()
    )
    assert (
        page.locator(".st-key-view button[aria-pressed]").count() == 4
    )  # log-scale loss, network, inside the training and hidden space; test points hidden
    (hard,) = page.locator(".st-key-view_locked button[aria-pressed]").all()
    assert hard.is_disabled() and hard.get_attribute("aria-pressed") == "false"
    for free in (".st-key-step", ".st-key-reset", ".st-key-features", ".st-key-activation"):
        assert visible(page, free), free
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert SIDEBAR_WORDS[lang] in sidebar and PAGES[lang] not in sidebar  # the lab's page is hidden too
    assert "0.3" in status(page) and "lr=0.3" in page.url and "hide=" in page.url and "lock=" in page.url


def test_the_keyboard_cannot_press_what_the_link_hides_or_locks(page, app_url):
    open_app(page, app_url, LINK)
    page.locator(".st-key-live_view").click(position={"x": 5, "y": 5})
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Space")  # Play is hidden: nothing plays
    page.keyboard.press("KeyH")  # hard regions locked: stays off
    time.sleep(2)
    assert (
        epoch(page) == 0
        and page.locator(".st-key-view_locked button[aria-pressed]").get_attribute("aria-pressed") == "false"
    )
    network = page.locator(".st-key-view button[aria-pressed]").nth(1)
    assert network.get_attribute("aria-pressed") == "true"
    page.keyboard.press("KeyN")  # the network, still the user's to switch, under its own key
    wait_until(lambda: network.get_attribute("aria-pressed") == "false")
    page.keyboard.press("ArrowRight")  # one epoch: Epoch is not locked
    wait_until(lambda: epoch(page) == 1)
    assert "show_test" in page.url  # the hidden test points stay on, as the link set them


def class_link_dialog(page):
    page.locator(".st-key-class_link button").first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Make a link for my class").wait_for()
    return dialog


def pick(dialog, key, option):
    box = dialog.locator(f".st-key-{key} input")
    box.click()
    box.fill(option)
    box.press("Enter")
    box.press("Escape")


def built_link(dialog):
    return dialog.locator("code").first.inner_text().strip()


def test_the_class_link_reopens_the_page_with_its_flags_and_task(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    open_app(page, app_url, "?lr=0.1&hidden=6,3&data=circle")
    dialog = class_link_dialog(page)
    pick(dialog, "class_link_hidden", "Learning rate")
    pick(dialog, "class_link_locked", "Data set")
    dialog.locator(".st-key-class_link_task textarea").fill("Reach 90 % <b>with</b> 2 layers")
    dialog.locator(".st-key-class_link_task textarea").press("Control+Enter")
    wait_until(lambda: "hide=lr" in built_link(dialog) and "task=" in built_link(dialog))
    link = built_link(dialog)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
    assert (query["hide"], query["lock"]) == (["lr"], ["data"])
    assert query["task"] == ["Reach 90 % <b>with</b> 2 layers"]
    assert query["lr"] == ["0.1"] and query["hidden"] == ["6,3"] and query["data"] == ["circle"]
    snippet = dialog.locator("code").nth(1).inner_text()
    assert "<iframe" in snippet and "embed=true" in snippet

    student = context.new_page()
    student.goto(link)
    student.locator(".spl-status").get_by_text(re.compile(r"Epoch \d")).wait_for()
    assert student.locator(".st-key-learning_rate").count() == 0
    assert student.locator(".st-key-dataset input").is_disabled()
    assert "0.1" in status(student)
    wait_until(lambda: urllib.parse.parse_qs(urllib.parse.urlsplit(student.url).query) == query)
    context.close()


@pytest.fixture
def other_origin(tmp_path):
    """A static web server on another port: a school's page that embeds the playground."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_the_embed_snippet_plays_in_an_iframe_on_another_origin(page, app_url, other_origin):
    folder, origin = other_origin
    open_app(page, app_url, "?speed=0&hide=teacher")
    assert page.locator(".st-key-class_link").count() == 0  # hidden: students see no link maker
    open_app(page, app_url, "?speed=0")
    snippet = class_link_dialog(page).locator("code").nth(1).inner_text()
    (folder / "lesson.html").write_text(f"<!doctype html><title>Lesson</title><h1>Our lesson</h1>{snippet}")
    page.goto(f"{origin}/lesson.html")
    frame = page.frame_locator("iframe")
    frame.locator(".spl-status").get_by_text(re.compile(r"Epoch \d")).wait_for(timeout=60_000)
    assert frame.locator('[data-testid="stMainMenu"]').count() == 0  # embedded: no menu
    frame.locator(".st-key-run").get_by_role("radio", name=re.compile("Play$")).click()
    wait_until(lambda: epoch(frame) > 20)
