"""What a missing package would build while the model is being constructed, stood in until forward uses it.

Research models often build objects for training in `__init__` (a metric, a perceptual loss, a logger, an
augmentation pipeline) from packages the trace does not need. While the model is constructed, a call of a
missing package's callable (loader._Placeholder) returns an inert stand-in instead of raising: an nn.Module
(so `nn.Sequential(missing.Aug(), ...)` and `self.loss = missing.Loss()` build), without weights, whose
own calls and attributes during construction give more stand-ins. When forward runs it, or when any code
takes a number, an item count or an iteration from it, it raises the package's MissingDependency with what
was built, so a model that needs the package still says so in one sentence. A construction that fails
after making one fails with the first one's package sentence, as the call itself would have (session.py).
"""
from __future__ import annotations

import re

import torch.nn as nn

# The list of what the construction running now made ((package, dotted) pairs), or None outside one.
_MADE: list = [None]

# A stand-in has no weights: init loops (`if hasattr(m, "weight"): nn.init.zeros_(m.weight)`) leave it alone.
_NO_PARAMETERS = {"weight", "bias"}


class Construction:
    """A context during which missing packages' calls give inert stand-ins (`enabled=False`: they raise).

    Attributes:
        made: (package, what was called, the stand-in) of each stand-in made directly by a missing
            package's callable, in the order of the calls.
    """

    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self.made: list[tuple[str, str, Inert]] = []
        self._previous = None

    def __enter__(self):
        self._previous = _MADE[0]
        _MADE[0] = self.made if self.enabled else None
        return self

    def __exit__(self, *exc):
        _MADE[0] = self._previous
        return False


def active() -> bool:
    return _MADE[0] is not None


def stand_in(package: str, dotted: str, used: str, where: tuple | None) -> "Inert":
    """The inert stand-in for the call `dotted(...)` of a missing package, during a construction; `where`
    is the (file, line) of the repository's code that made the call, where its error points."""
    made = _inert(package, dotted, used, where)
    if all(dotted != other for _, other, _ in _MADE[0]):
        _MADE[0].append((package, dotted, made))
    return made


def _inert(package: str, dotted: str, used: str, where: tuple | None) -> "Inert":
    name = dotted.rsplit(".", 1)[-1]
    cls = _CLASSES.get(name)
    if cls is None:  # the layer list shows the missing class's name (`acc  Accuracy`), not "Inert"
        cls = _CLASSES[name] = type(name if name.isidentifier() else "Inert", (Inert,), {"__module__": __name__})
    cls._reader_last = (package, used, where)
    return cls(package, dotted, used, where)


_CLASSES: dict[str, type] = {}


def named_in(error: BaseException):
    """The missing package's error for a TypeError that names a stand-in's type (`torch.cat([x, self.aug])`:
    "expected Tensor ... but got Augment"), else None."""
    text = str(error) if isinstance(error, TypeError) else ""
    for name, cls in _CLASSES.items():
        if re.search(rf"\b(got|of type) {re.escape(name)}\b", text):
            return _error(*cls._reader_last)
    return None


def held(model: nn.Module) -> list["Inert"]:
    """The stand-ins among `model`'s submodules, in the model's order."""
    return [m for m in model.modules() if isinstance(m, Inert)]


def error_of(stand_in: "Inert"):
    """The package's MissingDependency for `stand_in`, as using it would raise."""
    package, _, used, where = stand_in.__dict__["_reader_missing"]
    return _error(package, used, where)


def _error(package: str, used: str, where: tuple | None):
    """The package's MissingDependency; `built_at`: where the repository built what stood in, the line the
    error points to (as it did when the call itself raised)."""
    from reader_app.trace.child.loader import MissingDependency

    error = MissingDependency(package, used)
    error.built_at = where
    return error


class Inert(nn.Module):
    """Stands for an object a missing package would have built; raises the package's error when used.

    Attributes:
        _reader_missing: (package, dotted name of what stands here, what the code did: "builds x.Loss",
            (file, line) of the call in the repository or None).
    """

    def __init__(self, package: str, dotted: str, used: str, where: tuple | None):
        super().__init__()
        object.__setattr__(self, "_reader_missing", (package, dotted, used, where))

    def _missing(self, *args):
        from reader_app.trace.child.loader import _raise

        package, _, used, where = self.__dict__["_reader_missing"]
        _raise(_error(package, used, where))

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)  # nn.Module's own state (parameters, buffers, submodules)
        except AttributeError:
            if name.startswith("_") or name in _NO_PARAMETERS:
                raise
        package, dotted, used, where = self.__dict__["_reader_missing"]
        return _inert(package, f"{dotted}.{name}", used, where)

    def __call__(self, *args, **kwargs):
        if active():  # `missing.Loss(...).to(device)`, `metric.persistent(True)` while the model builds
            package, dotted, used, where = self.__dict__["_reader_missing"]
            return _inert(package, f"{dotted}()", used, where)
        return super().__call__(*args, **kwargs)  # through the module hooks: the failing layer is named

    def forward(self, *args, **kwargs):
        self._missing()

    def __getitem__(self, item):
        package, dotted, used, where = self.__dict__["_reader_missing"]
        return _inert(package, f"{dotted}[]", used, where)

    def __bool__(self):  # `if self.metric:` asks whether it is there, not its length
        return True

    def extra_repr(self) -> str:
        return f"stood in for {self.__dict__['_reader_missing'][1]}"

    __iter__ = __len__ = __index__ = __int__ = __float__ = __neg__ = _missing
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __matmul__ = __rmatmul__ = _missing
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pow__ = __rpow__ = _missing
    __lt__ = __le__ = __gt__ = __ge__ = _missing
