"""English and Korean: every text the page can show has Korean with the same placeholders, and nnlib's error
messages are said in Korean with their values carried over."""

import ast
import re
from pathlib import Path

import pytest

from playground import i18n
from playground.i18n import Message, placeholders, tr
from playground.korean import KO
from playground.korean_errors import KO_ERRORS

ROOT = Path(__file__).resolve().parent.parent
PAGE_SOURCES = [*sorted((ROOT / "playground").glob("*.py")), ROOT / "app.py"]
# where user input (a weights file, a CSV) goes into nnlib; its other messages are for programmers only
USER_INPUT_SOURCES = [
    ROOT / "nnlib" / "io.py",
    ROOT / "nnlib" / "models.py",
    *sorted((ROOT / "nnlib" / "datasets").glob("*.py")),
]
TRANSLATING = {"t": 1, "tr": 1, "Message": 1, "step": 2}  # function -> how many leading arguments are texts
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
    from playground import charts, settings, widgets

    tables = [settings.DATASETS, settings.ACTIVATION_NAMES, settings.INITS, settings.SCHEDULES, settings.PRECISIONS,
              widgets.RUN_LABELS, widgets.VIEW_OPTIONS]  # fmt: skip
    labels = [label for table in tables for label in table.values()]
    labels += [text for row in widgets.OPTIMIZER_SLIDERS for text in (row[1], row[6])]
    labels += [name for name, *_ in charts.CURVE_COLUMNS.values()]
    assert [label for label in labels if label not in KO] == []


def nnlib_error_templates():
    """Each ``raise ValueError(...)`` message of nnlib's loaders, with ``{}`` where an f-string puts a value."""
    for path in USER_INPUT_SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
                if getattr(node.exc.func, "id", None) != "ValueError":
                    continue
                message = node.exc.args[0]
                if isinstance(message, ast.Constant):
                    yield message.value
                elif isinstance(message, ast.JoinedStr):
                    yield "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in message.values)


def test_every_nnlib_error_message_has_korean():
    templates = set(nnlib_error_templates())
    assert len(templates) > 40
    assert sorted(templates - set(KO_ERRORS)) == []
    # the two cases of "need at least two classes ... but {}" are spelled out, the rest are nnlib's own
    assert len(set(KO_ERRORS) - templates) == 2


@pytest.mark.parametrize("english", KO_ERRORS)
def test_an_error_template_and_its_korean_use_the_same_values(english):
    used = sorted(int(index) for index in re.findall(r"\{(\d+)\}", KO_ERRORS[english]))
    assert used == list(range(english.count("{}")))
    assert HANGUL.search(KO_ERRORS[english])


@pytest.mark.parametrize(
    ("english", "korean"),
    [
        ("row 3, column x2: expected a number, found 'abc'", "행 3, x2 열: 수가 있어야 하는데 'abc'입니다"),
        ("need at least two classes to classify, but every row has label 0",
         "분류하려면 클래스가 둘 이상 있어야 하는데, 모든 행의 레이블이 0입니다"),
        ("the architecture cannot be built: unknown activation 'swish': choose one of relu, tanh",
         "구조를 만들 수 없습니다: 알 수 없는 활성화 함수 'swish': relu, tanh 중에서 고르세요"),
        ("not a weights file (.npz) written by nnlib: File is not a zip file",
         "nnlib이 쓴 가중치 파일 (.npz)이 아닙니다: File is not a zip file"),
        ("array 'architecture' cannot be read: compression method 12 (NumPy writes only stored or deflated members)",
         "배열 'architecture'을(를) 읽을 수 없습니다: 압축 방식 12 (NumPy는 무압축이나 deflate로만 씁니다)"),
    ],
)  # fmt: skip
def test_nnlib_errors_are_said_in_korean_with_their_values(english, korean):
    assert tr(english, "ko") == korean
    assert tr(english, "en") == english


def test_real_load_errors_come_out_in_korean():
    import io

    from nnlib.datasets import load_points
    from nnlib.io import load_model

    problems = []
    for load, data in [
        (load_points, b"x1,x2,label\n0,0,0\n1,nan,1\n"),
        (load_points, b"x1,x2,label\n0,0,0\n"),
        (load_points, b"a,b,c\n1,2,3\n"),
        (load_points, b"\xff\xfe"),
        (load_model, b"not a zip"),
        (load_model, b""),
    ]:
        with pytest.raises(ValueError) as error:
            load(io.BytesIO(data))
        problems.append(str(error.value))
    korean = [tr(problem, "ko") for problem in problems]
    assert all(HANGUL.search(text) for text in korean), korean


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
        tr(notice, "ko")
        == "링크 매개변수 lr='fast'은(는) 쓸 수 없는 값입니다 (허용: 1e-05부터 10까지의 수). 0.1을(를) 씁니다."
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
    for path in (ROOT / "app.py", ROOT / "playground" / "widgets.py", ROOT / "playground" / "lab_page.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in STREAMLIT_TEXT_CALLS:
                texts = node.args[:1] + [keyword.value for keyword in node.keywords if keyword.arg in ("label", "help")]
                found += [f"{path.name}:{node.lineno} {words}" for words in map(untranslated, texts) if words]
    assert found == []
