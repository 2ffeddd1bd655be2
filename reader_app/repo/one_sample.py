"""Scripts that feed their model one sample with no batch dimension: a reinforcement-learning loop's
`state = torch.from_numpy(state).float(); probs, value = model(state)`, the state an environment returned.

The tensor is made from one observation (a name that reads as one, or what `env.reset()` / `env.step()`
returned) by `torch.from_numpy` / `torch.tensor` / `torch.FloatTensor` with only casts and device moves after
it: no `unsqueeze(0)`, `[None]`, `view(1, -1)`, `np.stack` or list around it adds a batch on the way. Layers
such as Linear, RNN cells and convolutions take such an unbatched sample, and the layer shapes then have no
batch dimension. A script of the same repository that adds a batch to such a tensor before the call says the
model is fed batches: then no call counts. Read as syntax trees, never run; torch-free.
"""
from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field

from reader_app.repo.stated_inputs import UNIT_ORDER, _construction, _flat, _imports_other
from reader_app.repo.stated_tensors import CASTS, KEEP, WRAPPERS
from reader_app.repo.values_source import units_mentioning

ONE, BATCHED = "one", "batched"
# torch functions that make a tensor of the array they are given, its shape unchanged.
FROM_ARRAY = {"from_numpy", "tensor", "as_tensor", "FloatTensor", "Tensor", "DoubleTensor", "LongTensor"}
# Methods and functions that put a tensor or an array into a batch (or may: a reshape's sizes decide).
BATCHING_METHODS = {"unsqueeze", "unsqueeze_", "view", "reshape", "expand", "repeat", "expand_dims"}
# Methods that reorder or scale one sample's axes without adding one (an image observation made channels-first).
REORDERS = {"permute", "transpose", "div", "mul", "sub", "add", "clamp", "squeeze"}
BATCHING_FUNCTIONS = {"stack", "vstack", "hstack", "cat", "concat", "concatenate", "expand_dims", "reshape",
                      "atleast_2d", "zip"}
# A name that reads as one observation of an environment (`state`, `obs`, `next_state`, `s_t`), not a plural
# or a batch (`states`, `obs_batch`): what an RL loop hands its policy one step at a time.
OBSERVATION = re.compile(r"^(s|s_?t|ob|obs|observation|state)$|(^|_)(state|obs|observation)$", re.IGNORECASE)
BATCH_WORD = re.compile(r"batch|states|observations|samples", re.IGNORECASE)
# The object an RL script steps (`env.reset()`, `self.env.step(action)`); a vector of environments
# (`envs`) hands back a batch.
ENVIRONMENT = re.compile(r"^(env|environment|\w+_env)$", re.IGNORECASE)
VECTOR_ENVIRONMENT = re.compile(r"^(envs|venv|vec_?envs?|\w+_envs|vector_env|parallel_envs?)$", re.IGNORECASE)
ENV_METHODS = {"reset", "step"}


@dataclass
class OneSample:
    """A call of the model on tensors made from one observation each.

    Attributes:
        where: "actor_critic.py:77", the line of the call.
        positions: the positional arguments passed one sample.
        keywords: the keyword arguments passed one sample.
    """

    where: str
    positions: list[int] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)


def feeds_one_sample(root: str, class_name: str, file: str | None = None) -> OneSample | None:
    """The first call of `class_name`'s instances on one unbatched sample in the repository's Python, or None
    when there is none or another call adds a batch to such a tensor. With `file` (the class's file), a script
    that defines or imports another class of that name is left out."""
    calls = []
    units = sorted(units_mentioning(root, class_name), key=lambda u: UNIT_ORDER.get(u.kind, 3))
    for unit in units:
        if unit.kind != "py" or (file and _other_class(unit, class_name, root, file)):
            continue
        calls += _calls_in(unit.tree, class_name, unit.rel)
    if any(kinds and BATCHED in kinds.values() for _, kinds in calls):
        return None
    for where, kinds in calls:
        one = [key for key, kind in kinds.items() if kind == ONE]
        if one:
            return OneSample(where, [k for k in one if isinstance(k, int)], [k for k in one if isinstance(k, str)])
    return None


def _other_class(unit, class_name: str, root: str, file: str) -> bool:
    """The script is not `file` and defines its own class of that name, or imports one from another file."""
    if os.path.realpath(os.path.join(root, unit.rel)) != os.path.realpath(file) and any(
            isinstance(n, ast.ClassDef) and n.name == class_name for n in unit.tree.body):
        return True
    return _imports_other(unit.tree, class_name, root, file)


def _calls_in(tree: ast.Module, class_name: str, rel: str) -> list[tuple[str, dict]]:
    """("file.py:line", argument -> ONE / BATCHED) for each call of a built instance whose arguments are
    made from arrays; arguments this reader cannot follow are left out."""
    module = _flat(tree.body)
    held = {t.attr for n in ast.walk(tree) if isinstance(n, ast.Assign) and _construction(n.value, class_name)
            is not None for t in n.targets if isinstance(t, ast.Attribute)}  # `self.policy = Policy(...)`
    found = []
    scopes = [(None, module)] + [(f, _flat(f.body)) for f in ast.walk(tree)
                                 if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for function, body in scopes:
        scope = _Scope(body, module if function is not None else [], function)
        for stmt in body:
            for node in (n for n in ast.walk(stmt) if isinstance(n, ast.Call)):
                if not _is_model(node.func, scope, held, class_name):
                    continue
                kinds = {i: _tensor_kind(a, scope, node.lineno) for i, a in enumerate(node.args)}
                kinds.update({k.arg: _tensor_kind(k.value, scope, node.lineno) for k in node.keywords if k.arg})
                kinds = {key: kind for key, kind in kinds.items() if kind}
                if kinds:
                    found.append((f"{rel}:{node.lineno}", kinds))
    unique = {(where, tuple(kinds.items())): None for where, kinds in found}  # a block's calls come twice
    return [(where, dict(kinds)) for where, kinds in unique]


class _Scope:
    """The names one function (or the module) binds, each with the lines it is bound at; names the function
    does not bind are the module's."""

    def __init__(self, body: list[ast.stmt], outer: list[ast.stmt], function=None):
        self.params = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)} if function else set()
        self.bound = _bindings(body)
        self.outer = _bindings(outer)

    def before(self, name: str, line: int):
        """(value, line) of the last binding of `name` before `line`; ("param", 0) for a parameter; None."""
        earlier = [b for b in self.bound.get(name, []) if b[1] < line]
        if earlier:
            return earlier[-1]
        if name in self.params:
            return "param", 0
        outer = self.outer.get(name, [])
        return outer[-1] if outer else None


def _bindings(body: list[ast.stmt]) -> dict[str, list]:
    """name -> [(value, line)] in order; a name unpacked from a tuple (`state, reward, done, _ = env.step(a)`)
    is bound to the whole value; a loop's target to ("loop", line)."""
    out: dict[str, list] = {}
    for stmt in body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                names = [target] if isinstance(target, ast.Name) else \
                    [e for e in target.elts if isinstance(e, ast.Name)] if isinstance(target, ast.Tuple) else []
                for name in names:
                    out.setdefault(name.id, []).append((stmt.value, stmt.lineno))
        elif isinstance(stmt, ast.For):
            for name in (n for n in ast.walk(stmt.target) if isinstance(n, ast.Name)):
                out.setdefault(name.id, []).append(("loop", stmt.lineno))
    return out


def _is_model(func, scope: _Scope, held: set, class_name: str) -> bool:
    """`model(...)` of a name bound to the class built, `self.policy(...)` of an attribute bound to one."""
    if isinstance(func, ast.Attribute) and func.attr == "forward":
        func = func.value
    if isinstance(func, ast.Name):
        bound = scope.before(func.id, 10 ** 9)
        return bound is not None and not isinstance(bound[0], str) and \
            _construction(bound[0], class_name) is not None
    return isinstance(func, ast.Attribute) and func.attr in held


def _tensor_kind(expr, scope: _Scope, line: int, depth: int = 0) -> str | None:
    """ONE for a tensor made from one observation with nothing adding a batch, BATCHED for such a tensor put
    into a batch, None for anything else."""
    if depth > 12:
        return None
    if isinstance(expr, ast.Name):
        bound = scope.before(expr.id, line)
        if bound is None or isinstance(bound[0], str):
            return None
        return _tensor_kind(bound[0], scope, bound[1], depth + 1)
    if isinstance(expr, ast.Subscript):  # `state[None]`: a batch of one
        inner = _tensor_kind(expr.value, scope, line, depth + 1)
        return BATCHED if inner and _adds_axis(expr.slice) else None
    if isinstance(expr, ast.BinOp):  # `torch.from_numpy(frame).float() / 255.0`: scaled, not batched
        sides = [_tensor_kind(side, scope, line, depth + 1) for side in (expr.left, expr.right)]
        constant = [isinstance(side, ast.Constant) for side in (expr.left, expr.right)]
        return next((kind for kind, other in zip(sides, reversed(constant)) if kind and other), None)
    if not isinstance(expr, ast.Call):
        return None
    func = expr.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name in WRAPPERS and expr.args:  # `Variable(state)`
        return _tensor_kind(expr.args[0], scope, line, depth + 1)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "torch":
        if name in FROM_ARRAY and len(expr.args) == 1:
            return _array_kind(expr.args[0], scope, line, depth + 1)
        if name in BATCHING_FUNCTIONS and expr.args:  # `torch.stack([state])`
            parts = expr.args[0].elts if isinstance(expr.args[0], (ast.List, ast.Tuple)) else [expr.args[0]]
            return BATCHED if any(_tensor_kind(p, scope, line, depth + 1) for p in parts) else None
        return None
    if isinstance(func, ast.Attribute):  # a method on a tensor
        inner = _tensor_kind(func.value, scope, line, depth + 1)
        if name in KEEP or name in CASTS or name in REORDERS:
            return inner
        if name in BATCHING_METHODS:
            return BATCHED if inner else None
    return None


def _array_kind(expr, scope: _Scope, line: int, depth: int) -> str | None:
    """ONE for the array of one observation, BATCHED for arrays put into a batch, None when unknown."""
    if depth > 12:
        return None
    if isinstance(expr, ast.Name):
        if BATCH_WORD.search(expr.id):
            return None
        bound = scope.before(expr.id, line)
        if bound is None or isinstance(bound[0], str):  # a parameter, a loop's item, a module name
            return ONE if OBSERVATION.search(expr.id) else None
        made = _array_kind(bound[0], scope, bound[1], depth + 1)
        return made if made else ONE if OBSERVATION.search(expr.id) and not _batched_value(bound[0]) else None
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self":
        return ONE if OBSERVATION.search(expr.attr) and not BATCH_WORD.search(expr.attr) else None
    if isinstance(expr, ast.Subscript):
        if _adds_axis(expr.slice):
            return BATCHED if _array_kind(expr.value, scope, line, depth + 1) else None
        return _environment_call(expr.value)  # `env.step(action)[0]`: the observation it returns
    if isinstance(expr, (ast.List, ast.Tuple, ast.ListComp)):  # `torch.tensor([state])`
        parts = expr.elts if not isinstance(expr, ast.ListComp) else [expr.elt]
        return BATCHED if any(_array_kind(p, scope, line, depth + 1) for p in parts) else None
    if isinstance(expr, ast.Call):
        if stepped := _environment_call(expr):
            return stepped
        func = expr.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in ("array", "asarray", "float32", "ascontiguousarray") and expr.args:  # `np.array(state)`
            return _array_kind(expr.args[0], scope, line, depth + 1)
        if isinstance(func, ast.Attribute) and (name in KEEP or name in CASTS or name == "astype"):
            return _array_kind(func.value, scope, line, depth + 1)  # `state.astype(np.float32)`
        if _batched_value(expr):
            return BATCHED if any(_array_kind(a, scope, line, depth + 1) for a in expr.args) or \
                isinstance(func, ast.Attribute) and _array_kind(func.value, scope, line, depth + 1) else None
    return None


def _environment_call(expr) -> str | None:
    """ONE for `env.reset()` / `self.env.step(action)`: an environment's observation; BATCHED for a vector of
    environments' (`envs.reset()`: one observation per environment)."""
    if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in ENV_METHODS):
        return None
    owner = expr.func.value
    name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
    return BATCHED if VECTOR_ENVIRONMENT.match(name) else ONE if ENVIRONMENT.match(name) else None


def _batched_value(expr) -> bool:
    """`np.stack(...)`, `np.reshape(state, (1, -1))`, `state[np.newaxis]`, `zip(*batch)`: a value put into a
    batch."""
    if isinstance(expr, ast.Subscript):
        return _adds_axis(expr.slice)
    if not isinstance(expr, ast.Call):
        return False
    func = expr.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in BATCHING_FUNCTIONS or name in BATCHING_METHODS


def _adds_axis(index) -> bool:
    """`[None]`, `[np.newaxis, :]`, `[None, ...]`: an index that adds an axis."""
    parts = index.elts if isinstance(index, ast.Tuple) else [index]
    return any(isinstance(p, ast.Constant) and p.value is None or isinstance(p, ast.Attribute) and p.attr == "newaxis"
               for p in parts)
