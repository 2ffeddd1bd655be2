"""Which of a class's factories a run of the repository can reach. A factory the repository refers to only
in its own file's self-test (`if __name__ == '__main__': model = mobilevit_s()`) or in a branch the default
options rule out (`elif args.net == 'mobilevit': net = mobilevit_xxs(...)` with `--net` defaulting to
another model) is a variant offered beside the model a default run builds, not evidence for it.
A factory nothing refers to (a model zoo's `resnet18()` for users to call) is left alone."""
from __future__ import annotations

import ast
import re

from reader_app.repo.graph import GraphBuilder
from reader_app.repo.index import RepoIndex


def sidelined_factories(index: RepoIndex, builder: GraphBuilder,
                        produces: dict[str, tuple[str, set[str]]]) -> dict[str, list[str]]:
    """qualname -> names of its factories that the repository refers to, but only inside the self-test of
    the file defining them or inside branches a default run does not take. `produces`: factory path ->
    (its name, the classes it returns), as describe() found them."""
    if not produces:
        return {}
    names = {name for name, _ in produces.values()}
    # a mention other than the factory's own `def`
    mentions = re.compile(r"(?<!def )\b(?:" + "|".join(sorted(map(re.escape, names))) + r")\b")
    live: set[str] = set()
    side: set[str] = set()
    for pf in index.files:
        if not mentions.search(pf.source.text or ""):
            continue  # most files only define a factory or name none: skip their walk
        untaken = guarded = None
        for node in ast.walk(pf.tree):
            if not isinstance(node, (ast.Name, ast.Attribute)) or not isinstance(node.ctx, ast.Load):
                continue
            if (node.id if isinstance(node, ast.Name) else node.attr) not in names:
                continue
            path = index.resolve(pf, node)
            if path not in produces:
                continue
            if untaken is None:
                untaken, guarded = builder.untaken(pf), _self_test_nodes(pf.tree)
            own_file = path.rpartition(".")[0] == pf.module
            (side if id(node) in untaken or (own_file and id(node) in guarded) else live).add(path)
    out: dict[str, list[str]] = {}
    for path in sorted(side - live):
        name, classes = produces[path]
        for qualname in classes:
            out.setdefault(qualname, []).append(name)
    return out


def _self_test_nodes(tree: ast.Module) -> set[int]:
    """ids of the nodes inside the module's `if __name__ == '__main__':` blocks."""
    out: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test) and "__name__" in ast.unparse(node.test):
            out.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return out
