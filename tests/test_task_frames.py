"""The task card in the live view's frames (playground.live.feed): the whole card with a version's first frame, then
only what changed, nothing for a tab without a task, in the page's language, met at the first epoch that meets it."""

import dataclasses

from playground.i18n import Message
from playground.live.feed import LiveFeed, Shown, task_card
from playground.session import Session
from playground.tasks import Task, TaskCheck

SHOWN = Shown(setup_id="s", chosen=None, lang="en", hard=False, network=False, speed=0)
CARD_KEYS = {"title", "text", "answer", "answerLabel", "marks", "goals", "met"}


def feed_with(task, lang="en"):
    session = Session()
    feed = LiveFeed(session)
    feed.task = task
    feed.show(dataclasses.replace(SHOWN, lang=lang))
    return feed


def test_no_task_sends_nothing_of_one():
    feed = feed_with(None)
    assert "task" not in feed.page_data((), None, "en", 0)["frames"][0]
    feed.session.play()
    assert all("task" not in feed.next_frame() for _ in range(3))


def test_a_versions_first_frames_send_the_whole_card_and_the_others_only_what_changed():
    feed = feed_with(Task("Reach 90%", "Eight neurons", goal_acc=0.9))
    page = feed.page_data((), None, "en", 0)["frames"][0]["task"]
    assert set(page) == CARD_KEYS
    assert page | {"goals": None} == {
        "title": "Task", "text": "Reach 90%", "answer": "Eight neurons", "answerLabel": "Show the answer",
        "marks": ["not met yet:", "met:"], "goals": None, "met": None,
    }  # fmt: skip
    assert page["goals"] == [["test accuracy at least 90.0%", False, page["goals"][0][2]]]
    assert page["goals"][0][2].startswith("test accuracy ") and page["goals"][0][2].endswith(" of 90.0%")
    feed.session.play()
    first = feed.next_frame()
    assert set(first["task"]) == CARD_KEYS  # the view may take it before the page run's
    later = [feed.next_frame() for _ in range(5)]
    assert all(set(frame.get("task", {})) <= {"goals", "met"} for frame in later)
    feed.show(feed.shown)
    assert set(feed.next_frame(train=False)["task"]) == CARD_KEYS


def test_the_card_says_met_in_the_frame_that_first_meets_it_and_not_before():
    feed = feed_with(Task("Reach 90%", goal_acc=0.9))
    feed.session.play()
    met_in = None
    for _ in range(2000):
        frame = feed.next_frame()
        history = feed.session.history
        reached = [epoch for epoch, accuracy in zip(history["epoch"], history["test_accuracy"]) if accuracy >= 0.9]
        if not reached:
            assert frame.get("task", {}).get("met") is None
            continue
        met_in = frame["task"]
        break
    assert met_in["met"] == f"Met at epoch {reached[0]:,}" and met_in["goals"] == [
        ["test accuracy at least 90.0%", True, ""]
    ]
    for _ in range(5):  # it stays met while the run plays on: nothing more to send
        assert "task" not in feed.next_frame()
    feed.session.reset()  # a new run: unmet again, in its version's first frame
    feed.show(feed.shown)
    assert feed.next_frame(train=False)["task"]["met"] is None


def test_the_card_speaks_the_pages_language_and_keeps_a_teachers_text_as_written():
    session = Session()
    teacher = Task("Reset {epoch}", "<b>No</b>", max_layers=0)  # "Reset" is a msgid too: never looked up
    card = task_card(teacher, TaskCheck(teacher).status(session), "ko")
    assert card["text"] == "Reset {epoch}" and card["answer"] == "<b>No</b>"
    assert card["title"] == "과제" and card["answerLabel"] == "답 보기"
    assert card["goals"] == [["은닉층 0개 이하", False, "은닉층 1개 (최대 0개)"]]
    lesson = Task(Message("test loss at most {most:g}", most=0.5), max_layers=1)
    card = task_card(lesson, TaskCheck(lesson).status(session), "ko")
    assert card["text"] == "시험 손실 0.5 이하" and card["met"] == "0 에폭에 달성"


def test_the_same_task_set_again_keeps_its_check_and_another_starts_one():
    feed = feed_with(Task("t", max_layers=1))
    check = feed.check
    feed.task = Task("t", max_layers=1)
    assert feed.check is check
    feed.task = Task("t", max_layers=2)
    assert feed.check is not check and feed.check.task.max_layers == 2
    feed.task = None
    assert feed.check is None and feed.task is None
