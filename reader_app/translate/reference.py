"""reference.json + reference.bin: one input of the translated model and PyTorch's output for it, so
that the TF.js model can be checked against PyTorch anywhere Node runs (see node.py)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from reader_app.translate.ir import Model

NUMPY = {"float32": np.float32, "int32": np.int32, "bool": np.uint8}


def write_reference(model: Model, store, description, folder: Path) -> dict:
    entries, offset = {"inputs": [], "outputs": []}, 0
    path = folder / "reference.bin"
    with open(path, "wb") as fh:
        def add(kind: str, name: str, array: np.ndarray, dtype: str) -> None:
            nonlocal offset
            data = np.ascontiguousarray(array, dtype=NUMPY[dtype]).tobytes()
            entries[kind].append({"name": name, "shape": list(array.shape), "dtype": dtype, "offset": offset,
                                  "nbytes": len(data)})
            fh.write(data)
            offset += len(data)

        for item in model.inputs:
            add("inputs", item.name, store.get(f"value:{item.value}"), item.dtype)
        for index, vid in enumerate(description.reference["outputs"]):
            add("outputs", model.outputs[index] if index < len(model.outputs) else f"output{index}",
                store.get(f"value:{vid}"), "float32")
    (folder / "reference.json").write_text(json.dumps(entries, indent=1), encoding="utf-8")
    return {"reference.json": folder / "reference.json", "reference.bin": path}


def read_reference(folder: str) -> tuple[list, list]:
    """([(name, array)] inputs, [(name, array)] expected outputs) from a translation folder."""
    meta = json.loads((Path(folder) / "reference.json").read_text(encoding="utf-8"))
    raw = (Path(folder) / "reference.bin").read_bytes()

    def arrays(kind):
        return [(e["name"], np.frombuffer(raw[e["offset"]:e["offset"] + e["nbytes"]],
                                          dtype=NUMPY[e["dtype"]]).reshape(e["shape"])) for e in meta[kind]]

    return arrays("inputs"), arrays("outputs")
