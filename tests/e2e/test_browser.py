"""What a user sees in a real browser: the page trains live, reacts to the controls, and hands out weights."""

import os
import re
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Error as PlaywrightError

from bench.browser_tools import Screencast, chart_boxes, missing_chart
from nnlib.datasets import load_points
from nnlib.io import load_model

ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", Path(__file__).resolve().parent / "artifacts"))


def status(page):
    """The live view's status line, as it is drawn now."""
    return page.locator(".spl-status").inner_text()


def epoch(page):
    return int(re.search(r"(?:Epoch|에폭) ([\d,]+)", status(page)).group(1).replace(",", ""))


def open_app(page, url, query=""):
    page.goto(f"{url}/{query}")
    page.locator(".spl-status").get_by_text(re.compile(r"(?:Epoch|에폭) \d")).wait_for()
    page.locator('[data-testid="stSkeleton"]').first.wait_for(state="detached")  # every element drawn


def chart_image(page):
    """A screenshot of the regions chart."""
    return page.locator(".spl-regions-canvas").screenshot()


def live(page, attribute):
    """What the live view says of itself: ``frames`` drawn so far, the step it shows (``at-step``)."""
    return int(page.locator(".spl-live").get_attribute(f"data-{attribute}") or 0)


def at_fraction(locator, x, y):
    """The page position at fractions ``x``, ``y`` of the element's box."""
    box = locator.bounding_box()
    return box["x"] + box["width"] * x, box["y"] + box["height"] * y


def press(page, segment):
    """Choose Play or Pause in the segmented control (its option's name carries the icon's ligature)."""
    page.locator(".st-key-run").get_by_role("radio", name=re.compile(f"{segment}$")).click()


def step(page):
    page.locator(".st-key-step button").first.click()


def wait_until(condition, timeout=30.0):
    deadline = time.time() + timeout
    while not condition():
        assert time.time() < deadline, "timed out"
        time.sleep(0.1)


def test_play_trains_live_and_the_charts_follow(page, app_url):
    open_app(page, app_url)
    assert epoch(page) == 0
    before = chart_image(page)

    press(page, "Play")
    wait_until(lambda: epoch(page) > 50)
    press(page, "Pause")
    time.sleep(1.5)
    assert "accuracy train" in status(page)
    assert chart_image(page) != before

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.mouse.move(1200, 780)  # no tooltip in the picture
    page.locator('[data-testid="stSidebarContent"]').evaluate("sidebar => sidebar.scrollTo(0, 0)")
    time.sleep(0.3)
    page.screenshot(path=str(ARTIFACTS / "playground.png"))


def test_no_painted_frame_lacks_a_chart_while_playing_and_while_the_rate_changes(page, app_url):
    open_app(page, app_url)
    press(page, "Play")
    wait_until(lambda: live(page, "at-step") > 50)
    screencast = Screencast(page)
    screencast.record(4)
    slider = page.locator(".st-key-learning_rate input[type=range]")
    for key, rate in (("ArrowLeft", "0.3"), ("ArrowRight", "1"), ("ArrowLeft", "0.3")):
        slider.focus()
        page.keyboard.press(key)
        screencast.record(10, during=lambda rate=rate: f"lr {rate} ·" in status(page))
    boxes = chart_boxes(page)
    missing = [index for index, (_, jpeg) in enumerate(screencast.frames) if missing_chart(jpeg, boxes)]
    assert len(screencast.frames) > 20 and missing == []


def test_learning_rate_changes_the_running_training(page, app_url):
    open_app(page, app_url)
    press(page, "Play")
    wait_until(lambda: epoch(page) > 10)
    page.locator(".st-key-learning_rate input[type=range]").focus()
    page.keyboard.press("ArrowLeft")  # 1 → 0.3 on the log scale
    wait_until(lambda: "lr 0.3 ·" in status(page))
    running = epoch(page)
    wait_until(lambda: epoch(page) > running)  # still training, not reset
    assert "lr=0.3" in page.url.replace("%2C", ",") or "lr=0.3" in page.url
    press(page, "Pause")


def open_export(page):
    """Open the sidebar's export popover (its widgets exist only while it is open)."""
    if not page.locator(".st-key-weights_upload").count():
        page.get_by_role("button", name=re.compile("^Export and import")).click()
        page.locator(".st-key-weights_upload").wait_for()


def download(page, button, folder, in_export=True, attempts=3):
    """Click ``button()`` and save the file it downloads; the export popover is opened first if need be.

    Clicked again if no download starts: a rerun that lands with the click can replace the button under it."""
    for _ in range(attempts):
        if in_export:
            open_export(page)
        try:
            with page.expect_download(timeout=10_000) as started:
                button().click()
        except PlaywrightError:
            time.sleep(0.5)
            continue
        path = folder / started.value.suggested_filename
        started.value.save_as(path)
        return path
    raise AssertionError("no download started")


def test_downloaded_weights_load_without_pickle(page, app_url, tmp_path):
    open_app(page, app_url, "?hidden=6,5&activation=tanh")
    step(page)
    wait_until(lambda: epoch(page) == 1)
    path = download(page, lambda: page.get_by_role("button", name="Weights (.npz)", exact=True), tmp_path)
    with np.load(path, allow_pickle=False) as arrays:
        assert arrays["layers.0.W"].shape == (2, 6)
        assert arrays["layers.2.W"].shape == (6, 5)
        assert arrays["layers.4.W"].shape == (5, 3)
    model = load_model(path)
    assert model.config["activation"] == ["tanh", "tanh"]

    open_export(page)
    page.get_by_text("Weights in float16: half the size").click()
    wait_until(lambda: page.get_by_role("switch", name=re.compile("^Weights in float16")).is_checked())
    for _ in range(5):  # the switch's rerun renames the file: a click before it ends gets the full one
        half = download(page, lambda: page.get_by_role("button", name="Weights (.npz)", exact=True), tmp_path)
        if half.name == "weights_float16.npz":
            break
        time.sleep(0.5)
    assert half.name == "weights_float16.npz"
    with np.load(half, allow_pickle=False) as arrays:
        assert arrays["layers.0.W"].dtype == np.float16
    assert half.stat().st_size < path.stat().st_size  # the book's half-size file
    np.testing.assert_allclose(load_model(half).flat_params, model.flat_params, rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "It blew up in hidden layer 1: its largest weight went from"), ("ko", "은닉층 1에서 값이 폭주했습니다")],
)
def test_a_diverging_run_pauses_and_says_where_it_blew_up(page, app_url, lang, said):
    open_app(page, app_url, f"?optimizer=RMSprop&lr=10&lang={lang}")
    press(page, "Play" if lang == "en" else "재생")
    message = page.locator('[data-testid="stAlertContentError"]', has_text=said)
    message.wait_for()
    text = message.inner_text()
    assert re.search(r"Training diverged at step \d+|반복 \d+에서 발산했습니다", text), text
    time.sleep(1)
    assert message.inner_text() == text and epoch(page) == 0  # paused, with the first weights put back
    assert page.get_by_text("Traceback").count() == 0


def test_a_bad_link_shows_notices_not_a_traceback(page, app_url):
    page.goto(f"{app_url}/?lr=banana&hidden=0,999&batch=-3")
    page.get_by_text("Link parameter lr='banana'").wait_for()
    page.get_by_text("Link parameter hidden='0,999'").wait_for()
    assert page.get_by_text("Traceback").count() == 0
    assert "lr 1 ·" in status(page)


def choose(page, box, option):
    """Pick ``option`` in the select box labelled ``box`` (clicked again if its list did not open)."""
    for _ in range(3):
        page.get_by_role("combobox", name=box).click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=3_000)
            return
        except PlaywrightError:
            page.keyboard.press("Escape")
    raise AssertionError(f"could not choose {option} in {box}")


def upload(page, key, path):
    if key == "weights_upload":
        open_export(page)
    page.locator(f".st-key-{key} input[type=file]").set_input_files(str(path))


def test_weights_upload_offers_their_architecture_and_a_bad_file_changes_nothing(page, app_url, tmp_path):
    from nnlib.io import save_params
    from nnlib.models import MLP

    source = MLP(2, [7, 5], 3, "tanh", seed=3)
    good = tmp_path / "good.npz"
    save_params(source, good)
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 this is not a weights file")

    open_app(page, app_url)
    initial = status(page)
    upload(page, "weights_upload", good)
    page.get_by_text("good.npz holds a network of another shape, 2-7-5-3 (tanh)").wait_for()
    page.get_by_role("button", name="Switch to it").click()
    page.get_by_text("Loaded the weights of good.npz").wait_for()
    wait_until(lambda: "hidden=7%2C5" in page.url or "hidden=7,5" in page.url)
    assert "activation=tanh" in page.url
    wait_until(lambda: status(page) != initial)  # the live view draws the loaded model (after the link changes)

    before = status(page)
    upload(page, "weights_upload", bad)
    page.get_by_text("Those weights were not loaded, and the current model stays").wait_for()
    assert status(page) == before
    assert "hidden=7%2C5" in page.url or "hidden=7,5" in page.url

    huge = tmp_path / "huge.npz"  # over the 5 MB upload limit: the browser refuses it, the server never sees it
    huge.write_bytes(b"PK" + bytes(6_000_000))
    upload(page, "weights_upload", huge)
    page.locator(".st-key-weights_upload").get_by_text(re.compile("5.0MB or smaller")).wait_for()
    assert status(page) == before and page.get_by_text("Loaded the weights of huge.npz").count() == 0


def test_csv_upload_trains_on_your_points_and_a_bad_csv_keeps_them(page, app_url, tmp_path):
    rng = np.random.RandomState(0)
    points = rng.uniform(-1, 1, (60, 2))
    labels = (points[:, 0] > 0).astype(int)
    good = tmp_path / "points.csv"
    good.write_text("x1,x2,label\n" + "".join(f"{a},{b},{c}\n" for (a, b), c in zip(points, labels)))
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n0.1,0.2,0\n0.3,abc,1\n")

    open_app(page, app_url)
    choose(page, "Data set", "Upload CSV")
    page.get_by_text("Upload a CSV with columns x1, x2, label").wait_for()
    upload(page, "csv_upload", good)
    page.get_by_text("Loaded 60 points in 2 classes.").wait_for()
    wait_until(lambda: "data=upload" in page.url)

    upload(page, "csv_upload", bad)
    page.get_by_text("That CSV was not loaded, and the current points stay").wait_for()
    page.get_by_text("row 3, column x2").wait_for()
    assert "data=upload" in page.url


def test_the_exported_script_prints_the_loss_the_page_shows(page, app_url, tmp_path):
    open_app(page, app_url, "?hidden=5&optimizer=Adam&lr=0.03")
    for expected in (1, 2, 3):
        step(page)
        wait_until(lambda expected=expected: epoch(page) == expected)
    shown = re.search(r"loss train ([\d.]+)", status(page)).group(1)
    script = download(page, lambda: page.get_by_role("button", name="Python script (.py)", exact=True), tmp_path)
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(root)})  # fmt: skip
    assert result.returncode == 0, result.stderr
    printed = re.search(r"final training loss: ([\d.e-]+)", result.stdout).group(1)
    assert f"{float(printed):.3f}" == shown


def test_the_network_diagram_trains_live_hovers_and_takes_a_click_on_a_neuron(page, app_url):
    open_app(page, app_url, "?hidden=6,4")
    diagram = page.locator(".spl-network-canvas")
    box = diagram.bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    press(page, "Play")
    first = diagram.screenshot()
    wait_until(lambda: live(page, "at-step") > 200)
    assert diagram.screenshot() != first  # it moves as it learns
    press(page, "Pause")
    wait_until(lambda: "Pause" in page.locator(".st-key-run [aria-checked=true]").inner_text())
    time.sleep(1)
    diagram.scroll_into_view_if_needed()  # below the fold at 1280 × 800, under the run and slow-motion bars
    box = diagram.bounding_box()
    # the first hidden layer's six nodes stand in the second of four columns
    page.mouse.move(*at_fraction(diagram, 0.5, 0.5))
    tip = page.locator(".spl-tip")
    page.mouse.move(*at_fraction(diagram, 0.0, 0.0))
    assert not tip.is_visible()
    found = None
    for fraction in np.linspace(0.95, 0.05, 60):  # up the second column until a node answers: the last one
        x = box["x"] + 70 + (box["width"] - 120) / 3
        page.mouse.move(x, box["y"] + box["height"] * fraction)
        if tip.is_visible() and "layer 1 · neuron" in tip.inner_text():
            found = tip.inner_text()
            break
    assert found and "bias " in found and "click to show it large" in found
    neuron = re.search(r"layer 1 · neuron \d", found).group(0)
    page.mouse.click(x, box["y"] + box["height"] * fraction)
    page.locator(".spl-neuron-title").get_by_text(neuron).wait_for()
    picker = page.get_by_role("combobox", name="Neuron shown large")
    assert neuron != "layer 1 · neuron 1"  # not the one shown at first
    wait_until(lambda: picker.input_value() == neuron)
    choose(page, "Neuron shown large", "layer 2 · neuron 3")
    page.locator(".spl-neuron-title").get_by_text("layer 2 · neuron 3").wait_for()


def test_the_regions_zoom_and_pan_stay_while_playing_and_a_hover_shows_the_probabilities(page, app_url):
    open_app(page, app_url)
    regions = page.locator(".spl-regions-canvas")
    page.mouse.move(*at_fraction(regions, 0.55, 0.5))
    tip = page.locator(".spl-tip")
    tip.wait_for()
    shares = [float(value) for value in re.findall(r"class \d: ([\d.]+) %", tip.inner_text())]
    assert len(shares) == 3 and abs(sum(shares) - 100) < 2
    zoom = lambda: page.locator(".spl-live").get_attribute("data-zoom")  # noqa: E731 (the window shown)
    assert zoom() == ""
    page.mouse.wheel(0, -300)  # zoom in where the pointer is
    wait_until(lambda: zoom() != "")
    zoomed = zoom()
    page.mouse.move(*at_fraction(regions, 0.4, 0.4))
    page.mouse.down()
    page.mouse.move(*at_fraction(regions, 0.5, 0.5), steps=5)  # and drag it
    page.mouse.up()
    assert zoom() != zoomed
    panned = zoom()
    press(page, "Play")
    wait_until(lambda: live(page, "at-step") > 300)
    assert zoom() == panned  # kept while it learns
    press(page, "Pause")
    wait_until(lambda: "Pause" in page.locator(".st-key-run [aria-checked=true]").inner_text())
    time.sleep(1)
    assert zoom() == panned and "data=upload" not in page.url  # and after; the drag added no point
    page.mouse.dblclick(*at_fraction(regions, 0.55, 0.5))  # back to the whole plane
    wait_until(lambda: zoom() == "")


def test_pin_two_runs_and_compare_them(page, app_url, tmp_path):
    open_app(page, app_url)
    step(page)
    wait_until(lambda: epoch(page) == 1)
    page.get_by_role("button", name=re.compile("Pin this run")).click()
    page.get_by_text("Pinned runs (1 of 5)").wait_for()
    page.locator(".st-key-learning_rate input[type=range]").focus()
    page.keyboard.press("ArrowLeft")  # 1 → 0.3
    wait_until(lambda: "lr 0.3 ·" in status(page))
    step(page)  # the run goes on at the new rate: its second epoch
    wait_until(lambda: epoch(page) == 2 and "step 16 ·" in status(page))
    page.get_by_role("button", name=re.compile("Pin this run")).click()
    page.get_by_text("Pinned runs (2 of 5)").wait_for()
    page.get_by_text("run 2: lr 0.3").first.wait_for()
    legend = page.locator(".st-key-compare .legendtext")
    wait_until(lambda: legend.count() == 2)
    assert sorted(legend.evaluate_all("texts => texts.map(text => text.textContent)")) == [
        "run 1: lr 1",
        "run 2: lr 0.3",
    ]
    path = download(page, lambda: page.locator(".st-key-pin_download_2 button").first, tmp_path, in_export=False)
    assert load_model(path).config["hidden_sizes"] == [10]


def test_the_chapter_1_lab_is_a_page_of_its_own(page, app_url):
    open_app(page, app_url, "?hidden=6,4&lr=0.3")
    step(page)
    wait_until(lambda: epoch(page) == 1)
    page.get_by_role("link", name=re.compile("Chapter 1 lab")).click()
    page.get_by_text("Chapter 1 lab", exact=True).first.wait_for()
    page.get_by_text("x · W has shape (10, 4)").wait_for()
    page.locator(".st-key-lab_mistake .js-plotly-plot").wait_for()
    assert page.url.rstrip("/").endswith("/lab")
    page.get_by_role("link", name=re.compile("Playground")).click()
    page.locator(".spl-status").wait_for()
    assert epoch(page) == 1 and "lr 0.3 ·" in status(page)  # the run and its settings are still there
    assert page.locator(".st-key-width_1 input").input_value() == "4"


def test_the_page_and_the_lab_in_korean_and_back_to_english(page, app_url):
    open_app(page, app_url, "?lang=ko&lr=0.3")
    assert page.locator(".st-key-learning_rate").get_by_text("학습률").count() == 1
    press(page, "재생")
    wait_until(lambda: epoch(page) > 20)
    press(page, "일시 정지")
    assert "훈련 손실" in status(page) and "학습률 0.3 ·" in status(page)
    page.get_by_role("link", name=re.compile("1장 실습")).click()
    page.get_by_text("x · W의 형상은 (10, 4)입니다").wait_for()
    assert "lang=ko" in page.url
    page.locator(".st-key-lang").get_by_text("English").click()
    page.get_by_text("x · W has shape (10, 4)").wait_for()
    wait_until(lambda: "lang=" not in page.url)
    page.get_by_role("link", name=re.compile("Playground")).click()
    page.get_by_text(re.compile(r"^Epoch \d")).first.wait_for()
    assert epoch(page) > 20 and "lr 0.3 ·" in status(page)  # the run and its settings went through both languages


def test_the_data_set_downloads_as_csv_and_uploads_back(page, app_url, tmp_path):
    open_app(page, app_url, "?data=moons&points=50&seed=3")
    path = download(page, lambda: page.get_by_role("button", name="Data (.csv)", exact=True), tmp_path)
    x, t = load_points(path)
    assert x.shape == (100, 2) and t.shape == (100, 2)
    # a click outside closes the export popover: in the page's right margin, which the popover (grown upwards over
    # the title since the class link's button came below it) leaves clear
    page.mouse.click(page.viewport_size["width"] - 20, page.viewport_size["height"] / 2)
    page.locator(".st-key-weights_upload").wait_for(state="detached")
    choose(page, "Data set", "Upload CSV")
    upload(page, "csv_upload", path)
    page.get_by_text("Loaded 100 points in 2 classes.").wait_for()
    page.get_by_text("Your data: click to add points, or edit them in a table").wait_for()  # to edit them, paused


def test_a_click_on_the_paused_chart_adds_a_point_of_the_chosen_class(page, app_url):
    open_app(page, app_url)
    page.get_by_text("Your data: click to add points").click()
    page.locator(".st-key-add_class").get_by_role("radio", name="1", exact=True).click()
    regions = page.locator(".spl-regions-canvas")
    regions.scroll_into_view_if_needed()  # opening the expander below scrolled the chart away
    time.sleep(0.5)
    page.mouse.click(*at_fraction(regions, 0.3, 0.7))
    page.get_by_text(re.compile(r"Added a point of class 1 at \(-?[\d.]+, -?[\d.]+\): 301 points")).wait_for()
    wait_until(lambda: "data=upload" in page.url)
    assert epoch(page) == 0


# --- what a newcomer meets first ------------------------------------------------------------------------------

FAILED = re.compile("Something went wrong|서버에서 문제가")
# (select box, option to choose) in each language, popover to open first; every one of the page's select boxes
SELECT_BOXES = [
    (None, ("Data set", "Circle"), ("데이터셋", "원")),
    (None, ("Activation", "Tanh"), ("활성화 함수", "tanh")),
    ("init_popover", ("Weight init", "He"), ("가중치 초깃값", "He")),
    ("init_popover", ("Regularization", "L2"), ("정규화", "L2")),
    (None, ("Optimizer", "Adam"), ("옵티마이저", "Adam")),
    ("more_popover", ("Rate schedule", "Cosine to 0 over N epochs"),
     ("학습률 스케줄", "N 에폭에 걸쳐 코사인으로 0까지")),
    ("more_popover", ("Precision", "float32"), ("정밀도", "float32")),
    (None, ("Neuron shown large", "layer 1 · neuron 2"), ("크게 볼 뉴런", "은닉층 1 · 뉴런 2")),
]  # fmt: skip


def no_failure(page):
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text(FAILED).count() == 0


def switch_language(page, name):
    page.locator(".st-key-lang").get_by_text(name, exact=True).click()


def use_every_control(page, language):
    """Play, move a slider, and change each select box, as a user would in ``language``; nothing may fail."""
    korean = language == "ko"
    press(page, "재생" if korean else "Play")
    wait_until(lambda: epoch(page) > 3)
    no_failure(page)
    page.locator(".st-key-learning_rate input[type=range]").focus()
    page.keyboard.press("ArrowLeft")  # 1 → 0.3 on the log scale
    wait_until(lambda: re.search(r"(?:lr|학습률) 0\.3 ·", status(page)))
    press(page, "일시 정지" if korean else "Pause")
    for popover, english, in_korean in SELECT_BOXES:
        box, option = in_korean if korean else english
        # a popover's button toggles it: clicked only while the box is hidden (on a busy server the last Escape
        # may not have closed the popover)
        if popover and not page.get_by_role("combobox", name=box).is_visible():
            page.locator(f".st-key-{popover} button").first.click()
        choose(page, box, option)
        page.keyboard.press("Escape")  # closes a popover
        wait_until(lambda: page.locator('[data-stale="true"]').count() == 0)
        no_failure(page)
    page.locator(".st-key-step button").first.click()
    wait_until(lambda: epoch(page) >= 1)
    no_failure(page)
    assert "data=circle" in page.url and "optimizer=Adam" in page.url and "activation=tanh" in page.url


def test_switching_the_language_with_the_page_control_leaves_every_control_working(page, app_url):
    """A choice widget sends back the label it shows: after a switch that label is of the other language."""
    for start, switch_to in (("en", "한국어"), ("ko", "English")):
        for on_lab in (False, True):
            open_app(page, app_url, "?lang=ko" if start == "ko" else "")
            if on_lab:
                page.get_by_role("link", name=re.compile("Chapter 1 lab|1장 실습")).click()
                page.locator(".st-key-lab_mistake .js-plotly-plot").wait_for()
            switch_language(page, switch_to)
            if on_lab:
                page.get_by_text(re.compile("^(1장 실습|Chapter 1 lab)$")).first.wait_for()
                no_failure(page)
                page.get_by_role("link", name=re.compile("^(Playground|플레이그라운드)")).click()
            page.get_by_text(re.compile(r"^(?:Epoch|에폭) \d")).first.wait_for()
            use_every_control(page, "ko" if switch_to == "한국어" else "en")


def test_pause_means_paused_and_the_page_the_weights_the_history_and_the_script_agree(page, app_url, tmp_path):
    open_app(page, app_url, "?speed=3000")
    press(page, "Play")
    wait_until(lambda: epoch(page) > 100)
    press(page, "Pause")
    shown = status(page)
    wait_until(lambda: "Pause" in page.locator(".st-key-run [aria-checked=true]").inner_text())
    time.sleep(1.5)
    shown = status(page)
    time.sleep(2)
    assert status(page) == shown  # nothing trains after Pause
    page_step = int(re.search(r"step ([\d,]+)", shown).group(1).replace(",", ""))

    script = download(page, lambda: page.get_by_role("button", name="Python script (.py)", exact=True), tmp_path)
    weights = download(page, lambda: page.get_by_role("button", name="Weights (.npz)", exact=True), tmp_path)
    history = download(page, lambda: page.get_by_role("button", name="History (.csv)", exact=True), tmp_path)
    assert int(history.read_text().splitlines()[-1].split(",")[1]) == page_step
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(root)})  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"steps: {page_step}," in result.stdout
    printed = float(re.search(r"final training loss: ([\d.e-]+)", result.stdout).group(1))

    from playground.session import Session
    from playground.session.passes import loss_and_accuracy
    from playground.settings import DEFAULTS

    data = Session(DEFAULTS)
    loss, _ = loss_and_accuracy(load_model(weights), data.features_train, data.data.t_train)
    assert loss == printed  # the downloaded weights are the script's, bit for bit
    assert f"loss train {loss:.3f}" in shown


def test_the_rate_and_the_batch_apply_playing_and_paused_and_go_into_the_link(page, app_url):
    """They rerun on their own while playing (the live socket shows the change), and the page while paused."""
    open_app(page, app_url)
    press(page, "Play")
    wait_until(lambda: epoch(page) > 3)
    rate, batch = (page.locator(f".st-key-{key} input[type=range]") for key in ("learning_rate", "batch_size"))
    rate.focus()
    page.keyboard.press("ArrowLeft")  # 1 → 0.3
    wait_until(lambda: "lr 0.3 ·" in status(page) and "lr=0.3&" in page.url)
    playing_at = epoch(page)
    wait_until(lambda: epoch(page) > playing_at + 3)  # still playing
    press(page, "Pause")
    wait_until(lambda: "Pause" in page.locator(".st-key-run [aria-checked=true]").inner_text())
    rate.focus()
    page.keyboard.press("ArrowLeft")  # 0.3 → 0.1
    wait_until(lambda: "lr 0.1 ·" in status(page) and "lr=0.1&" in page.url)
    batch.focus()
    page.keyboard.press("ArrowRight")  # 30 → 31
    # paused, the status line ends at the batch: no steps a second
    wait_until(lambda: re.search(r"batch 31( ·|$)", status(page)) and "batch=31&" in page.url)
    paused_at = epoch(page)
    time.sleep(1)
    assert epoch(page) == paused_at and "Pause" in page.locator(".st-key-run [aria-checked=true]").inner_text()
    no_failure(page)


def in_view(page, locator):
    box = locator.bounding_box()
    viewport = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]


def test_in_korean_play_counts_the_pinned_runs_and_pause_reruns_the_page_to_compare_them(page, app_url):
    """Play and Pause sit in a fragment of their own: a click on Pause must still bring the page's run, which
    draws what only a paused page shows (the pinned runs' comparison), and the view must stop."""
    open_app(page, app_url, "?lang=ko")
    page.locator(".st-key-pin button").first.click()
    page.get_by_text("비교용으로 저장한 학습 (1 / 5)").wait_for()
    press(page, "재생")
    page.get_by_text("비교용으로 저장한 학습 1개: 멈추면 비교할 수 있습니다.").wait_for()
    wait_until(lambda: page.locator(".st-key-compare").count() == 0 and epoch(page) > 2)
    press(page, "일시 정지")
    page.locator(".st-key-compare").wait_for()
    page.get_by_text("비교용으로 저장한 학습 (1 / 5)").wait_for()
    wait_until(lambda: page.get_by_text("멈추면 비교할 수 있습니다").count() == 0)
    shown = status(page)
    page.wait_for_timeout(1000)
    assert status(page) == shown and "일시 정지" in page.locator(".st-key-run [aria-checked=true]").inner_text()
    no_failure(page)


def test_the_run_controls_are_on_the_first_screen_and_stay_in_view(browser, app_url):
    for width, height in ((1280, 800), (1920, 1080)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        open_app(page, app_url)
        controls = {
            "Play": page.locator(".st-key-run").get_by_role("radio", name=re.compile("Play$")),
            "Pause": page.locator(".st-key-run").get_by_role("radio", name=re.compile("Pause$")),
            "Step": page.locator(".st-key-step button").first,
            "Reset": page.locator(".st-key-reset button").first,
            "speed": page.locator(".st-key-speed"),
        }
        counter = page.get_by_text(re.compile(r"^Epoch \d")).first
        assert [name for name, control in controls.items() if not in_view(page, control)] == [], (width, height)
        assert in_view(page, counter)
        page.get_by_role("button", name=re.compile("Pin this run")).click()
        page.get_by_text("Pinned runs (1 of 5)").wait_for()  # a taller page
        page.mouse.move(width - 30, height * 0.6)  # beside the charts, on the page itself
        page.mouse.wheel(0, 2000)  # down to the network and below
        main = page.locator('[data-testid="stMain"]')
        wait_until(lambda main=main: main.evaluate("main => main.scrollTop > 500"))  # the pinned run's chart
        assert [name for name, control in controls.items() if not in_view(page, control)] == [], (width, height)
        controls["Play"].click()  # and still clickable there
        wait_until(lambda page=page: epoch(page) > 0)
        context.close()


def test_markdown_in_a_shared_link_is_shown_as_text_and_fetches_nothing(page, app_url):
    value = "![p](http://host.invalid/pixel.png) [click me](https://host.invalid/login) **bold**"
    outside = []
    page.on(
        "request", lambda request: outside.append(request.url) if "host.invalid" in request.url.split("?")[0] else None
    )
    open_app(page, app_url, "?lr=" + urllib.parse.quote(value))
    warning = page.locator('[data-testid="stAlert"]').filter(has_text="Link parameter lr=")
    assert warning.inner_text().replace("\u2060", "").startswith(f"Link parameter lr={value!r} is not a number")
    assert warning.locator("a, img, strong").count() == 0
    assert outside == []
