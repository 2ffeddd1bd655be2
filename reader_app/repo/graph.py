"""Who builds whom: the composition graph of the repository's nn.Module classes, and factory functions.

A class P "contains" C when P's body names C (`self.block = Block(...)`, `[Block() for ...]`), or when
C, an instance of C, or a factory returning C is passed to P's constructor anywhere
(`Seq2Seq(enc, dec)` with `enc = Encoder(...)`; `ResNet(BasicBlock, [2, 2, 2, 2])`).
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from reader_app.repo.index import SCOPE_NODES, ClassInfo, ParsedFile, RepoIndex, dotted
from reader_app.repo.namespaces import may_read_namespace
from reader_app.repo.partials import ModulePartials, is_stub, module_partials, replacing

# bindings key prefix for a variable that holds a class rather than an instance (`cls = CLIP`)
CLASS_VAR = "@class "
# `if self.model_type == 'U_Net':` in a class that stored a parsed option (`self.model_type = config.model_type`)
MEMBER_OPTION_TEST = re.compile(r"\bself\.\w+\s*(?:==|!=)\s*['\"]")
# `getattr(models, args.arch)(...)`: a getattr whose result is called (most getattr calls read an attribute)
CALLED_GETATTR = re.compile(r"getattr\([^()]*\)\s*\(")
# what a chain that is no name (`f().x`) stands for: one shared, unchangeable empty answer
_NOTHING: frozenset[str] = frozenset()
# Methods that return the same module (`Model(...).to(device)`), so the class flows through them.
PASSTHROUGH_METHODS = {"to", "cuda", "cpu", "eval", "train", "float", "half", "double", "requires_grad_"}


def init_params(info: ClassInfo) -> list[str]:
    """Parameter names of the class's own __init__, without self (positional ones first)."""
    for node in info.node.body:
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            args = node.args
            names = [a.arg for a in args.posonlyargs + args.args]
            return names[1:] + [a.arg for a in args.kwonlyargs]
    return []


TYPE_CHECKS = {"isinstance", "issubclass"}


def _type_checks(nodes: list[ast.AST]) -> set[int]:
    """ids of the nodes that only name a class to check a type (`isinstance(m, HTDemucs)`): a class that
    asks which model it holds (an ensemble) is not built from it. Annotations stay: a parameter typed
    `codec: SoundStream` is a part handed in."""
    out: set[int] = set()
    for node in nodes:
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in TYPE_CHECKS
                and len(node.args) == 2):
            out.update(id(n) for n in ast.walk(node.args[1]))
    return out


@dataclass
class Graph:
    """The composition graph.

    Attributes:
        children: class qualname -> qualnames of local modules it is built from.
        parents: the reverse of children.
        param_classes: (class qualname, __init__ parameter) -> qualnames of module classes passed there.
        wrappers: class qualname -> the models it wraps by rebinding a variable
            (`model = DETRsegm(model)`, `model = EMA(model)`): an add-on around a model, not its parent.
    """

    children: dict[str, set[str]] = field(default_factory=dict)
    parents: dict[str, set[str]] = field(default_factory=dict)
    param_classes: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    wrappers: dict[str, set[str]] = field(default_factory=dict)

    def add(self, parent: str, child: str) -> None:
        if parent == child:
            return
        self.children.setdefault(parent, set()).add(child)
        self.parents.setdefault(child, set()).add(parent)

    def descendants(self, qualname: str) -> set[str]:
        seen: set[str] = set()
        stack = [qualname]
        while stack:
            for child in self.children.get(stack.pop(), ()):
                if child not in seen and child != qualname:
                    seen.add(child)
                    stack.append(child)
        return seen


class GraphBuilder:
    """Reads every scope of the repository once to build the Graph and answer "what does this produce".

    Attributes:
        index: the parsed repository.
        graph: the composition graph being built.
    """

    def __init__(self, index: RepoIndex):
        self.index = index
        self.graph = Graph()
        self._produced: dict[tuple[str, str], set[str]] = {}
        self._chain_cache: dict[tuple[int, tuple[str, ...]], ClassInfo | None] = {}
        self._untaken: dict[int, set[int]] = {}
        self._partials: dict[int, ModulePartials] = {}
        self._importers: set[str] | None = None
        # dotted paths that name no factory, registry, partial or module table: most names a scan meets
        # (`nn`, `x`, `torch.cat`); the index never changes, so their answer never does
        self._inert: set[str | None] = set()
        self._named: dict[tuple[int, tuple[str, ...]], set[str]] = {}

    # --- what an expression evaluates to --------------------------------------------------------
    def class_of_chain(self, pf: ParsedFile, expr: ast.AST) -> ClassInfo | None:
        """The module class a name chain or one of its prefixes names (`GPT.from_pretrained` -> GPT)."""
        parts = dotted(expr)
        if parts is None:
            return None
        key = (id(pf), tuple(parts))
        if key in self._chain_cache:
            return self._chain_cache[key]
        found = None
        head = self.index.resolve_name(pf, parts[0])
        for k in range(len(parts), 0, -1):
            info = self.index.class_at(".".join([head, *parts[1:k]]))
            if info is not None:
                found = info if info.is_module else None
                break
        self._chain_cache[key] = found
        return found

    def produced_by(self, pf: ParsedFile, expr: ast.AST) -> set[str]:
        """Module classes returned by the factory function a name chain names (`resnet18`), if any."""
        return self.produced_at(self.index.resolve(pf, expr))

    def produced_at(self, path: str | None) -> set[str]:
        """Module classes returned by the factory function at a dotted path, if any."""
        if path in self._inert:
            return set()
        found = self.index.function_at(path)
        if found is None:
            if self.index.lookup(path) is None and not (path or "").endswith(".__dict__") \
                    and not self._partial_call(path):
                self._inert.add(path)
                return set()
            return self._registry_classes(path) or self._partial_classes(path)
        fpf, func = found
        key = (fpf.rel, func.name)
        if key not in self._produced and is_stub(func):  # replaced at import by a partial the module sets
            self._produced[key] = set()
            calls = replacing(self.partials_of(fpf), func.name)
            self._produced[key] = set().union(*(self.partial_builds(fpf, c) for c in calls)) if calls else set()
        if key not in self._produced:
            self._produced[key] = set()  # guards recursion
            # `if args.net == 'vgg16': net = vgg16_bn() elif ...`: only the branch the run's option takes
            untaken = self.untaken(fpf)
            bindings = self.bindings(fpf, func, untaken)
            result: set[str] = set()
            for node in fpf.scope(func):
                if isinstance(node, ast.Return) and node.value is not None and id(node) not in untaken:
                    values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
                    for value in values:
                        result |= self.value_classes(fpf, value, bindings)
            self._produced[key] = result
        return self._produced[key]

    def partials_of(self, pf: ParsedFile) -> ModulePartials:
        """The partials file `pf` makes at its top level (read once)."""
        if id(pf) not in self._partials:
            self._partials[id(pf)] = module_partials(pf.scope(pf.tree))
        return self._partials[id(pf)]

    def partial_builds(self, pf: ParsedFile, call: ast.Call) -> set[str]:
        """Module classes a partial builds: its callable is the class itself or a factory of one."""
        info = self.class_of_chain(pf, call.args[0])
        return {info.qualname} if info is not None else self.produced_by(pf, call.args[0])

    def _partial_call(self, path: str | None) -> tuple[ParsedFile, str, ast.Call] | None:
        """(file, name, the `partial(...)` call) for a dotted path naming a module-level partial, else None."""
        module, _, name = (path or "").rpartition(".")
        pf = self.index.find_module(module) if module else None
        call = self.partials_of(pf).named.get(name) if pf is not None else None
        return (pf, name, call) if call is not None else None

    def _partial_classes(self, path: str | None) -> set[str]:
        """Module classes built by the module-level partial a dotted path names (`wide = partial(Net, ...)`)."""
        found = self._partial_call(path)
        if found is None:
            return set()
        pf, name, call = found
        key = (pf.rel, name)
        if key not in self._produced:
            self._produced[key] = set()  # guards recursion
            self._produced[key] = self.partial_builds(pf, call)
        return self._produced[key]

    def _registry_classes(self, path: str | None) -> set[str]:
        """Module classes listed in a registry (`MODELS = {"unet": UNet, "fcn": fcn_factory}`), or
        everything a module offers when it is used as one (`models_mae.__dict__[args.model]`)."""
        if path and path.endswith(".__dict__"):
            return self._module_offers(path[: -len(".__dict__")])
        found = self.index.registry_at(path)
        if found is None:
            return set()
        rpf, value = found
        key = (rpf.rel, path)
        if key not in self._produced:
            self._produced[key] = set()
            items = value.values if isinstance(value, ast.Dict) else value.elts
            result: set[str] = set()
            for item in items:
                if isinstance(item, (ast.Name, ast.Attribute)):
                    info = self.class_of_chain(rpf, item)
                    result |= {info.qualname} if info is not None else self.produced_by(rpf, item)
            self._produced[key] = result
        return self._produced[key]

    def _module_offers(self, module: str) -> set[str]:
        mpf = self.index.find_module(module)
        if mpf is None:
            return set()
        key = (mpf.rel, "__dict__")
        if key not in self._produced:
            self._produced[key] = set()
            result = {info.qualname for info in self.index.module_classes() if info.file is mpf}
            for name in mpf.functions:
                result |= self.produced_by(mpf, ast.Name(id=name, ctx=ast.Load()))
            for star in mpf.star_imports:  # a package __init__ that re-exports its modules with `*`
                if star != module:
                    result |= self._module_offers(star)
            self._produced[key] = result
        return self._produced[key]

    def value_classes(self, pf: ParsedFile, expr: ast.AST, bindings: dict[str, set[str]]) -> set[str]:
        """Module classes whose instance `expr` evaluates to (a constructor, a factory call, a variable)."""
        if isinstance(expr, ast.Call):
            func = expr.func
            if isinstance(func, ast.Attribute) and func.attr in PASSTHROUGH_METHODS:
                return self.value_classes(pf, func.value, bindings)
            if isinstance(func, ast.Subscript):  # MODELS[args.arch](...)
                return self.produced_by(pf, func.value)
            if (isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "getattr"
                    and func.args):  # getattr(models, args.arch)(...): anything the module offers
                path = self.index.resolve(pf, func.args[0])
                return self._module_offers(path) if path else set()
            info = self.class_of_chain(pf, func)
            if info is not None:
                return {info.qualname}
            if isinstance(func, ast.Name) and CLASS_VAR + func.id in bindings:  # `model_class(**cfg)`
                return bindings[CLASS_VAR + func.id]
            return self.produced_by(pf, func)
        if isinstance(expr, ast.Name) and expr.id in bindings:
            return bindings[expr.id]
        if isinstance(expr, ast.IfExp):
            return self.value_classes(pf, expr.body, bindings) | self.value_classes(pf, expr.orelse, bindings)
        return set()

    def arg_classes(self, pf: ParsedFile, expr: ast.AST, bindings: dict[str, set[str]]) -> set[str]:
        """Module classes an argument hands over: the class itself, an instance, or inside a list."""
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            return set().union(*(self.arg_classes(pf, e, bindings) for e in expr.elts)) if expr.elts else set()
        if isinstance(expr, ast.Starred):
            return self.arg_classes(pf, expr.value, bindings)
        if isinstance(expr, (ast.Name, ast.Attribute)):
            info = self.class_of_chain(pf, expr)
            if info is not None:
                return {info.qualname}
        return self.value_classes(pf, expr, bindings)

    def bindings(self, pf: ParsedFile, scope: ast.AST, untaken: set[int] = frozenset()) -> dict[str, set[str]]:
        """Local variables bound to module instances in a scope (order ignored: one pass is enough), leaving
        out the assignments in `untaken` (ids of branches a run does not take)."""
        found: dict[str, set[str]] = {}
        # in source order, so that `model = Wrapper(model)` sees what `model` held before
        assigns = sorted((n for n in pf.scope(scope) if isinstance(n, ast.Assign) and id(n) not in untaken),
                         key=lambda n: n.lineno)
        for node in assigns:
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if not targets:
                continue
            if isinstance(node.value, (ast.Name, ast.Attribute)):  # `model_class = CLIP`, called later
                info = self.class_of_chain(pf, node.value)
                if info is not None:
                    for target in targets:
                        found.setdefault(CLASS_VAR + target, set()).add(info.qualname)
                    continue
            classes = self.value_classes(pf, node.value, found)
            if not classes:
                continue
            call = node.value
            if isinstance(call, ast.Call) and any(isinstance(a, ast.Name) and a.id in targets and a.id in found
                                                  for a in [*call.args, *(k.value for k in call.keywords)]):
                wrapped = set().union(*(found[t] for t in targets if t in found))
                for wrapper in classes:
                    self.graph.wrappers.setdefault(wrapper, set()).update(wrapped - {wrapper})
            for target in targets:
                found.setdefault(target, set()).update(classes)
        return found

    # --- the graph ----------------------------------------------------------------------------
    def _scan_calls(self, pf: ParsedFile, scope: ast.AST) -> None:
        bindings = None
        for node in pf.scope(scope):
            if type(node) is not ast.Call:  # parsed trees hold exact node classes: one test per node
                continue
            parent = self.class_of_chain(pf, node.func)
            if parent is None:
                continue
            if bindings is None:  # only scopes that build a local module need their variables
                bindings = self.bindings(pf, scope)
            params = init_params(parent)
            handed = [(params[i] if i < len(params) else None, a) for i, a in enumerate(node.args)]
            handed += [(k.arg, k.value) for k in node.keywords]
            for param, arg in handed:
                for child in self.arg_classes(pf, arg, bindings):
                    self.graph.add(parent.qualname, child)
                    if param:
                        self.graph.param_classes.setdefault((parent.qualname, param), set()).add(child)

    def _scan_class_body(self, info: ClassInfo) -> None:
        pf = info.file
        nodes = pf.deep(info.node)
        checked = _type_checks(nodes)
        handled: set = set()  # names and chains already read for this class: a second read adds nothing
        for node in nodes:
            # names and `module.Class`; longer chains (`self.a.b`) never name a class, and `self.x` is skipped
            if isinstance(node, ast.Name):
                key = node.id
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id != "self":
                key = (node.value.id, node.attr)
            else:
                continue
            if key in handled or id(node) in checked or not isinstance(node.ctx, ast.Load):
                continue
            handled.add(key)
            child = self.class_of_chain(pf, node)
            if child is not None:
                self.graph.add(info.qualname, child.qualname)
            elif isinstance(node, ast.Name):
                for produced in self.produced_by(pf, node):
                    self.graph.add(info.qualname, produced)

    def build(self) -> Graph:
        for info in self.index.module_classes():
            self._scan_class_body(info)
        for pf in self.index.files:
            self._scan_calls(pf, pf.tree)
            for func in pf.all_functions():
                self._scan_calls(pf, func)
        return self.graph

    def untaken(self, pf: ParsedFile) -> set[int]:
        """ids of the nodes in branches a run of the file's options does not take (values_untaken.untaken_branches)."""
        if id(pf) not in self._untaken:
            self._untaken[id(pf)] = _untaken_branches(pf)
        return self._untaken[id(pf)]

    def used_in(self, pf: ParsedFile) -> set[str]:
        """Module classes a file builds or names outside any module class body (an entry's usage)."""
        used: set[str] = set()
        module_bodies = self.index.module_class_nodes(pf)
        untaken = self.untaken(pf)  # `if args.model == 'Transformer':` with another default: not built
        picks = self._picks(pf)  # `archs.__dict__[config['arch']]`: only the class the option names
        stack: list[ast.AST] = [pf.tree]
        name, attribute, call, load = ast.Name, ast.Attribute, ast.Call, ast.Load
        while stack:
            for node in pf.scope(stack.pop()):
                if untaken and id(node) in untaken:  # most files have no branch left out and no pick
                    continue
                if picks and id(node) in picks:
                    used |= self.picked_at(picks[id(node)])
                    continue
                kind = type(node)  # one test per node: parsed trees hold exact node classes
                if kind is name or kind is attribute:
                    if kind is name and node.id in pf.branch_imports:  # the class of the branch it is used in
                        used |= self._branch_classes(pf, node)
                    elif type(node.ctx) is load:
                        used |= self._named_classes(pf, node)
                elif kind is call:
                    if type(node.func) is call and id(node.func) not in picks:  # getattr(models, name)()
                        used |= self.value_classes(pf, node, {})
                elif kind in SCOPE_NODES and id(node) not in module_bodies:
                    stack.append(node)
        return used

    def _branch_classes(self, pf: ParsedFile, node: ast.Name) -> set[str]:
        """The module classes a name imported in several branches (`if t == 'CDC': from m import NetCDC as Net`,
        `elif t == 'HG': ... NetHG as Net`) can stand for where it is used: a use under another binding's test
        reads that one (call_aliases.branch_fits)."""
        from reader_app.repo.call_aliases import branch_fits, if_chains

        chains = if_chains(pf.tree)
        bound = pf.branch_imports[node.id]
        found: set[str] = set()
        for path, imported in bound:
            others = [chains.get(id(i), ()) for p, i in bound if p != path]
            info = self.index.class_at(path)
            if info is not None and info.is_module and \
                    branch_fits(chains.get(id(node), ()), [chains.get(id(imported), ())], others):
                found.add(info.qualname)
        return found

    def _named_classes(self, pf: ParsedFile, node: ast.AST) -> set[str]:
        """The module class a name chain names, else the classes the factory (registry, partial) it names
        returns; remembered per file and chain (callers must not change the set). Only for readers outside a
        factory's own reading (used_in), where produced_by's answers are final."""
        parts = dotted(node)
        if parts is None:
            return _NOTHING
        key = (id(pf), tuple(parts))
        found = self._named.get(key)
        if found is None:
            info = self.class_of_chain(pf, node)
            found = self._named[key] = {info.qualname} if info is not None else self.produced_by(pf, node)
        return found

    def picked_at(self, path: str) -> set[str]:
        """Module classes the dotted path names (a class) or returns (a factory); everything its module offers
        when the name is none of its own (a run fails there, or the module re-exports it)."""
        info = self.index.class_at(path)
        found = ({info.qualname} if info.is_module else set()) if info is not None else self.produced_at(path)
        return found or self._module_offers(path.rpartition(".")[0])

    def _picks(self, pf: ParsedFile) -> dict[int, str]:
        """id of an expression picking a class by name -> the dotted path it picks: `archs.__dict__[config['arch']]`
        and `getattr(archs, args.arch)` (values_registry.module_picks), `importNet(configs['network'])` of a
        helper importing a dotted string (dotted_imports.dotted_picks). Most files have none."""
        if self._importers is None:  # read from the texts in hand: the scan reads no file twice
            from reader_app.repo.dotted_imports import importer_names
            self._importers = importer_names((f.source.text or "", f.tree) for f in self.index.files)
        text = pf.source.text or ""
        picking = "__dict__[" in text or "getattr(" in text and CALLED_GETATTR.search(text) is not None
        importing = any(f"{name}(" in text for name in self._importers)
        if not picking and not importing:
            return {}
        from reader_app.repo.values_source import Unit

        root = str(pf.source.path.parents[pf.source.rel.count("/")])
        unit = Unit(pf.source.rel, pf.tree, "py")
        out = {}
        if picking:
            from reader_app.repo.values_registry import module_picks
            for key, (module, name) in module_picks(unit, root).items():
                path = self.index.resolve(pf, module)
                if path:
                    out[key] = f"{path}.{name}"
        if importing:
            from reader_app.repo.dotted_imports import dotted_picks
            out.update(dotted_picks(unit, root))
        return out


def _untaken_branches(pf: ParsedFile) -> set[int]:
    text = pf.source.text or ""
    root = str(pf.source.path.parents[pf.source.rel.count("/")])
    # the member-test search only where it can hit: it needs an == or != (most model files have neither)
    if "add_argument" not in text and not may_read_namespace(text, root) \
            and not (("==" in text or "!=" in text) and MEMBER_OPTION_TEST.search(text)):
        return set()  # no parser, no helper reading a handed command line, no option a class stored
    from reader_app.repo.values_untaken import untaken_branches
    from reader_app.repo.values_source import Unit

    return untaken_branches(Unit(pf.source.rel, pf.tree, "py"), root)
