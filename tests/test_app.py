"""The app page, driven headless with Streamlit's AppTest."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "app.py"


def run_app():
    return AppTest.from_file(str(APP), default_timeout=60).run()


def test_the_page_opens_waiting_for_train():
    at = run_app()
    assert not at.exception
    assert "Press **Train**" in at.info[0].value
    assert not at.get("plotly_chart")


def test_train_runs_the_books_loop_and_shows_both_charts():
    at = run_app()
    at.button(key="train").click().run()
    assert not at.exception
    summary = at.markdown[0].value
    accuracy = float(summary.split("accuracy ")[1].split("%")[0])
    assert accuracy >= 95.0 and "after 300 epochs" in summary
    assert len(at.get("plotly_chart")) == 2
    assert at.code[0].value.splitlines()[-1].startswith("| epoch 300 |  iter 1 / 10 |")


def test_a_smaller_learning_rate_learns_less_in_the_same_epochs():
    at = run_app()
    at.select_slider(key="lr").set_value(0.1)
    at.slider(key="epochs").set_value(50)
    at.button(key="train").click().run()
    accuracy = float(at.markdown[0].value.split("accuracy ")[1].split("%")[0])
    assert accuracy < 80.0
