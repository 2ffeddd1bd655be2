"""Translation: what `translate` made, as plain data for the CLI, the window's TF.js tab and tests."""
from __future__ import annotations

from dataclasses import dataclass, field

from reader_app.trace.result import TraceResult
from reader_app.translate.ir import Problem

# What a JavaScript developer should know about each kind of building block (the TF.js tab shows these).
NOTES = {
    "constructor": "buildModel() plays the role of __init__: it creates every building block once, in the "
                   "order forward() uses them. TF.js layers get their sizes up front, as PyTorch modules do.",
    "data flow": "Each .apply(x) (or model.add in a chain) is one step of forward(): the data flows from the "
                 "input through the layers to the output; tf.sequential is a forward() that is a straight chain.",
    "dense": "nn.Linear is tf.layers.dense: the same y = xW + b; PyTorch stores W as (out, in), TF.js as "
             "(in, out), so the weight is transposed.",
    "normalization": "nn.LayerNorm is tf.layers.layerNormalization and nn.BatchNorm is "
                     "tf.layers.batchNormalization; their epsilons differ by default, so the translation "
                     "writes them out.",
    "recurrent": "nn.LSTM(batch_first=True) is tf.layers.lstm({returnSequences: true}); each stacked PyTorch "
                 "layer becomes one TF.js layer, and the two PyTorch biases are added into one.",
    "custom": "What TF.js has no layer for (attention, attention pooling, masks, rotary embeddings) is a small "
              "class in layers.js: build() makes its weights, call() computes forward(), and "
              "tf.serialization.registerClass lets tf.loadLayersModel find it by name.",
    "convolution": "TF.js convolutions want channels last (N, H, W, C); the model still takes PyTorch's "
                   "(N, C, H, W) and permutes inside.",
    "activation": "Activations are layers of their own in TF.js (tf.layers.activation), where PyTorch often "
                  "calls a function (F.relu) inside forward().",
}


@dataclass
class TranslatedLayer:
    """One TF.js layer and the PyTorch code it comes from.

    Attributes:
        name: the TF.js layer name; class_name: its TF.js class; custom: defined in layers.js;
        torch_module: the PyTorch module's qualified name ("" for an operation written in forward());
        torch_kind: "nn.Linear", "softmax", ...; file, line: the PyTorch definition (modules) or call;
        call_file, call_line: the forward() line that calls it; js_line: the model.js line that makes it;
        construct: dense, recurrent, normalization, attention, custom, ...; convention: what changed;
        shape: TF.js output shape without the batch; params: its number of weights' values;
        config: its TF.js constructor config (units, activation, ...); scope: the PyTorch module whose
        forward() made it (for an operation such as the softmax of an attention block).
    """

    name: str
    class_name: str
    custom: bool
    torch_module: str
    torch_kind: str
    file: str | None
    line: int
    call_file: str | None
    call_line: int
    js_line: int
    construct: str
    convention: str
    shape: list
    params: int = 0
    config: dict = field(default_factory=dict)
    scope: str = ""


@dataclass
class Translation:
    """The outcome of translating one model.

    Attributes:
        error: one sentence when nothing could be translated (the model did not build or run), else None.
        class_name, file, root: the PyTorch model, its file (relative to root) and repository.
        layers: the TF.js layers in model.js order; problems: parts with no faithful translation (when
        any, model.json and the weights are not written: the model would compute something else).
        notes: conventions told once (tied weights, dropout); inputs: (name, shape with batch, dtype);
        outputs: output shapes (with batch); out_dir, files: what was written (name -> path);
        model_js, layers_js, model_json: the texts; params: values in the weights;
        with_weights: real weights were exported (False on the meta device); trace: the model's trace;
        timings: seconds per phase.
    """

    error: str | None = None
    class_name: str = ""
    file: str = ""
    root: str = ""
    layers: list[TranslatedLayer] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    inputs: list[tuple] = field(default_factory=list)
    outputs: list[list] = field(default_factory=list)
    out_dir: str | None = None
    files: dict = field(default_factory=dict)
    model_js: str = ""
    layers_js: str | None = None
    model_json: dict | None = None
    params: int = 0
    with_weights: bool = False
    trace: TraceResult | None = None
    timings: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.problems

    def layer_for_line(self, file: str, line: int) -> list[TranslatedLayer]:
        """The TF.js layers made from a PyTorch line (its definition or its call)."""
        return [l for l in self.layers if (l.file == file and l.line == line) or
                (l.call_file == file and l.call_line == line)]

    def layers_of_module(self, name: str) -> list[TranslatedLayer]:
        """The TF.js layers made from a PyTorch module (its parts included: "encoder" gives encoder.*)."""
        return [l for l in self.layers if l.torch_module == name or l.torch_module.startswith(name + ".")
                or (not l.torch_module and name and _in_scope(l, name))]

    def layer_at_js_line(self, js_line: int) -> TranslatedLayer | None:
        """The layer whose block in model.js (its comments and the line that makes it) holds `js_line`."""
        previous = 0
        for layer in sorted(self.layers, key=lambda l: l.js_line):
            if previous < js_line <= layer.js_line:
                return layer
            previous = layer.js_line
        return None

    def summary(self) -> str:
        if self.error:
            return self.error
        kinds = len({l.class_name for l in self.layers})
        text = f"{self.class_name}: {len(self.layers)} TF.js layers ({kinds} kinds), {self.params:,} weights"
        if self.problems:
            text += f"; {len(self.problems)} part(s) not translated"
        return text


def _in_scope(layer: TranslatedLayer, name: str) -> bool:
    return layer.scope == name or layer.scope.startswith(name + ".")
