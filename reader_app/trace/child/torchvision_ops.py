"""A torchvision whose compiled operators do not load here is loaded as pure Python.

The torchvision on the package index is a CUDA build: beside the app's CPU torch its `_C.so` does not
load. torchvision itself copes with that (`extension._has_ops()` is False and its ops say so when
called), except that `_meta_registrations.py` registers fake kernels for `torchvision::nms` and `qnms`
without that guard, so `import torchvision` stops with "operator torchvision::nms does not exist".
Models, backbones and blocks (resnet50(), StochasticDepth, Conv2dNormActivation) are pure Python, so:
when such an import fails for that reason only, the two schemas are defined and the import is run again.
A torchvision whose compiled ops load is never touched: this only acts after its own import failed.
The compiled ops then fail, if the model calls them, with one sentence naming the operator.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys

from reader_app.trace.child.loader import MissingDependency

PACKAGE = "torchvision"
# The schemas torchvision's _meta_registrations.py reaches for unguarded (from torchvision/csrc/ops/nms.cpp).
_UNGUARDED = {
    "nms": "nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
    "qnms": "qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
}
_LIBRARIES: list = []  # the torch.library.Library objects must outlive the import to keep their schemas


class CompiledOpUnavailable(MissingDependency):
    """The model called one of torchvision's compiled operators, which this torchvision could not load."""

    def __init__(self, op: str):
        ImportError.__init__(self, f"torchvision's compiled operator {op} is not available in this Python "
                                   f"(its compiled library does not load beside this torch)")
        self.package, self.used = PACKAGE, f"calls {op}"


class _State:
    """Set once torchvision was loaded without its compiled ops.

    Attributes:
        folder: the sys.path entry it came from; version: its version.
    """

    folder: str | None = None
    version: str = ""


STATE = _State()


def _raise_unavailable():
    """Stands in for `torchvision.extension._assert_has_ops`: names the op that called it."""
    raise CompiledOpUnavailable(sys._getframe(1).f_code.co_name)


def _define_unguarded() -> None:
    import torch
    import torch.library

    lib = torch.library.Library(PACKAGE, "FRAGMENT")
    for name, schema in _UNGUARDED.items():
        if not hasattr(torch.ops.torchvision, name):
            lib.define(schema)

            def unavailable(*args, _op=name, **kwargs):
                raise CompiledOpUnavailable(_op)

            lib.impl(name, unavailable, "CPU")
    _LIBRARIES.append(lib)


def _ops_failed() -> bool:
    extension = sys.modules.get(f"{PACKAGE}.extension")
    return extension is not None and not extension._has_ops()


class _Loader(importlib.abc.Loader):
    def __init__(self, inner):
        self.inner = inner

    def __getattr__(self, name):  # get_data, is_package, get_resource_reader: the path loader's own
        return getattr(self.inner, name)

    def create_module(self, spec):
        return self.inner.create_module(spec)

    def exec_module(self, module):
        module.__loader__ = module.__spec__.loader = self.inner  # the package's own loader, as if never wrapped
        try:
            self.inner.exec_module(module)
            return
        except Exception as exc:
            if not (_ops_failed() and f"{PACKAGE}::" in str(exc)):
                raise
        for name in [n for n in sys.modules if n.startswith(PACKAGE + ".")]:
            del sys.modules[name]
        _define_unguarded()
        self.inner.exec_module(module)
        for mod in [m for n, m in list(sys.modules.items()) if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            if getattr(mod, "_assert_has_ops", None) is not None:  # bound by `from ..extension import ...`
                mod._assert_has_ops = _raise_unavailable
        STATE.folder = os.path.dirname(os.path.dirname(os.path.realpath(module.__file__)))
        STATE.version = str(getattr(module, "__version__", "")).split("+")[0]


class _Finder(importlib.abc.MetaPathFinder):
    """Wraps the loader of `torchvision` as the path finds it; every other import passes by."""

    def find_spec(self, name, path=None, target=None):
        if name != PACKAGE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not spec.origin:
            return None
        spec.loader = _Loader(spec.loader)
        return spec


def install() -> None:
    """Before the model's code is imported (a torchvision already imported is left as it is)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


def degraded(shared_folder: str | None) -> list[str]:
    """The line for a torchvision loaded without its compiled ops, unless it came from the shared folder
    (whose line shared_libraries.used writes, with the same fact)."""
    if STATE.folder is None or (shared_folder and STATE.folder == os.path.realpath(shared_folder)):
        return []
    return [f"torchvision {STATE.version} ({STATE.folder}) loaded without its compiled ops: they do not load "
            f"beside this torch"]


def ops_unavailable() -> bool:
    return STATE.folder is not None
