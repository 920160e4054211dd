"""playground.tasks: a task read from a link and written back, each goal met or what it misses, in English and
Korean, and the epoch a run first meets it, which stays for that run and only that run."""

import dataclasses

import pytest

from playground.i18n import Message, tr
from playground.session import Session
from playground.settings import Settings
from playground.tasks import TEXT_CHARS, Task, TaskCheck, TaskStatus, goal_statuses, task_from_query, task_query

ROW = {"epoch": 120, "step": 960, "train_loss": 0.5, "test_loss": 0.412, "train_accuracy": 0.9, "test_accuracy": 0.82}


def test_a_link_with_text_answer_and_every_goal_reads_as_a_task_and_writes_back_the_same_keys():
    query = {"task": "  Reach 90%  ", "answer": "Two layers of 8", "goal_acc": "0.9", "goal_loss": "0.177",
             "max_neurons": "16", "max_layers": "2", "from_epoch": "200", "within": "300", "only": "x2,x1"}  # fmt: skip
    task, notices = task_from_query(query)
    assert notices == []
    assert task == Task("Reach 90%", "Two layers of 8", 0.9, 0.177, 16, 2, 300, ("x1", "x2"), 200)
    assert task_query(task) == query | {"task": "Reach 90%", "only": "x1,x2"}
    assert task_from_query(task_query(task)) == (task, [])


def test_no_task_keys_no_task_and_an_answer_alone_says_it_is_ignored():
    assert task_from_query({"lr": "0.1"}) == (None, [])
    task, notices = task_from_query({"answer": "42"})
    assert task is None and [notice.template for notice in notices] == [
        "Link parameter answer has no task to answer; ignoring it."
    ]


def test_texts_are_user_text_kept_as_written_and_capped():
    text = "<b>bold</b> **not markdown** " + "x" * 600
    task, _ = task_from_query({"task": text, "answer": "y" * 700})
    assert task.text == text[:TEXT_CHARS] and len(task.answer) == TEXT_CHARS and not isinstance(task.text, Message)
    assert not task.has_goals


@pytest.mark.parametrize(
    ("key", "value"),
    [("goal_acc", "1.5"), ("goal_acc", "lots"), ("goal_loss", "-1"), ("max_neurons", "2.5"), ("max_layers", "9"),
     ("within", "nan"), ("from_epoch", "-3"), ("only", "x1,x3"), ("only", "")],
)  # fmt: skip
def test_a_bad_goal_is_dropped_with_the_usual_link_notice_in_both_languages(key, value):
    task, notices = task_from_query({"task": "Try", key: value, "max_layers" if key != "max_layers" else "within": "1"})
    assert getattr(task, key) is None and task.text == "Try" and task.has_goals
    [notice] = notices
    assert notice.startswith(f"Link parameter {key}={value!r} is not ") and notice.endswith("using 'no goal'.")
    assert tr(notice, "ko").startswith(f"링크 매개변수 {key}={value!r}") and "'목표 없음'을" in tr(notice, "ko")


def test_goals_without_text_make_a_text_of_them_that_is_never_written_into_the_link():
    task, _ = task_from_query({"goal_acc": "0.9", "max_layers": "1"})
    assert task.text == "Reach these goals: test accuracy at least 90.0%, and hidden layers: at most 1."
    assert tr(task.text, "ko") == "다음 목표를 이루세요: 시험 정확도 90.0% 이상, 그리고 은닉층 1개 이하."
    assert task_query(task) == {"goal_acc": "0.9", "max_layers": "1"}


def test_a_links_own_keys_replace_those_of_a_lessons_task():
    lesson = Task(Message("no goal"), Message("no goal"), goal_acc=0.9, max_layers=0)
    assert task_from_query({}, lesson) == (lesson, [])
    task, notices = task_from_query({"goal_acc": "0.5", "answer": "Mine", "max_layers": "x"}, lesson)
    assert task == Task(lesson.text, "Mine", goal_acc=0.5, max_layers=0) and len(notices) == 1


def test_a_lessons_message_text_is_not_written_out_but_a_teachers_text_is():
    lesson = Task(Message("test loss at most {goal:g}", goal=0.1), Message("no goal"), goal_loss=0.1)
    assert task_query(lesson) == {"goal_loss": "0.1"}
    assert task_query(Task("Mine", "Ours")) == {"task": "Mine", "answer": "Ours"}


def test_each_goal_met_and_unmet_says_what_is_missing_in_english_and_korean():
    task = Task("t", goal_acc=0.9, goal_loss=0.2, max_neurons=8, max_layers=1, within=100, only=("x1", "x2"),
                from_epoch=150)  # fmt: skip
    settings = Settings(hidden=(10, 10), features=("x1", "x2", "x1²"))
    unmet = goal_statuses(task, settings, ROW)
    assert [status.met for status in unmet] == [False] * 7
    assert [status.missing for status in unmet] == [
        "test accuracy 82.0% of 90.0%",
        "test loss 0.412 of at most 0.2",
        "hidden neurons: 20, at most 8",
        "hidden layers: 2, at most 1",
        "epoch 120: the goals count from epoch 150 on",
        "epoch 120 is past 100: Reset to try again",
        "uses x1², only x1, x2 allowed",
    ]
    assert [tr(status.missing, "ko") for status in unmet] == [
        "시험 정확도 82.0% (목표 90.0%)",
        "시험 손실 0.412 (목표 0.2 이하)",
        "은닉층 뉴런 20개 (최대 8개)",
        "은닉층 2개 (최대 1개)",
        "에폭 120: 목표는 에폭 150부터 셉니다",
        "에폭 120은 100을 지났습니다: 초기화를 눌러 다시 해 보세요",
        "x1²을 씁니다. x1, x2만 쓸 수 있습니다",
    ]
    assert [tr(status.goal, "ko") for status in unmet] == [
        "시험 정확도 90.0% 이상", "시험 손실 0.2 이하", "은닉층 뉴런 모두 합해 8개 이하", "은닉층 1개 이하",
        "에폭 150부터", "100 에폭 안에", "입력 특성은 x1, x2만",
    ]  # fmt: skip
    good = Settings(hidden=(8,), features=("x1",))
    met = goal_statuses(task, good, ROW | {"test_accuracy": 0.9, "test_loss": 0.2, "epoch": 100})
    assert [status.met for status in met] == [True] * 4 + [False, True, True]  # epoch 100 is before 150
    task = dataclasses.replace(task, from_epoch=100)
    met = goal_statuses(task, good, ROW | {"test_accuracy": 0.9, "test_loss": 0.2, "epoch": 100})
    assert all(status.met and status.missing is None for status in met) and len(met) == 7


def test_a_diverged_run_meets_no_accuracy_or_loss_goal():
    task = Task("t", goal_acc=0.1, goal_loss=5)
    statuses = goal_statuses(task, Settings(), ROW | {"test_loss": float("nan"), "test_accuracy": float("nan")})
    assert [status.met for status in statuses] == [False, False]


def test_the_task_is_met_at_the_first_epoch_that_meets_it_and_stays_met_for_that_run():
    session = Session()
    check = TaskCheck(Task("t", goal_acc=0.9))
    first = check.status(session)
    assert first.met_epoch is None and first.goals[0].missing.startswith("test accuracy ")
    while max(session.history["test_accuracy"]) < 0.9:
        session.step_epoch()
        session.step_epoch()  # two epochs between looks: the first of them to reach 90 % is the one said
    reached = next(row for row, accuracy in enumerate(session.history["test_accuracy"]) if accuracy >= 0.9)
    status = check.status(session)
    assert status.met_epoch == session.history["epoch"][reached] and status.goals[0].met
    for _ in range(3):  # plays on, whatever its accuracy does
        session.history["test_accuracy"].append(0.1)
        for column in ("epoch", "step", "train_loss", "test_loss", "train_accuracy"):
            session.history[column].append(session.history[column][-1] + 1)
        assert check.status(session).met_epoch == status.met_epoch


def test_a_new_run_starts_unmet_and_a_too_late_one_stays_unmet():
    session = Session()
    check = TaskCheck(Task("t", goal_acc=0.5, within=3))
    session.step_epoch()
    session.history["test_accuracy"][-1] = 1.0
    assert check.status(session).met_epoch == 1
    session.reset()  # Reset, a rebuild or new data: a new trainer, a new run
    assert check.status(session).met_epoch is None
    for _ in range(4):
        session.step_epoch()
        session.history["test_accuracy"][-1] = 0.0  # never good enough in time
    session.step_epoch()
    session.history["test_accuracy"][-1] = 1.0  # good enough, too late
    late = check.status(session)
    assert late.met_epoch is None and late.goals[0].met
    assert late.goals[1].missing == "epoch 5 is past 3: Reset to try again"


def test_a_task_without_goals_is_never_met():
    session = Session()
    session.step_epoch()
    assert TaskCheck(Task("Just look")).status(session) == TaskStatus((), None)


def test_goals_from_an_epoch_on_are_met_only_by_a_row_from_then_that_meets_them_all():
    """Overfitting: a test loss reached early and lost again does not meet a goal that counts from a later epoch."""
    session = Session()
    check = TaskCheck(Task("t", goal_loss=0.5, from_epoch=3, within=5))
    losses = [0.9, 0.4, 0.45, 0.7, 0.48, 0.3]  # epochs 0 to 5: under 0.5 at 1 and 2, too early; again at 4
    for epoch, loss in enumerate(losses):
        if epoch:
            session.step_epoch()
        session.history["test_loss"][-1] = loss
        status = check.status(session)
        assert status.met_epoch == (4 if epoch >= 4 else None)
    assert all(goal.met for goal in status.goals)


def test_a_link_whose_goals_count_from_past_its_last_epoch_drops_that_with_a_notice():
    task, notices = task_from_query({"goal_loss": "0.5", "from_epoch": "300", "within": "200"})
    assert task.from_epoch is None and task.within == 200
    assert notices == ["Link parameter from_epoch=300 is past within=200: no run could meet both; ignoring from_epoch."]
    assert tr(notices[0], "ko").startswith("링크 매개변수 from_epoch=300")
    lesson = Task(Message("no goal"), goal_loss=0.9, from_epoch=200, within=300)  # the link's keys and the lesson's
    for query in ({"within": "100"}, {"from_epoch": "400"}):
        task, notices = task_from_query(query, lesson)
        assert task.from_epoch is None and len(notices) == 1 and "no run could meet both" in notices[0]


def test_from_epoch_alone_is_no_goal_and_is_dropped_with_a_notice():
    assert task_from_query({"from_epoch": "200"}) == (
        None,
        ["Link parameter from_epoch=200 has no goal to count from then; ignoring it."],
    )
    task, notices = task_from_query({"task": "Watch it", "from_epoch": "200"})
    assert task == Task("Watch it") and not task.has_goals and len(notices) == 1
    assert tr(notices[0], "ko") == "링크 매개변수 from_epoch=200에는 그때부터 셀 목표가 없어 무시합니다."
