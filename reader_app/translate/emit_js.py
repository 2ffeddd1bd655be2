"""model.js (the translation a reader reads: one layer per PyTorch module or operation, each under a
comment naming its PyTorch line) and layers.js (the custom layers, an ES module exporting register(tf)).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from reader_app.translate.ir import Layer, Model

JS_DIR = Path(__file__).resolve().parent / "js"
FACTORIES = {"Dense": "dense", "LSTM": "lstm", "SimpleRNN": "simpleRNN", "Embedding": "embedding",
             "LayerNormalization": "layerNormalization", "BatchNormalization": "batchNormalization",
             "Dropout": "dropout", "Activation": "activation", "Softmax": "softmax", "LeakyReLU": "leakyReLU",
             "ELU": "elu", "Flatten": "flatten", "Reshape": "reshape", "Permute": "permute", "Add": "add",
             "Multiply": "multiply", "Concatenate": "concatenate", "RepeatVector": "repeatVector",
             "Conv2D": "conv2d", "Conv1D": "conv1d", "DepthwiseConv2D": "depthwiseConv2d",
             "ZeroPadding2D": "zeroPadding2d", "MaxPooling2D": "maxPooling2d", "AveragePooling2D": "averagePooling2d",
             "MaxPooling1D": "maxPooling1d", "AveragePooling1D": "averagePooling1d"}
IDENTIFIER = re.compile(r"^[A-Za-z_$][\w$]*$")


def js_value(value) -> str:
    """A JavaScript literal for a config value (keys unquoted where they can be)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(js_value(v) for v in value) + "]"
    parts = [f"{k if IDENTIFIER.match(k) else json.dumps(k)}: {js_value(v)}" for k, v in value.items()]
    return "{" + ", ".join(parts) + "}"


def variable(name: str, taken: dict) -> str:
    base = re.sub(r"\W", "_", name)
    base = base if IDENTIFIER.match(base) else f"t_{base}"
    if base in ("tf", "model", "custom", "register"):
        base += "_"
    ident, n = base, 1
    while ident in taken.values():
        n += 1
        ident = f"{base}_{n}"
    taken[name] = ident
    return ident


def _constructor(layer: Layer, extra: dict | None = None) -> str:
    config = js_value({"name": layer.name, **layer.config, **(extra or {})})
    if layer.custom:
        return f"new custom.{layer.class_name}({config})"
    return f"tf.layers.{FACTORIES[layer.class_name]}({config})"


def _comments(layer: Layer, source_line) -> list[str]:
    origin = layer.origin
    if origin.module:
        head = f"// {origin.module}: {origin.kind}"
        if origin.file and origin.line:
            head += f", defined at {origin.file}:{origin.line}"
        if origin.call_file and origin.call_line:
            head += f", called at {origin.call_file}:{origin.call_line}"
    else:
        head = f"// {origin.kind}" + (f" at {origin.call_file}:{origin.call_line}" if origin.call_line else "")
        if origin.scope:
            head += f", in {origin.scope}"
    lines = [head]
    text = source_line(origin.call_file, origin.call_line) if origin.call_line else ""
    if text:
        lines.append(f"//     {text.strip()}")
    if layer.convention:
        lines.append(f"//   {layer.convention}")
    return lines


def model_js(model: Model, source_line, header: list[str]) -> tuple[str, dict[str, int]]:
    """The readable model.js and the line (1-based) where each layer is made."""
    out = [f"// {line}" if line else "//" for line in header]
    custom = bool(model.custom_classes)
    if custom:
        out += ["import { register } from './layers.js';"]
    out += ["", "export function buildModel(tf) {"]
    if custom:
        out.append("  const custom = register(tf);")
    where: dict[str, int] = {}
    if model.sequential:
        first = model.inputs[0]
        out.append(f"  const model = tf.sequential({{name: {js_value(model.name)}}});")
        for index, layer in enumerate(model.layers):
            out.append("")
            out += ["  " + c for c in _comments(layer, source_line)]
            extra = {"batchInputShape": [None, *first.shape], "dtype": first.dtype} if index == 0 else None
            where[layer.name] = len(out) + 1
            out.append(f"  model.add({_constructor(layer, extra)});")
        out += ["  return model;", "}", ""]
        return "\n".join(out), where
    names: dict[str, str] = {}
    for item in model.inputs:
        ident = variable(item.name, names)
        out.append(f"  const {ident} = tf.input({{name: {js_value(item.name)}, shape: {js_value(item.shape)}, "
                   f"dtype: {js_value(item.dtype)}}});")
    for layer in model.layers:
        out.append("")
        out += ["  " + c for c in _comments(layer, source_line)]
        sources = [names.get(s, "null /* NOT TRANSLATED */") for s in layer.inputs]
        applied = sources[0] if len(sources) == 1 else "[" + ", ".join(sources) + "]"
        ident = variable(layer.name, names)
        where[layer.name] = len(out) + 1
        out.append(f"  const {ident} = {_constructor(layer)}.apply({applied});")
    outputs = ", ".join(names.get(o, "null /* NOT TRANSLATED */") for o in model.outputs)
    inputs = ", ".join(names[i.name] for i in model.inputs)
    out += ["", f"  return tf.model({{name: {js_value(model.name)}, inputs: [{inputs}], outputs: [{outputs}]}});",
            "}", ""]
    return "\n".join(out), where


def layers_js(classes: list[str]) -> str:
    """An ES module defining and registering the custom layer classes the model uses."""
    body = [(JS_DIR / "_helpers.js").read_text()]
    for name in classes:
        body.append((JS_DIR / f"{name}.js").read_text())
    indented = "\n".join("  " + line if line else "" for line in "\n".join(body).splitlines())
    names = ", ".join(classes)
    return ("// Custom TF.js layers for what has no built-in layer, written by reader-app translate.\n"
            "// Call register(tf) once before tf.loadLayersModel('model.json'); it returns the classes.\n\n"
            "const registered = new WeakMap();\n\n"
            "export function register(tf) {\n"
            "  if (registered.has(tf)) {\n    return registered.get(tf);\n  }\n"
            f"{indented}\n"
            f"  for (const cls of [{names}]) {{\n    tf.serialization.registerClass(cls);\n  }}\n"
            f"  registered.set(tf, {{ {names} }});\n"
            "  return registered.get(tf);\n}\n")
