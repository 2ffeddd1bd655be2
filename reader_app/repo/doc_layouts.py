"""The layout a docstring states for each forward() argument, read from the source text: Sphinx
(`:param cmaps_f: padded encoded forward character sequences, a tensor of dimensions (batch_size, char_pad_len)`),
Google (`x (Tensor): shape (B, T, C)`) and numpy (`x : torch.Tensor, shape [batch, seq_len]`) styles, in the
method's docstring or, for arguments it leaves out, the class's. Each axis stays the name written (`char_pad_len`),
so that the axes several arguments share can be bound to one size (doc_inputs.py). Torch-free."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass

BATCH = re.compile(r"^(batch(_?size)?|bs|b|n_?batch|num_?batch)$", re.IGNORECASE)
SEPARATOR = r"\s*,\s*|\s+[x×]\s+"
TOKEN = r"(?:self\.|[\w*])+"
ITEM = rf"{TOKEN}(?:\s*[+\-/]\s*{TOKEN}| (?![x×] ){TOKEN})*"
SHAPE = re.compile(rf"[(\[]\s*({ITEM}(?:(?:{SEPARATOR}){ITEM})+|{ITEM}\s*,)\s*[)\]]")
# A one-axis shape is only a shape where the words say so (`a tensor of dimensions (batch_size)`, `shape [B]`):
# a bare `(optional)` is no axis.
ONE_AXIS = re.compile(rf"(?:dimensions?|dims?|shape|size)\s*(?:of\s*)?:?\s*[(\[]\s*({TOKEN})\s*[)\]]", re.IGNORECASE)
# Words by which a docstring says an argument holds integers: a stated type, or what the values are.
INTEGER_TYPE = re.compile(r"\b(LongTensor|IntTensor|torch\.long|torch\.int64|int64|long)\b")
INTEGER_WORDS = re.compile(r"\b(encoded|indices|index|ids|tags?|labels?|markers?|lengths?)\b", re.IGNORECASE)


@dataclass
class ArgLayout:
    """One argument's documented layout.

    Attributes:
        name: the argument.
        items: the axes as written (`["batch_size", "char_pad_len"]`).
        line: the source line (1-based, in the file) of the text that states it.
        words: the whole description, continuation lines included.
        integer: the description states integer values (its type, or words such as `encoded`, `indices`).
    """

    name: str
    items: list
    line: int
    words: str
    integer: bool = False


def _start(name: str):
    return re.compile(rf"^\s*(:param\s+(\w+\s+)?{re.escape(name)}\s*:|{re.escape(name)}\s*(\([^)]*\))?\s*:)(.*)$")


def _docstring_range(node) -> tuple[int, int] | None:
    body = getattr(node, "body", None) or []
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return first.lineno, first.end_lineno or first.lineno
    return None


def _described(lines: list[str], span: tuple[int, int], name: str) -> tuple[int, str, str] | None:
    """(line number, description, Google-style `(type)`) of the argument within the docstring's lines `span`
    (1-based, inclusive)."""
    start = _start(name)
    for number in range(span[0], span[1] + 1):
        line = lines[number - 1]
        match = start.match(line.replace('"""', "").replace("'''", ""))
        if not match:
            continue
        indent = len(line) - len(line.lstrip())
        body = [match.group(4) or ""]
        for more in lines[number:span[1]]:
            if not more.strip() or len(more) - len(more.lstrip()) <= indent or more.lstrip().startswith(":"):
                break
            body.append(more.strip())
        # the `(type)` of Google style says the dtype, or a shape, never in prose (`(list of int, optional)`)
        return number, " ".join(body), match.group(3) or ""
    return None


def shape_items(text: str) -> list[str] | None:
    """The axes of the first shape the text writes, or None when it writes none."""
    match = SHAPE.search(text)
    if match:
        items = [i.strip() for i in re.split(SEPARATOR, match.group(1)) if i.strip()]
        # prose in parentheses (`(fused cross-entropy over the text, no logits)`) is no shape
        return None if any(i.count(" ") > 1 or i.lower() in ("optional", "default") for i in items) else items
    one = ONE_AXIS.search(text)
    return [one.group(1)] if one else None


def arg_layouts(source: str, class_name: str, method: str, params: list[str]) -> dict[str, ArgLayout]:
    """name -> ArgLayout for each of `params` whose layout the method's docstring (else the class's) states
    in the module `source`; {} when the class or method is not found there."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    lines = source.splitlines()
    klass = next((n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == class_name), None)
    func = next((n for n in (klass.body if klass else []) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and n.name == method), None)
    spans = [s for s in (_docstring_range(func) if func else None, _docstring_range(klass) if klass else None) if s]
    found: dict[str, ArgLayout] = {}
    for name in params:
        for span in spans:
            said = _described(lines, span, name)
            # the shape in the words, else in Google style's `(type)` when that is one (`input (batch, seq_len):`)
            items = (shape_items(said[1]) or shape_items(said[2])) if said else None
            if items:
                words = f"{said[2]} {said[1]}"
                integer = bool(INTEGER_TYPE.search(words) or INTEGER_WORDS.search(words))
                found[name] = ArgLayout(name, items, said[0], words, integer)
                break
    return found
