"""Old-style TorchScript models traced as the plain Python they are written in.

Research code of 2018-2020 subclasses `torch.jit.ScriptModule` and decorates forward with `@jit.script_method`
(with `__constants__ = [...]`), compiles helpers with `@torch.jit.script`, and builds `torch.jit.script(Model())`
or `torch.jit.trace(model, example)` at module level. Compiled, such a model hides what the trace needs: its
submodules become RecursiveScriptModules that refuse forward hooks ("register_forward_hook is not supported on
ScriptModules"), its forward runs in the TorchScript interpreter where no line probe sees it, and compiling it
while it builds on the meta device can fail outright. So the child does for the repository's code what
PYTORCH_JIT=0 does for a whole process (torch reads that variable once, when it is imported, and the warm child
has imported it already): before the repository is imported, `torch.jit.ScriptModule` becomes a plain nn.Module
base and `script_method` hands back its function; `script`, `trace`, `trace_module`, `freeze` and
`optimize_for_inference` called from the repository's own files hand back what they were given. Libraries keep
their compiled helpers (their calls go to torch's own functions). Every use is remembered and reported as one
degradation line: the layers are the same Python, so the shapes are the same.
"""
from __future__ import annotations

import sys

_USES: list[tuple[str, int, str]] = []  # (file, line, what), in the order the repository used TorchScript
_KEYWORDS = ("obj", "func", "mod")  # the first parameter's name in script / trace / trace_module and freeze


def _remember(frame, what: str) -> None:
    use = (frame.f_code.co_filename, frame.f_lineno, what)
    if use not in _USES:
        _USES.append(use)


def degraded(shorten) -> list[str]:
    """The degradation line of the TorchScript the repository used (none when it used none).

    Args:
        shorten: callable(path) -> the path relative to the repository root.
    """
    if not _USES:
        return []
    uses = [f"{shorten(file)}:{line} {what}" for file, line, what in _USES]
    shown = ", ".join(uses[:3]) + (f" and {len(uses) - 3} more" if len(uses) > 3 else "")
    return [f"TorchScript compiled as plain Python for the trace: shapes are the same ({shown})"]


def _plain_base(torch, files):
    """The stand-in for torch.jit.ScriptModule: an nn.Module that remembers who subclassed it."""
    attribute = getattr(torch.jit, "Attribute", None)
    attribute = attribute if isinstance(attribute, type) else None

    class ScriptModule(torch.nn.Module):
        """torch.jit.ScriptModule as plain Python (plain_torchscript.py): forward hooks and line probes work."""

        def __init_subclass__(cls, **kwargs):
            super().__init_subclass__(**kwargs)
            frame = sys._getframe(1)  # the statement `class X(jit.ScriptModule):` (type.__new__ is C)
            if frame.f_code.co_filename in files:
                _remember(frame, f"{cls.__name__}(torch.jit.ScriptModule)")

        def __init__(self, *args, **kwargs):  # torch's own takes nothing; old code passes nothing either
            super().__init__()

        def __setattr__(self, name, value):
            # `self.n = torch.jit.Attribute(0, int)` declares a typed attribute: the value is what the code reads
            if attribute is not None and isinstance(value, attribute):
                value = value.value
            super().__setattr__(name, value)

        def define(self, source):  # a method given as TorchScript source text: nothing plain Python can run
            raise RuntimeError("ScriptModule.define() source is TorchScript only; the trace runs plain Python")

    ScriptModule.__module__ = "torch.jit"
    ScriptModule.__reader_plain__ = True
    return ScriptModule


def _passed_through(original, files, what: str):
    """`original` for libraries; for a call from the repository's files, its first argument unchanged."""

    def call(*args, **kwargs):
        frame = sys._getframe(1)
        given = args[0] if args else next((kwargs[k] for k in _KEYWORDS if k in kwargs), None)
        if given is None or frame.f_code.co_filename not in files:
            return original(*args, **kwargs)
        _remember(frame, f"torch.jit.{what}({getattr(given, '__name__', type(given).__name__)})")
        return given

    call.__name__ = call.__qualname__ = what
    call.__doc__ = f"torch.jit.{what}, plain Python for the repository's code (plain_torchscript.py)"
    call.__wrapped__ = original
    return call


def _script_method(fn):
    """jit.script_method on the stand-in base: the method itself (its class, remembered, is plain Python)."""
    return fn


def install(files) -> None:
    """The stand-ins in torch.jit (once per child, before the repository is imported).

    Args:
        files: a container of filenames that are the repository's own (capture.RepoFiles).
    """
    import torch
    import torch.jit

    if getattr(torch.jit.ScriptModule, "__reader_plain__", False):
        return  # installed already
    torch.jit.ScriptModule = _plain_base(torch, files)
    torch.jit.script_method = _script_method
    for name in ("script", "trace", "trace_module", "freeze", "optimize_for_inference"):
        original = getattr(torch.jit, name, None)
        if original is not None:
            setattr(torch.jit, name, _passed_through(original, files, name))
