"""The shape a forward() docstring gives an argument, read literally: `:param caption_lengths: caption lengths,
a tensor of dimension (batch_size, 1)` is (batch, 1), not the shape of the tokens it counts."""
from __future__ import annotations

import inspect
import re

BATCH = re.compile(r"^(batch(_?size)?|bs|b|n_?batch|num_?batch)$", re.IGNORECASE)
SEPARATOR = r"\s*,\s*|\s+[x×]\s+"
# An item may be words (`[Batch, Input length, Channel]`), but never swallows an `x` separator; sizes the
# model holds may be written as arithmetic on them (`self.in_xyz+self.in_dir`, `2*self.dim`).
TOKEN = r"(?:self\.|[\w*])+"
ITEM = rf"{TOKEN}(?:\s*[+\-/]\s*{TOKEN}| (?![x×] ){TOKEN})*"
SHAPE = re.compile(rf"[(\[]\s*({ITEM}(?:(?:{SEPARATOR}){ITEM})+|{ITEM}\s*,)\s*[)\]]")


def _description(func, name: str) -> str:
    """The text a Sphinx (`:param name:`), Google (`name (type): ...`) or numpy (`name : type`) docstring
    gives the parameter, continuation lines included, else a comment in the body; "" when neither says."""
    lines = (inspect.getdoc(func) or "").splitlines()
    start = re.compile(rf"^\s*(:param\s+(\w+\s+)?{re.escape(name)}\s*:|{re.escape(name)}\s*(\([^)]*\))?\s*:)(.*)$")
    for index, line in enumerate(lines):
        match = start.match(line)
        if not match:
            continue
        indent = len(line) - len(line.lstrip())
        body = [match.group(4)]
        for more in lines[index + 1:]:
            if not more.strip() or len(more) - len(more.lstrip()) <= indent or more.lstrip().startswith(":"):
                break
            body.append(more.strip())
        return " ".join(body)
    return _comment(func, name)


def _comment(func, name: str) -> str:
    """What a comment in the function's body says of the parameter (`# x: [Batch, Input length, Channel]`)."""
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return ""
    start = re.compile(rf"^\s*#\s*{re.escape(name)}\s*(\([^)]*\))?\s*:(.*)$")
    return next((m.group(2) for line in source.splitlines() if (m := start.match(line))), "")


def documented_where(func, name: str) -> str | None:
    """`/abs/path/model.py:12 (a comment)` or `(its docstring)`: the source line that gives the parameter its
    shape, for the input's provenance; None when no line of the function's source does."""
    try:
        lines, first = inspect.getsourcelines(func)
        path = inspect.getsourcefile(func)
    except (OSError, TypeError):
        return None
    start = re.compile(rf"^\s*(#\s*)?(:param\s+(\w+\s+)?{re.escape(name)}\s*:|{re.escape(name)}\s*(\([^)]*\))?\s*:)")
    for index, line in enumerate(lines):
        if start.match(line) and SHAPE.search(line):
            kind = "a comment" if line.lstrip().startswith("#") else "its docstring"
            return f"{path}:{first + index} ({kind})"
    return None


def documented_names(func, name: str) -> list[str] | None:
    """The documented shape's items as written (`[bs x num_patch x n_vars x patch_len]` -> those four), or
    None when the docstring gives the parameter no shape."""
    match = SHAPE.search(_description(func, name))
    if not match:
        return None
    return [i.strip() for i in re.split(SEPARATOR, match.group(1)) if i.strip()]


def documented_dims(func, name: str) -> list | None:
    """The documented shape as dims ("batch" for the batch, ints as written), or None when the docstring
    gives no shape or names a size this cannot read (a feature width the model holds under another name)."""
    match = SHAPE.search(_description(func, name))
    if not match:
        return None
    dims = []
    for item in (i.strip() for i in re.split(SEPARATOR, match.group(1)) if i.strip()):
        if BATCH.match(item):
            dims.append("batch")
        elif item.isdigit():
            dims.append(int(item))
        else:
            return None
    return dims if "batch" in dims else None
