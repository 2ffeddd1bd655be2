"""Which of a name's assignments a default run makes. `if opt.rgb: opt.input_channel = 3` with `--rgb` a
store_true flag never runs with the defaults, so the option's own default (1) is the value; a test the defaults
cannot decide (`if torch.cuda.is_available():`) leaves its assignment an alternative the reader is told about,
not the value, unless nothing else states one. Read as ast; the tests are evaluated by `values_literal.literal`
with the caller's name lookup, so a test reads option defaults and the README's command line as values do.
"""
from __future__ import annotations

import ast

from reader_app.repo.values_literal import MISSING
from reader_app.repo.values_source import per_tree

TAKEN, UNTAKEN, UNDECIDED = "taken", "untaken", "undecided"


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
