"""playground.lab and its page: the chapter's steps, with their numbers checked, not just drawn."""

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nnlib.layers import Sum
from nnlib.messages import Message
from playground import i18n, lab
from tests.page_text import english_left, shown

# --- the steps ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("shapes", "expected"), [((10, 2, 2, 4), (10, 4)), ((1, 7, 7, 1), (1, 1))])
def test_a_product_of_agreeing_shapes_has_the_outer_sizes(shapes, expected):
    assert lab.matrix_product(*shapes) == {"shape": expected, "error": None}


@pytest.mark.parametrize("shapes", [(10, 2, 3, 4), (1, 7, 3, 1), (100, 100, 1, 100)])
def test_a_product_of_disagreeing_shapes_is_refused_in_numpys_own_words(shapes):
    """The refusal is a Message, so the page can say it in Korean, that reads exactly as NumPy's."""
    rows, inner_x, inner_w, columns = shapes
    with pytest.raises(ValueError) as numpy_refusal:
        np.dot(np.ones((rows, inner_x)), np.ones((inner_w, columns)))
    result = lab.matrix_product(*shapes)
    assert result["shape"] is None and isinstance(result["error"], Message)
    assert result["error"] == str(numpy_refusal.value)


def test_broadcasting_adds_the_bias_to_every_row():
    result = lab.broadcasting(3, 4)
    np.testing.assert_array_equal(result["x + b"], result["x"] + result["b repeated"])
    assert result["b repeated"].shape == (3, 4) and (result["b repeated"] == result["b"]).all()


def test_the_forward_pass_has_the_books_shapes_and_sigmoid():
    result = lab.forward_pass(10, 4)
    assert [result[name].shape for name in ("x", "h", "a", "s")] == [(10, 2), (10, 4), (10, 4), (10, 3)]
    np.testing.assert_allclose(result["a"], 1 / (1 + np.exp(-result["h"])))


def test_every_nodes_backward_agrees_with_the_numerical_gradient():
    errors = lab.node_gradients()
    assert list(errors) == ["Repeat: dx", "Sum: dx", "MatMul: dx", "MatMul: dW"]
    assert max(errors.values()) < 1e-9


def test_a_wrong_backward_is_caught():
    class WrongSum(Sum):
        def backward(self, dout):
            return 2 * super().backward(dout)

    x, upstream = np.ones((3, 2)), np.ones((1, 2))
    assert lab.check_node("Sum", WrongSum(), x, upstream)["Sum: dx"] > 0.3


def test_softmax_with_loss_has_the_gradient_y_minus_t_over_n():
    result = lab.softmax_with_loss_gradient(batch=5)
    assert result["relative error"] < 1e-9
    np.testing.assert_allclose(result["(y − t) / N"].sum(axis=1), 0, atol=1e-12)  # rows of y − t sum to 0


def test_one_sgd_step_lowers_the_loss_from_about_ln_3():
    result = lab.sgd_step(lr=1.0)
    assert result["loss before"] == pytest.approx(np.log(3), abs=0.01)
    assert result["loss after"] < result["loss before"]


def test_softmax_in_the_hidden_layer_sits_at_ln_3_for_dozens_of_epochs():
    losses = lab.hidden_softmax_mistake(epochs=120)
    stuck = {name: lab.epochs_stuck(values) for name, values in losses.items()}
    assert stuck["softmax"] >= 30 and stuck["sigmoid"] < 20
    assert all(abs(loss - np.log(3)) < 0.02 for loss in losses["softmax"][:30])
    assert losses["softmax"][-1] < 1.0  # it does move in the end


@pytest.mark.parametrize("seed", [1984, 0, 1, 7, 42])
def test_the_steps_text_holds_for_any_seed(seed):
    """Step 7 says: some thirty epochs on the plateau with Softmax, less than half that with Sigmoid."""
    stuck = {name: lab.epochs_stuck(values) for name, values in lab.hidden_softmax_mistake(60, seed).items()}
    assert 25 <= stuck["softmax"] <= 45 and stuck["sigmoid"] < stuck["softmax"] / 2


# --- the page ------------------------------------------------------------------------------------------------


def run_lab():
    return AppTest.from_string("from playground.ui.lab_page import lab_page\nlab_page()", default_timeout=60).run()


def test_the_lab_page_shows_each_step_with_its_code():
    at = run_lab()
    assert not at.exception
    assert [header.value.split(" · ")[0] for header in at.subheader] == [str(n) for n in range(1, 8)]
    assert any("def hidden_softmax_mistake" in block.value for block in at.code)
    assert len(at.code) == 7
    assert any("x · W has shape (10, 4)" in shown(block) for block in at.success)
    assert any("Loss above 1.05 for **38 epochs** with Softmax, **15** with Sigmoid" in block.value
               for block in at.markdown)  # fmt: skip


def test_changing_a_shape_in_the_lab_updates_its_result():
    at = run_lab()
    at.number_input(key="lab_inner_w").set_value(3).run()
    assert any("np.dot refuses" in shown(error) for error in at.error)
    at.number_input(key="lab_inner_x").set_value(3).run()
    assert any("x · W has shape (10, 4)" in shown(block) for block in at.success)
    at.slider(key="lab_batch").set_value(7).run()
    assert any("`s` (7, 3)" in block.value for block in at.markdown)


def legend(at):
    """The names in step 7's legend."""
    return [trace["name"] for trace in json.loads(at.get("plotly_chart")[0].proto.spec)["data"]]


def test_the_lab_in_korean_and_back(monkeypatch):
    monkeypatch.setattr(i18n, "missing", set())
    script = "from playground.ui.lab_page import lab_page\nfrom playground.ui.language import language_switch\n"
    at = AppTest.from_string(script + "language_switch()\nlab_page()", default_timeout=60)
    at.query_params["lang"] = "ko"
    at.run()
    assert at.markdown[0].value == "### 1장 실습" and english_left(at) == []
    assert at.subheader[0].value == "1 · 행렬 곱의 형상"
    assert any("x · W의 형상은 (10, 4)입니다" in shown(block) for block in at.success)
    assert any("소프트맥스 **38 에폭**, 시그모이드 **15 에폭**" in block.value for block in at.markdown)
    at.number_input(key="lab_inner_w").set_value(3).run()
    assert [shown(error) for error in at.error] == [
        "np.dot이 거부합니다: 형상이 맞지 않습니다: x (10,2)의 열 2개(dim 1) ≠ W (3,4)의 행 3개(dim 0)"
    ]
    assert legend(at) == ["은닉층의 소프트맥스", "은닉층의 시그모이드"]
    assert i18n.missing == set()
    at.radio(key="lang").set_value("en").run()
    assert at.markdown[0].value == "### Chapter 1 lab" and at.number_input(key="lab_inner_w").value == 3
    assert legend(at) == ["Softmax in the hidden layer", "Sigmoid in the hidden layer"]


def test_the_forward_backward_and_update_steps_link_to_them_on_the_live_network_in_slow_motion():
    at = run_lab()
    links = [(link.proto.page, link.proto.query_string, link.proto.label) for link in at.get("page_link")]
    assert links == [
        ("", "slow=forward", "See this on the live network"),
        ("", "slow=backward", "See this on the live network"),
        ("", "slow=backward", "See this on the live network"),
        ("", "slow=update", "See this on the live network"),
    ]
    script = "from playground.ui.lab_page import lab_page\nfrom playground.ui.language import language_switch\n"
    at = AppTest.from_string(script + "language_switch()\nlab_page()", default_timeout=60)
    at.query_params["lang"] = "ko"
    at.run()
    assert {(link.proto.query_string, link.proto.label) for link in at.get("page_link")} == {
        ("slow=forward&lang=ko", "학습 중인 신경망에서 보기"),
        ("slow=backward&lang=ko", "학습 중인 신경망에서 보기"),
        ("slow=update&lang=ko", "학습 중인 신경망에서 보기"),
    }
