"""Stand-ins for the packages a repository imports but the environment lacks (model_file.py imports the file).

Imports of packages that are not installed do not stop the import: they yield placeholder modules
that raise `MissingDependency` when the traced code actually uses them, so an import needed only by
training code (wandb, tensorboard) does not matter, and one the model needs is named in the error.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.metadata
import importlib.util
import os
import re
import sys
import types

from reader_app.repo.requirement_lines import DISTRIBUTIONS
from reader_app.trace.child import inert
from reader_app.trace.child.importers import classify, fallback_flag, find_caller, find_importer, guarded


# A repository's venv may run an older Python than 3.10, which lacks sys.stdlib_module_names.
STDLIB = getattr(sys, "stdlib_module_names", frozenset(sys.builtin_module_names))
OWN_PACKAGE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__)))), "")


class MissingDependency(ImportError):
    """The model's code used a package that is not installed in the tracing interpreter.

    Attributes:
        package: the top-level package name.
        used: what the code used from it ("calls ultralytics.utils.ops.make_divisible"), or "".
    """

    def __init__(self, package: str, used: str = ""):
        super().__init__(f"the model's code needs the package '{package}', which is not installed "
                         f"in this Python" + (f" (it {used})" if used else ""))
        self.package, self.used = package, used


class _Placeholder:
    """Stands for anything taken from a missing package; raises as soon as it is really used.

    Attributes:
        _package: the missing package; _dotted: the name the code reached for.
    """

    def __init__(self, package: str, dotted: str):
        object.__setattr__(self, "_package", package)
        object.__setattr__(self, "_dotted", dotted)

    def __getattr__(self, name):
        if name in DUNDER_ANSWERS:
            return DUNDER_ANSWERS[name]
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        from reader_app.trace.child import model_parallel

        # `from megatron import mpu` then `mpu.ColumnParallelLinear`: a submodule read as an attribute
        single = model_parallel.stand_in(self._package, f"{self._dotted}.{name}")
        return single if single is not None else _Placeholder(self._package, f"{self._dotted}.{name}")

    def __call__(self, *args, **kwargs):
        last = self._dotted.rsplit(".", 1)[-1]
        if last in LOGGING_CALLS:  # LOGGER.info(...) from a missing package: say nothing
            return None
        if last in LOGGER_FACTORIES:  # LOG = missing.getLogger(__name__): a logger that says nothing
            return _Placeholder(self._package, f"{self._dotted}()")
        if _library_module_level(sys._getframe(1)):  # `cv2.setNumThreads(0)` as a library loads: a setting
            return _Placeholder(self._package, f"{self._dotted}()")
        used = f"{'builds' if last[:1].isupper() else 'calls'} {self._dotted}"
        if inert.active() and not _caught_above(sys._getframe(1)):  # a metric or loss built for training in
            # __init__: it raises only when forward uses it
            return inert.stand_in(self._package, self._dotted, used, _repo_line(sys._getframe(1)))
        raise MissingDependency(self._package, used)

    def _as_number(self, *args):
        """`nn.Conv2d(3, missing.WIDTH, 3)`, `missing.WIDTH * 2`: a value the model needs from the package,
        named as such rather than as a TypeError about a placeholder."""
        _raise(MissingDependency(self._package, f"uses {self._dotted} as a number"))

    __index__ = __int__ = __float__ = __neg__ = _as_number
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _as_number
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pow__ = __rpow__ = _as_number

    def __or__(self, other):  # `Image.Image | None` in an annotation evaluated at import
        return self

    __ror__ = __or__

    def __getitem__(self, item):  # `Union[str, List[str]]` from beartype.typing, jaxtyping's `Float[Tensor, "b n"]`
        return self

    def __iter__(self):  # without it, `for tag in ExifTags.TAGS` would iterate through __getitem__ forever
        raise MissingDependency(self._package, f"iterates over {self._dotted}")

    def __instancecheck__(self, obj):  # `isinstance(norm, InPlaceABN)`: nothing is made by a missing package
        return False

    def __subclasscheck__(self, cls):
        return False

    def __mro_entries__(self, bases):
        # `class Normalize(torchvision.transforms.Normalize)`: the class is defined; using it names the package.
        from reader_app.trace.child.library_stand_ins import known_base

        return (known_base(self._package, self._dotted) or stand_in_class(self._package, self._dotted),)


# The last error a placeholder raised: torch's argument parser swallows it from `__index__` and says only
# "must be tuple of ints, but got Unavailable" (failure.find_missing reads it back).
LAST_RAISED: list = [None]


def _raise(error: MissingDependency):
    LAST_RAISED[0] = error
    raise error


class Unavailable(_Placeholder):
    """Stands for a name of the repository whose definition failed only because a package is missing
    (`@beartype def f`, a default computed by the missing package): `from .sibling import f` works, and
    using it raises the package's error with what the definition needed from it.

    Attributes:
        _used: what the definition used from the package ("calls transformers.T5Config.from_pretrained").
    """

    def __init__(self, package: str, dotted: str, used: str):
        super().__init__(package, dotted)
        object.__setattr__(self, "_used", used)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return Unavailable(self._package, f"{self._dotted}.{name}", self._used)

    def _as_number(self, *args):
        _raise(MissingDependency(self._package, f"uses {self._dotted}, which {self._used}"))

    __call__ = __getitem__ = __iter__ = _as_number
    __index__ = __int__ = __float__ = __neg__ = _as_number
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _as_number
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pow__ = __rpow__ = _as_number

    def __mro_entries__(self, bases):
        return (stand_in_class(self._package, self._dotted, f"builds a subclass of {self._dotted}, which "
                                                            f"{self._used}"),)


class _PlaceholderModule(types.ModuleType):
    """A module object for a missing package: its attributes are placeholders.

    Attributes:
        _package: the missing top-level package.
    """

    def __init__(self, name: str, package: str):
        super().__init__(name)
        self.__path__ = []  # lets `import missing.sub` resolve through the finder below
        self._package = package

    def __getattr__(self, name):
        if name in DUNDER_ANSWERS:
            return DUNDER_ANSWERS[name]
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        from reader_app.trace.child.library_stand_ins import known_value

        known = known_value(self._package, f"{self.__name__}.{name}")
        return known if known is not None else _Placeholder(self._package, f"{self.__name__}.{name}")


LOGGER_FACTORIES = {"getLogger", "get_logger", "getChild"}
LOGGING_CALLS = {"info", "debug", "warning", "warn", "error", "critical", "exception", "log", "print"}

# What import-time code reads from a package before using it: a version check must pass.
DUNDER_ANSWERS = {"__version__": "999.0.0", "__all__": [], "__author__": "", "__license__": ""}


def stand_in_class(package: str, dotted: str, used: str = "") -> type:
    """A base class for a class that extends a missing package's class: defining it works, building it
    names the package. It takes the arguments the missing class's `__new__` would have (a mixin such as
    huggingface_hub's ModelHubMixin swallows them), so a subclass with a `__new__` of its own that passes
    them on (`super().__new__(cls, *args, **kwargs)`) still reaches its `__init__`."""
    used = used or f"builds a subclass of {dotted}"

    def __init__(self, *args, **kwargs):
        following = super(stand_in, self).__init__
        mro = type(self).__mro__
        after = mro[mro.index(stand_in) + 1:]
        module_base = getattr(sys.modules.get("torch.nn"), "Module", None)
        if module_base is None or not any(c is module_base for c in after):
            raise MissingDependency(package, used)  # the missing class is what builds the model
        # A mixin beside a real base (`class Net(HubMixin, nn.Module)`): the mixin adds saving and loading;
        # construction goes on to the next base, as the mixin's own __init__ would let it.
        from reader_app.trace.child.degrade import NOTES

        NOTES.add(f"package '{package}' missing: the mixin {dotted} left out of {type(self).__name__}")
        following(*args, **kwargs)

    def __new__(cls, *args, **kwargs):
        following = super(stand_in, cls).__new__
        return following(cls) if following is object.__new__ else following(cls, *args, **kwargs)

    def __init_subclass__(cls, **kwargs):  # `class Model(Mixin, library_name="x")`: the library's options
        super(stand_in, cls).__init_subclass__()

    stand_in = type(dotted.rsplit(".", 1)[-1], (), {
        "__init__": __init__, "__new__": __new__, "__init_subclass__": classmethod(__init_subclass__),
        "__module__": dotted.rsplit(".", 1)[0], "__reader_missing__": package})
    return stand_in


class MissingPackageFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Last on sys.meta_path: whatever no other finder found becomes a placeholder module when the
    repository's code imports it, or when a library the model uses imports it without a fallback of
    its own (see importers.py).

    Attributes:
        missing: top-level package names that were imported but are not installed.
        by_libraries: package -> the libraries that imported it ("torchvision" -> ["timm"]).
        by_repo: the packages the repository's own code imported.
        declined: packages left to fail because the code's handler sets an availability flag to False
            (importers.fallback_flag): package -> (file, line, flag).
        local_roots: the repository's folders; only imports written there get placeholders.
    """

    def __init__(self, local_roots: list[str]):
        self.missing: list[str] = []
        self.by_libraries: dict[str, list[str]] = {}
        self.by_repo: set[str] = set()
        self.declined: dict[str, tuple[str, int, str]] = {}  # package -> (file, line, flag) of a flagged fallback
        self.local_roots = tuple(os.path.join(os.path.realpath(r), "") for r in local_roots)

    def find_spec(self, fullname, path=None, target=None):
        top = fullname.split(".")[0]
        if top in STDLIB or top in {"torch", "reader_app"}:
            return None
        importer = find_importer(sys._getframe(1), self.local_roots, OWN_PACKAGE)
        if importer is None:  # importlib.util.find_spec: the answer is "not installed"
            return None
        if importer.kind == "repo":
            if self._own_package(top) and fullname != top:
                # `from pkg.base import Model` where pkg.base lacks Model: Python tries it as a submodule. A
                # name the repository's own package failed to define is no missing package.
                return None
            # `try: from torchvision.models.utils import ... / except ImportError: <fallback>`: a submodule
            # the installed release no longer has, and the repository's own way around it
            if not _absent(top, fullname) and guarded(importer.file, importer.line):
                return None
            flag = fallback_flag(importer.file, importer.line)
            if flag and top not in self.missing:  # `except ImportError: HAS_X = False`: its own way without it
                self.declined.setdefault(top, (importer.file, importer.line, flag))
                return None
            self.by_repo.add(top)
        elif importer.kind == "library" and _absent(top, fullname):
            libraries = self.by_libraries.setdefault(top, [])
            if importer.library not in libraries:
                libraries.append(importer.library)
        elif top not in self.missing:
            return None
        if top not in self.missing:
            self.missing.append(top)
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def _own_package(self, top: str) -> bool:
        """Whether `top` is a package of the repository itself, already imported from its folders."""
        module = sys.modules.get(top)
        if module is None or isinstance(module, _PlaceholderModule):
            return False
        places = [getattr(module, "__file__", None) or "", *list(getattr(module, "__path__", None) or [])]
        return any(p and os.path.join(os.path.realpath(p), "").startswith(self.local_roots) for p in places)

    def find_distributions(self, context=None):
        """`importlib.metadata.version("torchvision")` for a package stood in for answers as an install
        of any version would: libraries read it at import (a version check), after the import itself."""
        name = getattr(context, "name", None)
        if not name:
            return iter(())
        wanted = _pep503(name)
        for top in self.missing:
            if wanted in {_pep503(top), *(_pep503(d) for d in DISTRIBUTIONS.get(top, ()))}:
                return iter([_StandInDistribution(name)])
        # A library reading the version of a package that is not installed, before importing it
        # (`TORCHVISION_VERSION = importlib.metadata.version("torchvision")`), with no fallback.
        caller = find_caller(sys._getframe(1), self.local_roots, OWN_PACKAGE)
        top = _import_name(name)
        if caller is None or caller.kind != "library" or not top or top in {"torch", "reader_app"} or \
                importlib.util.find_spec(top) is not None:
            return iter(())
        self.missing.append(top)
        self.by_libraries.setdefault(top, []).append(caller.library)
        return iter([_StandInDistribution(name)])

    def create_module(self, spec):
        return _PlaceholderModule(spec.name, spec.name.split(".")[0])

    def exec_module(self, module):
        return None


def _library_module_level(frame) -> bool:
    """Whether `frame` runs an installed library's module body (settings it applies while it loads)."""
    if frame is None or frame.f_code.co_name != "<module>":
        return False
    finder = next((f for f in sys.meta_path if isinstance(f, MissingPackageFinder)), None)
    roots = finder.local_roots if finder else ()
    caller = find_caller(frame, roots, OWN_PACKAGE)
    return caller is not None and caller.kind in ("library", "guarded")


def _caught_above(frame) -> bool:
    """Whether the repository's or a library's code above `frame` lets the call fail (`try: self.norm =
    missing.FusedNorm(d) / except ImportError: self.norm = nn.LayerNorm(d)`): it has its own way around."""
    finder = next((f for f in sys.meta_path if isinstance(f, MissingPackageFinder)), None)
    roots = finder.local_roots if finder else ()
    while frame is not None:
        caller = classify(frame.f_code.co_filename, frame.f_lineno or 0, roots, OWN_PACKAGE)
        if caller.kind == "guarded" or caller.kind == "repo" and guarded(caller.file, caller.line):
            return True
        if caller.file.startswith(OWN_PACKAGE):  # the tracer's own frames: above them is no model code
            return False
        frame = frame.f_back
    return False


def _repo_line(frame) -> tuple[str, int] | None:
    """(file, line) of the innermost frame from `frame` up that runs the repository's own code."""
    finder = next((f for f in sys.meta_path if isinstance(f, MissingPackageFinder)), None)
    roots = finder.local_roots if finder else ()
    while frame is not None:
        caller = classify(frame.f_code.co_filename, frame.f_lineno or 0, roots, OWN_PACKAGE)
        if caller.kind == "repo":
            return caller.file, caller.line
        frame = frame.f_back
    return None


def _import_name(distribution: str) -> str:
    """The import name of a pip project ("opencv-python" -> "cv2", "torchvision" -> "torchvision")."""
    wanted = _pep503(distribution)
    for top, names in DISTRIBUTIONS.items():
        if wanted in (_pep503(n) for n in names):
            return top.split(".")[0]
    return wanted.replace("-", "_") if wanted.replace("-", "_").isidentifier() else ""


def _pep503(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class _StandInDistribution(importlib.metadata.Distribution):
    """The metadata of a package stood in for: its name and the version placeholders answer with.

    Attributes:
        _name: the distribution name asked for.
    """

    def __init__(self, name: str):
        self._name = name

    def read_text(self, filename):
        if filename in ("METADATA", "PKG-INFO"):
            return f"Metadata-Version: 2.1\nName: {self._name}\nVersion: {DUNDER_ANSWERS['__version__']}\n"
        return None

    def locate_file(self, path):
        return path


def _absent(top: str, fullname: str) -> bool:
    """A library's import of `fullname` is stood in for only when its whole package is missing: a
    submodule an installed package lacks is that library's own version problem, not ours to hide."""
    loaded = sys.modules.get(top)
    return fullname == top or loaded is None or isinstance(loaded, _PlaceholderModule)


