"""Constructor values from the places a repository builds its model: `Model(dim=512, cfg=CONFIG)` in
scripts, notebooks, README blocks and tests, with names followed to their literal values (in the same
function, the module, a star-imported `conf.py`, or an argparse default for `args.name`).
"""
from __future__ import annotations

import ast
import math
import operator
import os
import re

from reader_app.repo.values_loaded import loaded_section
from reader_app.repo.values_source import Unit, parsed, per_tree, read, walk_files

MISSING = object()
_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.FloorDiv: operator.floordiv,
              ast.Div: operator.truediv, ast.Pow: lambda a, b: a ** b if abs(b) < 64 else math.inf}


def literal(node: ast.AST, lookup=None, depth: int = 0):
    """The value of a literal expression; names resolved with `lookup(name) -> value or MISSING`."""
    if depth > 6:
        return MISSING
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        pass
    if isinstance(node, ast.Name) and lookup is not None:
        return lookup(node.id, depth + 1)
    if isinstance(node, ast.Dict):
        out = {}
        for k, v in zip(node.keys, node.values):
            key = literal(k, lookup, depth + 1) if k is not None else MISSING
            value = literal(v, lookup, depth + 1)
            if key is MISSING or value is MISSING:
                continue  # keep the parts that are stated
            out[key] = value
        return out
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [literal(e, lookup, depth + 1) for e in node.elts]
        if any(i is MISSING for i in items):
            return MISSING
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Div, ast.Pow)):
        left, right = literal(node.left, lookup, depth + 1), literal(node.right, lookup, depth + 1)
        if isinstance(left, (int, float)) and isinstance(right, (int, float)):
            try:
                return _OPERATORS[type(node.op)](left, right)
            except (ArithmeticError, ValueError, OverflowError):
                return MISSING
    if isinstance(node, ast.IfExp):
        test = literal(node.test, lookup, depth + 1)
        if test is MISSING:
            return MISSING
        return literal(node.body if test else node.orelse, lookup, depth + 1)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not)):
        operand = literal(node.operand, lookup, depth + 1)
        if isinstance(operand, (int, float, bool)):
            return -operand if isinstance(node.op, ast.USub) else not operand
        return MISSING
    if isinstance(node, ast.Attribute) and lookup is not None:  # `args.dim`, `self.model_args`
        dotted = dotted_name(node)
        return lookup(dotted, depth + 1) if dotted else MISSING
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARISONS:
        left, right = literal(node.left, lookup, depth + 1), literal(node.comparators[0], lookup, depth + 1)
        if left is MISSING or right is MISSING:
            return MISSING
        try:
            return _COMPARISONS[type(node.ops[0])](left, right)
        except TypeError:
            return MISSING
    if isinstance(node, ast.BoolOp):  # `args.a == 'x' or args.b`: as Python would, the deciding operand
        for operand in node.values:
            value = literal(operand, lookup, depth + 1)
            if value is MISSING or (not value if isinstance(node.op, ast.And) else value):
                return value
        return value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _CASTS \
            and len(node.args) == 1 and not node.keywords:  # `nz = int(opt.nz)`
        value = literal(node.args[0], lookup, depth + 1)
        try:
            return MISSING if value is MISSING else _CASTS[node.func.id](value)
        except (TypeError, ValueError):
            return MISSING
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len" \
            and len(node.args) == 1 and not node.keywords:  # `max_batch_size=len(prompts)` of a stated list
        value = literal(node.args[0], lookup, depth + 1)
        return len(value) if isinstance(value, (list, tuple, str, dict)) else MISSING
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args:
        out = {}
        for kw in node.keywords:
            value = literal(kw.value, lookup, depth + 1)
            if kw.arg and value is not MISSING:
                out[kw.arg] = value
        return out
    return MISSING


_COMPARISONS = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.In: lambda a, b: a in b,
                ast.NotIn: lambda a, b: a not in b, ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt,
                ast.GtE: operator.ge, ast.Is: lambda a, b: a is b, ast.IsNot: lambda a, b: a is not b}
_CASTS = {"int": int, "float": float, "str": str, "bool": bool}
# What a script calls its parsed command line: `args.dim`, `opt.nz`, `self.args.n_layer`, `self.opt.ngf`.
ARG_OBJECTS = {"args", "opt", "opts", "options", "flags", "FLAGS", "hparams", "arguments", "cmd_args"}


def dotted_name(node) -> str | None:
    """`self.args.dim` for an attribute chain on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def arg_dest(dotted: str) -> str | None:
    """The option `args.X` / `self.opt.X` reads, or None when the chain does not read a parsed command line."""
    parts = dotted.split(".")
    return parts[-1] if len(parts) >= 2 and parts[-2] in ARG_OBJECTS else None


def _options(tree: ast.Module):
    """(call, dest, keyword -> value node) of every `add_argument(...)` call in a module, dest as argparse
    derives it (the `dest=` keyword, else the first long flag with dashes as underscores)."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add_argument" and node.args):
            continue
        flags = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        longs = [f for f in flags if f.startswith("--")] or flags
        if not longs:
            continue
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        dest = literal(keywords["dest"]) if "dest" in keywords else MISSING
        yield node, dest if isinstance(dest, str) else longs[0].lstrip("-").replace("-", "_"), keywords


def argparse_defaults(tree: ast.Module) -> dict[str, tuple[object, int]]:
    """dest -> (default, line) for every `add_argument('--name', default=...)` in a module."""
    found = {}
    for node, dest, keywords in _options(tree):
        default = literal(keywords["default"]) if "default" in keywords else MISSING
        if default is not MISSING and default is not None and default != "":
            found[dest] = (default, node.lineno)
    return found


# Files whose parser is the one a training run uses: training scripts and options modules.
ARGPARSE_SCRIPT = re.compile(r"(train|main|run|option|opt|arg|config|parse)", re.IGNORECASE)


def argparse_namespace(tree: ast.Module) -> dict[str, tuple[object, int]]:
    """dest -> (value, line) of every option a parser in the module defines, as `parse_args([])` would give
    them: the default, False/True for store_true/store_false, None when it has none."""
    found = {}
    for node, dest, keywords in _options(tree):
        action = literal(keywords["action"]) if "action" in keywords else None
        if "default" in keywords:
            value = literal(keywords["default"])
            if value is MISSING:
                continue  # a computed default (os.environ, a function): not stated as a value
            kind = keywords.get("type")
            if isinstance(value, str) and isinstance(kind, ast.Name) and kind.id in ("int", "float"):
                try:  # argparse converts a string default with the option's type
                    value = int(value) if kind.id == "int" else float(value)
                except ValueError:
                    pass
        elif action == "store_true":
            value = False
        elif action == "store_false":
            value = True
        else:
            value = None
        found.setdefault(dest, (value, node.lineno))
    for node in ast.walk(tree):  # parser.set_defaults(ngf=64) wins over the option's own default
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "set_defaults":
            for keyword in node.keywords:
                value = literal(keyword.value)
                if keyword.arg and value is not MISSING:
                    found[keyword.arg] = (value, node.lineno)
    return found


def argparse_object(root: str, paths: set[tuple[str, ...]]) -> tuple[dict, dict] | None:
    """({dest: value}, {dest: where}) of the parser whose options cover most of the fields the model reads
    (training scripts and options modules first); None when no parser defines any of them."""
    wanted = {p[0] for p in paths if len(p) == 1}
    if not wanted:
        return None
    best, best_key = None, None
    for path in walk_files(root, (".py",)):
        text = read(path)
        if "add_argument" not in text or not any(w in text for w in wanted):
            continue
        tree = parsed(path)
        options = argparse_namespace(tree) if tree is not None else {}
        hits = len(wanted & {k for k, (v, _) in options.items() if v is not None})  # `required=True`: unstated
        if not hits:
            continue
        rel = os.path.relpath(path, root)
        key = (-hits, not ARGPARSE_SCRIPT.search(os.path.basename(rel)), rel.count(os.sep), rel)
        if best_key is None or key < best_key:
            best, best_key = (rel, options), key
    if best is None or -best_key[0] * 2 <= len(wanted):  # a parser for something else shares a name or two
        return None
    rel, options = best
    options = {k: (v, f"{rel}:{line}") for k, (v, line) in options.items()}
    for path in walk_files(root, (".py",)):  # options split over modules of one folder (base_options.py, ...)
        other = os.path.relpath(path, root)
        if os.path.dirname(other) == os.path.dirname(rel) and other != rel and "add_argument" in read(path) \
                and ARGPARSE_SCRIPT.search(os.path.basename(rel)) and ARGPARSE_SCRIPT.search(os.path.basename(other)):
            tree = parsed(path)
            for dest, (value, line) in (argparse_namespace(tree).items() if tree is not None else []):
                options.setdefault(dest, (value, f"{other}:{line}"))
    return {k: v for k, (v, _) in options.items()}, {k: w for k, (_, w) in options.items()}


class Scope:
    """Resolves names in one unit: assignments in the enclosing function, then the module, then the
    repository modules it imports by name or with `*`.

    Attributes:
        unit: the parsed piece; root: the repository root; where: (rel, line) of the last resolved name.
    """

    def __init__(self, unit: Unit, root: str, function: ast.AST | None):
        self.unit, self.root, self.function = unit, root, function
        self.where: dict[str, str] = {}
        self.options: dict | None = None

    def lookup_in(self, body_owner, rel: str, name: str, depth: int, seen: set):
        assignment, keyed = None, []
        for node in ast.walk(body_owner) if body_owner is not None else []:
            if isinstance(node, ast.Assign) and any(_target(t) == name for t in node.targets):
                assignment = node  # the last one wins, as it would at run time
            elif isinstance(node, ast.AnnAssign) and _target(node.target) == name and node.value is not None:
                assignment = node
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript) \
                    and _target(node.targets[0].value) == name:
                keyed.append(node)  # `model_args['vocab_size'] = ...` after the dict is made
        if assignment is None:
            return MISSING
        lookup = lambda n, d: self.resolve(n, d, seen)  # noqa: E731
        value = literal(assignment.value, lookup, depth)
        if isinstance(value, dict):
            for node in sorted(keyed, key=lambda n: n.lineno):
                key = literal(node.targets[0].slice)
                if node.lineno > assignment.lineno and isinstance(key, str):
                    later = literal(node.value, lookup, depth)
                    if later is MISSING:
                        value.pop(key, None)  # set from what only a run knows: the callee's default decides
                    else:
                        value[key] = later
        if value is not MISSING:
            self.where.setdefault(name, f"{rel}:{assignment.lineno}")
        return value

    def parsed_option(self, name: str):
        """The argparse default of the option `args.X` reads, from the unit's own parser; MISSING when it
        states none (a required option, a default of None)."""
        dest = arg_dest(name)
        if dest is None or self.unit.kind != "py":
            return MISSING
        if self.options is None:
            self.options = per_tree(self.unit.tree, ("argparse",), lambda: argparse_namespace(self.unit.tree))
        value, line = self.options.get(dest, (None, 0))
        if value is None:  # required, or default None: the README's command line running this script
            from reader_app.repo.values_commands import command_options
            passed = per_tree(self.unit.tree, ("command", self.root, self.unit.rel),
                               lambda: command_options(self.unit.tree, self.root, self.unit.rel))
            value, where = passed.get(dest, (None, ""))
            if value is not None:
                self.where.setdefault(name, where)
            return MISSING if value is None else value
        self.where.setdefault(name, f"{self.unit.rel}:{line}")
        return value

    def resolve(self, name: str, depth: int = 0, seen: set | None = None):
        seen = set() if seen is None else seen
        if (self.unit.rel, name) in seen or depth > 6:
            return MISSING
        seen.add((self.unit.rel, name))
        try:
            return self._resolve(name, depth, seen)
        finally:  # a guard against cycles, not against a name read twice (`args.a == 'x' or args.a == 'y'`)
            seen.discard((self.unit.rel, name))

    def _resolve(self, name: str, depth: int, seen: set):
        if self.function is not None:
            value = self.lookup_in(self.function, self.unit.rel, name, depth, seen)
            if value is not MISSING:
                return value
            from reader_app.repo.values_bound import bound_argument
            value = bound_argument(self, name, depth, seen)  # `def build(max_seq_len)`: what its callers hand it
            if value is not MISSING:
                return value
        module_level = ast.Module(body=_module_assignments(self.unit.tree), type_ignores=[])
        value = self.lookup_in(module_level, self.unit.rel, name, depth, seen)
        if value is not MISSING:
            return value
        if "." in name:
            return self.parsed_option(name)
        return self.imported(name, depth, seen)

    def imported(self, name: str, depth: int, seen: set):
        base = os.path.dirname(os.path.join(self.root, self.unit.rel.split(" cell ")[0]))
        for node in self.unit.tree.body:
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            names = {a.asname or a.name: a.name for a in node.names}
            if "*" not in names and name not in names:
                continue
            original = names.get(name, name)
            for candidate in _module_files(self.root, base, node.module, node.level):
                tree = parsed(candidate)
                if tree is None:
                    continue
                rel = os.path.relpath(candidate, self.root)
                inner = Scope(Unit(rel, tree, "py"), self.root, None)
                inner.where = self.where
                value = inner.resolve(original, depth + 1, seen)
                if value is not MISSING:
                    return value
        return MISSING


def _target(node) -> str | None:
    return node.id if isinstance(node, ast.Name) else dotted_name(node) if isinstance(node, ast.Attribute) else None


def _module_assignments(tree: ast.Module) -> list[ast.stmt]:
    """Assignments that run at module level, also those inside `if`/`with`/`try` blocks (a script's
    `else: hidden_size = 128`), not those inside functions or classes."""
    out = []

    def visit(body):
        for node in body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                out.append(node)
            elif isinstance(node, (ast.If, ast.With, ast.Try, ast.For, ast.While)):
                for field in ("body", "orelse", "finalbody"):
                    visit(getattr(node, field, []) or [])
                for handler in getattr(node, "handlers", []) or []:
                    visit(handler.body)

    visit(tree.body)
    return out


def _module_files(root: str, base: str, module: str, level: int) -> list[str]:
    parts = module.split(".")
    starts = [base] if level else [root, base]
    if level > 1:
        for _ in range(level - 1):
            base = os.path.dirname(base)
        starts = [base]
    out = []
    for start in starts:
        path = os.path.join(start, *parts)
        for candidate in (path + ".py", os.path.join(path, "__init__.py")):
            if os.path.isfile(candidate):
                out.append(candidate)
    return out


def _enclosing_functions(tree: ast.Module) -> dict[int, ast.AST]:
    """id(call node) -> innermost function containing it."""
    owner: dict[int, ast.AST] = {}

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.Call) and function is not None:
                owner[id(child)] = function
            visit(child, inner)

    visit(tree, None)
    return owner


def _calls_of(tree: ast.Module, name: str) -> list[ast.Call]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if called == name:
                out.append(node)
    return out


def _returned_calls(tree: ast.Module) -> set[int]:
    """ids of calls a function returns, directly (`def resnet20(): return ResNet(...)`) or through the name
    it returns (`model = ViT(...); model.default_cfg = ...; return model`): factory variants."""
    out = {id(call) for node in ast.walk(tree) if isinstance(node, ast.Return) and isinstance(node.value, ast.Call)
           for call in ast.walk(node.value) if isinstance(call, ast.Call)}
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        returned = {n.value.id for n in ast.walk(function) if isinstance(n, ast.Return) and isinstance(n.value, ast.Name)}
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and \
                    any(isinstance(t, ast.Name) and t.id in returned for t in node.targets):
                out.update(id(call) for call in ast.walk(node.value) if isinstance(call, ast.Call))
    return out


def _is_vars_call(node) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "vars" and \
        len(node.args) == 1 and isinstance(node.args[0], ast.Name)


def call_site_values(unit: Unit, root: str, name: str, params: list[str],
                     skip_factories: bool = False, open_keywords: bool = False,
                     keywords_only: list[ast.Call] | None = None) -> list[dict]:
    """For each call of `name` in the unit: {param: (value, "rel:line")} for the arguments it states;
    with `skip_factories`, calls a function returns directly are left out (they are variants); with
    `open_keywords` (the callee takes **kwargs), keywords that name no parameter are stated values too.
    `keywords_only`: these calls instead, their keywords only (`create_model(args.model, num_classes=10)`)."""
    owners = _enclosing_functions(unit.tree)
    returned = _returned_calls(unit.tree) if skip_factories else set()
    from reader_app.repo.values_bound import class_builders
    builders = class_builders(unit, root, name) if unit.kind == "py" and keywords_only is None else {}
    returned -= set(builders)  # `Model.build(...)` called by a script: what the run builds, not a variant
    untaken = untaken_branches(unit, root)  # `if args.arch == 'big': Net(depth=50)` with another default
    argparse = None
    sites = []
    calls = list(_calls_of(unit.tree, name) if keywords_only is None else keywords_only)
    calls += [c for c in ast.walk(unit.tree) if id(c) in builders and id(c) not in {id(k) for k in calls}]
    for call in calls:  # `cls(args)` in a builder classmethod too
        if id(call) in returned or id(call) in untaken:
            continue
        scope = Scope(unit, root, owners.get(id(call)))
        found: dict = {}
        pairs = [(params[i], arg) for i, arg in enumerate(call.args) if i < len(params)
                 and not isinstance(arg, ast.Starred) and keywords_only is None]
        pairs += [(kw.arg, kw.value) for kw in call.keywords if kw.arg in params or (open_keywords and kw.arg)]
        for param, node in pairs:
            scope.where.clear()
            value = literal(node, scope.resolve)
            where = f"{unit.rel}:{getattr(node, 'lineno', call.lineno)}"  # the line that states it
            section = loaded_section(node, unit.tree, owners.get(id(call)), root, unit.rel) \
                if value is MISSING else None
            if section is not None:  # Model(cfg["model"]) with cfg loaded from a config file
                value, where = section, section.section
            elif value is MISSING and isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                argparse = argparse if argparse is not None else argparse_defaults(unit.tree)
                if node.attr in argparse:
                    value, line = argparse[node.attr]
                    where = f"{unit.rel}:{line}"
            elif value is not MISSING and isinstance(node, (ast.Name, ast.Attribute)):
                where = scope.where.get(_target(node) or "", where)
            if value is MISSING:  # `Config(data.block_size)` with `data = Dataset(text, block_size)`
                from reader_app.repo.values_handed import handed_value
                scope.where.clear()
                value = handed_value(node, owners.get(id(call)) or unit.tree, scope.resolve)
                where = scope.where.get(getattr(node, "attr", ""), where) if value is not MISSING else where
            if value is MISSING:  # ResNet(Bottleneck, ...), CoCa(img_encoder=vit): the repository's class
                from reader_app.repo.values_refs import reference
                ref = reference(node, unit, root, scope, literal)
                if ref is not None:
                    found[param] = ({"kind": ref[0], **ref[1]}, where)
                continue
            found[param] = (value, where)
        for kw in call.keywords:  # Model(**CONFIG): a dict of stated values
            if kw.arg is None:
                spread = literal(kw.value, scope.resolve)
                if not isinstance(spread, dict) or not spread:  # Model(**json.load(open(path))): the file's keys
                    section = loaded_section(kw.value, unit.tree, owners.get(id(call)), root, unit.rel)
                    for key, value in (section or {}).items():
                        if key in params or open_keywords:
                            found.setdefault(key, (value, section.fields.get(key, section.section)))
                    if _is_vars_call(kw.value):  # Model(**vars(args)): the parser's defaults by name
                        argparse = argparse if argparse is not None else argparse_defaults(unit.tree)
                        for key, (value, line) in argparse.items():
                            if key in params:
                                found.setdefault(key, (value, f"{unit.rel}:{line}"))
                if isinstance(spread, dict):
                    where = scope.where.get(getattr(kw.value, "id", ""), f"{unit.rel}:{call.lineno}")
                    for key, value in spread.items():
                        if (key in params or open_keywords) and key not in found:
                            found[key] = (value, where)
        if found:
            sites.append(found)
    return sites


def untaken_branches(unit: Unit, root: str) -> set[int]:
    """ids of every node inside an `if` branch the script's own option defaults rule out (`if args.model ==
    'Transformer': ... else: RNNModel(...)` with `--model` defaulting to 'LSTM'): what a default run never
    builds. Only tests that read a parsed option are decided; any other test leaves both branches."""
    if unit.kind != "py" or not any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                                    and n.func.attr == "add_argument" for n in ast.walk(unit.tree)):
        return set()
    owners = {}
    for function in ast.walk(unit.tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                if isinstance(node, ast.If):
                    owners.setdefault(id(node), function)  # ast.walk is outer first: keep the innermost
                    owners[id(node)] = function
    out: set[int] = set()
    scopes: dict[int, Scope] = {}
    for node in ast.walk(unit.tree):
        if not isinstance(node, ast.If) or id(node) in out:
            continue
        if not any(isinstance(n, ast.Attribute) and arg_dest(dotted_name(n) or "") for n in ast.walk(node.test)):
            continue
        function = owners.get(id(node))
        scope = scopes.setdefault(id(function), Scope(unit, root, function))
        test = literal(node.test, scope.resolve)
        if test is MISSING:
            continue
        for stmt in (node.orelse if test else node.body):
            out.update(id(n) for n in ast.walk(stmt))
    return out
