"""What a construction plan is made of: the recipe that builds the model, values made only at build time
(Deferred), the error that says which argument is missing, and the JSON picture of a value."""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field

from reader_app.trace.child.stated_parts import call_with_parts


class Deferred:
    """A value made only when the model is built, on the build's device: a sub-module argument
    (Seq2Seq(encoder, decoder)) or the device itself.

    Attributes:
        make: callable(device) -> value.
        label: how the args report shows it.
    """

    def __init__(self, make, label: str):
        self.make, self.label = make, label

    def __repr__(self):
        return self.label


def realize(value, device: str):
    return value.make(device) if isinstance(value, Deferred) else value


class ConstructionError(Exception):
    """The class could not be built without configuration; the message says which argument.

    Attributes:
        where: "README.md:131" when the README hands the argument over without building it (the message is then
            a sentence of its own, as a part's is), else "".
        location: (file, line) of the repository line the message is about, or None.
    """

    def __init__(self, message: str, where: str = "", location: tuple[str, int] | None = None):
        super().__init__(message)
        self.where = where
        self.location = location


@dataclass
class Recipe:
    """How the model was built, so it can be built again on another device.

    Attributes:
        target: the class or factory function called.
        kwargs: the keyword arguments passed.
        args: flat name -> value of everything used (parameters and config fields), for the report.
        unused: override names that matched nothing.
        blind: arguments given 16 only because nothing was known about them.
        optional_parts: argument -> its default, for the parts the repository builds and hands to an argument
            that has one: when the part cannot be built here, the default is used (see `build`).
        replaced: the parts the script sets on the model after building it (values_replaced.Replacements), made
            after each build (replaced_parts.py); None when it sets none.
        root: the repository root those parts' classes are imported from.
        hub: whether `target` is a torch.hub entry point of hubconf.py (named at `chosen_by`).
        applied: what the last build did with them, one sentence each, for the result.
    """

    target: object
    kwargs: dict
    args: dict = field(default_factory=dict)
    unused: list = field(default_factory=list)
    blind: list = field(default_factory=list)
    sources: dict = field(default_factory=dict)
    chosen_by: str | None = None
    optional_parts: dict = field(default_factory=dict)
    builds: type | None = None  # for a factory function: the model class it returns
    made_with: dict = field(default_factory=dict)  # the arguments the factory built `builds` with
    replaced: object = None
    root: str = ""
    applied: list = field(default_factory=list)
    hub: bool = False  # a hubconf.py entry point the examples load: it must return `builds` (hub_entries.check)
    ties: dict = field(default_factory=dict)  # argument -> marker: it is an input's axis (values_shape_ties.py)

    def provenance(self) -> dict:
        """name -> {"value": ..., "from": "README.md:42" | "default" | "guess" | "--arg"}."""
        return {name: {"value": value, "from": self.sources.get(name, "default")}
                for name, value in self.args.items()}

    def model_args(self) -> dict:
        """The values the model was built with: for a factory, the class's own arguments its code made (the
        image size a registered `LeViT_256()` leaves at the class default), under the factory's stated ones."""
        return {**self.made_with, **self.args}

    def build(self, device: str = "cpu"):
        if self.builds is not None and self.builds is not self.target:
            from reader_app.trace.child.made_with import recording
            self.made_with.clear()
            with recording(self.builds, self.made_with):
                model = self._call(device)
            if self.hub:
                from reader_app.trace.child.hub_entries import check
                check(model, self.target.__name__, self.builds)
        else:
            model = self._call(device)
        if self.replaced is not None:  # `model.head = Head(...)` after the script's build: made here too
            from reader_app.trace.child.replaced_parts import apply
            self.applied = apply(model, self, device)
        return model

    def _call(self, device: str):
        return call_with_parts(self.target, {k: (lambda v=v: realize(v, device)) for k, v in self.kwargs.items()},
                               self.optional_parts, self.args, self.sources, plain)


def plain(value):
    """A JSON-friendly picture of a value for the args report."""
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, (bool, int, float, str)) for v in value):
        return list(value)
    if isinstance(value, (list, tuple)) and len(value) <= 16:
        return [plain(v) for v in value]
    if isinstance(value, dict) and len(value) <= 32 and all(isinstance(k, str) for k in value):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, Deferred):
        return value.label
    if inspect.isclass(value) or callable(value):
        return getattr(value, "__name__", repr(value))
    return repr(value)[:80]
