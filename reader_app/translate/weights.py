"""The PyTorch tensors the child wrote (tensors.bin), and the TF.js weight file made from them."""
from __future__ import annotations

import os

import numpy as np

DTYPES = {"float32": np.float32, "int32": np.int32, "uint8": np.uint8}


class TensorStore:
    """Reads tensors by key ("state:fc.weight", "value:12") from the child's flat file.

    Attributes:
        path: the file; entries: key -> {shape, dtype, offset, nbytes}.
    """

    def __init__(self, path: str, entries: dict):
        self.path, self.entries = path, entries
        self._data = np.memmap(path, dtype=np.uint8, mode="r") if entries and os.path.getsize(path) else None

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def get(self, key: str) -> np.ndarray:
        entry = self.entries.get(key)
        if entry is None:
            raise KeyError(f"the model has no tensor {key.split(':', 1)[-1]}")
        raw = self._data[entry["offset"]:entry["offset"] + entry["nbytes"]]
        return np.frombuffer(raw, dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])


def write_weights(layers: list, store: TensorStore | None, path: str | None) -> tuple[list, int]:
    """Write every layer's weights, in layer order, to `path` (skipped without a store: the meta device).

    Returns (the manifest's weight specs, the number of values).
    """
    specs, count = [], 0
    handle = open(path, "wb") if (store is not None and path) else None
    try:
        for layer in layers:
            for weight in layer.weights:
                specs.append({"name": f"{layer.name}/{weight.name}", "shape": list(weight.shape),
                              "dtype": weight.dtype})
                count += int(np.prod(weight.shape)) if weight.shape else 1
                if handle is None:
                    continue
                array = np.ascontiguousarray(weight.make(store), dtype=DTYPES[weight.dtype])
                if list(array.shape) != list(weight.shape):
                    raise ValueError(f"{layer.name}/{weight.name}: made {list(array.shape)}, "
                                     f"expected {list(weight.shape)}")
                handle.write(np.ascontiguousarray(array.astype("<" + array.dtype.str[1:], copy=False)))  # no copy
    finally:
        if handle is not None:
            handle.close()
    return specs, count
