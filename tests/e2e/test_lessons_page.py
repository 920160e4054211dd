"""The lessons page in a real browser: every lesson's card in English and Korean, its button opening the playground
with the lesson's settings and flags in the page's language, no serious axe-core violation, and a phone's width."""

from urllib.parse import parse_qsl, urlsplit

import pytest

from playground.i18n import tr
from playground.lessons import LESSONS, expand
from playground.links import access_from_query, from_query
from tests.e2e.test_accessibility import (
    SCREENS,
    axe_source,  # noqa: F401  (the fixture this file's tests take)
    blocking_violations,
    wider_than_the_screen,
)

LANGS = {"en": "", "ko": "?lang=ko"}


def open_lessons(page, url, lang):
    page.goto(f"{url}/lessons{LANGS[lang]}")
    page.get_by_text(tr(LESSONS["overfitting"].title, lang), exact=True).wait_for()  # the last card drawn


def lesson_button(page, lesson, lang):
    return page.get_by_role("link", name=tr("Open this lesson: {title}", lang, title=tr(lesson.title, lang)))


def link_query(page):
    return dict(parse_qsl(urlsplit(page.url).query, keep_blank_values=True))


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_lists_every_lesson_with_its_goal_and_a_button_to_open_it(page, app_url, lang):
    open_lessons(page, app_url, lang)
    for lesson in LESSONS.values():
        assert page.get_by_text(tr(lesson.title, lang), exact=True).is_visible()
        assert page.get_by_text(tr(lesson.task.text, lang), exact=True).is_visible()
        href = lesson_button(page, lesson, lang).get_attribute("href")
        assert dict(parse_qsl(urlsplit(href).query)) == {"lesson": lesson.id} | ({"lang": "ko"} if lang == "ko" else {})
    assert link_query(page) == ({"lang": "ko"} if lang == "ko" else {})


@pytest.mark.parametrize("lang", LANGS)
def test_a_lessons_button_opens_the_playground_with_its_settings_and_flags(page, app_url, lang):
    lesson = LESSONS["features"]
    open_lessons(page, app_url, lang)
    with page.context.expect_page() as opened:
        lesson_button(page, lesson, lang).click()
    playground = opened.value
    playground.locator(".spl-status").wait_for()
    playground.locator('[data-testid="stSkeleton"]').first.wait_for(state="detached")
    shown = link_query(playground)  # the link the playground writes: what it runs, its flags and its language
    wanted, _ = expand({"lesson": lesson.id})
    assert from_query(shown) == from_query(wanted)
    assert access_from_query(shown) == access_from_query(wanted)
    assert shown.get("lang", "en") == lang
    # the data set is locked: its control drawn disabled, showing the lesson's circle
    data_set = playground.locator(".st-key-dataset input")
    assert data_set.input_value() == tr("Circle", lang) and data_set.is_disabled()
    playground.close()


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("lang", LANGS)
def test_the_lessons_page_has_no_serious_violation(browser, app_url, axe_source, screen, lang):  # noqa: F811
    context = browser.new_context(**SCREENS[screen])
    page = context.new_page()
    page.set_default_timeout(30_000)
    open_lessons(page, app_url, lang)
    page.get_by_text(tr("The answer", lang)).first.click()  # an answer revealed
    found = blocking_violations(page, axe_source)
    context.close()
    assert not found, "\n".join(found)


def test_the_lessons_page_reads_on_a_phone(phone, app_url):
    open_lessons(phone, app_url, "ko")
    assert wider_than_the_screen(phone) == []
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    button = lesson_button(phone, LESSONS["line"], "ko")
    box = button.bounding_box()
    assert box["width"] <= 390 and box["height"] >= 24  # a target a finger can press
