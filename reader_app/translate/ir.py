"""The translated model before it is written out: TF.js layers with configs, inputs, weights and origins.

Configs are kept as the TF.js constructor takes them (camelCase); model.json gets the pythonic spelling
TF.js itself writes (see emit_json.pythonic).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

IDENTITY = None  # a value laid out as in PyTorch


@dataclass
class Origin:
    """Where a layer comes from in the PyTorch code.

    Attributes:
        module: the torch module's qualified name ("" for a functional operation).
        kind: "nn.Linear", "F.softmax", "Tensor.view", ...
        file, line: the module's definition (`self.fc = nn.Linear(...)`) or, for an operation, its call.
        call_file, call_line: the forward() line that made the call.
        scope: the model module the call ran in.
    """

    module: str = ""
    kind: str = ""
    file: str | None = None
    line: int = 0
    call_file: str | None = None
    call_line: int = 0
    scope: str = ""


@dataclass
class Weight:
    """One weight of a layer, made from the PyTorch tensors on demand.

    Attributes:
        name: the TF.js weight name inside its layer ("kernel", "moving_mean").
        shape: TF.js shape.
        make: callable(store) -> numpy array of that shape, or None when there are no values (meta).
        dtype: "float32" or "int32".
        source: the PyTorch tensor(s) it comes from, for notes ("fc.weight, transposed").
    """

    name: str
    shape: list
    make: Callable | None
    dtype: str = "float32"
    source: str = ""


@dataclass
class Layer:
    """A TF.js layer of the translated model.

    Attributes:
        name: unique layer name; class_name: TF.js class ("Dense", or a custom one such as "CausalMask");
        config: constructor config (camelCase) without the name; inputs: names of the layers (or model
        inputs) it reads, in order; weights: in the order the layer creates them; custom: defined in
        layers.js; origin: the PyTorch source; construct: what kind of building block it is (for notes);
        convention: what the weight conversion or config had to change, in a few words;
        shape: output shape without the batch dimension.
    """

    name: str
    class_name: str
    config: dict
    inputs: list
    weights: list = field(default_factory=list)
    custom: bool = False
    origin: Origin = field(default_factory=Origin)
    construct: str = "layer"
    convention: str = ""
    shape: list = field(default_factory=list)


@dataclass
class Input:
    """A model input.

    Attributes:
        name: the forward() argument; shape: without the batch dimension; dtype: TF.js dtype;
        value: the graph value it stands for.
    """

    name: str
    shape: list
    dtype: str
    value: int


@dataclass
class Problem:
    """A part of the model that has no faithful TF.js translation.

    Attributes:
        what: the module or operation ("encoder.gru (nn.GRU)", "torch.fft.rfft").
        file, line: where in the repository.
        reason: one sentence.
    """

    what: str
    file: str | None
    line: int
    reason: str

    def text(self) -> str:
        where = f" ({self.file}:{self.line})" if self.file and self.line else ""
        return f"{self.what}{where}: {self.reason}"


@dataclass
class Model:
    """The whole translated model.

    Attributes:
        name: the PyTorch class; inputs, layers, outputs (layer names); problems: untranslated parts;
        notes: conventions worth telling the reader once (tied weights, dropout at inference, ...).
    """

    name: str
    inputs: list = field(default_factory=list)
    layers: list = field(default_factory=list)
    outputs: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def layer(self, name: str) -> Layer | None:
        return next((layer for layer in self.layers if layer.name == name), None)

    @property
    def sequential(self) -> bool:
        """One input, one output, every layer reading only the one before it."""
        if len(self.inputs) != 1 or len(self.outputs) != 1 or not self.layers:
            return False
        previous = self.inputs[0].name
        for layer in self.layers:
            if layer.inputs != [previous]:
                return False
            previous = layer.name
        return self.outputs == [previous]

    @property
    def custom_classes(self) -> list[str]:
        seen = []
        for layer in self.layers:
            if layer.custom and layer.class_name not in seen:
                seen.append(layer.class_name)
        return seen
