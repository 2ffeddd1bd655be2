"""A forward() argument that is a plain Python number, not a tensor: a momentum a self-supervised model's
forward() updates its target network with (`param_k.data.mul_(mm).add_(1. - mm, param_q.data)`), a decay
applied to every parameter. The code says so when every use of the argument is scalar arithmetic and one
of them could take nothing else: the Number-first overload `add_(alpha, tensor)`, or arithmetic with each
of the model's parameters in turn (tensors of every shape: only a number broadcasts to all of them).

The value is what forward() defaults it to, else what the repository's caller passes (`scalar_callers.py`,
run where the repository's root is known), else a labelled guess."""
from __future__ import annotations

import ast
import inspect

from reader_app.trace.child.plans import VALUE, InputPlan
from reader_app.trace.child.reach import function_tree

# Tensor methods that scale or shift by a number (in place or not).
ARITHMETIC = {"mul", "mul_", "add", "add_", "sub", "sub_", "div", "div_", "lerp", "lerp_", "addcmul_",
              "addcdiv_", "pow", "pow_", "clamp", "clamp_"}
NUMBER_FIRST = {"add", "add_", "sub", "sub_"}  # `add_(Number alpha, Tensor other)`: the old overload
MODULES = {"torch", "th", "F", "np", "numpy", "math"}  # `torch.add(x, y)` adds two tensors
PARAMETER_SOURCES = ("parameters(", "named_parameters(", "buffers(", "state_dict(")
GUESS = 0.5  # a number strictly between 0 and 1: a momentum, a decay, a mixing weight


def scalar_plans(model, func, name: str) -> list[InputPlan]:
    """[a VALUE plan holding a float] when `name` is a plain number by its use in `func` (or in the model's
    own methods it is handed to), else []."""
    tree = function_tree(func)
    if tree is None or name not in [a.arg for a in tree.args.args]:
        return []
    use = _scalar_use(type(model), tree, name, depth=0)
    if use is None:
        return []
    default = inspect.signature(func).parameters[name].default
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        return [InputPlan(name, [], "float", kind=VALUE, value=float(default),
                          why=f"forward() defaults it to {default}; {use}")]
    return [InputPlan(name, [], "float", kind=VALUE, value=GUESS, why=f"guess {GUESS}: a plain number, {use}")]


def _scalar_use(cls, tree: ast.FunctionDef, name: str, depth: int) -> str | None:
    """Why `name` is a number ("model.py:30 uses it in `...`"), or None when some use is not scalar
    arithmetic (a layer, an index, a shape) or no use needs a number."""
    parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    loops = _parameter_loop_bodies(tree)
    uses = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)]
    evidence = None
    for use in uses:
        node = use
        while isinstance(parents.get(id(node)), (ast.BinOp, ast.UnaryOp)):  # `1. - mm`, `-mm`
            node = parents[id(node)]
        parent = parents.get(id(node))
        if isinstance(parent, ast.Call) and node in parent.args and _is_arithmetic(parent):
            if _number_first(parent, node) or id(parent) in loops:
                evidence = evidence or _where(cls, tree, parent)
            continue
        handed = _handed_to_method(cls, parent, node)
        if handed is not None and depth < 2:
            inner = _scalar_use(cls, handed[0], handed[1], depth + 1)
            if inner is None:
                return None
            evidence = evidence or inner
            continue
        if isinstance(parent, ast.Compare) or (node is not use and not isinstance(parent, ast.Call)):
            continue  # `if mm > 0`, `w = 1. - mm`: neither needs nor refuses a number
        return None
    return evidence


def _is_arithmetic(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr in ARITHMETIC


def _number_first(call: ast.Call, arg) -> bool:
    """`t.add_(1. - mm, other)`: a tensor method's old (Number, Tensor) overload, not `torch.add(x, y)`."""
    module = isinstance(call.func.value, ast.Name) and call.func.value.id in MODULES
    return call.func.attr in NUMBER_FIRST and len(call.args) == 2 and call.args[0] is arg and not module


def _parameter_loop_bodies(tree) -> set[int]:
    """ids of the calls inside a loop over the model's parameters (`for p, q in zip(a.parameters(), ...)`)."""
    inside = set()
    for loop in ast.walk(tree):
        if isinstance(loop, ast.For) and any(s in ast.unparse(loop.iter) for s in PARAMETER_SOURCES):
            inside |= {id(n) for stmt in loop.body for n in ast.walk(stmt) if isinstance(n, ast.Call)}
    return inside


def _handed_to_method(cls, call, arg) -> tuple[ast.FunctionDef, str] | None:
    """(the method's tree, its parameter) when `call` is `self.method(..., arg, ...)` of the model's class."""
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and arg in call.args
            and isinstance(call.func.value, ast.Name) and call.func.value.id == "self"):
        return None
    method = getattr(cls, call.func.attr, None)
    method = getattr(method, "__wrapped__", method)  # `@torch.no_grad()` keeps the function it wraps
    tree = function_tree(method) if callable(method) else None
    params = [a.arg for a in tree.args.args][1:] if tree is not None else []
    index = call.args.index(arg)
    return (tree, params[index]) if index < len(params) else None


def _where(cls, tree: ast.FunctionDef, call: ast.Call) -> str:
    method = getattr(cls, tree.name, None)
    method = getattr(method, "__wrapped__", method)
    try:
        path = inspect.getsourcefile(method)
        first = inspect.getsourcelines(method)[1]
    except (OSError, TypeError):
        return f"used as a number in `{ast.unparse(call)}`"
    return f"{path}:{first + call.lineno - 1} uses it as a number: `{ast.unparse(call)}`"



def with_caller_values(candidates: list, root: str, sources: dict, func) -> list:
    """The candidates again, each guessed plain number replaced by the one the repository's caller passes
    (or, for a schedule, starts from) where its code says it; each candidate keeps its list type (a `Fewer`)."""
    guessed = {p.name for plans in candidates for p in plans
               if p.kind == VALUE and p.why and p.why.startswith(f"guess {GUESS}")}
    if not guessed:
        return candidates
    from reader_app.repo.scalar_callers import caller_number  # only for a model that takes a plain number
    names = list(inspect.signature(func).parameters)[1:]
    found = {}
    for name in guessed & set(names):
        try:
            found[name] = caller_number(root, name, names.index(name), sources)
        except Exception:  # mining is a help: a failure there must not stop the trace
            continue
    found = {name: value for name, value in found.items() if value is not None}

    def valued(plan):
        if plan.kind != VALUE or plan.name not in found or not (plan.why or "").startswith(f"guess {GUESS}"):
            return plan
        value, where = found[plan.name]
        return InputPlan(plan.name, [], "float", kind=VALUE, value=value,
                         why=f"{where}; {plan.why.split(': ', 1)[-1]}")
    return [type(plans)(valued(p) for p in plans) for plans in candidates]
