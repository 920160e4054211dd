"""The hidden space on the page (AppTest): its controls beside the view, their values in the link and in what the
live view is sent, and a network the view cannot show a hidden layer of."""

from tests.test_app import live_data, play, run_app, tick
from tests.test_teacher_links import widget


def space_setup(at):
    return live_data(at)["setup"]["space"]


def test_the_links_layer_and_neurons_are_shown_kept_to_the_network_and_the_link_keeps_them():
    at = run_app(view="hidden_space", hidden="10,6", space_layer="2", space_axes="3,7")
    assert widget(at, "space_layer_pick").value == 2 and widget(at, "space_mode_pick").value == "neurons"
    assert (widget(at, "space_across_pick").value, widget(at, "space_up_pick").value) == (3, 6)  # 7 of 6: the last
    assert space_setup(at)["axes"] == ["layer 2 · neuron 3", "layer 2 · neuron 6"]
    assert (at.query_params["space_layer"], at.query_params["space_axes"]) == ("2", "3,7")
    assert not at.exception


def test_each_control_changes_what_the_view_draws_and_the_link():
    at = run_app(view="show_network,hidden_space", hidden="10,6")
    assert widget(at, "space_layer_pick").value == 0 and space_setup(at)["title"] == "Hidden layer 2 · width 6"
    assert space_setup(at)["axes"] == ["PC 1", "PC 2"] and widget(at, "space_across_pick") is None
    at = widget(at, "space_layer_pick").set_value(1).run()
    assert at.query_params["space_layer"] == "1" and space_setup(at)["title"] == "Hidden layer 1 · width 10"
    at = widget(at, "space_mode_pick").set_value("neurons").run()
    assert at.query_params["space_axes"] == "1,2" and space_setup(at)["axes"][1] == "layer 1 · neuron 2"
    at = widget(at, "space_up_pick").set_value(9).run()
    assert at.query_params["space_axes"] == "1,9" and space_setup(at)["axes"][1] == "layer 1 · neuron 9"
    at = widget(at, "space_mode_pick").set_value("pca").run()
    assert at.query_params["space_axes"] == "pca" and space_setup(at)["axes"] == ["PC 1", "PC 2"]
    assert not at.exception


def test_playing_the_socket_sends_the_space_and_turning_it_off_stops_it():
    at = play(run_app(view="hidden_space"))
    assert "codes" in tick(at)["space"]
    at = widget(at, "view").set_value([]).run()
    assert space_setup(at) is None and widget(at, "space_layer_pick") is None
    assert "space" not in tick(at)


def test_without_hidden_layers_the_view_says_so_and_draws_no_control():
    at = run_app(view="hidden_space", hidden="", space_layer="3")
    assert space_setup(at) == {"note": "This network has no hidden layer: its inputs go straight to the output layer."}
    assert widget(at, "space_layer_pick") is None and not at.exception


def test_a_layer_of_one_neuron_is_one_axis_in_korean():
    at = run_app(view="hidden_space", hidden="1", space_axes="2,5", lang="ko")
    assert space_setup(at)["axes"] == ["은닉층 1 · 뉴런 1", ""] and space_setup(at)["note"]
    assert widget(at, "space_across_pick") is None and widget(at, "space_mode_pick").label == "은닉 공간: 축"
    assert not at.exception
