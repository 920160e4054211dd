"""English and Korean: every text the page can show has Korean with the same placeholders, and nnlib's error
messages are said in Korean with their values carried over, their templates looked up."""

import ast
import io
import json
import re
import zipfile
from pathlib import Path
from string import Formatter

import numpy as np
import pytest
from babel.messages.mofile import write_mo

from nnlib.datasets import load_points
from nnlib.io import load_model, save_params
from nnlib.models import MLP
from playground import i18n
from playground.i18n import Message, placeholders, tr
from playground.i18n.korean import with_particles
from tests.catalogues import KO, KO_ERRORS, po_path, read_catalogue

ROOT = Path(__file__).resolve().parent.parent
PAGE_SOURCES = [*sorted((ROOT / "playground").glob("**/*.py")), ROOT / "app.py"]
# where user input (a weights file, a CSV) goes into nnlib; its other messages are for programmers only
USER_INPUT_SOURCES = [
    ROOT / "nnlib" / "io.py",
    ROOT / "nnlib" / "datasets" / "points.py",
    ROOT / "nnlib" / "messages.py",
]
# function -> how many leading arguments are texts
TRANSLATING = {"t": 1, "tr": 1, "t_plural": 2, "tr_plural": 2, "Message": 1, "step": 2}
HANGUL = re.compile("[가-힣]")


def calls_with_texts():
    """(where, argument) for each leading argument of a call that translates, in the page's sources."""
    for path in PAGE_SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            for argument in node.args[: TRANSLATING.get(name, 0)]:
                yield f"{path.name}:{argument.lineno}", argument


def literal_texts():
    """Every literal text the page translates."""
    return {
        argument.value
        for _, argument in calls_with_texts()
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str)
    }


def test_every_literal_text_has_korean_with_the_same_placeholders():
    texts = literal_texts()
    assert len(texts) > 150  # the scan sees the page
    assert sorted(text for text in texts if text not in KO) == []
    assert {text: placeholders(KO[text]) for text in texts if placeholders(KO[text]) != placeholders(text)} == {}


def test_no_translated_text_is_assembled_before_its_translation():
    """An f-string passed to t() could never be found in KO: values go in as placeholders."""
    assert [where for where, argument in calls_with_texts() if isinstance(argument, ast.JoinedStr)] == []


def test_every_korean_entry_is_used_and_has_hangul_or_is_a_name():
    """No stale entries: each English key is a literal somewhere in the page's code."""
    literals = {
        node.value
        for path in PAGE_SOURCES
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert sorted(set(KO) - literals) == []
    names = {english for english, korean in KO.items() if not HANGUL.search(korean)}
    assert names == {"XOR", "ReLU", "Leaky ReLU", "Xavier", "He", "float64", "float32", "β1", "β2", "Tanh", "L1", "L2"}


def test_the_widgets_label_tables_have_korean():
    from playground import charts, settings
    from playground.live import frames
    from playground.ui import class_link, page, sidebar, space_controls, step_panel

    tables = [settings.DATASETS, settings.ACTIVATION_NAMES, settings.INITS, settings.SCHEDULES, settings.PRECISIONS,
              page.RUN_LABELS, page.VIEW_LABELS, space_controls.AXES_LABELS, space_controls.LAST]  # fmt: skip
    labels = [label for table in tables for label in table.values()]
    labels += [text for _, _, label, *_, description in sidebar.OPTIMIZER_SLIDERS for text in (label, description)]
    labels += [text for _, _, label, *_, description in sidebar.DATA_SLIDERS for text in (label, description)]
    labels += list(class_link.CONTROL_LABELS.values())
    labels += [name for name, *_ in charts.CURVE_COLUMNS.values()]
    labels += list(frames.TEXTS.values()) + list(frames.REGRESSION_TEXTS.values())
    labels += list(step_panel.STAGE_NAMES.values()) + list(step_panel.REGRESSION_STAGE_TEXTS.values())
    labels += [words for _, words in step_panel.UPDATE_RULES.values()]
    assert [label for label in labels if label not in KO] == []


def calls_in_user_input_sources(name):
    """Every call of the function ``name`` in the sources where user input goes into nnlib."""
    for path in USER_INPUT_SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == name:
                yield f"{path.name}:{node.lineno}", node


def nnlib_error_templates():
    """The template of each ``Message`` nnlib's loaders make."""
    return {call.args[0].value for _, call in calls_in_user_input_sources("Message")}


def test_nnlib_loaders_give_every_value_error_a_message_with_a_literal_template():
    """A template is the key of its Korean: it must be written out, and every error must have one."""
    not_messages = [
        where
        for where, call in calls_in_user_input_sources("ValueError")
        if not (
            call.args and isinstance(call.args[0], ast.Call) and getattr(call.args[0].func, "id", None) == "Message"
        )
    ]
    assert not_messages == []
    not_literal = [
        where
        for where, call in calls_in_user_input_sources("Message")
        if not (isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str))
    ]
    assert not_literal == []


def test_every_nnlib_error_template_has_korean_and_every_korean_one_is_used():
    templates = nnlib_error_templates()
    assert len(templates) > 40
    assert sorted(templates - set(KO_ERRORS)) == []
    assert sorted(set(KO_ERRORS) - templates) == []
    assert set(KO_ERRORS).isdisjoint(KO)


def fields(template):
    """Each ``{placeholder}`` of a template with its conversion and format: ``('limit', None, ',')``, ..."""
    return sorted(
        (name, conversion, spec) for _, name, spec, conversion in Formatter().parse(template) if name is not None
    )


@pytest.mark.parametrize("english", KO_ERRORS)
def test_an_error_template_and_its_korean_show_the_same_values_the_same_way(english):
    assert fields(KO_ERRORS[english]) == fields(english)
    assert HANGUL.search(KO_ERRORS[english])


def refusal(load, data):
    """The message of the ValueError ``load`` raises for a file of ``data``."""
    with pytest.raises(ValueError) as error:
        load(io.BytesIO(data))
    return error.value.args[0]


def weights_file(**config_changes):
    buffer = io.BytesIO()
    save_params(MLP(2, [3], 2, "tanh", seed=0), buffer)
    with np.load(io.BytesIO(buffer.getvalue())) as archive:
        arrays = {name: archive[name] for name in archive.files}
    architecture = json.loads(str(arrays["architecture"]))
    architecture["config"].update(config_changes)
    buffer = io.BytesIO()
    np.savez(buffer, **{**arrays, "architecture": np.array(json.dumps(architecture))})
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("load", "data", "korean"),
    [
        (load_points, b"x1,x2,label\n0,0,0\n1,abc,1\n", "행 3, x2 열: 수가 있어야 하는데 'abc'입니다"),
        (load_points, b"x1,x2,label\n0,0,0\n", "분류하려면 클래스가 둘 이상 있어야 하는데, 모든 행의 레이블이 0입니다"),
        (load_points, b"x1,x2,label\n", "분류하려면 클래스가 둘 이상 있어야 하는데, 데이터 행이 없습니다"),
        (load_points, b"a,b,c\n1,2,3\n", "열 x1, x2, label이 없습니다: 행 1이 모두 숫자가 아니어서 머리글로 "
         "읽었는데, x1, x2, label 대신 'a', 'b', 'c'가 있습니다"),
        (load_model, b"not a zip", "nnlib이 쓴 가중치 파일 (.npz)이 아닙니다: zip 압축 파일이 아닙니다"),
        (load_model, b"PK\x03\x04 cut short", "nnlib이 쓴 가중치 파일 (.npz)이 아닙니다: File is not a zip file"),
        (load_model, weights_file(hidden_sizes=[3] * 7, activation=["relu"]),
         "'activation'에는 은닉층마다 활성화 함수가 하나씩 있어야 하는데, 은닉층 7개에 1개가 있습니다"),
        (load_model, weights_file(weight_decay=-1), "'weight_decay'는 0 이상의 유한한 수여야 하는데 -1.0입니다"),
        (load_model, weights_file(dtype="float32"), "layers.0.W의 dtype은 float64인데, 구조에는 float32로 되어 "
         "있습니다"),
    ],
    ids=["not a number", "one class", "no rows", "no header names", "not a zip", "a broken zip", "activations", "rate",
         "dtype"],
)  # fmt: skip
def test_nnlib_errors_are_said_in_korean_with_their_values(load, data, korean):
    message = refusal(load, data)
    assert tr(message, "ko") == korean
    assert tr(message, "en") == message


def with_members(data, names, compression=zipfile.ZIP_STORED):
    """A weights file with an empty member added for each name."""
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        for name in names:
            archive.writestr(name, b"", compress_type=compression)
    return buffer.getvalue()


def test_messages_inside_nnlib_messages_are_said_in_korean_too():
    """The "…and 6 more" of a list of arrays; NumPy's compression methods inside "cannot be read"."""
    extra = with_members(weights_file(), [f"extra{index}.npy" for index in range(11)])
    assert tr(refusal(load_model, extra), "ko") == (
        "이 구조에 없는 배열 extra0, extra1, extra10, extra2, extra3 외 6개가 있습니다"
    )
    bzip2 = with_members(zip_bytes_without_architecture(weights_file()), ["architecture.npy"], zipfile.ZIP_BZIP2)
    assert tr(refusal(load_model, bzip2), "ko") == (
        "배열 'architecture'를 읽을 수 없습니다: 압축 방식 12 (NumPy는 무압축이나 deflate로만 씁니다)"
    )


def zip_bytes_without_architecture(data):
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            if info.filename != "architecture.npy":
                archive.writestr(info, source.read(info))
    return buffer.getvalue()


def test_real_load_errors_come_out_in_korean(monkeypatch):
    monkeypatch.setattr(i18n, "missing", set())
    problems = [
        refusal(load_points, b"x1,x2,label\n0,0,0\n1,nan,1\n"),
        refusal(load_points, b"x1,x2,label\n0,0,0\n"),
        refusal(load_points, b"a,b,c\n1,2,3\n"),
        refusal(load_points, b"\xff\xfe"),
        refusal(load_model, b"not a zip"),
        refusal(load_model, b""),
    ]
    korean = [tr(problem, "ko") for problem in problems]
    assert all(HANGUL.search(text) for text in korean), korean
    assert i18n.missing == set()


def test_a_message_is_english_text_that_can_be_said_again_in_korean():
    message = Message("Reached epoch {epoch:,}, the epoch to stop at: paused.", epoch=1200)
    assert message == "Reached epoch 1,200, the epoch to stop at: paused."
    assert tr(message, "ko") == "멈출 에폭인 에폭 1,200에 이르러 멈췄습니다."
    assert tr(message, "en") == message


def test_a_message_inside_a_message_is_translated_too():
    notice = Message(
        "Link parameter {key}={text!r} is not {expected}; using {default!r}.",
        key="lr",
        text="fast",
        expected=Message("a number from {low:g} to {high:g}", low=1e-5, high=10.0),
        default=0.1,
    )
    assert notice == "Link parameter lr='fast' is not a number from 1e-05 to 10; using 0.1."
    assert (
        tr(notice, "ko") == "링크 매개변수 lr='fast'는 쓸 수 없는 값입니다 (허용: 1e-05부터 10까지의 수). 0.1을 씁니다."
    )


def test_a_text_without_korean_shows_in_english_and_is_noted(monkeypatch):
    monkeypatch.setattr(i18n, "missing", set())
    assert tr("Never translated {n}", "ko", n=3) == "Never translated 3"
    assert i18n.missing == {"Never translated {n}"}
    assert tr("Learning rate", "ko") == "학습률"


STREAMLIT_TEXT_CALLS = {
    "button", "caption", "download_button", "error", "expander", "file_uploader", "header", "info", "markdown",
    "number_input", "pills", "popover", "radio", "segmented_control", "select_slider", "selectbox", "slider",
    "subheader", "success", "text", "title", "toggle", "warning",
}  # fmt: skip
ENGLISH_WORD = re.compile("[A-Za-z]{3,}")


def untranslated(argument):
    """Words of a literal text, or of an f-string's literal parts, that no translation went through."""
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return ENGLISH_WORD.findall(argument.value)
    if isinstance(argument, ast.JoinedStr):
        return [word for part in argument.values if isinstance(part, ast.Constant) for word in untranslated(part)]
    return []


def test_the_page_gives_streamlit_no_text_that_skipped_translation():
    """A label, help text or message written straight into a Streamlit call would stay English in Korean."""
    found = []
    for path in (ROOT / "app.py", *sorted((ROOT / "playground" / "ui").glob("*.py"))):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in STREAMLIT_TEXT_CALLS:
                texts = node.args[:1] + [keyword.value for keyword in node.keywords if keyword.arg in ("label", "help")]
                found += [f"{path.name}:{node.lineno} {words}" for words in map(untranslated, texts) if words]
    assert found == []


@pytest.mark.parametrize("domain", i18n.DOMAINS)
def test_each_compiled_catalogue_is_its_po_file_compiled(domain):
    compiled = io.BytesIO()
    write_mo(compiled, read_catalogue(domain))
    mo = po_path(domain).with_suffix(".mo")
    assert compiled.getvalue() == mo.read_bytes(), f"{mo.name} is out of date: compile it as playground.i18n says"


def test_a_count_takes_its_form_in_each_language():
    singular, plural = "{count} pinned run: pause to compare it.", "{count} pinned runs: pause to compare them."
    assert i18n.tr_plural(singular, plural, 1, "en") == "1 pinned run: pause to compare it."
    assert i18n.tr_plural(singular, plural, 3, "en") == "3 pinned runs: pause to compare them."
    assert i18n.tr_plural(singular, plural, 1, "ko") == i18n.tr_plural(singular, plural, 3, "ko").replace("3", "1")
    assert HANGUL.search(i18n.tr_plural(singular, plural, 3, "ko"))


def test_a_text_without_korean_is_shown_in_english_and_noted():
    before = set(i18n.missing)
    try:
        assert tr("A text no catalogue has, {n}", "ko", n=2) == "A text no catalogue has, 2"
        assert i18n.tr_plural("{count} thing nobody says", "{count} things nobody says", 2, "ko") == (
            "2 things nobody says"
        )
        assert i18n.missing - before == {"A text no catalogue has, {n}", "{count} thing nobody says"}
    finally:
        i18n.missing.intersection_update(before)


@pytest.mark.parametrize(
    ("written", "natural"),
    [
        ("학습률을(를) 바꿉니다", "학습률을 바꿉니다"),  # a Hangul syllable by its own final consonant
        ("배치 크기이(가) 큽니다", "배치 크기가 큽니다"),
        ("서울(으)로, 부산(으)로, 바다(으)로", "서울로, 부산으로, 바다로"),  # ㄹ takes 로, as a vowel does
        ("1(으)로, 3(으)로, 2(으)로", "1로, 3으로, 2로"),  # 일, 삼, 이
        ("0이(가), 6이(가), 9이(가)", "0이, 6이, 9가"),  # 영, 육, 구
        ("10이(가), 100이(가), 1,000이(가), 20000이(가)", "10이, 100이, 1,000이, 20000이"),  # 십, 백, 천, 만
        ("0.1을(를), 2.0을(를), 1e-05은(는), 50%이(가)", "0.1을, 2.0을, 1e-05는, 50%가"),  # …일, …영, …오, 퍼센트
        ("'sgd'을(를), 'L'은(는), 'fr'은(는), 'x'은(는)", "'sgd'를, 'L'은, 'fr'은, 'x'는"),  # letter by letter
        ("'adam'(으)로, 'relu'(으)로, 'spiral'을(를)", "'adam'으로, 'relu'로, 'spiral'을"),  # 아담, 렐루, 스파이럴
        ("'none'을(를), 'layer'을(를), 'string'은(는)", "'none'을, 'layer'를, 'string'은"),  # 논, 레이어, 스트링
        ("'step'을(를), 'rmsprop'은(는), 'loop'을(를)", "'step'을, 'rmsprop'은, 'loop'를"),  # 스텝, …프롭, 루프
        ("x1, x2, label이(가) 없습니다", "x1, x2, label이 없습니다"),
        ("(10,2)와(과) (3,4)과(와)", "(10,2)와 (3,4)와"),  # brackets and quotes are not read
        ("'…'은(는) 없습니다", "'…'은(는) 없습니다"),  # nothing read before: both forms stay
        ("'٣'은(는) 없습니다", "'٣'은(는) 없습니다"),  # another script's digit is no number read here (test_fuzz)
    ],
)
def test_a_particle_takes_the_form_the_word_before_it_needs(written, natural):
    assert with_particles(written) == natural
    assert with_particles(natural) == natural
