"""Which of a name's assignments a default run makes. `if opt.rgb: opt.input_channel = 3` with `--rgb` a
store_true flag never runs with the defaults, so the option's own default (1) is the value; a test the defaults
cannot decide (`if torch.cuda.is_available():`) leaves its assignment an alternative the reader is told about,
not the value, unless nothing else states one. Read as ast; the tests are evaluated by `values_literal.literal`
with the caller's name lookup, so a test reads option defaults and the README's command line as values do.
"""
from __future__ import annotations

import ast

from reader_app.repo.values_literal import MISSING, dotted_name
from reader_app.repo.values_source import body_statements, per_tree

TAKEN, UNTAKEN, UNDECIDED = "taken", "untaken", "undecided"
MODULE_LEVEL = "module"  # the owner of the statements a module runs itself (not its functions')


def assignments(tree: ast.Module) -> dict:
    """name -> [(statement, at module level)] of every `name = ...` / `name: T = ...` in the tree, in line order;
    ("[]", name) -> the same for `name['key'] = ...`. Indexed once per tree: each lookup of a name reads it."""
    def compute():
        module = {id(n) for n in body_statements(tree)}
        out: dict = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                names = [_name(t) for t in node.targets]
                if len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript):
                    names.append(("[]", _name(node.targets[0].value)))
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                names = [_name(node.target)]
            else:
                continue
            for name in dict.fromkeys(n for n in names if n is not None and n != ("[]", None)):
                out.setdefault(name, []).append((node, id(node) in module))
        for found in out.values():
            found.sort(key=lambda pair: pair[0].lineno)
        return out

    return per_tree(tree, ("assignments",), compute)


def owned(node: ast.stmt, module_level: bool, owner) -> bool:
    """Whether an assignment runs in `owner`: a function (its nested ones too) or MODULE_LEVEL."""
    if owner == MODULE_LEVEL:
        return module_level
    return owner.lineno <= node.lineno <= (owner.end_lineno or owner.lineno)


def _name(node) -> str | None:
    return node.id if isinstance(node, ast.Name) else dotted_name(node) if isinstance(node, ast.Attribute) else None


def if_ancestors(tree: ast.Module) -> dict[int, tuple]:
    """id(statement) -> ((If node, in its body rather than its else), ...) outermost first, counting only the
    `if`s of the statement's own function (or of the module, for a module-level statement)."""
    def compute():
        out: dict[int, tuple] = {}

        def visit(body, chain):
            for node in body:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    visit(node.body, ())  # a function's own `if`s only
                    continue
                out[id(node)] = chain
                if isinstance(node, ast.If):
                    visit(node.body, chain + ((node, True),))
                    visit(node.orelse, chain + ((node, False),))
                    continue
                for field in ("body", "orelse", "finalbody"):
                    visit(getattr(node, field, []) or [], chain)
                for handler in getattr(node, "handlers", []) or []:
                    visit(handler.body, chain)

        visit(tree.body, ())
        del visit  # a recursive closure is a reference cycle: without this the tree waits for the collector
        return out

    return per_tree(tree, ("if ancestors",), compute)


def main_guard(test: ast.AST) -> bool:
    """`if __name__ == '__main__':`: the script's own run, which is what is being read."""
    text = ast.unparse(test)
    return "__name__" in text and "__main__" in text


def branch_state(ancestors: tuple, decide) -> str:
    """TAKEN when every enclosing test is decided for the statement's branch, UNTAKEN when one is decided
    against it, else UNDECIDED; `decide(if_node)` gives the test's value or MISSING."""
    state = TAKEN
    for node, in_body in ancestors:
        if main_guard(node.test):
            continue
        value = decide(node)
        if value is MISSING:
            state = UNDECIDED
        elif bool(value) != in_body:
            return UNTAKEN
    return state


def condition_text(ancestors: tuple) -> str:
    """The tests a guarded assignment waits for, as the reader would say them (`if opt.rgb`)."""
    parts = [(" ".join(ast.unparse(n.test).split()) if in_body else f"not ({' '.join(ast.unparse(n.test).split())})")
             for n, in_body in ancestors if not main_guard(n.test)]
    return "if " + " and ".join(parts) if parts else ""
