"""The built-in lessons: each opens from a link the page reads without a notice, its goal is out of reach as it
starts, and its solution, a change a student can make, reaches it in time; ``?lesson=`` reads as the lesson's link."""

import pytest

from playground.i18n import LANGUAGES, Message, tr
from playground.lessons import LESSON_KEY, LESSONS, SECTIONS, expand, lesson_of
from playground.links import HIDE_KEY, LOCK_KEY, access_from_query, from_query, view_from_query
from playground.session import Session
from playground.tasks import TEXT_CHARS, TaskCheck


def played(query, epochs):
    """The task's check of a run from ``query``'s settings, trained ``epochs`` epochs: its ``met_epoch`` is the first
    epoch that met every goal, or None."""
    settings, _ = from_query(query)
    session = Session(settings)
    session.step_to(epochs)
    return TaskCheck(lesson_of(query).task).status(session)


@pytest.mark.parametrize("lesson", LESSONS.values(), ids=LESSONS)
def test_a_lessons_link_and_its_solution_read_without_a_notice(lesson):
    for query in (lesson.query, lesson.query | lesson.solution):
        assert from_query(query)[1] == view_from_query(query)[1] == access_from_query(query)[1] == []
    assert lesson.section in SECTIONS and all(isinstance(text, Message) for text in (lesson.title, lesson.task.text))


@pytest.mark.parametrize("lesson", LESSONS.values(), ids=LESSONS)
def test_a_lessons_text_and_answer_fit_a_teachers_link_in_both_languages(lesson):
    """The class link's dialog starts from the tab's task, a lesson's too, and a link holds TEXT_CHARS of each."""
    for text in (lesson.task.text, lesson.task.answer):
        assert max(len(tr(text, lang)) for lang in LANGUAGES) <= TEXT_CHARS


@pytest.mark.parametrize("lesson", LESSONS.values(), ids=LESSONS)
def test_a_lessons_solution_changes_only_controls_the_student_may_change(lesson):
    access, _ = access_from_query(lesson.query)
    assert lesson.solution and not set(lesson.solution) & (access.hidden | access.locked)
    assert not {HIDE_KEY, LOCK_KEY} & set(lesson.solution)


@pytest.mark.parametrize("lesson", LESSONS.values(), ids=LESSONS)
def test_a_lessons_goal_is_not_met_as_it_starts_and_its_solution_meets_it_in_time(lesson):
    query, _ = expand({LESSON_KEY: lesson.id})
    assert played(query, lesson.task.within).met_epoch is None
    solved = played(query | lesson.solution, lesson.task.within)
    assert solved.met_epoch is not None and solved.met_epoch <= lesson.task.within
    assert all(goal.met for goal in solved.goals)


def test_a_lesson_link_is_the_lessons_query_with_the_links_own_keys_winning_and_the_lesson_kept():
    query, notices = expand({LESSON_KEY: "learning_rate", "lr": "1", "lang": "ko"})
    assert notices == []
    assert query == LESSONS["learning_rate"].query | {LESSON_KEY: "learning_rate", "lr": "1", "lang": "ko"}
    assert lesson_of(query) is LESSONS["learning_rate"]
    assert expand({"lr": "1"}) == ({"lr": "1"}, []) and lesson_of({"lr": "1"}) is None


def test_an_unknown_lesson_says_so_and_the_link_opens_without_one():
    query, notices = expand({LESSON_KEY: "<b>nope</b>", "lr": "0.1"})
    assert query == {"lr": "0.1"} and lesson_of(query) is None
    assert [notice.values["text"] for notice in notices] == ["<b>nope</b>"]
    assert "line, neurons" in notices[0]
