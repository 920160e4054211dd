"""The page around the live view where a class opens it: a phone, a projector's 1920×1080, a keyboard alone, and
the smaller things a newcomer meets (the Epoch button, a restart's notice, a loaded file, the neuron counts, the
Korean page's uploader and pinned runs). Boxes are asserted, not pictures."""

import re
import time

import numpy as np

from tests.e2e.test_browser import epoch, open_app, press, status, upload, wait_until
from tests.e2e.test_live_view import canvas_pixels, redrawn

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}


def box(locator):
    return locator.bounding_box()


def header_bottom(page):
    found = box(page.locator('[data-testid="stHeader"]'))
    return found["y"] + found["height"]


def title(page):
    return page.get_by_role("heading", name=re.compile("^(Spiral playground|스파이럴 플레이그라운드)$"))


def run_bar_controls(page):
    """Play, Pause, Epoch, Reset and the speed, each as the box a finger or a pointer meets."""
    run = page.locator(".st-key-run").get_by_role("radio")
    return {
        "Play": run.nth(0),
        "Pause": run.nth(1),
        "Epoch": page.locator(".st-key-step button:visible").first,
        "Reset": page.locator(".st-key-reset button:visible").first,
        "speed": page.locator(".st-key-speed"),
    }


def inside_width(found, width):
    return found["x"] >= 0 and found["x"] + found["width"] <= width


def sidebar_open(page):
    found = box(page.locator('[data-testid="stSidebar"]'))
    return found is not None and found["width"] > 100 and found["x"] >= 0


def playing(page):
    return page.locator(".st-key-run [role=radio]").first.get_attribute("aria-checked") == "true"


def test_a_phone_opens_on_the_picture_with_the_run_bar_on_one_row_below_the_header(browser, app_url):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    open_app(page, app_url)
    width = PHONE["viewport"]["width"]
    assert not sidebar_open(page)  # the picture and Play, not the settings over them
    assert box(title(page))["y"] >= header_bottom(page)  # not clipped by the header

    boxes = {name: box(control) for name, control in run_bar_controls(page).items()}
    assert [name for name, found in boxes.items() if not inside_width(found, width)] == []
    assert max(found["y"] for found in boxes.values()) < min(found["y"] + found["height"] for found in boxes.values())
    assert all(found["y"] + found["height"] <= PHONE["viewport"]["height"] for found in boxes.values())
    pills = page.locator(".st-key-view button[aria-pressed]")
    assert pills.count() == 6
    assert [index for index in range(6) if not inside_width(box(pills.nth(index)), width)] == []  # wrapped, in view

    # scrolled: the run bar sticks below the header, and what follows it slides under it, not over the header
    main = page.locator('[data-testid="stMain"]')
    bar = page.locator(".st-key-run_bar")
    stuck_at = box(bar)["y"] - header_bottom(page)
    main.evaluate("(main, by) => main.scrollTo(0, by)", stuck_at + 30)
    time.sleep(0.3)
    assert box(bar)["y"] >= header_bottom(page) - 1
    assert box(page.locator(".spl-status"))["y"] >= box(bar)["y"] + box(bar)["height"]  # its first row shows
    main.evaluate("main => main.scrollTo(0, 2000)")
    time.sleep(0.3)
    assert box(bar)["y"] >= header_bottom(page) - 1
    controls = run_bar_controls(page)
    assert all(inside_width(box(control), width) for control in controls.values())
    controls["Play"].tap()  # still in reach down there
    wait_until(lambda: epoch(page) > 0)
    controls["Pause"].tap()

    page.locator('[data-testid="stExpandSidebarButton"]').tap()  # the settings, one tap away
    wait_until(lambda: sidebar_open(page))
    context.close()


def test_a_wide_screen_opens_with_the_settings_and_the_title_clear_of_the_header(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    open_app(page, app_url)
    assert sidebar_open(page)
    assert box(title(page))["y"] >= header_bottom(page)
    page.locator('[data-testid="stSidebar"]').hover()  # its collapse button shows on a hover
    page.locator('[data-testid="stSidebarCollapseButton"] button').click()
    wait_until(lambda: not sidebar_open(page))
    assert box(title(page))["y"] >= header_bottom(page)
    context.close()


def test_the_keyboard_plays_pauses_and_steps_but_not_while_typing_or_in_the_live_view(browser, app_url):
    context = browser.new_context(**PROJECTOR)
    page = context.new_page()
    open_app(page, app_url)
    page.keyboard.press("Tab")  # the first stop: the skip link, past the sidebar's settings to Play
    assert page.evaluate("document.activeElement.textContent") == "Skip to the run controls"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.getAttribute('role')") == "radio"
    page.locator(".st-key-live_view").click(position={"x": 5, "y": 5})  # focus back on the page itself
    page.evaluate("document.activeElement.blur()")

    page.keyboard.press("Space")
    wait_until(lambda: playing(page) and epoch(page) > 3)
    page.keyboard.press("Space")
    wait_until(lambda: not playing(page))
    time.sleep(1)
    paused_at = epoch(page)
    page.keyboard.press("ArrowRight")
    wait_until(lambda: epoch(page) == paused_at + 1)

    seed = page.locator(".st-key-seed input")
    seed.click()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    time.sleep(1.5)
    assert epoch(page) == paused_at + 1 and not playing(page)

    regions = page.locator(".spl-regions-canvas")
    regions.evaluate("canvas => canvas.focus({focusVisible: true})")  # as Tab reaches it
    page.keyboard.press("ArrowRight")  # the live view's own arrow keys: its probe, not an epoch
    time.sleep(1.5)
    assert epoch(page) == paused_at + 1

    page.evaluate("document.activeElement.blur()")
    regions.click(position={"x": 2, "y": 2})  # clicked, the chart leaves → and Space to the page
    assert page.evaluate("document.activeElement.matches('.spl-regions-canvas:not(:focus-visible)')")
    page.keyboard.press("ArrowRight")
    wait_until(lambda: epoch(page) == paused_at + 2)
    press(page, "Play")  # Play clicked: Space on it pauses rather than pressing Play again
    wait_until(lambda: playing(page))
    page.keyboard.press("Space")
    wait_until(lambda: not playing(page))

    page.evaluate("document.activeElement.blur()")
    test_points = page.locator(".st-key-view button[aria-pressed]").first
    assert test_points.get_attribute("aria-pressed") == "false"
    page.keyboard.press("KeyT")
    wait_until(lambda: test_points.get_attribute("aria-pressed") == "true" and "show_test" in page.url)
    page.keyboard.press("Shift+Slash")  # "?": the list of shortcuts
    page.get_by_text("Play or pause").wait_for()
    page.get_by_text("Train one epoch, then pause").wait_for()
    context.close()


def test_the_epoch_button_and_the_shortcuts_list_in_korean(page, app_url):
    open_app(page, app_url, "?lang=ko")
    assert page.locator(".st-key-step button:visible").first.inner_text().strip().endswith("한 에폭")
    page.locator(".st-key-shortcuts button").first.click()
    page.get_by_text("재생 또는 일시 정지").wait_for()
    page.get_by_text("한 에폭을 학습하고 멈추기").wait_for()


def test_play_is_the_obvious_first_action_and_an_epoch_is_what_the_step_button_trains(page, app_url):
    open_app(page, app_url)
    play, pause = (page.locator(".st-key-run [role=radio]").nth(index) for index in (0, 1))
    color, words = "el => getComputedStyle(el).backgroundColor", "el => getComputedStyle(el).color"
    filled = play.evaluate(color)
    # paused: Play stands out as a primary button does, filled with the theme's colour under white words
    assert filled not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)") and play.evaluate(words) == "rgb(255, 255, 255)"
    assert pause.evaluate(color) in ("rgba(0, 0, 0, 0)", "transparent")
    step_button = page.locator(".st-key-step button:visible").first
    assert step_button.inner_text().strip().endswith("Epoch")
    step_button.click()
    wait_until(lambda: epoch(page) == 1 and "step 8 ·" in status(page))  # one epoch: 240 points at batch 30
    press(page, "Play")
    wait_until(lambda: epoch(page) > 3)
    assert play.evaluate(color) != filled  # playing: the chosen Play, as any chosen segment
    press(page, "Pause")


def test_the_neuron_counts_have_plus_and_minus_for_a_finger_and_a_restart_says_so(page, app_url):
    open_app(page, app_url, "?hidden=6")
    page.locator(".st-key-step button:visible").first.click()
    wait_until(lambda: epoch(page) == 1)
    plus = page.locator(".st-key-width_0 [data-testid=stNumberInputStepUp]")
    minus = page.locator(".st-key-width_0 [data-testid=stNumberInputStepDown]")
    for button in (plus, minus):
        found = box(button)
        assert found["width"] >= 44 and found["height"] >= 44
    plus.click()
    page.get_by_text("A new network: training starts again at epoch 0, from new initial weights.").wait_for()
    wait_until(lambda: "hidden=7" in page.url and epoch(page) == 0)


def test_loaded_weights_say_where_they_come_from_and_their_curves_start_from_their_loss(page, app_url, tmp_path):
    from playground import export
    from playground.session import Session

    trained = Session()  # the page's defaults: the book's spiral, its seed and split
    trained.step_to(300)
    loss = trained.history["train_loss"][-1]
    path = tmp_path / "teacher.npz"
    path.write_bytes(export.weights_bytes(trained.model, trained={"epoch": 300, "step": trained.trainer.step_count}))
    open_app(page, app_url)
    assert f"loss train {loss:.3f}" not in status(page)
    upload(page, "weights_upload", path)
    page.get_by_text("Loaded the weights of teacher.npz").wait_for()
    page.get_by_text("Started from the weights in teacher.npz, trained for 300 epochs").wait_for()
    wait_until(lambda: f"loss train {loss:.3f}" in status(page) and epoch(page) == 0)  # the file's loss, at once
    assert any(abs(value - loss) < 0.01 for value in first_loss_drawn(page))
    title(page).click()  # a click outside closes the export popover, which covers the run bar
    page.locator(".st-key-weights_upload").wait_for(state="detached")
    page.locator(".st-key-reset button:visible").first.click()  # the seed's weights again: no file to name
    wait_until(lambda: page.get_by_text("Started from the weights in teacher.npz").count() == 0)


def first_loss_drawn(page):
    """The training loss the curves draw at epoch 0, read off the dot's height on the loss axis."""
    chart = redrawn(page, ".spl-curves-canvas")
    plot, ticks = chart["boxes"]["plot"], chart["labels"]
    pixels = canvas_pixels(page, ".spl-curves-canvas").astype(int)
    ratio = pixels.shape[1] / chart["width"]
    blue = np.abs(pixels - [0x00, 0x72, 0xB2]).sum(axis=2) < 40
    left = round(plot["x"] * ratio)
    rows = np.nonzero(blue[:, left : left + round(8 * ratio)].any(axis=1))[0] / ratio
    axis = sorted(
        (label["y"] + label["height"] / 2, float(label["text"]))
        for label in ticks
        if label["x"] < plot["x"] and re.fullmatch(r"[\d.]+", label["text"])
    )
    (top_y, top_value), (bottom_y, bottom_value) = axis[0], axis[-1]
    return [top_value + (y - top_y) * (bottom_value - top_value) / (bottom_y - top_y) for y in rows]


def test_the_korean_page_says_its_own_words_on_the_uploader_and_the_pinned_runs(page, app_url, tmp_path):
    open_app(page, app_url, "?lang=ko")
    page.locator(".st-key-pin button").first.click()
    page.get_by_text("비교용으로 저장한 학습 (1 / 5)").wait_for()
    unpin = page.locator(".st-key-unpin_1 button").first
    unpin.wait_for()
    assert unpin.inner_text().strip() == "목록에서 빼기"
    text = unpin.locator("p")
    assert text.evaluate("p => p.scrollWidth <= p.clientWidth")  # the whole words, no "…"
    assert inside_width(box(unpin), page.viewport_size["width"])

    page.locator(".st-key-export_popover button").first.click()
    uploader = page.locator(".st-key-weights_upload")
    uploader.wait_for()
    shown = uploader.inner_text()
    assert "Upload" not in shown and "per file" not in shown
    after = "el => getComputedStyle(el, '::after').content"
    assert uploader.locator("[data-testid=stFileUploaderDropzoneInstructions] > div").evaluate(after) == (
        '"파일당 5MB까지 · NPZ"'
    )
    assert uploader.get_by_role("button", name="업로드", exact=True).count() == 1  # its words, and its name

    refused = '"받을 수 없는 파일입니다: 형식이 다르거나 5MB보다 큽니다."'
    for name, content in (("huge.npz", b"PK" + bytes(6_000_000)), ("notes.txt", b"not weights")):
        path = tmp_path / name
        path.write_bytes(content)
        uploader.locator("input[type=file]").set_input_files(str(path))
        chip = uploader.locator("[data-testid=stFileChip]", has_text=name)
        chip.wait_for()
        assert chip.locator("[role=alert]").evaluate(after) == refused  # what a screen reader hears
        chip.hover()
        tip = page.locator("[data-testid=stTooltipErrorContent]")
        tip.wait_for()
        assert tip.evaluate(after) == refused and tip.evaluate("el => getComputedStyle(el).fontSize") == "0px"
        assert tip.bounding_box()["width"] > 200  # its box holds our words
        page.mouse.move(0, 0)


def test_what_is_below_the_view_waits_for_it_but_not_for_ever(page, app_url):
    """Hidden until the view is on the page, so that it does not jump when the view comes; shown after 4 s all the
    same, should the view never come (its code failed to load, say)."""
    open_app(page, app_url)
    below = ".st-key-live_view ~ *"
    assert page.locator(below).first.evaluate("element => getComputedStyle(element).display") != "none"
    page.evaluate("window.__view = document.querySelector('.spl-live'); window.__view.remove()")
    assert page.locator(below).first.evaluate("element => getComputedStyle(element).display") == "none"
    wait_until(lambda: page.locator(below).first.evaluate("element => getComputedStyle(element).display") != "none", 6)
    page.evaluate("document.querySelector('.st-key-live_view [data-testid]')?.appendChild(window.__view)")


def test_a_language_switch_keeps_the_open_panels_open(page, app_url):
    """Each panel's id includes its label: the other language's is a new expander, which opens as the old one was."""
    open_app(page, app_url)
    panels = [page.locator(f".st-key-{key} details").first for key in ("look_inside", "your_data")]
    for panel in panels:
        panel.locator("summary").click()
        wait_until(lambda panel=panel: panel.get_attribute("open") is not None, 10)
    page.locator('[data-testid="stSidebar"]').get_by_text("한국어").click()
    page.locator(".st-key-look_inside summary").get_by_text("속 들여다보기", exact=False).wait_for()
    page.locator(".st-key-your_data summary").get_by_text("데이터", exact=False).wait_for()
    assert all(panel.get_attribute("open") is not None for panel in panels)
    panels[0].locator("summary").click()  # and it closes as before
    wait_until(lambda: panels[0].get_attribute("open") is None, 10)
