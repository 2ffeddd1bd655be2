"""The exercise: the sample's DenseAutoencoder rebuilt in TF.js, run in Node, checked point by point."""
from __future__ import annotations

import pytest

from reader_app.translate.exercise import exercise_prompt, exercise_target, worked_answer
from reader_app.translate.exercise_check import check_exercise
from translate_helpers import require_node

pytestmark = pytest.mark.slow

READER_ANSWER = """
import * as tf from '@tensorflow/tfjs';

const model = tf.sequential();
model.add(tf.layers.dense({inputShape: [64], units: 32, activation: 'relu'}));
model.add(tf.layers.dense({units: 16}));
model.add(tf.layers.activation({activation: 'relu'}));
model.add(tf.layers.dense({units: 8}));
model.add(tf.layers.dense({units: 16, activation: 'relu'}));
model.add(tf.layers.dense({units: 32, activation: 'relu'}));
model.add(tf.layers.dense({units: 64}));
model.compile({optimizer: 'adam', loss: tf.losses.meanSquaredError});
"""


@pytest.fixture(scope="module")
def target():
    return exercise_target()


def test_the_target_is_the_documented_dense_autoencoder(target):
    assert target.sizes() == "64 -> 32 -> 16 -> 8 -> 16 -> 32 -> 64"
    assert [s.activation for s in target.steps] == ["relu", "relu", "linear", "relu", "relu", "linear"]
    assert target.params == 5544 and target.input_shape == [64] and target.output_shape == [64]
    assert "Adam (learning rate 0.001)" in exercise_prompt(target)


def test_the_worked_answer_passes_every_point(target):
    require_node()
    answer = worked_answer(target)
    assert "tf.sequential" in answer and "the bottleneck" in answer
    result = check_exercise(answer, target)
    assert result.error is None and result.ok, [p.message for p in result.points]
    assert [p.name for p in result.points] == ["layer count", "layer order", "units", "activations", "parameters",
                                               "output shape", "compile"]


def test_a_reader_answer_with_separate_activation_layers_and_string_optimizer_passes(target):
    require_node()
    result = check_exercise(READER_ANSWER, target)
    assert result.ok, [p.message for p in result.points if not p.ok]


def test_each_difference_is_one_sentence_naming_the_layer(target):
    require_node()
    wrong = (worked_answer(target).replace("units: 8}", "units: 16}").replace("adam(0.001)", "adam(0.01)")
             .replace("units: 64}", "units: 64, activation: 'sigmoid'}"))
    points = {p.name: p for p in check_exercise(wrong, target).points}
    assert points["units"].message == "layer 3 has 16 units; the PyTorch model's bottleneck has 8"
    assert points["activations"].message == ("layer 6 uses sigmoid; the PyTorch model's output layer is "
                                             "linear (no activation)")
    assert points["compile"].message == "Adam's learning rate is 0.01; the exercise asks for 0.001"
    assert points["parameters"].message == "your model has 5,808 parameters; the PyTorch model has 5,544"
    assert points["layer count"].ok and points["output shape"].ok


def test_missing_compile_fewer_layers_and_a_wrong_loss_are_named(target):
    require_node()
    short = "const model = tf.sequential();\nmodel.add(tf.layers.dense({inputShape: [64], units: 8}));\n"
    points = {p.name: p for p in check_exercise(short, target).points}
    assert points["layer count"].message.startswith("your model has 1 dense layers; the PyTorch model has 6")
    assert points["output shape"].message == ("for an input of shape [1, 64] your model outputs [1, 8]; "
                                              "PyTorch's outputs [1, 64]")
    assert points["compile"].message.startswith("the model is not compiled")
    lossy = worked_answer(target).replace("'meanSquaredError'", "'categoricalCrossentropy'")
    compile_point = check_exercise(lossy, target).points[-1]
    assert not compile_point.ok and "categoricalCrossentropy" in compile_point.message


def test_code_that_loops_or_fails_is_stopped_and_said_in_one_sentence(target):
    require_node()
    assert check_exercise("while (true) {}", target, timeout=3).error == \
        "Your code did not finish within 3 s; it was stopped"
    broken = check_exercise("const model = tf.sequential(;", target).error
    assert broken.startswith("Your code stopped with SyntaxError")
    empty = check_exercise("const x = 1;", target).error
    assert "builds no TF.js model" in empty
