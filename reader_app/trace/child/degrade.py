"""Imports that degrade instead of stopping, each degradation written down in one line.

- Module-level statements of the repository's files run one by one: a statement that fails (a demo at
  the bottom of a notebook export, `cv2.setNumThreads(0)` with cv2 missing, a dataset download) is
  skipped and listed, so the class definitions around it still load. A failing package `__init__`
  statement is skipped the same way, so its submodules still import. A definition that failed only for a
  missing package runs again softened, or its names get stand-ins (definitions.py).
- A statement that reads a submodule nobody imported (`import packaging` then `packaging.version.parse`,
  which worked while another library imported it) gets the submodule imported and runs once more.
- Aliases NumPy 2 removed (`np.float`, `np.int`, ...) and `torch._six` answer as they used to.
- CUDA requests (`.cuda()`, `device="cuda"`, `.to("cuda")`, the typed `torch.cuda.FloatTensor(...)`) go to the
  trace device, and so do the sizes given to the old `torch.Tensor(rows, cols)` constructor while a model builds
  on meta.
- Pretrained weights are never downloaded (weights.py).
"""
from __future__ import annotations

import ast
import builtins
import collections.abc
import copy
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import linecache
import math
import re
import sys
import types

from reader_app.trace.child import definitions, legacy_cuda_types

DEGRADED_HOOK = "__reader_degraded__"


class Degradations:
    """The one-line notes of everything the trace worked around, in order, without repeats.

    Attributes:
        lines: the notes.
        skips: the statements skipped, for the error when what they would have defined is missing.
        shorten: callable(path) -> the path relative to the repository root.
    """

    def __init__(self):
        self.lines: list[str] = []
        self.skips: list[tuple[str, int, BaseException]] = []  # (file, line, exception) of skipped statements
        self.shorten = lambda path: path

    def add(self, line: str) -> None:
        if line not in self.lines:
            self.lines.append(line)


NOTES = Degradations()


def _reason(exc: BaseException) -> str:
    package = getattr(exc, "package", None)
    if package:
        return f"the package '{package}' is not installed"
    if isinstance(exc, SystemExit):
        return f"it called sys.exit({exc.code})"
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:120]}" if text else type(exc).__name__


_UNLOADED_SUBMODULE = re.compile(r"^module '([\w.]+)' has no attribute '(\w+)'$")


def _submodule_loaded(exc: BaseException) -> str | None:
    """`import packaging` then `packaging.version.parse(...)`: code that relied on another library to
    import the submodule. Import it (when it exists) and return its name, so the statement runs again."""
    match = _UNLOADED_SUBMODULE.match(str(exc)) if isinstance(exc, AttributeError) else None
    if not match or match.group(1) not in sys.modules:
        return None
    name = f"{match.group(1)}.{match.group(2)}"
    try:
        if importlib.util.find_spec(name) is None:
            return None
        importlib.import_module(name)
    except Exception:  # not a submodule after all: the statement is skipped as any other
        return None
    return name


def _skipped(file: str, line: int, exc: BaseException, retry: bool = False, names: tuple = (),
             soft: bool = False) -> bool:
    """Notes a failed module statement; True when it is worth running again: a submodule was loaded, or
    a definition (`soft`) failed for a missing package and its softened copy may define it (soften())."""
    if retry:
        loaded = _submodule_loaded(exc)
        if loaded:
            NOTES.add(f"{NOTES.shorten(file)}:{line}: {loaded} imported (the code reads it without importing it)")
            return True
        if soft and definitions.missing(exc) is not None:
            return True
    NOTES.skips.append((file, line, exc))
    code = linecache.getline(file, line).strip()
    code = code if len(code) <= 60 else code[:59] + "…"
    stood_in = definitions.stand_in_names(sys._getframe(1).f_globals, names, exc)
    NOTES.add(f"{NOTES.shorten(file)}:{line}: `{code}` skipped ({_reason(exc)})"
              + (f"; {', '.join(stood_in)} stood in" if stood_in else ""))
    return False


def skipped_binding(name: str):
    """(file, line, exception) of the skipped module statement that would have defined `name`, or None:
    a NameError at build time whose real cause is an import that failed earlier."""
    for file, line, exc in NOTES.skips:
        try:
            tree = ast.parse("".join(linecache.getlines(file)), file)
        except (SyntaxError, ValueError):
            continue
        stmt = next((s for s in tree.body if s.lineno == line), None)
        if stmt is not None and name in _bound(stmt):
            return file, line, exc
    return None


def _bound(stmt: ast.stmt) -> set[str]:
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in stmt.names}
    if isinstance(stmt, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        return {stmt.name}
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
    return {n.id for t in targets if t is not None for n in ast.walk(t) if isinstance(n, ast.Name)}


def _binds(stmt: ast.stmt) -> tuple:
    """The names a definition binds (class, function, plain assignment), for stand-ins when it fails."""
    if isinstance(stmt, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef, ast.Assign, ast.AnnAssign)):
        return tuple(sorted(_bound(stmt)))
    return ()


def _handler(lineno: int, retry: bool, then: list, names: tuple = (), soft: bool = False) -> ast.ExceptHandler:
    call = ast.Call(ast.Name(DEGRADED_HOOK, ast.Load()),
                    [ast.Name("__file__", ast.Load()), ast.Constant(lineno), ast.Name("__reader_exc__", ast.Load()),
                     ast.Constant(retry), ast.Constant(names), ast.Constant(soft)], [])
    return ast.ExceptHandler(
        type=ast.Tuple([ast.Name("Exception", ast.Load()), ast.Name("SystemExit", ast.Load())], ast.Load()),
        name="__reader_exc__", body=[ast.If(call, then, [])] if then else [ast.Expr(call)])


def lenient(tree: ast.Module) -> ast.Module:
    """Each top-level statement (after `from __future__` imports) inside its own try/except; the branches of
    a top-level `if` too, so a failing statement in the taken branch (`dataset = CIFAR10(root=None)`) does not
    take the constants beside it (`nc = 3`) with it."""
    tree.body = _wrapped(list(tree.body), top=True)
    return ast.fix_missing_locations(tree)


def _wrapped(body: list[ast.stmt], top: bool = False) -> list[ast.stmt]:
    wrapped = []
    for index, stmt in enumerate(body):
        keep = top and (isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__" or (
            index == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)))
        if keep or isinstance(stmt, (ast.Global, ast.Nonlocal)):
            wrapped.append(stmt)
            continue
        if isinstance(stmt, ast.If):  # only the test itself can fail now: it skips the whole statement
            branches = ast.If(test=stmt.test, body=_wrapped(stmt.body) or [ast.Pass()], orelse=_wrapped(stmt.orelse))
            handler = _handler(stmt.lineno, False, [], ())
            wrapped.append(ast.copy_location(ast.Try(body=[ast.copy_location(branches, stmt)], handlers=[handler],
                                                     orelse=[], finalbody=[]), stmt))
            continue
        # try: stmt / except: if hook(retry=True): try: stmt / except: hook()  (one retry, see _skipped)
        names = _binds(stmt)
        soft = isinstance(stmt, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        again = ast.Try(body=[definitions.soften(stmt) if soft else copy.deepcopy(stmt)],
                        handlers=[_handler(stmt.lineno, False, [], names)], orelse=[], finalbody=[])
        handler = _handler(stmt.lineno, True, [again], names, soft)
        wrapped.append(ast.copy_location(ast.Try(body=[stmt], handlers=[handler], orelse=[], finalbody=[]), stmt))
    return wrapped


# ---- NumPy 2 and torch._six -----------------------------------------------------------------------
NUMPY_ALIASES = {"float": float, "int": int, "bool": bool, "object": object, "complex": complex, "str": str,
                 "long": int, "unicode": str}


def shim_numpy() -> None:
    """Removed NumPy aliases answer again (np.float -> float), noted when the code reads one."""
    numpy = sys.modules.get("numpy")
    if numpy is None:
        try:
            import numpy  # noqa: F401 - numpy may be absent: then there is nothing to shim
        except ImportError:
            return
    original = numpy.__dict__.get("__getattr__")

    def __getattr__(name):
        if name in NUMPY_ALIASES:
            NOTES.add(f"np.{name} (removed in NumPy 2) read as the builtin {NUMPY_ALIASES[name].__name__}")
            return NUMPY_ALIASES[name]
        if original is None:
            raise AttributeError(name)
        return original(name)

    numpy.__getattr__ = __getattr__


class _SixFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """`torch._six` (removed in torch 2.0) as the few names old code imports from it."""

    def find_spec(self, fullname, path=None, target=None):
        return importlib.machinery.ModuleSpec(fullname, self) if fullname == "torch._six" else None

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.string_classes = (str, bytes)
        module.int_classes = int
        module.inf, module.nan = math.inf, math.nan
        module.container_abcs = collections.abc
        module.PY3, module.PY37 = True, True
        NOTES.add("torch._six (removed in torch 2.0) stood in with its old names")
        return module

    def exec_module(self, module):
        return None


# ---- CUDA -> the trace device ---------------------------------------------------------------------
def _is_cuda(value) -> bool:
    import torch

    if isinstance(value, str):
        return value.startswith("cuda")
    return isinstance(value, torch.device) and value.type == "cuda"


def _is_cpu(value) -> bool:
    import torch

    return value == "cpu" if isinstance(value, str) else isinstance(value, torch.device) and value.type == "cpu"


def cuda_mode(device: str):
    """A torch function mode that sends every CUDA request to `device` (meta or cpu). On meta, a meta tensor
    asked onto the CPU stays where the model is: `nn.Parameter(torch.randn(...).to(self.device))` with the
    device chosen as "cpu" for want of CUDA would otherwise stop the build ("Cannot copy out of meta")."""
    import torch
    from torch.overrides import TorchFunctionMode

    class CudaToTraceDevice(TorchFunctionMode):
        def __enter__(self):  # the typed constructors (`torch.cuda.FloatTensor(n)`) make theirs on `device`
            legacy_cuda_types.DEVICES.append(device)
            return super().__enter__()

        def __exit__(self, *exc_info):
            legacy_cuda_types.DEVICES.pop()
            return super().__exit__(*exc_info)

        def __torch_function__(self, func, types_, args=(), kwargs=None):
            kwargs = kwargs or {}
            if func is torch.Tensor.type and args:
                made = legacy_cuda_types.converted(args, kwargs, device)
                if made is not None:
                    return made
            if device == "meta" and func in (torch.Tensor.to, torch.Tensor.cpu) and args and \
                    isinstance(args[0], torch.Tensor) and args[0].is_meta:
                if func is torch.Tensor.cpu:
                    return args[0]
                args = tuple("meta" if _is_cpu(a) else a for a in args)
                kwargs = {k: ("meta" if _is_cpu(v) else v) for k, v in kwargs.items()}
            if func is torch.Tensor.cuda:
                NOTES.add(f".cuda() ran on the trace device ({device})")
                return args[0].to(device)
            if any(_is_cuda(a) for a in args) or any(_is_cuda(v) for v in kwargs.values()):
                NOTES.add(f"a CUDA device request ran on the trace device ({device})")
                args = tuple(device if _is_cuda(a) else a for a in args)
                kwargs = {k: (device if _is_cuda(v) else v) for k, v in kwargs.items()}
            return func(*args, **kwargs)

    return CudaToTraceDevice()


def legacy_sizes_on(device: str):
    """A context in which `torch.Tensor(rows, cols)`, the old constructor that ignores the default device
    (`nn.Parameter(torch.Tensor(out, in))` in older layers and in model-parallel libraries), makes its
    uninitialised tensor on the trace device: on meta, a large model then builds without its memory."""
    import contextlib

    import torch

    if device != "meta" or "__new__" in vars(torch.Tensor):
        return contextlib.nullcontext()
    base = torch._C.TensorBase.__new__

    def __new__(*args, **kwargs):  # a wildcard signature: torch._dynamo checks Tensor.__new__ against its own
        cls, sizes = args[0], args[1:]
        if cls is torch.Tensor and sizes and not kwargs and all(type(a) is int for a in sizes):
            return torch.empty(*sizes, device=device)
        return base(*args, **kwargs)

    @contextlib.contextmanager
    def sizes_on_device():
        torch.Tensor.__new__ = __new__
        try:
            yield
        finally:
            del torch.Tensor.__new__

    return sizes_on_device()


def install() -> None:
    """Shims and the statement hook; called once in the child before the repository is imported."""
    from reader_app.trace.child import weights

    from reader_app.trace.child import script_args

    setattr(builtins, DEGRADED_HOOK, _skipped)
    definitions.install()
    script_args.install()
    shim_numpy()
    legacy_cuda_types.install(NOTES.add)
    weights.install(NOTES)
    if not any(isinstance(f, _SixFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _SixFinder())
