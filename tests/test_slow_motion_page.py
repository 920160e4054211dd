"""The page's Step and slow-motion controls (playground/ui/page.py, callbacks.py), driven headless with Streamlit's
AppTest: a step at a time, the stage bar through a step's stages and out again, the link that opens it, the panel
below the view, the diagram drawn for it, in English and Korean."""

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground.ui.page import STAGE_LABELS
from tests.catalogues import KO
from tests.test_app import live_data, play, run_app, session


def stage_bar(at):
    """The stage bar's chosen stage, or None when it is not on the page."""
    bars = [control for control in at.button_group if control.key == "stage"]
    return bars[0].value if bars else None


def buttons(at, key):
    return [button for button in at.button if button.key == key]


def panel_title(at):
    return next((header.value for header in at.subheader if "Stage" in header.value or "단계" in header.value), None)


def test_step_trains_one_mini_batch_and_pauses():
    at = run_app()
    at.button(key="one_step").click().run()
    assert session(at).trainer.step_count == 1 and session(at).trainer.current_epoch == 0
    assert not session(at).playing
    assert live_data(at)["frames"][-1]["step"] == 1


def test_step_while_playing_pauses_and_takes_one_step():
    at = run_app()
    play(at)
    at.session_state["live_feed"].next_frame()  # the socket trains a frame's steps
    playing_at = session(at).trainer.step_count
    at.button(key="one_step").click().run()
    assert not session(at).playing and session(at).trainer.step_count == playing_at + 1


def twice_arriving_clicks():
    """The run bar's Step and the stage bar's Next, each clicked once but arriving at the server twice."""
    import streamlit as st

    from playground.session import Session
    from playground.ui import callbacks

    state = st.session_state
    if "session" not in state:
        state.session = Session()
    slow = state.session.slow_step
    count = state.session.trainer.step_count + 1
    st.button("Step", key="step_twice", on_click=lambda: [callbacks.one_step(count) for _ in range(2)])
    st.button("Slow motion", key="slow_twice", on_click=lambda: [callbacks.slow_motion() for _ in range(2)])
    if slow is not None:
        step, stage = slow.position
        st.button("Next", key="next_twice", on_click=lambda: [callbacks.go_to_stage(step, stage + 1) for _ in range(2)])


def test_a_click_of_step_or_next_that_reaches_the_server_twice_moves_once():
    at = AppTest.from_function(twice_arriving_clicks, default_timeout=30).run()
    at.button(key="step_twice").click().run()
    assert session(at).trainer.step_count == 1
    at.button(key="slow_twice").click().run()
    slow = session(at).slow_step
    assert slow.position == (2, 0)
    at.button(key="next_twice").click().run()
    assert session(at).slow_step is slow and slow.position == (2, 1)
    at.button(key="slow_twice").click().run()  # already in slow motion: it stays where it is
    assert session(at).slow_step is slow and slow.position == (2, 1)


def test_slow_motion_pauses_and_the_stage_bar_walks_a_step_and_leaves():
    at = run_app()
    play(at)
    at.session_state["live_feed"].next_frame()
    at.button(key="slow_motion").click().run()
    run = session(at)
    steps = run.trainer.step_count
    assert not run.playing and run.slow_step is not None and at.button_group(key="run").value == "pause"
    assert stage_bar(at) == "batch" and at.button(key="stage_back").disabled and not buttons(at, "slow_motion")
    assert panel_title(at) == "Stage 1 of 4: The mini-batch"
    at.button(key="stage_next").click().run()
    assert stage_bar(at) == "forward" and panel_title(at) == "Stage 2 of 4: Forward"
    assert not at.button(key="stage_back").disabled
    at.button_group(key="stage").set_value("update").run()  # a stage chosen: the step taken
    assert stage_bar(at) == "update" and run.trainer.step_count == steps + 1
    at.button(key="stage_back").click().run()
    assert stage_bar(at) == "backward" and run.trainer.step_count == steps
    at.button(key="stage_next").click().run()
    at.button(key="stage_next").click().run()  # past the update: the next step's batch
    assert stage_bar(at) == "batch" and run.slow_step.position == (steps + 2, 0)
    at.button(key="stage_leave").click().run()
    assert run.slow_step is None and stage_bar(at) is None and panel_title(at) is None
    assert run.trainer.step_count == steps + 1 and buttons(at, "slow_motion")


def test_play_leaves_slow_motion_from_the_state_on_show():
    at = run_app()
    at.button(key="slow_motion").click().run()
    at.button_group(key="stage").set_value("update").run()
    weights = session(at).model.flat_params.copy()
    play(at)
    assert session(at).slow_step is None and stage_bar(at) is None and session(at).trainer.step_count == 1
    np.testing.assert_array_equal(session(at).model.flat_params, weights)


def test_the_diagram_is_drawn_in_slow_motion_and_goes_again_after_where_the_view_hides_it():
    at = run_app(view="")
    assert live_data(at)["setup"]["network"] is None
    at.button(key="slow_motion").click().run()
    assert live_data(at)["setup"]["network"] is not None
    assert "show_network" not in at.session_state["view"]  # the view's own choice stays as it was
    at.button(key="stage_leave").click().run()
    assert live_data(at)["setup"]["network"] is None


def test_the_diagrams_legend_says_what_its_links_show_at_each_stage():
    at = run_app(view="")
    at.button(key="slow_motion").click().run()
    legends = []
    for _ in range(4):
        legends.append(" ".join(caption.value for caption in at.caption if caption.value.startswith("Links:")))
        at.button(key="stage_next").click().run()
    assert "negative weights" in legends[0] and "Each neuron's picture" in legends[0]
    assert "negative weights" in legends[1] and "value for the ringed point" in legends[1]
    assert "gradient dL/dW" in legends[2] and "dout" in legends[2]
    assert "changed each weight" in legends[3] and "optimizer's state" in legends[3]


@pytest.mark.parametrize(("stage", "title"), [("forward", "Stage 2 of 4: Forward"), ("update", "Stage 4 of 4: Update")])
def test_a_link_opens_slow_motion_at_its_stage_once(stage, title):
    at = run_app(slow=stage)
    assert stage_bar(at) == stage and panel_title(at) == title and not at.warning
    assert "slow" not in at.query_params  # the page's own link leaves it out: a reload does not enter again
    at.button(key="stage_leave").click().run()
    assert stage_bar(at) is None


def test_a_link_naming_no_stage_opens_the_first_with_the_links_notice():
    at = run_app(slow="gradients")
    assert stage_bar(at) == "batch"
    assert [alert.value for alert in at.warning] == [
        "Link parameter slow&#61;&#39;gradients&#39; is not one of batch&#44; forward&#44; backward&#44; update&#59; "
        "using &#39;batch&#39;&#46;"
    ]


def test_in_korean_the_stages_are_the_books_terms():
    at = run_app(lang="ko")
    assert at.button(key="one_step").label == "한 반복" and at.button(key="slow_motion").label == "느린 화면"
    at.button(key="slow_motion").click().run()
    assert list(at.button_group(key="stage").options) == ["미니배치", "순전파", "역전파", "갱신"]
    assert [at.button(key=key).label for key in ("stage_back", "stage_next", "stage_leave")] == [
        "이전",
        "다음",
        "느린 화면 끝내기",
    ]
    assert panel_title(at) == "4단계 중 1단계: 미니배치"
    assert all(label in KO for label in STAGE_LABELS.values())
