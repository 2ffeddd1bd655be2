"""Which of a set of repository functions the README's code calls: the run the repository describes to its
readers (`vit = mobilevit_xxs()`), which outranks the demo calls of a file's own `if __name__ == '__main__':`
block. Read as syntax trees of the README's Python blocks; nothing is run."""
from __future__ import annotations

import ast

from reader_app.repo.index import called_name
from reader_app.repo.values_source import units_mentioning


def readme_calls(root: str, names: list[str]) -> dict[str, str]:
    """{name: "README.md:18"} of the first of `names` the README's code calls (by a bare name or as a module's
    attribute, `models.mobilevit_xxs()`); {} when it calls none. Only the first: a README that shows one call
    and lists the other sizes in prose describes that one run."""
    wanted = set(names)
    first: tuple[int, int, str, str] | None = None
    for name in sorted(wanted):
        for unit in units_mentioning(root, name):
            if unit.kind != "readme":
                continue
            for node in ast.walk(unit.tree):
                if isinstance(node, ast.Call) and called_name(node) in wanted:
                    place = (_readme_rank(unit.rel), node.lineno, unit.rel, called_name(node))
                    first = place if first is None or place < first else first
    if first is None:
        return {}
    _, line, rel, name = first
    return {name: f"{rel}:{line}"}


def _readme_rank(rel: str) -> tuple[int, str]:
    """The top-level README first, then deeper ones, then any other Markdown page."""
    name = rel.rsplit("/", 1)[-1].lower()
    return (rel.count("/") + (0 if name.startswith("readme") else 10), rel)
