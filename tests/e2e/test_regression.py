"""A regression in a real browser: a surface chosen in the sidebar trains an mse network whose R² rises, drawn as a
field of predicted values with the points in their values' colours; in Korean too, with a step in slow motion."""

import re

import numpy as np

from playground.settings import Settings
from tests.e2e.test_browser import choose, live, open_app, press, status, wait_until
from tests.e2e.test_live_view import canvas_pixels
from tests.e2e.test_step_mode import assert_shown, at_stage, canvas_texts, drawn_texts, nnlib_step, panel
from tests.test_regression import FIT

ORANGE, BLUE = np.array([230, 159, 0]), np.array([0, 114, 178])  # the two ends of the values' colours


def r2(page):
    """(train, test) R² as the status line says them, English or Korean."""
    said = re.search(r"R² (?:train )?(-?[\d.]+|nan) (?:/ test|· 시험 R²) (-?[\d.]+|nan)", status(page))
    return float(said.group(1)), float(said.group(2))


def share_near(pixels, color, reach=60):
    """The share of pixels within ``reach`` of ``color`` (RGB distance), paler shades of it included."""
    toward = pixels.reshape(-1, 3).astype(float)
    # a pale shade is the colour mixed with white: measure against the mix that fits each pixel best
    white = np.array([255.0, 255.0, 255.0])
    direction = color - white
    amount = np.clip((toward - white) @ direction / (direction @ direction), 0.3, 1)
    nearest = white + amount[:, None] * direction
    return float((np.linalg.norm(toward - nearest, axis=1) < reach).mean())


def test_a_surface_chosen_in_the_sidebar_is_fitted_and_its_r2_rises(page, app_url):
    open_app(page, app_url, "?hidden=8&activation=tanh&init=auto")  # the default rate, 1: a regression diverges
    choose(page, "Data set", "Regression: plane")
    page.wait_for_url(re.compile("data=plane"))
    page.get_by_text("Learning rate 1 → 0.1").wait_for()  # lowered, and the page says why
    page.wait_for_url(re.compile("lr=0.1"))
    wait_until(lambda: "R² train" in status(page))
    assert "accuracy" not in status(page) and "RMSE train" in status(page)
    assert max(r2(page)) < 0.2  # the untrained net: about the mean everywhere
    press(page, "Play")
    wait_until(lambda: min(r2(page)) > 0.9, timeout=60)
    press(page, "Pause")
    wait_until(lambda: "steps/s" not in status(page))
    key = page.locator(".spl-regions .spl-key").inner_text()
    assert "value -1" in key and "predicted" in key
    page.locator(".spl-regions-canvas").scroll_into_view_if_needed()
    pixels = canvas_pixels(page, ".spl-regions-canvas")
    # the plane (x1 + x2) / 2 fitted: orange towards the lower left, blue towards the upper right, both large
    assert share_near(pixels, ORANGE) > 0.15 and share_near(pixels, BLUE) > 0.15
    height, width, _ = pixels.shape
    lower_left = pixels[int(height * 0.75), int(width * 0.25)].astype(float)
    upper_right = pixels[int(height * 0.2), int(width * 0.8)].astype(float)
    assert np.linalg.norm(lower_left - ORANGE) < np.linalg.norm(lower_left - BLUE)
    assert np.linalg.norm(upper_right - BLUE) < np.linalg.norm(upper_right - ORANGE)
    canvas = page.locator(".spl-regions-canvas")
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.2)
    wait_until(lambda: "predicted value" in page.locator(".spl-tip").inner_text())
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.2)  # a click adds no point: why
    page.get_by_text("A regression's points are its surface's").wait_for()


def test_in_korean_a_regression_says_r2_and_walks_a_step_in_slow_motion_with_its_squared_error(page, app_url):
    """The stages of a regression's step: the diagram's numbers nnlib's own layers give (the last, the prediction
    itself), the panel's identity output and squared error in Korean, and the update taking the step."""
    open_app(page, app_url, "?data=wave&lang=ko&hidden=8&activation=tanh&init=auto&lr=0.3")
    assert "훈련 R²" in status(page) and "정확도" not in status(page)
    page.locator(".st-key-slow_motion button").first.click()
    at_stage(page, "batch")
    expected = nnlib_step(0, settings=Settings(dataset="wave", **FIT))
    page.keyboard.press("ArrowRight")
    at_stage(page, "forward")
    assert_shown(drawn_texts(page), expected["forward"])  # x1, x2, the 8 tanh neurons, the prediction
    assert [text for text in canvas_texts(page) if "×" in text] == ["30×2", "30×8", "30×1"]
    assert "제곱 오차 손실이 그 예측값이 점의 정답 값에서 얼마나 먼지" in panel(page)
    prediction = re.search(r"예측값은 y = ([-\d.e]+)입니다", panel(page)).group(1)
    assert_shown([prediction], expected["probabilities"])
    page.keyboard.press("ArrowRight")
    at_stage(page, "backward")
    assert_shown(drawn_texts(page), expected["backward"])
    assert "Identity with Loss의 기울기" in panel(page) and "교차 엔트로피" not in panel(page)
    page.keyboard.press("ArrowRight")
    at_stage(page, "update")
    assert live(page, "at-step") == 1  # the update is the step taken
    assert "훈련 R²" in status(page)
