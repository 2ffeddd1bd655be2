"""Pieces of the translation that need neither torch nor Node: TF.js's config spelling, chains, the
layout permutations, the model.js text, and where a layer's block starts in it."""
from __future__ import annotations

from reader_app.translate.emit_js import js_value, model_js
from reader_app.translate.emit_json import pythonic, snake, topology
from reader_app.translate.ir import Input, Layer, Model, Origin
from reader_app.translate.result import TranslatedLayer, Translation


def _chain() -> Model:
    model = Model("Net", inputs=[Input("x", [64], "float32", 0)])
    model.layers = [Layer("fc1", "Dense", {"units": 8, "useBias": True}, ["x"],
                          origin=Origin("fc1", "nn.Linear", "net.py", 5, "net.py", 9)),
                    Layer("act", "Activation", {"activation": "gelu_new"}, ["fc1"])]
    model.outputs = ["act"]
    return model


def test_configs_are_spelled_as_tfjs_saves_them():
    assert snake("recurrentActivation") == "recurrent_activation" and snake("keepDims") == "keep_dims"
    assert pythonic({"name": "encoder.fc_1", "units": 8, "dataFormat": "channelsLast"}) == \
        {"name": "encoder.fc_1", "units": 8, "data_format": "channels_last"}


def test_a_chain_is_a_sequential_model_and_a_branch_a_functional_one():
    model = _chain()
    assert model.sequential and topology(model)["class_name"] == "Sequential"
    first = topology(model)["config"]["layers"][0]["config"]
    assert first["batch_input_shape"] == [None, 64] and first["name"] == "fc1"
    model.layers.append(Layer("sum", "Add", {}, ["fc1", "act"]))
    model.outputs = ["sum"]
    functional = topology(model)
    assert functional["class_name"] == "Model" and not model.sequential
    assert functional["config"]["layers"][-1]["inbound_nodes"] == [[["fc1", 0, 0, {}], ["act", 0, 0, {}]]]


def test_model_js_quotes_the_pytorch_line_and_finds_layers_by_line():
    lines = {("net.py", 9): "        return self.fc1(x)"}
    js, where = model_js(_chain(), lambda f, n: lines.get((f, n), ""), ["Net in TF.js"])
    assert "// fc1: nn.Linear, defined at net.py:5, called at net.py:9" in js
    assert "//     return self.fc1(x)" in js
    assert js.splitlines()[where["fc1"] - 1].strip().startswith("model.add(tf.layers.dense({name: 'fc1'")
    result = Translation(layers=[TranslatedLayer("fc1", "Dense", False, "fc1", "nn.Linear", "net.py", 5, "net.py",
                                                 9, where["fc1"], "dense", "", [8])])
    assert result.layer_at_js_line(where["fc1"] - 1).name == "fc1"  # a click on its comment
    assert result.layer_for_line("net.py", 9)[0].name == "fc1"


def test_js_literals():
    assert js_value({"axis": -1, "value": "-inf", "ok": True, "shape": [None, 3]}) == \
        "{axis: -1, value: '-inf', ok: true, shape: [null, 3]}"
