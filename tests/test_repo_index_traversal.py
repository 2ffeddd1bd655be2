"""The scan's one traversal of each file (index.ParsedFile scopes) sees every node, whatever syntax holds it:
the graph, the ranking and the patterns only know what this traversal hands them."""
from __future__ import annotations

import ast
import textwrap

from reader_app.repo import scan_repo
from reader_app.repo.index import SCOPE_NODES, ParsedFile
from reader_app.repo.walk import list_repository

# Layers built inside the forms a traversal could skip: match cases, walrus, f-strings, lambdas, decorators,
# annotations, keyword defaults, comprehensions, starred and sliced expressions, with/try/async blocks.
FORMS = '''
import torch
import torch.nn as nn


def registered(obj=nn.Dropout(0.1)):
    return lambda cls: cls


@registered(nn.GELU())
class Net(nn.Module):
    norm: nn.Module = nn.Identity()

    def __init__(self, kind: str = "a", width: int = 8, act=nn.SiLU()):
        super().__init__()
        match kind:
            case "a" | "b" if width > 4:
                self.norm = nn.LayerNorm(width)
            case {"width": w, **rest}:
                self.norm = nn.BatchNorm1d(w)
            case [first, *others]:
                self.norm = nn.GroupNorm(1, num_channels=width)
            case Net(width=w):
                self.norm = nn.InstanceNorm1d(w)
        if (embed := nn.Embedding(10, width)) is not None:
            self.embed = embed
        self.blocks = nn.ModuleList([nn.Linear(width, width) for _ in range(2) if width])
        self.pick = {k: nn.ReLU() for k in ("x",)}
        self.label = f"{nn.Tanh()!r:>10}"
        self.make = lambda: nn.Sigmoid()
        self.options = dict(act=nn.Hardswish())

    async def warm(self, x):
        async with torch.no_grad() as _, torch.enable_grad():
            return [y async for y in x]

    def forward(self, x, *rest, scale: float = 1.0, **kw):
        global counter
        try:
            h = self.norm(x)[..., ::2]
        except* ValueError:
            h = x
        finally:
            pass
        while False:
            del h
        for part in (*rest, x):
            h = h + part * scale
        return x + self.blocks[0](h) if not kw else -x


counter = 0
'''


def _every_node(tree: ast.Module) -> list[ast.AST]:
    """ast.walk's nodes, without the tree itself and the Load/Store/Del markers."""
    return [n for n in ast.walk(tree) if n is not tree and not isinstance(n, ast.expr_context)]


def _parsed(tmp_path) -> ParsedFile:
    (tmp_path / "net.py").write_text(FORMS)
    source = next(f for f in list_repository(tmp_path).files if f.rel == "net.py")
    return ParsedFile(source, ast.parse(source.text), "net", lines=source.text.splitlines())


def test_the_traversal_sees_every_node_of_every_syntax_form(tmp_path):
    pf = _parsed(tmp_path)
    seen = pf.deep(pf.tree)
    assert sorted(map(id, seen)) == sorted(map(id, _every_node(pf.tree)))
    assert {type(n).__name__ for n in seen} >= {"MatchOr", "MatchMapping", "MatchSequence", "MatchStar",
                                                 "MatchClass", "NamedExpr", "FormattedValue", "Lambda",
                                                 "AsyncWith", "TryStar", "Slice", "Starred", "keyword", "arg"}


def test_each_scope_holds_its_own_nodes_and_stops_at_nested_definitions(tmp_path):
    pf = _parsed(tmp_path)
    net = pf.tree.body[-2]
    assert isinstance(net, ast.ClassDef) and net.name == "Net"
    methods = [n for n in pf.scope(net) if isinstance(n, SCOPE_NODES)]
    assert [m.name for m in methods] == ["__init__", "warm", "forward"]
    for method in methods:  # a method's nodes are its own scope's, never its class's
        assert all(id(n) not in {id(m) for m in pf.scope(net)} for n in pf.scope(method))
    assert {f.name for f in pf.all_functions()} == {"registered", "__init__", "warm", "forward"}


def test_layers_built_inside_every_syntax_form_are_named_as_patterns(tmp_path):
    (tmp_path / "net.py").write_text(textwrap.dedent(FORMS))
    info = scan_repo(tmp_path)
    assert info.main is not None and info.main.name == "Net"
    named = sorted((p.line, p.kind) for p in info.patterns)
    for needle in ("nn.LayerNorm(width)", "nn.BatchNorm1d(w)", "nn.GroupNorm(1, num_channels=width)",
                   "nn.InstanceNorm1d(w)", "nn.Embedding(10, width)", "nn.ReLU()", "nn.Tanh()", "nn.Sigmoid()",
                   "nn.GELU()", "nn.Dropout(0.1)", "nn.SiLU()", "nn.Hardswish()"):
        line = next(i for i, text in enumerate(FORMS.splitlines(), 1) if needle in text)
        assert line in {line for line, _ in named}, f"{needle} (line {line}) was not named; named: {named}"
