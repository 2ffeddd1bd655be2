"""check_exercise(): run the reader's TF.js code in Node (a child process with a time limit) and compare the
model it builds with the PyTorch one, point by point; each point ticks or says what differs in one sentence.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from reader_app.translate.exercise import CheckPoint, ExerciseResult, ExerciseTarget, Step, fold
from reader_app.translate.node import node_status, run_node

MSE_NAMES = {"meansquarederror", "mean_squared_error", "mse"}



def _role(target: ExerciseTarget, index: int) -> str:
    """How the PyTorch model's layer at `index` is called in a message: its bottleneck, its output layer, ..."""
    step = target.steps[index]
    if step.units == target.bottleneck and index not in (0, len(target.steps) - 1):
        return "the PyTorch model's bottleneck"
    if index == len(target.steps) - 1:
        return "the PyTorch model's output layer"
    return f"the PyTorch model's layer {index + 1} ({step.origin})"


def _steps(described: dict) -> list[Step]:
    layers = [(l["className"], l.get("units"), l.get("activation"), l.get("name", "")) for l in described["layers"]]
    return fold(layers)


def _count(target, steps) -> CheckPoint:
    dense = [s for s in steps if s.kind == "Dense"]
    if len(dense) == len(target.steps):
        return CheckPoint("layer count", True, f"{len(dense)} dense layers, as in the PyTorch model")
    return CheckPoint("layer count", False, f"your model has {len(dense)} dense layers; the PyTorch model has "
                                            f"{len(target.steps)} ({target.sizes()})")


def _order(target, steps) -> CheckPoint:
    for index, step in enumerate(steps):
        if step.kind != "Dense":
            return CheckPoint("layer order", False, f"layer {index + 1} is a {step.kind} layer; the PyTorch model has "
                                                    f"only dense layers with activations")
    return CheckPoint("layer order", True, "dense layers only, in a chain, as forward() runs them")


def _units(target, steps) -> CheckPoint:
    for index, (mine, theirs) in enumerate(zip(steps, target.steps)):
        if mine.units != theirs.units:
            return CheckPoint("units", False, f"layer {index + 1} has {mine.units} units; {_role(target, index)} "
                                              f"has {theirs.units}")
    if len(steps) != len(target.steps):
        return CheckPoint("units", False, f"the sizes should run {target.sizes()}")
    return CheckPoint("units", True, f"the sizes run {target.sizes()}, bottleneck {target.bottleneck}")


def _activations(target, steps) -> CheckPoint:
    for index, (mine, theirs) in enumerate(zip(steps, target.steps)):
        if mine.activation != theirs.activation:
            wanted = "linear (no activation)" if theirs.activation == "linear" else theirs.activation
            return CheckPoint("activations", False, f"layer {index + 1} uses {mine.activation}; "
                                                    f"{_role(target, index)} is {wanted}")
    return CheckPoint("activations", True, "the same activation after every layer")


def _params(target, described) -> CheckPoint:
    mine = described["params"]
    if mine == target.params:
        return CheckPoint("parameters", True, f"{mine:,} parameters, as in PyTorch")
    return CheckPoint("parameters", False, f"your model has {mine:,} parameters; the PyTorch model has {target.params:,}")


def _output(target, described) -> CheckPoint:
    sample = [1, *target.input_shape]
    want = [1, *target.output_shape]
    if described.get("runError"):
        return CheckPoint("output shape", False, f"predicting on an input of shape {sample} fails: "
                                                 f"{described['runError'][:160]}")
    got = described.get("output")
    if got != want:
        return CheckPoint("output shape", False, f"for an input of shape {sample} your model outputs {got}; "
                                                 f"PyTorch's outputs {want}")
    return CheckPoint("output shape", True, f"an input of shape {sample} comes out as {want}")


def _compile(target, described) -> CheckPoint:
    if not described["compiled"]:
        return CheckPoint("compile", False, f"the model is not compiled: call model.compile({{optimizer: "
                                            f"tf.train.adam({target.learning_rate:g}), loss: '{target.loss}'}})")
    used = described["compiled"][-1]
    optimizer = str(used["optimizer"]).lower()
    if optimizer != "adam":
        return CheckPoint("compile", False, f"compile uses {used['optimizer']}; the exercise asks for Adam "
                                            f"with learning rate {target.learning_rate:g}")
    rate = used["learningRate"] if used["learningRate"] is not None else 0.001  # the string 'adam': TF.js's default
    if abs(rate - target.learning_rate) > 1e-12:
        return CheckPoint("compile", False, f"Adam's learning rate is {rate:g}; the exercise asks for "
                                            f"{target.learning_rate:g}")
    if used["loss"].replace(" ", "").lower().removesuffix("__op") not in MSE_NAMES:  # tf.losses.* ops end in __op
        return CheckPoint("compile", False, f"the loss is {used['loss']}; the reconstruction error here is the mean "
                                            f"squared error ('{target.loss}')")
    return CheckPoint("compile", True, f"Adam at {target.learning_rate:g} with the mean squared error")


def check_exercise(source: str, target: ExerciseTarget, timeout: float = 20.0, cancel=None) -> ExerciseResult:
    """Check the reader's TF.js source against the PyTorch model; never raises for what the code does.
    `cancel` (a threading.Event) stops Node at once."""
    status = node_status()
    if not status.available:
        return ExerciseResult(error=status.message)
    with tempfile.TemporaryDirectory(prefix="reader-exercise-") as scratch:
        code, out = Path(scratch) / "answer.js", Path(scratch) / "described.json"
        code.write_text(source, encoding="utf-8")
        run = run_node("inspect_model.mjs", [str(code), str(out), json.dumps(target.input_shape)], timeout,
                       scratch, cancel)
        if run.cancelled:
            return ExerciseResult(error="The check was cancelled")
        if run.timed_out:
            return ExerciseResult(error=f"Your code did not finish within {timeout:g} s; it was stopped")
        if not out.is_file():
            return ExerciseResult(error=f"Your code could not run in Node: {run.last_error()}")
        described = json.loads(out.read_text(encoding="utf-8"))
    if described.get("noModel"):
        return ExerciseResult(error=described["noModel"])
    if described.get("error"):
        where = f" (line {described['line']})" if described.get("line") else ""
        return ExerciseResult(error=f"Your code stopped with {described['error']}{where}")
    steps = _steps(described)
    points = [_count(target, steps), _order(target, steps), _units(target, steps), _activations(target, steps),
              _params(target, described), _output(target, described), _compile(target, described)]
    return ExerciseResult(points)
