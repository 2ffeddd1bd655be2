"""Lightning's module base stood in when Lightning is not installed: a repository whose model is a
`LightningModule` keeps its layers in `__init__` and its data flow in `forward`, and Lightning's module API
over nn.Module is thin. The stand-in is an nn.Module that answers what a constructor and a forward use:
`save_hyperparameters()` fills `hparams` from the constructor's arguments, `log`/`log_dict` say nothing,
`device`/`dtype` follow the weights, `example_input_array` is kept (the trace feeds it, see own_example.py),
and `load_from_checkpoint` builds the architecture only. Training hooks are never run.
"""
from __future__ import annotations

import argparse
import inspect
import re
import types

from reader_app.trace.child import degrade

# "pytorch_lightning.LightningModule", "lightning.pytorch.core.module.LightningModule", "lightning.LightningModule"
LIGHTNING_MODULE = re.compile(r"^(pytorch_lightning|lightning)(\.[\w.]+)?\.LightningModule$")
HYPERPARAMETERS_MIXIN = re.compile(r"^(pytorch_lightning|lightning)(\.[\w.]+)?\.HyperparametersMixin$")
PACKAGES = ("pytorch_lightning", "lightning")


class AttributeDict(dict):
    """Lightning's hparams: a dict whose keys read and write as attributes."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value):
        self[name] = value


def _as_dict(value) -> AttributeDict:
    """hparams given whole (a dict, an argparse Namespace, an OmegaConf-like mapping) as an AttributeDict."""
    if isinstance(value, argparse.Namespace):
        value = vars(value)
    try:
        return AttributeDict(dict(value))
    except (TypeError, ValueError):
        return AttributeDict(vars(value)) if hasattr(value, "__dict__") else AttributeDict()


def _init_arguments(frame, obj) -> dict:
    """The arguments of the `__init__` frames building `obj`, innermost first, then its base classes' (as
    Lightning collects them): parameter name -> value, `**kwargs` merged in, `self` and `*args` left out."""
    found: dict = {}
    while isinstance(frame, types.FrameType) and frame.f_code.co_name == "__init__":
        code, local = frame.f_code, frame.f_locals
        count = code.co_argcount + code.co_kwonlyargcount
        names = code.co_varnames[:count]
        if not names or local.get(names[0]) is not obj:
            break
        values = {n: local[n] for n in names[1:] if n in local}
        extra = count + (1 if code.co_flags & inspect.CO_VARARGS else 0)
        if code.co_flags & inspect.CO_VARKEYWORDS and isinstance(local.get(code.co_varnames[extra]), dict):
            values.update(local[code.co_varnames[extra]])
        found.update(values)
        frame = frame.f_back
    return found


class HyperparametersMixin:
    """save_hyperparameters() and hparams, as Lightning's mixin gives any class."""

    def save_hyperparameters(self, *args, ignore=None, frame=None, logger=True):
        if len(args) == 1 and not isinstance(args[0], str):  # hparams handed over whole
            values = _as_dict(args[0])
        else:
            every = _init_arguments(frame or inspect.currentframe().f_back, self)
            values = AttributeDict({k: every[k] for k in args if k in every} if args else every)
        for name in [ignore] if isinstance(ignore, str) else ignore or ():
            values.pop(name, None)
        object.__setattr__(self, "_hparams", values)
        object.__setattr__(self, "_hparams_initial", AttributeDict(values))

    @property
    def hparams(self) -> AttributeDict:
        if "_hparams" not in self.__dict__:
            object.__setattr__(self, "_hparams", AttributeDict())
        return self.__dict__["_hparams"]

    @hparams.setter
    def hparams(self, value):  # `self.hparams = hparams` (older Lightning let a model set them)
        object.__setattr__(self, "_hparams", _as_dict(value))

    @property
    def hparams_initial(self) -> AttributeDict:
        return AttributeDict(self.__dict__.get("_hparams_initial") or self.hparams)


def _parameter(model, kind: str):
    import torch

    first = next(iter(model.parameters()), None)
    first = first if first is not None else next(iter(model.buffers()), None)
    return getattr(first, kind) if first is not None else getattr(torch.empty(0), kind)


def lightning_module(package: str, dotted: str) -> type:
    """The stand-in LightningModule: an nn.Module with Lightning's module API and no training loop."""
    import torch.nn as nn

    def __init__(self, *args, **kwargs):
        nn.Module.__init__(self)
        degrade.NOTES.add(f"package '{package}' missing: {type(self).__name__}'s base class LightningModule stood "
                          f"in (an nn.Module with its hparams, log and device); training hooks not run")

    def freeze(self):
        for param in self.parameters():
            param.requires_grad = False
        self.eval()

    def unfreeze(self):
        for param in self.parameters():
            param.requires_grad = True
        self.train()

    def load_from_checkpoint(cls, checkpoint_path=None, *args, map_location=None, hparams_file=None, strict=None,
                             **kwargs):
        degrade.NOTES.add(f"{cls.__name__}.load_from_checkpoint built the architecture only (Lightning is "
                          f"missing; no checkpoint read)")
        return cls(**kwargs)

    nothing = lambda self, *args, **kwargs: None  # noqa: E731
    namespace = {
        "__init__": __init__, "__module__": dotted.rsplit(".", 1)[0], "__reader_lightning__": package,
        "__reader_stand_in__": True,
        "example_input_array": None, "trainer": None, "logger": None, "loggers": (), "current_epoch": 0,
        "global_step": 0, "global_rank": 0, "local_rank": 0, "on_gpu": False, "automatic_optimization": True,
        "log": nothing, "log_dict": nothing, "print": nothing, "freeze": freeze, "unfreeze": unfreeze,
        "all_gather": lambda self, data, *args, **kwargs: data,
        "load_from_checkpoint": classmethod(load_from_checkpoint),
        "device": property(lambda self: _parameter(self, "device")),
        "dtype": property(lambda self: _parameter(self, "dtype")),
    }
    return type("LightningModule", (HyperparametersMixin, nn.Module), namespace)


def known(package: str, dotted: str, cached) -> type | None:
    """The stand-in for Lightning's `dotted` when it is one the app knows, else None."""
    if package not in PACKAGES:
        return None
    if LIGHTNING_MODULE.match(dotted):
        return cached(f"{package}.LightningModule", lambda: lightning_module(package, dotted))
    if HYPERPARAMETERS_MIXIN.match(dotted):
        return HyperparametersMixin
    return None
