"""The reading exercise: rebuild a PyTorch model in TF.js, checked point by point.

The target is read off the PyTorch model through its translation (the tracing child builds and runs it):
its dense layers with their units and activations, its parameter count and output shape. The sample
repository's DenseAutoencoder (exercise.py) is the lesson's exercise; any model made of Linear layers
and activations can be one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reader_app.paths import sample_repo
from reader_app.trace.describe import DescribeRequest
from reader_app.translate.engine import translate

LEARNING_RATE = 0.001
LOSS = "meanSquaredError"
SKIPPED = {"Dropout", "InputLayer"}  # no effect at inference, or no computation


@dataclass
class Step:
    """One dense layer of a model, its activation folded in (a Dense then an Activation is one step).

    Attributes:
        kind: "Dense", or the TF.js class of another layer; units; activation ("linear" when none);
        origin: where it comes from ("encoder.2 (exercise.py:27)" for PyTorch, "" for the reader's).
    """

    kind: str
    units: int | None
    activation: str = "linear"
    origin: str = ""


@dataclass
class ExerciseTarget:
    """What the reader's TF.js model must match.

    Attributes:
        class_name, file, line: the PyTorch model; steps: its dense layers in order; params: its number
        of parameters; input_shape, output_shape: without the batch; learning_rate, loss: for compile.
    """

    class_name: str
    file: str
    line: int
    steps: list[Step]
    params: int
    input_shape: list
    output_shape: list
    learning_rate: float = LEARNING_RATE
    loss: str = LOSS

    @property
    def bottleneck(self) -> int:
        return min(s.units for s in self.steps if s.units)

    def sizes(self) -> str:
        first = self.input_shape[-1] if self.input_shape else "?"
        return " -> ".join(str(u) for u in [first] + [s.units for s in self.steps])


def fold(layers: list[tuple[str, int | None, str | None, str]]) -> list[Step]:
    """(class, units, activation, origin) per layer -> steps: activations join the dense layer before them."""
    steps: list[Step] = []
    for kind, units, activation, origin in layers:
        if kind in SKIPPED:
            continue
        if kind in ("Activation", "ReLU") and steps and steps[-1].kind == "Dense" and steps[-1].activation == "linear":
            steps[-1].activation = activation or "relu"
            continue
        steps.append(Step(kind, units, activation or "linear", origin))
    return steps


def exercise_target(repo: str | Path | None = None, class_name: str = "DenseAutoencoder",
                    timeout: float = 60.0, cancel=None) -> ExerciseTarget:
    """Read the exercise's PyTorch model (default: the sample repository's DenseAutoencoder).

    Raises ValueError with one sentence when the model cannot be built or run."""
    request = DescribeRequest(str(repo or sample_repo()), class_name=class_name, timeout=timeout, symbolic=False)
    result = translate(request, cancel=cancel)
    if result.error or result.problems:
        raise ValueError(result.error or result.problems[0].text())
    layers = [(l.class_name, l.config.get("units"), l.config.get("activation"), f"{l.torch_module} ({l.file}:{l.line})")
              for l in result.layers]
    entry = result.trace.layer("") if result.trace else None
    return ExerciseTarget(result.class_name, result.file, entry.line if entry else 0, fold(layers), result.params,
                          list(result.inputs[0][1][1:]), list(result.outputs[0][1:]))


def worked_answer(target: ExerciseTarget) -> str:
    """A TF.js model that passes every check, written as the lesson would."""
    lines = [f"// {target.class_name} ({target.file}:{target.line}) in TensorFlow.js: {target.sizes()}.",
             "// __init__'s layers become the constructor calls below; forward() is their order (a chain,",
             "// so tf.sequential). nn.Linear is tf.layers.dense; a ReLU after it is its activation.",
             "const model = tf.sequential();"]
    for index, step in enumerate(target.steps):
        shape = f"inputShape: [{', '.join(map(str, target.input_shape))}], " if index == 0 else ""
        activation = f", activation: '{step.activation}'" if step.activation != "linear" else ""
        role = " - the bottleneck" if step.units == target.bottleneck else ""
        lines.append(f"model.add(tf.layers.dense({{{shape}units: {step.units}{activation}}}));  // {step.origin}{role}")
    lines += [f"model.compile({{optimizer: tf.train.adam({target.learning_rate:g}), loss: '{target.loss}'}});", ""]
    return "\n".join(lines)


def exercise_prompt(target: ExerciseTarget) -> str:
    """The task, as the Exercise view shows it above the editor."""
    return (f"Read {target.class_name} in {target.file} (its __init__ and forward()) and build the same model in "
            f"TensorFlow.js: the same layers in the same order ({target.sizes()}), the same activations, "
            f"{target.params:,} parameters, an input of shape [batch, {', '.join(map(str, target.input_shape))}]. "
            f"Leave it in `const model = ...` and compile it with Adam (learning rate {target.learning_rate:g}) "
            f"and the mean squared error loss.")


@dataclass
class CheckPoint:
    """One point of the exercise check.

    Attributes:
        name: "layer count", "layer order", "units", "activations", "parameters", "output shape", "compile";
        ok: it matches; message: one sentence: what matches, or what differs.
    """

    name: str
    ok: bool
    message: str


@dataclass
class ExerciseResult:
    """The check of one answer.

    Attributes:
        points: in order; error: one sentence when the code did not run (then no points), else None.
    """

    points: list[CheckPoint] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.points) and all(p.ok for p in self.points)
