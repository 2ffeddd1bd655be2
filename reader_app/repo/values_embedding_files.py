"""A width a script reads from the first line of a pretrained word-vector file the repository does not ship
(`with open(emb_file) as f: word_emb_dim = len(f.readline().split(' ')) - 1` with
`emb_file = './embeddings/glove.6B.100d.txt'`): the file's published name states it. GloVe files name it
(`glove.6B.100d.txt`, `glove.840B.300d.txt`: a word then that many values per line), so does word2vec's
`GoogleNews-vectors-negative300`; fastText's `.vec` files open with a header `count width` (`wiki.en.vec`,
`cc.en.300.vec`: 300 values). Torch-free."""
from __future__ import annotations

import ast
import os
import re

from reader_app.repo.values_literal import MISSING, literal

NAMED_WIDTH = re.compile(r"(?:^|[._-])(\d{2,4})d(?:[._-]|$)|negative(\d{2,4})(?:[._-]|$)", re.IGNORECASE)
FASTTEXT = re.compile(r"^(wiki\.[\w-]+|cc\.[\w-]+\.(\d{2,4}))\.vec$", re.IGNORECASE)
FASTTEXT_WIDTH = 300  # every published wiki.*.vec and cc.*.300.vec


def file_width(path: str) -> tuple[int, str] | None:
    """(width, layout) a published word-vector file's name states: "values" (a word and the vector per line)
    or "header" (a first line `count width`); None when its name states none."""
    base = os.path.basename(path)
    fast = FASTTEXT.match(base)
    if fast:
        return int(fast.group(2) or FASTTEXT_WIDTH), "header"
    named = NAMED_WIDTH.search(base)
    if named and re.search(r"\.(txt|vec|bin|w2v|gz|zip)$", base, re.IGNORECASE):
        width = int(named.group(1) or named.group(2))
        return (width, "values") if 8 <= width <= 4096 else None
    return None


def _first_line_of(node, handle: str) -> bool:
    """`f.readline()`, `next(f)`, `f.readlines()[0]`: the first line the handle gives."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "readline" \
            and isinstance(node.func.value, ast.Name) and node.func.value.id == handle:
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "next" \
            and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id == handle:
        return True
    return isinstance(node, ast.Subscript) and isinstance(node.value, ast.Call) \
        and isinstance(node.value.func, ast.Attribute) and node.value.func.attr == "readlines" \
        and isinstance(node.value.func.value, ast.Name) and node.value.func.value.id == handle \
        and isinstance(node.slice, ast.Constant) and node.slice.value == 0


def _split_first(node, handle: str) -> bool:
    """`<first line>.split(...)`, stripped or not."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split"):
        return False
    inner = node.func.value
    while isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) \
            and inner.func.attr in ("strip", "rstrip"):
        inner = inner.func.value
    return _first_line_of(inner, handle)


def _reads(value, handle: str, layout: str) -> bool:
    """The expression computes the width from the first line as the file's layout has it: the count of values
    after the word (`len(first.split()) - 1`), or the header's second number (`int(first.split()[1])`)."""
    if layout == "values":
        return isinstance(value, ast.BinOp) and isinstance(value.op, ast.Sub) \
            and isinstance(value.right, ast.Constant) and value.right.value == 1 \
            and isinstance(value.left, ast.Call) and isinstance(value.left.func, ast.Name) \
            and value.left.func.id == "len" and len(value.left.args) == 1 and _split_first(value.left.args[0], handle)
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "int" \
        and len(value.args) == 1 and isinstance(value.args[0], ast.Subscript) \
        and isinstance(value.args[0].slice, ast.Constant) and value.args[0].slice.value == 1 \
        and _split_first(value.args[0].value, handle)


def embedding_file_width(tree: ast.AST, assignment: ast.Assign, lookup, depth: int) -> tuple[int, str] | None:
    """(width, file name) when `assignment` reads the width of the word-vector file a `with open(P) as f` around
    it opens and P's name states that width; None otherwise."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.With) or not any(child is assignment for child in ast.walk(node)):
            continue
        for item in node.items:
            call, handle = item.context_expr, item.optional_vars
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "open"
                    and call.args and isinstance(handle, ast.Name)):
                continue
            path = literal(call.args[0], lookup, depth + 1)
            stated = file_width(path) if isinstance(path, str) and path is not MISSING else None
            if stated and _reads(assignment.value, handle.id, stated[1]):
                return stated[0], os.path.basename(path)
    return None
