"""Tensors written to one flat file for another process to read: raw little-endian bytes at offsets.

Floating tensors are stored as float32, integer ones as int32 (token ids), bools as uint8, complex ones
as float32 (real, imaginary) pairs. numpy makes it fast but is not needed, so any venv with torch can run it.
"""
from __future__ import annotations

import sys

import torch

STORED = {"float": (torch.float32, "float32"), "int": (torch.int32, "int32"), "bool": (torch.uint8, "uint8")}


def _stored(tensor: torch.Tensor) -> tuple[torch.Tensor, str, str]:
    """(tensor to write, stored dtype, original dtype)."""
    original = str(tensor.dtype).replace("torch.", "")
    if tensor.is_complex():
        return torch.view_as_real(tensor.to(torch.complex64)).to(torch.float32), "float32", original
    if tensor.dtype == torch.bool:
        kind = "bool"
    elif tensor.dtype.is_floating_point:
        kind = "float"
    else:
        kind = "int"
    dtype, name = STORED[kind]
    return tensor.to(dtype), name, original


def _raw_bytes(tensor: torch.Tensor):
    """The bytes of a contiguous tensor: a numpy view (written without a copy) where numpy is there."""
    try:
        return tensor.numpy()  # numpy is optional in a repository's own venv
    except (RuntimeError, ImportError, TypeError):
        return bytes(tensor.clone().untyped_storage())  # about 100 ns a byte; clone: the tensor's bytes only


class TensorFile:
    """Appends tensors to a file and lists them (key, shape, dtype, offset, nbytes).

    Attributes:
        path: the file.
        entries: what was written, by key.
    """

    def __init__(self, path: str):
        self.path = path
        self.entries: dict[str, dict] = {}
        self._fh = open(path, "wb")
        self._offset = 0

    def add(self, key: str, tensor: torch.Tensor) -> None:
        if key in self.entries or tensor.device.type == "meta":
            return
        data, stored, original = _stored(tensor.detach().cpu())
        raw = _raw_bytes(data.contiguous())
        if sys.byteorder != "little":
            raise RuntimeError("weights can only be exported on a little-endian machine")
        nbytes = raw.nbytes if hasattr(raw, "nbytes") else len(raw)
        self.entries[key] = {"shape": list(data.shape), "dtype": stored, "original_dtype": original,
                             "offset": self._offset, "nbytes": nbytes}
        self._fh.write(raw)
        self._offset += nbytes

    def close(self) -> None:
        self._fh.close()
