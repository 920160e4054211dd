"""The live view wherever a class opens it: a phone, a projector, a keyboard, a screen reader, colour-blind eyes."""

import base64
import io
import re
import time

import numpy as np
from PIL import Image

from playground.charts import CLASS_COLORS, CONFIDENCE_LEVELS, region_palette
from tests.e2e.test_browser import choose, live, open_app, press, status, upload, wait_until

CHARTS = (".spl-regions-canvas", ".spl-curves-canvas", ".spl-network-canvas")


def canvas_pixels(page, selector, mode="RGB"):
    """The canvas's pixels as the view drew them (device pixels): a sticky bar over it is not in them."""
    url = page.locator(selector).evaluate("canvas => canvas.toDataURL('image/png')")
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert(mode))


def drawn(page, selector):
    """What the canvas's last drawing says of itself: its text's boxes, its plot's and legend's, its CSS size."""
    return page.locator(selector).evaluate(
        "c => ({labels: c.labels, boxes: c.boxes, width: c.clientWidth, height: c.clientHeight,"
        " ready: Math.abs(c.width / devicePixelRatio - c.clientWidth) < 1})"
    )


def overlap(a, b, slack=0.5):
    """Whether two boxes share more than ``slack`` px each way."""
    return (
        a["x"] + a["width"] > b["x"] + slack
        and b["x"] + b["width"] > a["x"] + slack
        and a["y"] + a["height"] > b["y"] + slack
        and b["y"] + b["height"] > a["y"] + slack
    )


def collisions(chart):
    """Labels that touch another, or leave the canvas (by more than half a pixel)."""
    labels = chart["labels"]
    touching = [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1 :] if overlap(a, b)]
    cut = [
        label["text"]
        for label in labels
        if label["x"] < -0.5
        or label["y"] < -0.5
        or label["x"] + label["width"] > chart["width"] + 0.5
        or label["y"] + label["height"] > chart["height"] + 0.5
    ]
    return touching + cut


def redrawn(page, selector):
    """The chart, once drawn at its box's present size."""
    wait_until(lambda: drawn(page, selector)["ready"], timeout=10)
    time.sleep(0.3)
    return drawn(page, selector)


RUN_NAMES = {"en": ("Play", "Pause"), "ko": ("재생", "일시 정지")}


def paused_after(page, epochs, lang="en"):
    """Trained ``epochs`` epochs, then paused: the status shows no speed."""
    play, pause = RUN_NAMES[lang]
    press(page, play)
    wait_until(lambda: live(page, "at-step") > epochs * 8)
    press(page, pause)
    wait_until(lambda: not re.search("steps/s|초당", status(page)))


# --- phones ---------------------------------------------------------------------------------------------------


def box(page, selector):
    return page.locator(selector).bounding_box()


def test_on_a_phone_the_charts_stack_at_full_width_and_nothing_is_wider_than_the_screen(phone, app_url):
    open_app(phone, app_url, "?view=show_test,show_network")
    regions, curves = box(phone, ".spl-regions-canvas"), box(phone, ".spl-curves-canvas")
    assert regions["width"] > 330 and curves["width"] > 330  # not 171 px side by side
    assert curves["y"] >= regions["y"] + regions["height"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    widest = phone.locator(".spl-live *").evaluate_all(
        "elements => Math.max(...elements.filter(e => e.offsetParent).map(e => e.getBoundingClientRect().right))"
    )
    assert widest <= 390
    for chart in CHARTS:
        assert collisions(redrawn(phone, chart)) == [], chart


def adding_class_1(page):
    """Choose class 1 for the points a click (here, a long press) adds, and bring the regions back in view."""
    page.get_by_text("Your data: click to add points").click()
    page.locator(".st-key-add_class").get_by_role("radio", name="1", exact=True).click()
    page.locator(".spl-regions-canvas").scroll_into_view_if_needed()
    time.sleep(0.5)


def tip_after_touch(page, x, y):
    page.touchscreen.tap(x, y)
    tip = page.locator(".spl-tip")
    tip.wait_for(timeout=5_000)
    return tip.inner_text()


class Fingers:
    """Fingers on a page's screen, through Chromium's own touch input (one session: a touch ends where it began)."""

    def __init__(self, page):
        self.session = page.context.new_cdp_session(page)

    def send(self, kind, points=()):
        touched = [{"x": x, "y": y, "id": index} for index, (x, y) in enumerate(points)]
        self.session.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touched})

    def hold(self, point, seconds):
        self.send("touchStart", [point])
        time.sleep(seconds)
        self.send("touchEnd")


def test_on_a_phone_a_tap_shows_the_tip_a_long_press_adds_a_point_and_two_fingers_zoom(phone, app_url):
    open_app(phone, app_url, "?view=show_network")
    adding_class_1(phone)
    canvas = phone.locator(".spl-regions-canvas")
    plot = drawn(phone, ".spl-regions-canvas")["boxes"]["plot"]
    area = canvas.bounding_box()
    centre = (area["x"] + plot["x"] + plot["width"] / 2, area["y"] + plot["y"] + plot["height"] / 2)
    shares = [float(value) for value in re.findall(r"class \d: ([\d.]+) %", tip_after_touch(phone, *centre))]
    assert len(shares) == 3 and abs(sum(shares) - 100) < 2
    time.sleep(1)
    assert "data=upload" not in phone.url  # paused, a tap shows the tip and adds nothing

    zoom = lambda: phone.locator(".spl-live").get_attribute("data-zoom")  # noqa: E731 (the window shown)
    assert zoom() == ""
    (x, y) = centre
    fingers = Fingers(phone)
    fingers.send("touchStart", [(x - 20, y), (x + 20, y)])
    for spread in (40, 60, 80):
        fingers.send("touchMove", [(x - spread, y), (x + spread, y)])
    fingers.send("touchEnd")
    wait_until(lambda: zoom() != "")
    low, high = [float(value) for value in zoom().split(",")[:2]]
    assert high - low < 0.5 * 2.6  # four times as far apart: a quarter of the ~2.6 wide plane
    assert "data=upload" not in phone.url  # a pinch adds nothing either

    scrolled = phone.evaluate("window.scrollY + document.querySelector('[data-testid=stMain]').scrollTop")
    fingers.send("touchStart", [(x, y + 100)])  # a finger up the chart scrolls the page, as anywhere else
    for rise in range(10, 210, 20):
        fingers.send("touchMove", [(x, y + 100 - rise)])
    fingers.send("touchEnd")
    wait_until(
        lambda: phone.evaluate("window.scrollY + document.querySelector('[data-testid=stMain]').scrollTop") > scrolled
    )
    canvas.scroll_into_view_if_needed()
    centre = (area["x"] + plot["x"] + plot["width"] / 2, canvas.bounding_box()["y"] + plot["y"] + plot["height"] / 2)

    fingers.hold(centre, 0.8)
    phone.get_by_text(re.compile(r"Added a point of class 1 at \(-?[\d.]+, -?[\d.]+\): 301 points")).wait_for()
    wait_until(lambda: "data=upload" in phone.url)  # paused, a long press adds the point

    network = phone.locator(".spl-network-canvas")
    network.scroll_into_view_if_needed()
    place = network.bounding_box()
    found = None
    for fraction in np.linspace(0.1, 0.9, 17):  # down the middle column: a hidden neuron answers a tap
        phone.touchscreen.tap(place["x"] + place["width"] / 2, place["y"] + place["height"] * fraction)
        time.sleep(0.2)
        text = phone.locator(".spl-tip").inner_text() if phone.locator(".spl-tip").is_visible() else ""
        if "bias " in text:
            found = text
            break
    assert found and "layer 1 · neuron" in found


def test_while_playing_a_finger_adds_no_point(phone, app_url):
    open_app(phone, app_url)
    adding_class_1(phone)
    press(phone, "Play")
    wait_until(lambda: live(phone, "at-step") > 40)
    canvas = phone.locator(".spl-regions-canvas")
    area = canvas.bounding_box()
    centre = (area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
    assert "class 0:" in tip_after_touch(phone, *centre)
    Fingers(phone).hold(centre, 0.8)
    time.sleep(1)
    press(phone, "Pause")  # a point added while playing would show once paused
    wait_until(lambda: "steps/s" not in status(phone))
    time.sleep(1)
    assert "data=upload" not in phone.url and phone.get_by_text("Added a point").count() == 0


# --- every width: ticks that fit, a legend off the plot -----------------------------------------------------------


def narrow_column(page):
    """The view in a column as narrow as it can get (a page's side column, a split screen): its style element."""
    return page.add_style_tag(content=".spl-live { max-width: 180px; }")


def test_at_every_width_no_label_touches_another_or_leaves_its_chart_and_the_legend_is_off_the_plot(page, app_url):
    open_app(page, app_url, "?view=show_network,log_loss")
    narrow = narrow_column(page)  # epoch 0: the epoch axis runs from 0 to 1 in steps of 0.2
    for chart in CHARTS:
        assert collisions(redrawn(page, chart)) == [], chart
    narrow.evaluate("style => style.remove()")
    paused_after(page, 150)
    for width in (390, 480, 640, 800, 1024, 1280, 1600, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        for chart in CHARTS:
            assert collisions(redrawn(page, chart)) == [], (width, chart)
        curves = drawn(page, ".spl-curves-canvas")["boxes"]
        assert len(curves["legend"]) == 4
        assert [entry for entry in curves["legend"] if overlap(entry, curves["plot"], slack=0)] == [], width
    narrow_column(page)
    for chart in CHARTS:
        assert collisions(redrawn(page, chart)) == [], chart


# --- a projector ----------------------------------------------------------------------------------------------


def line_width(pixels, color, columns, ratio):
    """A line's width in CSS pixels, from RGBA pixels: down each of ``columns``, the widest run of ``color``
    weighted by its pixels' cover (alpha; the canvas is transparent around its lines); the lower quartile of
    these over the columns (a steep stretch runs longer, one under another curve shorter)."""
    runs = []
    for column in columns:
        cover = pixels[:, column, 3] / 255 * (np.abs(pixels[:, column, :3].astype(int) - color) < 40).all(axis=1)
        edges = np.flatnonzero(np.diff(np.concatenate([[0], (cover > 0).astype(int), [0]])))
        here = [cover[start:stop].sum() for start, stop in zip(edges[0::2], edges[1::2])]
        if here:
            runs.append(max(here))
    return np.percentile(runs, 25) / ratio


def test_on_a_projector_text_and_lines_grow_with_the_charts_and_the_network_names_fit(browser, app_url):
    for width, height, lang, smallest_text, widest_line in ((1920, 1080, "en", 16, 3), (1280, 800, "ko", 11, 2)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        open_app(page, app_url, f"?lang={lang}&hidden=10")
        paused_after(page, 40, lang)
        for chart in (".spl-regions-canvas", ".spl-curves-canvas"):
            labels = redrawn(page, chart)["labels"]
            ticks = [label for label in labels if re.fullmatch(r"[-\d.,%]+", label["text"])]
            assert len(ticks) > 6 and min(label["height"] for label in ticks) >= smallest_text, (width, chart)
        network = redrawn(page, ".spl-network-canvas")
        names = [label["text"] for label in network["labels"]]
        assert ("class 2" if lang == "en" else "클래스 2") in names and collisions(network) == []
        curves = drawn(page, ".spl-curves-canvas")
        plot = curves["boxes"]["plot"]
        ratio = page.evaluate("devicePixelRatio")
        pixels = canvas_pixels(page, ".spl-curves-canvas", "RGBA")
        blue = np.array([0x00, 0x72, 0xB2])  # the training loss, solid
        swatch = curves["boxes"]["legend"][0]  # its line in the legend, level: its height is the line's width
        band = pixels[int(swatch["y"] * ratio) : int((swatch["y"] + swatch["height"]) * ratio)]  # above the plot
        key = line_width(band, blue, [int((swatch["x"] + 4) * ratio)], ratio)
        assert widest_line - 0.1 <= key <= widest_line + 0.2, (width, key)
        columns = [int((plot["x"] + plot["width"] * share) * ratio) for share in np.linspace(0.3, 0.95, 27)]
        assert line_width(pixels, blue, columns, ratio) >= widest_line - 0.1  # the curves too, or more where steep
        context.close()


# --- class markers and colour-blind eyes ----------------------------------------------------------------------


def test_each_class_has_its_own_marker_in_the_regions_the_key_and_the_diagram(page, app_url):
    open_app(page, app_url, "?view=show_test,show_network")
    assert page.locator(".spl-live").get_attribute("data-markers") == "circle,cross,triangle"  # o, x, ^ as the book
    key = page.locator(".spl-key")
    assert [key.get_by_text(f"class {label}", exact=True).count() for label in range(3)] == [1, 1, 1]
    key.get_by_text("filled: train · hollow: test").wait_for()
    keyed = [canvas_pixels(page, f".spl-key-item:nth-child({label + 1}) canvas", "RGBA") for label in range(3)]
    shapes = [(pixels[:, :, 3] > 128) & (pixels[:, :, :3].min(axis=2) < 200) for pixels in keyed]  # not the edge
    for first in range(3):  # each class's marker covers other pixels than every other's
        for second in range(first + 1, 3):
            union = (shapes[first] | shapes[second]).sum()
            assert (shapes[first] & shapes[second]).sum() < 0.8 * union, (first, second)  # the same shape: 1
    network = drawn(page, ".spl-network-canvas")
    names = {label["text"]: label for label in network["labels"]}
    ratio = page.evaluate("devicePixelRatio")
    pixels = canvas_pixels(page, ".spl-network-canvas")
    outputs = []
    for label in range(3):  # the output node left of its name, in its class's colour and shape
        name = names[f"class {label}"]
        y, x = int((name["y"] + name["height"] / 2) * ratio), int(name["x"] * ratio)
        patch = pixels[y - 14 : y + 14, x - 30 : x]
        outputs.append((np.abs(patch.astype(int) - hex_rgb(CLASS_COLORS[label])) < 30).all(axis=2))
    assert all(mask.sum() > 10 for mask in outputs)
    sizes = [mask.sum() for mask in outputs]
    assert len(set(sizes)) == 3  # a circle, a cross and a triangle cover different areas


def marker_shape(pixels, color):
    """The pixels of the marker drawn in ``color`` (its fill and its edge): everything unlike the region's colour
    around it, in a patch about the marker's centre."""
    ys, xs = np.nonzero(np.abs(pixels - hex_rgb(color)).sum(axis=2) < 60)
    y, x = int(np.median(ys)), int(np.median(xs))
    patch = pixels[y - 40 : y + 41, x - 40 : x + 41]
    background = np.median(np.concatenate([patch[0], patch[-1], patch[:, 0], patch[:, -1]]), axis=0)
    return np.abs(patch - background).sum(axis=2) > 60


def test_the_regions_draw_each_class_as_its_own_marker(browser, app_url, tmp_path):
    """Three points, one a class (each ten times over, so that some are training points), seen at four device
    pixels a CSS pixel: a circle fills π/4 of its box, a triangle about half, and no two shapes cover the same."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=4)
    page = context.new_page()
    path = tmp_path / "three.csv"
    places = [(-0.6, -0.6), (0.0, 0.6), (0.6, -0.6)]
    path.write_text("x1,x2,label\n" + "".join(f"{x},{y},{label}\n" for label, (x, y) in list(enumerate(places)) * 10))
    open_app(page, app_url, "?view=")
    choose(page, "Data set", "Upload CSV")
    upload(page, "csv_upload", path)
    page.get_by_text("Loaded 30 points in 3 classes.").wait_for()
    redrawn(page, ".spl-regions-canvas")
    pixels = canvas_pixels(page, ".spl-regions-canvas").astype(int)
    shapes = [marker_shape(pixels, CLASS_COLORS[label]) for label in range(3)]
    fills = []
    for shape in shapes:
        ys, xs = np.nonzero(shape)
        fills.append(shape.sum() / ((np.ptp(ys) + 1) * (np.ptp(xs) + 1)))
    assert 0.72 < fills[0] < 0.85 and fills[2] < 0.62, fills  # a circle, a triangle
    for first in range(3):
        for second in range(first + 1, 3):
            union = (shapes[first] | shapes[second]).sum()
            assert (shapes[first] & shapes[second]).sum() < 0.75 * union, (first, second)
    context.close()


def hex_rgb(color):
    return np.array([int(color[index : index + 2], 16) for index in (1, 3, 5)])


# Machado, Oliveira & Fernandes (2009), "A Physiologically-based Model for Simulation of Color Vision
# Deficiency", IEEE TVCG 15(6): the matrices for severity 1.0, applied to linear RGB.
DEFICIENCIES = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
WHITE = SRGB_TO_XYZ.sum(axis=1)  # D65


def linear(rgb):
    rgb = rgb / 255
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def lab(linear_rgb):
    """CIE L*a*b* (D65) of linear RGB values (rows)."""
    xyz = np.clip(linear_rgb, 0, 1) @ SRGB_TO_XYZ.T / WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1)


def closest_pair(colors):
    """The smallest CIE76 distance (ΔE*ab) between any two of the rows of L*a*b* colours."""
    return min(np.linalg.norm(a - b) for index, a in enumerate(colors) for b in colors[index + 1 :])


# A ΔE*ab of 20 or more is two colours no one mistakes at a glance; the region tints, pale on purpose, need 10.
POINTS_APART, TINTS_APART = 20, 10


def test_the_class_colours_stay_apart_under_simulated_colour_blindness(page, app_url):
    open_app(page, app_url, "?view=show_test,show_network")
    paused_after(page, 300)  # regions of every class, and sure of themselves
    pixels = canvas_pixels(page, ".spl-regions-canvas").reshape(-1, 3).astype(int)
    sure_tints = region_palette(3)[CONFIDENCE_LEVELS - 1 :: CONFIDENCE_LEVELS].astype(int)
    masks = {
        "points": [(pixels == hex_rgb(CLASS_COLORS[label])).all(axis=1) for label in range(3)],
        "tints": [(pixels == tint).all(axis=1) for tint in sure_tints],
    }
    assert all(mask.sum() > 30 for kind in masks.values() for mask in kind)  # each is on the screen
    for name, matrix in DEFICIENCIES.items():
        seen = lab(linear(pixels) @ np.array(matrix).T)
        for kind, least in (("points", POINTS_APART), ("tints", TINTS_APART)):
            colors = [np.median(seen[mask], axis=0) for mask in masks[kind]]
            assert closest_pair(colors) >= least, (name, kind, closest_pair(colors))


# --- the keyboard and screen readers ----------------------------------------------------------------------------


def test_the_keyboard_moves_a_probe_on_the_regions_and_a_node_on_the_diagram(page, app_url):
    open_app(page, app_url, "?view=show_network")
    page.evaluate("window.heard = []; document.addEventListener('keydown', event => heard.push(event.key))")
    regions = page.locator(".spl-regions-canvas")
    regions.scroll_into_view_if_needed()
    regions.focus()
    scrolled = page.evaluate("scrollY")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")  # back to where it starts: the plot's centre
    tip = page.locator(".spl-tip")
    tip.wait_for()
    probe = tip.inner_text()
    assert re.match(r"x1 -?[\d.]+, x2 -?[\d.]+\nclass 0: [\d.]+ %\nclass 1: [\d.]+ %\nclass 2", probe)
    plot, place = drawn(page, ".spl-regions-canvas")["boxes"]["plot"], regions.bounding_box()
    page.mouse.move(place["x"] + plot["x"] + plot["width"] / 2, place["y"] + plot["y"] + plot["height"] / 2)
    time.sleep(0.2)
    hovered = tip.inner_text()
    assert hovered.split("\n")[1:] == probe.split("\n")[1:]  # a hover there reads the same probabilities
    place_of = lambda text: [float(value) for value in re.match(r"x1 (-?[\d.]+), x2 (-?[\d.]+)", text).groups()]  # noqa: E731
    assert np.allclose(place_of(hovered), place_of(probe), atol=0.02)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    moved = tip.inner_text()
    assert place_of(moved)[0] > place_of(probe)[0] + 0.2  # a step and a bigger one: 2 % and 10 % of the width
    for _ in range(5):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("scrollY") == scrolled  # the arrows move the probe, not the page
    assert [key for key in page.evaluate("heard") if key.startswith("Arrow")] == []  # nor the page's shortcuts
    page.keyboard.press("x")
    assert page.evaluate("heard")[-1] == "x"  # every other key still reaches the page
    page.keyboard.press("Tab")  # on to the diagram, with a ring seen around it
    network = page.locator(".spl-network-canvas")
    assert network.evaluate("canvas => canvas === document.activeElement && getComputedStyle(canvas).outlineStyle")
    assert network.evaluate("canvas => getComputedStyle(canvas).outlineStyle") == "solid"
    page.keyboard.press("ArrowRight")
    first = tip.inner_text()
    assert first.startswith("layer 1 · neuron 1\nbias ") and "weight " in first and "x1 → layer 1 · neuron 1" in first
    page.keyboard.press("ArrowDown")
    assert tip.inner_text().startswith("layer 1 · neuron 2\n")
    page.keyboard.press("Enter")
    page.locator(".spl-neuron-title").get_by_text("layer 1 · neuron 2").wait_for()
    wait_until(lambda: page.get_by_role("combobox", name="Neuron shown large").input_value() == "layer 1 · neuron 2")


def test_a_screen_reader_hears_the_status_a_few_times_a_minute_and_at_once_when_paused(page, app_url):
    open_app(page, app_url)
    view = page.get_by_role("region", name="Live view of the training")
    assert view.get_by_role("img", name=re.compile("^Decision regions and data points")).count() == 1
    assert view.get_by_role("img", name="Loss and accuracy by epoch").count() == 1
    announcer = page.locator(".spl-live [aria-live=polite]:not(.spl-tip-voice)")  # the status, not the tips
    assert announcer.inner_text().startswith("Epoch 0 · step 0 · loss train ")
    announcer.evaluate(
        "node => { window.announced = 0;"
        " new MutationObserver(() => window.announced++).observe(node, {childList: true, characterData: true}) }"
    )
    press(page, "Play")
    frames = live(page, "frames")
    time.sleep(6)
    assert live(page, "frames") > frames + 60 and page.evaluate("announced") == 1  # as it starts, not every frame
    wait_until(lambda: page.evaluate("announced") >= 2, timeout=20)  # but again within 15 s while playing
    assert re.match(r"Epoch [1-9][\d,]* · step", announcer.inner_text()) and page.evaluate("announced") == 2
    press(page, "Pause")
    wait_until(lambda: "steps/s" not in status(page))
    wait_until(lambda: announcer.inner_text() == status(page), timeout=2)  # what stopped, at once
    assert re.match(r"Epoch [1-9][\d,]* · step", announcer.inner_text())


def test_a_run_at_its_start_shows_its_first_loss_as_a_dot(page, app_url):
    """Epoch 0 has one history row: no line yet, but the curves show where the loss starts (a weights file's
    run too, whose loss is its own from the first moment)."""
    open_app(page, app_url)
    chart = redrawn(page, ".spl-curves-canvas")
    plot = chart["boxes"]["plot"]
    pixels = canvas_pixels(page, ".spl-curves-canvas").astype(int)
    ratio = pixels.shape[1] / chart["width"]
    inside = pixels[
        round(plot["y"] * ratio) : round((plot["y"] + plot["height"]) * ratio),
        round(plot["x"] * ratio) : round((plot["x"] + plot["width"]) * ratio),
    ]
    train_loss = np.array([0x00, 0x72, 0xB2])
    assert (np.abs(inside - train_loss).sum(axis=2) < 40).sum() > 10


# the attributes some :has() rule of the page names (Streamlit's and page.css's, e.g. data-step, hidden), and what a
# playing view changed within itself: nodes put in or taken out, attributes changed, by name
WATCH_FRAMES = """async (milliseconds) => {
  const named = new Set();
  for (const sheet of document.styleSheets) {
    for (const rule of sheet.cssRules) {
      const text = rule.cssText;
      if (text.includes(":has(")) for (const [, name] of text.matchAll(/\\[([\\w-]+)/g)) named.add(name);
    }
  }
  const changed = { nodes: [], attributes: [] };
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      const name = record.attributeName;
      // the screen reader's region changes as a whole, once in 15 s while playing: not a frame's change
      const target = record.target;
      const announced = target.classList && target.classList.contains("spl-announcer");
      if (record.type === "childList" && !announced) changed.nodes.push(target.className || target.nodeName);
      if (record.type === "attributes" && named.has(name)) changed.attributes.push(name);
    }
  });
  const view = document.querySelector(".spl-live");
  observer.observe(view, { subtree: true, childList: true, attributes: true });
  const frames = Number(view.dataset.frames);
  await new Promise((done) => setTimeout(done, milliseconds));
  observer.disconnect();
  return { ...changed, frames: Number(view.dataset.frames) - frames, named: [...named] };
}"""


def test_playing_frames_change_text_in_place_and_no_attribute_a_has_rule_names(page, app_url):
    """Chromium answers a node put in, or an attribute a :has() rule names changed, by recalculating the whole
    page's style: done every frame, that was 10 of the 19 ms a frame took (python -m bench.browser) and cost a
    quarter of the frames painted. So a playing frame changes its words in place, and no such attribute."""
    open_app(page, app_url, "?lesson=neurons&view=show_network,insides,hidden_space&present=1")  # a task card too
    press(page, "Play")
    wait_until(lambda: live(page, "frames") > 5)
    changed = page.evaluate(WATCH_FRAMES, 1500)
    assert {"data-step", "data-testid", "hidden"} <= set(changed["named"])  # Streamlit's, page.css's, presenter's
    assert changed["frames"] > 10 and changed["nodes"] == [] and changed["attributes"] == []
