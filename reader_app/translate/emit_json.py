"""model.json in the TF.js Layers format: modelTopology (Keras-style, pythonic spelling) and weightsManifest.

TF.js converts configs to camelCase when it loads them and back to snake_case when it saves; the
functions here spell them exactly as TF.js's own `model.save()` would, so `tf.loadLayersModel` reads them.
"""
from __future__ import annotations

import re
from functools import lru_cache

from reader_app.translate.ir import Model

TFJS_VERSION = "4.22.0"
IO_NAMES = ("inbound_nodes", "input_layers", "output_layers")


@lru_cache(maxsize=4096)  # the same few config keys, once per layer: thousands of calls for a 7B model
def snake(name: str) -> str:
    """TF.js's toSnakeCase."""
    intermediate = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    out = re.sub(r"([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    return out if not out.startswith("_") else "private" + out


def pythonic(value, key: str | None = None):
    """TF.js's convertTsToPythonic: keys and string values to snake_case, names left alone."""
    if value is None:
        return None
    if isinstance(value, str):
        return snake(value)
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [item if (key in ("inboundNodes", "outputLayers", "inputLayers") and i == 0 and isinstance(item, str))
                else pythonic(item, key) for i, item in enumerate(value)]
    out = {}
    for k, v in value.items():
        if k in ("name", "className") and isinstance(v, str):
            out[snake(k)] = v
        else:
            out[snake(k)] = pythonic(v, k)
    return out


def _layer_config(layer, extra: dict | None = None) -> dict:
    config = pythonic({**layer.config, **(extra or {})})
    config["name"] = layer.name
    return config


def topology(model: Model) -> dict:
    """The modelTopology of a Sequential model when the layers form one chain, else of a functional Model."""
    meta = {"keras_version": f"tfjs-layers {TFJS_VERSION}", "backend": "tensor_flow.js"}
    if model.sequential:
        first = model.inputs[0]
        layers = []
        for index, layer in enumerate(model.layers):
            extra = {"batchInputShape": [None, *first.shape], "dtype": first.dtype} if index == 0 else None
            layers.append({"class_name": layer.class_name, "config": _layer_config(layer, extra)})
        return {"class_name": "Sequential", "config": {"name": model.name, "layers": layers}, **meta}
    layers = [{"name": i.name, "class_name": "InputLayer",
               "config": {"batch_input_shape": [None, *i.shape], "dtype": i.dtype, "sparse": False, "name": i.name},
               "inbound_nodes": []} for i in model.inputs]
    for layer in model.layers:
        layers.append({"name": layer.name, "class_name": layer.class_name, "config": _layer_config(layer),
                       "inbound_nodes": [[[source, 0, 0, {}] for source in layer.inputs]]})
    return {"class_name": "Model",
            "config": {"name": model.name, "layers": layers,
                       "input_layers": [[i.name, 0, 0] for i in model.inputs],
                       "output_layers": [[name, 0, 0] for name in model.outputs]}, **meta}


def model_json(model: Model, weight_specs: list, weights_file: str | None, metadata: dict) -> dict:
    """The whole model.json; `weights_file` None writes the manifest without a file (architecture only)."""
    return {"format": "layers-model", "generatedBy": "reader-app translate", "convertedBy": None,
            "modelTopology": topology(model),
            "weightsManifest": [{"paths": [weights_file] if weights_file else [], "weights": weight_specs}],
            "userDefinedMetadata": metadata}
