"""The repository's Python parsed once: per-file import tables, classes, functions and name resolution.

Resolution turns a name as written (`nn.Module`, `Block`, `models.Detector`) into a dotted path
(`torch.nn.Module`, `model.Block`, `models.detector.Detector`) by following the file's imports,
relative imports, star imports and package re-exports, all from the AST.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

from reader_app.pyparse import statements
from reader_app.repo.node_fields import child_field_table, child_fields
from reader_app.repo.walk import SourceFile

SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)

# External base classes that make a class an nn.Module (torch.nn.* capitalised names are handled apart).
EXTERNAL_MODULE_BASES = {
    "pytorch_lightning.LightningModule", "pytorch_lightning.core.LightningModule",
    "lightning.LightningModule", "lightning.pytorch.LightningModule", "lightning.pytorch.core.LightningModule",
    "transformers.PreTrainedModel", "transformers.modeling_utils.PreTrainedModel",
    "torch_geometric.nn.MessagePassing", "torch.jit.ScriptModule", "timm.models.VisionTransformer",
}
NOT_MODULES = {"Parameter", "ParameterList", "ParameterDict", "Buffer"}
# Packages whose capitalised classes are nn.Modules (torchvision's ResNet, StochasticDepth, FasterRCNN),
# apart from their pretrained-weights enums (ResNet50_Weights).
_MODULE_CLASS_PACKAGES = ("torchvision.models.", "torchvision.ops.")
_NOT_LAYER_PACKAGES = ("torch.nn.functional", "torch.nn.init", "torch.nn.utils", "torch.nn.parameter")


def is_torch_nn_class(path: str) -> bool:
    """True for `torch.nn.Linear`, `torch.nn.modules.conv.Conv2d`, ...: torch's own module classes."""
    if not path.startswith("torch.nn.") or path.startswith(_NOT_LAYER_PACKAGES):
        return False
    last = path.rsplit(".", 1)[-1]
    return last[:1].isupper() and last not in NOT_MODULES


@dataclass
class ParsedFile:
    """One parsed Python source and its module-level names.

    Attributes:
        source: the file as listed.
        tree: its AST.
        module: dotted module name from the root (`models.backbone`; a package's `__init__` is the package).
        imports: local name -> dotted path it stands for.
        star_imports: modules imported with `*`.
        classes: top-level class name -> node.
        functions: top-level function name -> node.
        aliases: top-level `Name = other.name` assignments, name -> value node.
        registries: top-level dicts, lists and tuples (`MODELS = {"unet": UNet}`), name -> value node.
        branch_imports: a name imported in blocks to different paths (`if t == 'CDC': from m import NetCDC as Net`
            `elif t == 'HG': from m import NetHG as Net`), name -> [(dotted path, the import)].
        lines: the source split in lines (for segments).
    """

    source: SourceFile
    tree: ast.Module
    module: str
    imports: dict[str, str] = field(default_factory=dict)
    star_imports: list[str] = field(default_factory=list)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    functions: dict[str, ast.FunctionDef] = field(default_factory=dict)
    aliases: dict[str, ast.expr] = field(default_factory=dict)
    registries: dict[str, ast.expr] = field(default_factory=dict)
    branch_imports: dict[str, list[tuple[str, ast.ImportFrom]]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    _scopes: dict[int, list[ast.AST]] | None = field(default=None, repr=False)
    _subscopes: dict[int, list[ast.AST]] = field(default_factory=dict, repr=False)
    _functions: list[ast.FunctionDef] = field(default_factory=list, repr=False)

    def _build_scopes(self) -> None:
        """One traversal of the tree, sorting every node into the scope (module, class, function) it is in,
        and noting each scope's directly nested defs and classes.

        The analyses then loop over flat lists instead of re-walking the tree: ast.walk is the
        slowest part of a scan after parsing."""
        scopes: dict[int, list[ast.AST]] = {id(self.tree): []}
        subscopes = self._subscopes
        top = subscopes[id(self.tree)] = []
        stack: list[tuple[ast.AST, list[ast.AST], list[ast.AST]]] = [(self.tree, scopes[id(self.tree)], top)]
        node_type, scope_types, functions = ast.AST, SCOPE_NODES, self._functions
        fields_of = child_field_table()  # names, numbers and Load/Store markers are never visited

        def add(child, bucket, nested):
            bucket.append(child)
            if isinstance(child, scope_types):
                nested.append(child)
                inner = scopes[id(child)] = []
                subscopes[id(child)] = inner_nested = []
                stack.append((child, inner, inner_nested))
                if not isinstance(child, ast.ClassDef):
                    functions.append(child)
            elif child._fields:
                stack.append((child, bucket, nested))

        while stack:
            node, bucket, nested = stack.pop()
            kind = type(node)
            for name in fields_of[kind] if kind in fields_of else child_fields(kind):
                value = getattr(node, name, None)
                if isinstance(value, list):
                    for item in value:
                        if isinstance(item, node_type):
                            add(item, bucket, nested)
                elif isinstance(value, node_type):
                    add(value, bucket, nested)
        self._scopes = scopes

    def scope(self, node: ast.AST) -> list[ast.AST]:
        """Nodes inside scope `node` (the module or a def/class), not entering nested defs or classes."""
        if self._scopes is None:
            self._build_scopes()
        return self._scopes.get(id(node), [])

    def deep(self, node: ast.AST) -> list[ast.AST]:
        """Every node inside scope `node`, nested scopes included (like ast.walk without `node` itself): its
        own nodes, then each nested scope's, the last nested first."""
        out: list[ast.AST] = []
        stack = [node]
        while stack:
            inner = stack.pop()
            out.extend(self.scope(inner))
            stack.extend(self._subscopes.get(id(inner), ()))
        return out

    def all_functions(self) -> list[ast.FunctionDef]:
        """Every function and method of the file, nested ones included."""
        if self._scopes is None:
            self._build_scopes()
        return self._functions

    @property
    def rel(self) -> str:
        return self.source.rel

    def segment(self, node: ast.AST) -> str:
        """The source text of `node`, as written."""
        start, end = node.lineno - 1, node.end_lineno - 1
        if start == end:
            return self.lines[start][node.col_offset:node.end_col_offset]
        parts = [self.lines[start][node.col_offset:]]
        parts.extend(self.lines[start + 1:end])
        parts.append(self.lines[end][:node.end_col_offset])
        return "\n".join(parts)


@dataclass
class ClassInfo:
    """A top-level class of the repository.

    Attributes:
        name: class name.
        qualname: `module.Class`.
        file: the ParsedFile defining it.
        node: its ClassDef.
        is_module: True when it is an nn.Module subclass (directly or through local bases).
    """

    name: str
    qualname: str
    file: ParsedFile
    node: ast.ClassDef
    is_module: bool = False


def module_name(rel: str) -> str:
    stem = rel.rsplit(".", 1)[0]
    parts = [p for p in stem.split("/") if p]
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _package_of(pf_module: str, rel: str) -> str:
    """The package a file's relative imports start from."""
    if rel.endswith("__init__.py"):
        return pf_module
    return pf_module.rpartition(".")[0]


def _read_module_names(pf: ParsedFile) -> None:
    package = _package_of(pf.module, pf.rel)
    for node in pf.tree.body:
        _collect_names(pf, node, package)
    # `def get_network(args): from models.vgg import vgg16_bn`: a helper's own imports name what it builds;
    # a module-level import of the same name still wins
    module_level = dict(pf.imports)
    top = {id(node) for node in pf.tree.body}
    for node in statements(pf.tree.body, into_defs=True):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and not any(a.name == "*" for a in node.names):
            _collect_names(pf, node, package)
            if isinstance(node, ast.ImportFrom) and id(node) not in top:
                base = _from_base(node, package)
                for alias in node.names:
                    pf.branch_imports.setdefault(alias.asname or alias.name, []).append(
                        (f"{base}.{alias.name}" if base else alias.name, node))
    pf.imports.update(module_level)
    pf.branch_imports = {k: v for k, v in pf.branch_imports.items() if len({path for path, _ in v}) > 1}


def _collect_names(pf: ParsedFile, node: ast.stmt, package: str) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                pf.imports[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                pf.imports[top] = top
    elif isinstance(node, ast.ImportFrom):
        base = _from_base(node, package)
        for alias in node.names:
            if alias.name == "*":
                pf.star_imports.append(base)
            else:
                pf.imports[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
    elif isinstance(node, ast.ClassDef):
        pf.classes[node.name] = node
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        pf.functions[node.name] = node
    elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        if isinstance(node.value, (ast.Name, ast.Attribute)):
            pf.aliases[node.targets[0].id] = node.value
        elif isinstance(node.value, (ast.Dict, ast.List, ast.Tuple, ast.Set)):
            pf.registries[node.targets[0].id] = node.value
    elif isinstance(node, (ast.If, ast.Try)):
        # `try: from x import y except ImportError: ...` and `if TYPE_CHECKING:` still define names
        before = dict(pf.imports)
        for child in node.body + getattr(node, "orelse", []) + [s for h in getattr(node, "handlers", []) for s in h.body]:
            _collect_names(pf, child, package)
        if isinstance(node, ast.If):
            # `elif args.net == 'small': from models.small import ViT` only runs for that option: the name the
            # script imported unconditionally before still names the class every other branch builds
            pf.imports.update(before)


def _from_base(node: ast.ImportFrom, package: str) -> str:
    """The dotted module a `from ... import` reads, its relative dots resolved from `package`."""
    base = node.module or ""
    if node.level:
        parent = package.split(".") if package else []
        if node.level > 1:
            parent = parent[: len(parent) - (node.level - 1)]
        base = ".".join([*parent, base] if base else parent)
    return base


def last_name(expr: ast.AST) -> str:
    """'Linear' for `nn.Linear` or `Linear`; '' for anything else (a subscript, a call's result)."""
    return expr.id if isinstance(expr, ast.Name) else expr.attr if isinstance(expr, ast.Attribute) else ""


def called_name(node: ast.AST) -> str:
    """The name a call calls (`cfg.get(...)` -> 'get'); '' for a call of anything else, or a node that is no call."""
    return last_name(node.func) if isinstance(node, ast.Call) else ""


def dotted(expr: ast.AST) -> list[str] | None:
    """['nn', 'Module'] for `nn.Module`; None for anything that is not a plain name chain."""
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if isinstance(expr, ast.Name):
        parts.append(expr.id)
        return parts[::-1]
    return None


class RepoIndex:
    """All parsed files of a repository and the name resolution across them.

    Attributes:
        files: parsed files in path order.
        by_module: dotted module name -> file.
        classes: qualname -> ClassInfo for every top-level class.
        classes_by_name: simple name -> classes with that name.
    """

    def __init__(self, files: list[ParsedFile]):
        self.files = files
        self.by_module: dict[str, ParsedFile] = {}
        self.by_rel: dict[str, ParsedFile] = {}
        self.classes: dict[str, ClassInfo] = {}
        self.classes_by_name: dict[str, list[ClassInfo]] = {}
        self._suffix_cache: dict[str, ParsedFile | None] = {}
        self._module_classes: list[ClassInfo] | None = None
        self._module_nodes: dict[int, set[int]] | None = None
        # path -> lookup answer: the files never change once read, and ranking, the graph and the patterns
        # ask the same few hundred paths tens of thousands of times
        self._lookups: dict[str, tuple[str, ParsedFile, str] | None] = {}
        for pf in files:
            _read_module_names(pf)
            self.by_module.setdefault(pf.module, pf)
            self.by_rel[pf.rel] = pf
            for name, node in pf.classes.items():
                info = ClassInfo(name, f"{pf.module}.{name}", pf, node)
                self.classes[info.qualname] = info
                self.classes_by_name.setdefault(name, []).append(info)
        self._mark_modules()

    # --- modules -------------------------------------------------------------------------------
    def find_module(self, name: str) -> ParsedFile | None:
        """The file for dotted module `name`, also when imported relative to a sys.path entry (`src/`)."""
        found = self.by_module.get(name)
        if found is not None:
            return found
        if not self._suffix_cache:  # every proper dotted suffix of every module, once
            for module, pf in self.by_module.items():
                parts = module.split(".")
                for k in range(1, len(parts)):
                    suffix = ".".join(parts[k:])
                    self._suffix_cache[suffix] = None if suffix in self._suffix_cache else pf
            self._suffix_cache[""] = None
        return self._suffix_cache.get(name)

    # --- names ---------------------------------------------------------------------------------
    def resolve(self, pf: ParsedFile, expr: ast.AST) -> str | None:
        """The dotted path a name chain stands for in file `pf` (None for non-name expressions)."""
        parts = dotted(expr)
        if parts is None:
            return None
        head = self.resolve_name(pf, parts[0])
        return ".".join([head, *parts[1:]])

    def resolve_name(self, pf: ParsedFile, name: str, depth: int = 0) -> str:
        if name in pf.classes or name in pf.functions or name in pf.registries:
            return f"{pf.module}.{name}" if pf.module else name
        if name in pf.imports:
            return pf.imports[name]
        if name in pf.aliases and depth < 5:
            target = dotted(pf.aliases[name])
            if target is not None and target[0] != name:
                return ".".join([self.resolve_name(pf, target[0], depth + 1), *target[1:]])
        if depth < 5:
            for star in pf.star_imports:
                other = self.find_module(star)
                if other is None or other is pf:
                    continue
                if self._defines(other, name):
                    return self.resolve_name(other, name, depth + 1)
                if other.star_imports:  # `from models import *` where models/__init__ star-imports files
                    found = self.resolve_name(other, name, depth + 1)
                    if found != name:
                        return found
        return name

    @staticmethod
    def _defines(pf: ParsedFile, name: str) -> bool:
        return (name in pf.classes or name in pf.functions or name in pf.imports or name in pf.aliases
                or name in pf.registries)

    def lookup(self, path: str | None, depth: int = 0) -> tuple[str, ParsedFile, str] | None:
        """('class'|'function', file, name) for a dotted path naming a top-level class or function here."""
        if not path or depth > 6:
            return None
        if depth == 0:  # a deeper call answers within its depth limit: only whole answers are kept
            if path not in self._lookups:
                self._lookups[path] = self._lookup(path, 0)
            return self._lookups[path]
        return self._lookup(path, depth)

    def _lookup(self, path: str, depth: int) -> tuple[str, ParsedFile, str] | None:
        module, _, name = path.rpartition(".")
        if not module:
            infos = self.classes_by_name.get(name, [])
            if len(infos) == 1:  # a bare name nothing imports: a notebook or a sys.path trick
                return ("class", infos[0].file, name)
            return None
        pf = self.find_module(module)
        if pf is None:
            return None
        if name in pf.classes:
            return ("class", pf, name)
        if name in pf.functions:
            return ("function", pf, name)
        if name in pf.registries:
            return ("registry", pf, name)
        if name in pf.imports or name in pf.aliases or pf.star_imports:
            resolved = self.resolve_name(pf, name)
            if resolved != path and resolved != name:
                return self.lookup(resolved, depth + 1)
        return None

    def class_at(self, path: str | None) -> ClassInfo | None:
        found = self.lookup(path)
        if found is None or found[0] != "class":
            return None
        pf, name = found[1], found[2]
        return self.classes.get(f"{pf.module}.{name}" if pf.module else name)

    def module_class(self, pf: ParsedFile, expr: ast.AST) -> ClassInfo | None:
        """The local nn.Module class `expr` names in file `pf`, or None."""
        info = self.class_at(self.resolve(pf, expr))
        return info if info is not None and info.is_module else None

    def registry_at(self, path: str | None) -> tuple[ParsedFile, ast.expr] | None:
        """A module-level dict or list (a model registry) a dotted path names, with its value node."""
        found = self.lookup(path)
        if found is None or found[0] != "registry":
            return None
        return found[1], found[1].registries[found[2]]

    def function_at(self, path: str | None) -> tuple[ParsedFile, ast.FunctionDef] | None:
        found = self.lookup(path)
        if found is None or found[0] != "function":
            return None
        return found[1], found[1].functions[found[2]]

    # --- nn.Module subclasses ------------------------------------------------------------------
    def _is_external_module_base(self, path: str) -> bool:
        if is_torch_nn_class(path) or path in EXTERNAL_MODULE_BASES:
            return True
        last = path.rsplit(".", 1)[-1]
        if path.startswith(_MODULE_CLASS_PACKAGES) and last[:1].isupper() and not last.endswith("Weights"):
            return True
        # `nn.Module` with no visible import (a notebook cell, a snippet): trust the usual alias
        return path.startswith("nn.") and path.rsplit(".", 1)[-1][:1].isupper()

    def _mark_modules(self) -> None:
        changed = True
        while changed:  # local bases may come in any order: repeat until nothing new is found
            changed = False
            for info in self.classes.values():
                if info.is_module:
                    continue
                for base in info.node.bases:
                    path = self.resolve(info.file, base)
                    if path is None:
                        continue
                    local = self.class_at(path)
                    if (local is not None and local.is_module and local is not info) or (
                            local is None and self._is_external_module_base(path)):
                        info.is_module = changed = True
                        break

    def module_classes(self) -> list[ClassInfo]:
        """Every nn.Module subclass of the repository (computed once)."""
        if self._module_classes is None:
            self._module_classes = [info for info in self.classes.values() if info.is_module]
        return self._module_classes

    def module_class_nodes(self, pf: ParsedFile) -> set[int]:
        """ids of the ClassDef nodes in `pf` that are nn.Modules."""
        if self._module_nodes is None:
            self._module_nodes = {}
            for info in self.module_classes():
                self._module_nodes.setdefault(id(info.file), set()).add(id(info.node))
        return self._module_nodes.get(id(pf), set())
