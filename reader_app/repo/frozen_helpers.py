"""Models a training script builds only as a loaded, frozen helper beside the model it trains.

Knowledge distillation, perceptual losses and feature-matching runs build two of the repository's models: the
one the run trains (its parameters reach an optimizer, `model.train()`) and one built to be loaded from a
checkpoint and frozen (`load_checkpoint(path, teacher)`, `teacher.eval()`, `requires_grad = False`) that only
produces targets. The script "builds" both, but only the first is what the run is about. Read by structure
(where each built model is assigned and what the script then does with that name), never by the names
`teacher`/`student`. A script that trains nothing (an evaluation script loading its one model) has no helper:
its model keeps its credit. Read as ast; nothing is run.
"""
from __future__ import annotations

import ast
import re

from reader_app.repo.index import SCOPE_NODES

# An optimizer's constructor or a helper building one: `optim.Adam`, `torch.optim.SGD`, `build_optimizer`.
OPTIMIZER = re.compile(r"(^|\.)(SGD|ASGD|Adam\w*|NAdam|RAdam|RMSprop|Rprop|Adagrad|Adadelta|Adamax|LBFGS|Lion|"
                       r"Lamb|LAMB|LARS|Lars|\w*[Oo]ptim\w*)$")
LOADING = re.compile(r"(^|_)(load|restore)", re.IGNORECASE)  # `load_checkpoint`, `restore`; not `DataLoader`
# Text a file needs for a helper to exist at all: most entries are skipped without a walk.
NEEDS = ("parameters(",)
HINTS = (".eval(", "load", "requires_grad")
MOVES = {"to", "cuda", "cpu", "float", "half", "double"}  # a moved model is the same model
DEPTH = 3  # how far a name is followed into the functions it is handed to


class _Uses:
    """What a script does with one name: trains it, loads weights into it, freezes it (line of the first)."""

    def __init__(self):
        self.trained = self.loaded = self.frozen = 0

    def merge(self, other: "_Uses") -> None:
        self.trained = self.trained or other.trained
        self.loaded = self.loaded or other.loaded
        self.frozen = self.frozen or other.frozen


def frozen_helpers(index, builder, entries) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """({class qualname: {entry rel: phrase}} for each entry script in which every build of the class the run
    reaches is assigned to a name the script loads or freezes and never trains, while it trains another of the
    repository's models; the same for the classes such a script trains beside its helpers)."""
    helpers: dict[str, dict[str, str]] = {}
    trained: dict[str, dict[str, str]] = {}
    for pf in entries:
        text = pf.source.text or ""
        if not all(n in text for n in NEEDS) or not any(h in text for h in HINTS):
            continue
        found, trainees = _helpers_in(index, builder, pf)
        for qualname, phrase in found.items():
            helpers.setdefault(qualname, {})[pf.rel] = phrase
        for qualname, phrase in trainees.items():
            trained.setdefault(qualname, {})[pf.rel] = phrase
    return helpers, trained


def _helpers_in(index, builder, pf) -> tuple[dict[str, str], dict[str, str]]:
    skipped = builder.untaken(pf)  # branches the run's options or loaded configuration rule out
    builds: dict[str, list[tuple[ast.AST, str | None, int]]] = {}  # qualname -> (scope, name or None, line)
    frozen_at_build: dict[tuple[int, str], int] = {}  # (scope, name) -> line of `Net().eval()`, `requires_grad=False`
    for scope in _script_scopes(index, pf, skipped):
        destination = _assigned_names(pf, scope)
        for node in pf.scope(scope):
            if type(node) is not ast.Call or id(node) in skipped:
                continue
            for qualname in builder.value_classes(pf, node, {}):
                name = destination.get(id(node))
                builds.setdefault(qualname, []).append((scope, name, node.lineno))
                if name is not None and _built_frozen(node):
                    frozen_at_build.setdefault((id(scope), name), node.lineno)
    if len(builds) < 2:
        return {}, {}  # one model built: whatever the script does with it, it is the run's model
    memo: dict = {}
    uses = {(id(scope), name): _uses(index, pf, scope, name, memo, 0)
            for sites in builds.values() for scope, name, _ in sites if name is not None}
    for key, line in frozen_at_build.items():
        uses[key].frozen = uses[key].frozen or line
    trained: dict[str, int] = {}  # qualname -> the line where its parameters first reach training
    for qualname, sites in builds.items():
        lines = [uses[(id(scope), name)].trained for scope, name, _ in sites if name is not None]
        if any(lines):
            trained[qualname] = min(line for line in lines if line)
    helpers: dict[str, str] = {}
    for qualname, sites in builds.items():
        if qualname in trained or any(name is None for _, name, _ in sites):
            continue
        found = [uses[(id(scope), name)] for scope, name, _ in sites]
        if not all(u.loaded or u.frozen for u in found):
            continue
        others = sorted(index.classes[q].name for q in trained)
        if not others:
            continue
        first = min(sites, key=lambda site: site[2])
        how = ", ".join(part for part, used in (("loaded from a checkpoint", any(u.loaded for u in found)),
                                                ("frozen for evaluation", any(u.frozen for u in found))) if used)
        helpers[qualname] = (f"{pf.rel}:{first[2]} builds it as `{first[1]}`, only {how} and never optimized, "
                             f"beside {', '.join(others[:2])}, which the script trains: a helper of the run, not "
                             f"its model")
    if not helpers:
        return {}, {}
    names = sorted(index.classes[q].name for q in helpers)
    trainees = {qualname: f"{pf.rel}:{line} trains it, while the script only loads and freezes "
                          f"{', '.join(names[:2])} beside it: the model the run is about"
                for qualname, line in trained.items()}
    return helpers, trainees


def _script_scopes(index, pf, skipped: set[int]) -> list[ast.AST]:
    """The module and the functions the run can reach, outside the bodies of the repository's model classes
    (what a model builds inside itself is its parts, not the script's models)."""
    module_bodies = index.module_class_nodes(pf)
    out, stack = [], [pf.tree]
    while stack:
        scope = stack.pop()
        out.append(scope)
        stack.extend(node for node in pf.scope(scope) if isinstance(node, SCOPE_NODES)
                     and id(node) not in module_bodies and id(node) not in skipped)
    return out


def _built_frozen(call: ast.Call) -> bool:
    """`Net(requires_grad=False)`, `Net().eval()`, `Net().to(device).requires_grad_(False)`: frozen as it is built."""
    if any(k.arg == "requires_grad" and isinstance(k.value, ast.Constant) and k.value.value is False
           for k in call.keywords):
        return True
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
        return _freezes(call) or _built_frozen(func.value)
    return False


def _freezes(call: ast.Call) -> bool:
    """A method call that puts its model in evaluation mode or stops its gradients: `.eval()`, `.train(False)`,
    `.requires_grad_(False)`."""
    func = call.func
    return isinstance(func, ast.Attribute) and (
        func.attr == "eval" or func.attr in ("train", "requires_grad_") and _false_arg(call))


def _assigned_names(pf, scope) -> dict[int, str]:
    """id of each call inside the value of `name = ...` (`Net(p).cuda() if cuda else Net(p)`) -> name."""
    out: dict[int, str] = {}
    for node in pf.scope(scope):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if len(names) != 1:
                continue
            for inner in ast.walk(node.value):
                if isinstance(inner, ast.Call):
                    out.setdefault(id(inner), names[0])
    return out


def _uses(index, pf, scope, name: str, memo: dict, depth: int) -> _Uses:
    """What `scope` (and the functions it hands `name` to, `DEPTH` deep) does with the model named `name` or a
    wrapper of it (`model = nn.DataParallel(net)`)."""
    key = (id(scope), name)
    if key in memo:
        return memo[key]
    found = memo[key] = _Uses()
    names = _aliases(pf, scope, name)
    holders = _parameter_holders(pf, scope, names)  # `params = list(G.parameters()) + ...`
    for node in pf.scope(scope):
        if isinstance(node, ast.For) and _parameters_of(node.iter, names) and _clears_grad(node.body):
            found.frozen = found.frozen or node.lineno
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and _is_name(func.value, names):
            if func.attr == "train" and not _false_arg(node):
                found.trained = found.trained or node.lineno
            elif _freezes(node):
                found.frozen = found.frozen or node.lineno
            elif func.attr == "load_state_dict":
                found.loaded = found.loaded or node.lineno
            continue
        called = _called_name(func)
        handed = [*node.args, *(k.value for k in node.keywords)]
        if OPTIMIZER.search(called) and any(_parameters_of(a, names) or _is_name(a, names) or
                                            (isinstance(a, ast.Name) and a.id in holders) for a in handed):
            found.trained = found.trained or node.lineno
        elif LOADING.search(called.rpartition(".")[2]) and any(_is_name(a, names) for a in handed):
            found.loaded = found.loaded or node.lineno
        elif depth < DEPTH and any(_is_name(a, names) for a in handed):
            for target, param in _handed_to(index, pf, node, names):
                found.merge(_uses(index, target[0], target[1], param, memo, depth + 1))
    return found


def _aliases(pf, scope, name: str) -> set[str]:
    """`name` and the names bound to it wrapped or moved (`model = DDP(net)`, `m = net.to(device)`), not to
    what calling it returns (`out = net(x)`)."""
    names = {name}
    assigns = [n for n in pf.scope(scope) if isinstance(n, ast.Assign) and len(n.targets) == 1
               and isinstance(n.targets[0], ast.Name) and isinstance(n.value, ast.Call)]
    grew = True
    while grew:
        grew = False
        for node in assigns:
            target = node.targets[0].id
            if target not in names and _wraps(node.value, names):
                names.add(target)
                grew = True
    return names


def _wraps(call: ast.Call, names: set[str]) -> bool:
    """`Wrapper(net, ...)` or `net.cuda()` / `net.to(device)`."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in MOVES:
        return _is_name(func.value, names) or isinstance(func.value, ast.Call) and _wraps(func.value, names)
    return bool(call.args) and _is_name(call.args[0], names)


def _handed_to(index, pf, call: ast.Call, names: set[str]):
    """((file, function), parameter) for each parameter of the repository's function `call` calls that receives
    one of `names`; nothing for a call into a library."""
    path = index.resolve(pf, call.func)
    target = index.function_at(path) if path else None
    if target is None:
        return []
    function = target[1]
    params = [a.arg for a in function.args.posonlyargs + function.args.args]
    if params and params[0] in ("self", "cls"):
        return []
    out = [(target, params[k]) for k, a in enumerate(call.args) if k < len(params) and _is_name(a, names)]
    accepted = set(params) | {a.arg for a in function.args.kwonlyargs}
    out += [(target, k.arg) for k in call.keywords if k.arg in accepted and _is_name(k.value, names)]
    return out


def _parameter_holders(pf, scope, names: set[str]) -> set[str]:
    """Names bound to the model's parameters in `scope` (`params = list(model.parameters())`)."""
    out: set[str] = set()
    for node in pf.scope(scope):
        if isinstance(node, ast.Assign) and _parameters_of(node.value, names):
            out.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return out


def _parameters_of(expr: ast.AST, names: set[str]) -> bool:
    """`name.parameters()`, `name.module.fc.named_parameters()` anywhere inside `expr`."""
    for node in ast.walk(expr):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in ("parameters", "named_parameters"):
            base = node.func.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if _is_name(base, names):
                return True
    return False


def _clears_grad(body: list[ast.stmt]) -> bool:
    """`p.requires_grad = False` in a loop body."""
    return any(isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == "requires_grad"
                                                    for t in stmt.targets)
               and isinstance(stmt.value, ast.Constant) and stmt.value.value is False for stmt in body)


def _false_arg(call: ast.Call) -> bool:
    """`.train(False)` / `.train(mode=False)`: evaluation mode."""
    values = [*call.args, *(k.value for k in call.keywords)]
    return bool(values) and isinstance(values[0], ast.Constant) and values[0].value is False


def _is_name(expr: ast.AST, names: set[str]) -> bool:
    return isinstance(expr, ast.Name) and expr.id in names


def _called_name(func: ast.AST) -> str:
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return ".".join(reversed(parts))
