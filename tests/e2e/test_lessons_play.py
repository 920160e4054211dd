"""Every built-in lesson in a real browser (issue 25): it opens on its task, unmet; with its solution it plays to
its goal, at the fastest speed, and the card says so; the page's link keeps the lesson, so a reload is the same
lesson."""

from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from playground.i18n import tr
from playground.lessons import LESSONS
from playground.links import from_query
from tests.e2e.test_browser import open_app, press, wait_until


@pytest.mark.parametrize("lesson_id", list(LESSONS))
def test_each_lesson_plays_to_its_goal_with_its_solution(page, app_url, lesson_id):
    lesson = LESSONS[lesson_id]
    open_app(page, app_url, "?" + urlencode({"lesson": lesson_id, **lesson.solution, "speed": "0"}))
    card = page.locator(".spl-task")
    assert tr(lesson.task.text, "en") in card.inner_text()
    assert "Met at epoch" not in card.inner_text()
    press(page, "Play")
    wait_until(lambda: "Met at epoch" in card.inner_text(), timeout=120)
    link = dict(parse_qsl(urlsplit(page.url).query, keep_blank_values=True))
    assert link["lesson"] == lesson_id
    assert from_query(link)[0] == from_query(lesson.query | lesson.solution)[0]  # the settings it met the goal with


def test_a_lesson_reopened_from_the_pages_link_is_the_same_lesson_in_korean(page, app_url):
    open_app(page, app_url, "?lesson=neurons&lang=ko")
    card = page.locator(".spl-task")
    text = tr(LESSONS["neurons"].task.text, "ko")
    assert text in card.inner_text()
    wait_until(lambda: "lesson=neurons" in page.url)
    open_app(page, app_url, "?" + urlsplit(page.url).query)
    assert text in page.locator(".spl-task").inner_text()
    assert page.locator(".st-key-dataset input").is_disabled()  # the lesson locks the data
