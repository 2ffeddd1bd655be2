"""The constructor arguments a factory function computed for the model, recorded while it runs.

A factory (`create_model(image_size=64, attention_resolutions="16,8")`) turns the values the repository states
into the model's own arguments with code of its own (`attention_resolutions=(4, 8)`, `channel_mult=(1, 2, 3, 4)`):
the reader wants those, as the model received them, not only the factory's inputs.
"""
from __future__ import annotations

import inspect
from contextlib import contextmanager


@contextmanager
def recording(cls, into: dict):
    """While inside, the first construction of exactly `cls` stores its bound arguments (defaults applied) in `into`."""
    own = cls.__dict__.get("__init__")
    init = cls.__init__

    def record(self, *args, **kwargs):
        if not into and type(self) is cls:
            try:
                bound = inspect.signature(init).bind(self, *args, **kwargs)
                bound.apply_defaults()
                params = bound.signature.parameters
                open_kinds = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
                into.update((k, v) for k, v in list(bound.arguments.items())[1:]  # without `self`, nor an empty
                            if params[k].kind not in open_kinds or v)  # `**kwargs` the call filled with nothing
            except (TypeError, ValueError):  # a signature inspect cannot read: nothing recorded
                pass
        return init(self, *args, **kwargs)

    try:
        cls.__init__ = record
    except (TypeError, AttributeError):  # a built-in or extension type: built unrecorded
        yield
        return
    try:
        yield
    finally:
        if own is None:
            del cls.__init__
        else:
            cls.__init__ = own
