"""What a constructor's source does with its parameters, read from the class or function source: compared
with strings (`cell == 'lstm'`), used as a list (len, indexing, iteration), tested for None. The construction
guesses values that fit these uses."""
from __future__ import annotations

import ast
import inspect
import textwrap


def _source_tree(func) -> ast.Module | None:
    """The parsed source of a class or function, or None where it has none (built-ins, C, a REPL)."""
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return None


def compared_strings(func) -> dict[str, str]:
    """param -> the first string the body compares it with: `p == 'lstm'`, `p.lower() in ('gru', 'lstm')`."""
    tree = _source_tree(func)
    if tree is None:
        return {}
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Compare) and len(node.ops) == 1
                and isinstance(node.ops[0], (ast.Eq, ast.In))):
            continue
        left = node.left
        while isinstance(left, ast.Call) and isinstance(left.func, ast.Attribute):  # p.lower().strip()
            left = left.func.value
        right = node.comparators[0]
        strings = [right.value] if isinstance(right, ast.Constant) else [
            e.value for e in getattr(right, "elts", []) if isinstance(e, ast.Constant)]
        strings = [v for v in strings if isinstance(v, str)]
        if isinstance(left, ast.Name) and strings:
            found.setdefault(left.id, strings[0])
    return found


def used_as_sequence(func) -> set[str]:
    """Parameters the body treats as lists: len(p), p[i], `for x in p`, enumerate(p), zip(p, ...), joined to a
    list literal (`[nin] + p + [nout]`); the same uses of the member it is kept in (`self.p = p`, then
    len(self.p), self.p[i])."""
    tree = _source_tree(func)
    if tree is None:
        return set()
    kept = _kept_as_members(tree)
    names: set[str] = set()

    def name_of(node) -> str | None:
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            return kept.get(node.attr)
        return None

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id in ("len", "enumerate", "zip", "list", "reversed", "tuple"):
            names |= {name_of(a) for a in node.args} - {None}
        elif isinstance(node, ast.Subscript) and name_of(node.value) and not (
                isinstance(node.value, ast.Attribute) and isinstance(node.slice, ast.Constant)
                and isinstance(node.slice.value, str)):  # self.p['key'] is a dict's
            names.add(name_of(node.value))
        elif isinstance(node, (ast.For, ast.comprehension)) and name_of(node.iter):
            names.add(name_of(node.iter))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            terms = _added_terms(node)
            if any(isinstance(t, ast.List) for t in terms):
                names |= {name_of(t) for t in terms} - {None}
    return names


def _kept_as_members(tree: ast.AST) -> dict[str, str]:
    """member -> parameter for each `self.member = parameter` of the functions' own parameters."""
    kept: dict[str, str] = {}
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        params = {a.arg for a in function.args.args + function.args.kwonlyargs}
        for node in ast.walk(function):
            if not isinstance(node, ast.Assign):
                continue
            for target in node.targets:  # `self.p = p`, `self.a, self.p = a, p`
                pairs = zip(target.elts, node.value.elts) if isinstance(target, ast.Tuple) and \
                    isinstance(node.value, ast.Tuple) else [(target, node.value)]
                for member, value in pairs:
                    if isinstance(member, ast.Attribute) and isinstance(member.value, ast.Name) and \
                            member.value.id == "self" and isinstance(value, ast.Name) and value.id in params:
                        kept.setdefault(member.attr, value.id)
    return kept


def _added_terms(node: ast.BinOp) -> list[ast.expr]:
    """The operands of a chain of `+` (`[a] + b + [c]` -> [a], b, [c])."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _added_terms(node.left) + _added_terms(node.right)
    return [node]


def none_handled(func) -> set[str]:
    """Names the body tests for None or truth (`if p is None`, `p or [...]`, `if not p`): their None default
    is one the code expects."""
    tree = _source_tree(func)
    if tree is None:
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and \
                any(isinstance(c, ast.Constant) and c.value is None for c in node.comparators):
            names.add(node.left.id)
        elif isinstance(node, ast.BoolOp):
            names |= {v.id for v in node.values if isinstance(v, ast.Name)}
        elif isinstance(node, (ast.If, ast.IfExp, ast.While, ast.Assert)):
            test = node.test.operand if isinstance(node.test, ast.UnaryOp) else node.test
            if isinstance(test, ast.Name):
                names.add(test.id)
    return names


EXISTS_CALLS = {"exists", "is_not_none", "not_none", "isnotnone", "present", "defined"}


def none_refused(func) -> set[str]:
    """Names the constructor asserts are given (`assert exists(depth)`, `assert dim is not None, '...'`) and
    tests for None nowhere else: a None default the code refuses, so the caller must pass a value."""
    tree = _source_tree(getattr(func, "__init__", None) if inspect.isclass(func) else func)  # not forward's
    if tree is None:
        return set()
    names: set[str] = set()
    inside: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assert):
            continue
        inside |= {id(n) for n in ast.walk(node)}
        tests = node.test.values if isinstance(node.test, ast.BoolOp) and isinstance(node.test.op, ast.And) \
            else [node.test]
        for test in tests:
            if isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and \
                    isinstance(test.ops[0], ast.IsNot) and isinstance(test.comparators[0], ast.Constant) and \
                    test.comparators[0].value is None:
                names.add(test.left.id)
            elif isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and \
                    test.func.id.lower() in EXISTS_CALLS and len(test.args) == 1 and isinstance(test.args[0], ast.Name):
                names.add(test.args[0].id)
    return names - _none_tests(tree, inside)


def _none_tests(tree: ast.AST, skip: set[int]) -> set[str]:
    """Names tested for None or truth outside the nodes in `skip` (`if p is None`, `p or x`, `if exists(p)`)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and \
                any(isinstance(c, ast.Constant) and c.value is None for c in node.comparators):
            names.add(node.left.id)
        elif isinstance(node, ast.BoolOp):
            names |= {v.id for v in node.values if isinstance(v, ast.Name)}
        elif isinstance(node, (ast.If, ast.IfExp, ast.While)):
            test = node.test.operand if isinstance(node.test, ast.UnaryOp) else node.test
            if isinstance(test, ast.Name):
                names.add(test.id)
            elif isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and \
                    test.func.id.lower() in EXISTS_CALLS and test.args and isinstance(test.args[0], ast.Name):
                names.add(test.args[0].id)
    return names
