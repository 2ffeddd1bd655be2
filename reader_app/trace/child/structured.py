"""Arguments that are not one tensor: a list of records (`batched_input: List[Dict[str, Any]]`), a dict of
named tensors (`batch: Dict[str, Tensor]`), a flag (`multimask_output: bool`).

The structure comes from three places a reader would look: the annotation, the docstring (which often lists a
record's keys with their shapes, "'image': the image in 3xHxW format"), and how forward() reads the argument
(`x["image"]` is needed; `x.get("boxes")` and keys tested with `"point_coords" in x` are optional). Tensors
take their shape from the docstring, else from what the key's name says; an image takes the image size the
size table holds (the one the model is built with).
"""
from __future__ import annotations

import ast
import inspect
import re

from reader_app.trace.child.plans import DICT, LIST, SIZES_TUPLE, VALUE, InputPlan
from reader_app.trace.child.reach import function_tree

LIST_OF_DICTS = re.compile(r"^(list|sequence|iterable|tuple)(\[|\(|\s+of\s+)(dict|mapping)")
A_DICT = re.compile(r"^(dict|mapping|typeddict)\b")
# "3xHxW", "BxNx2", "Bx1xHxW" or "(B, N, 2)" in a key's description.
SHAPE_X = re.compile(r"\b((?:[A-Z]|\d+)(?:x(?:[A-Z]|\d+))+)\b")
SHAPE_TUPLE = re.compile(r"\(\s*((?:[A-Z]|\d+)(?:\s*,\s*(?:[A-Z]|\d+))+)\s*\)")
SIZE_PAIR = re.compile(r"tuple\s*[\[(]\s*int\s*,\s*int|\(\s*H\s*,\s*W\s*\)")
LETTERS = {"N": "seq_len", "L": "seq_len", "T": "seq_len", "S": "seq_len", "H": "height", "W": "width",
           "D": "depth"}
INTEGER_KEYS = re.compile(r"label|ids$|idx|index|token|class")
IMAGE_KEYS = re.compile(r"image|img|pixel")


def annotation_text(func, name: str) -> str:
    """The parameter's annotation as lower-case text without `typing.` ("list[dict[str, any]]")."""
    try:
        param = inspect.signature(func).parameters[name]
    except (KeyError, TypeError, ValueError):
        return ""
    note = param.annotation
    if note is param.empty:
        return ""
    text = note if isinstance(note, str) else getattr(note, "__name__", None) if inspect.isclass(note) else repr(note)
    return re.sub(r"\s+", " ", str(text or "").replace("typing.", "")).strip().lower()


def _default(func, name: str):
    try:
        return inspect.signature(func).parameters[name].default
    except (KeyError, TypeError, ValueError):
        return None


def docstring_entry(func, name: str) -> tuple[str, list[str]]:
    """(the type the docstring gives the parameter, "list(dict)"; its description lines) or ("", [])."""
    doc = inspect.getdoc(func) or ""
    lines = doc.splitlines()
    for index, line in enumerate(lines):
        match = re.match(rf"^(\s*){re.escape(name)}\s*(?:\(([^)]*\)?)\))?\s*:(.*)$", line)
        if not match:
            continue
        indent = len(match.group(1))
        body = [match.group(3)]
        for more in lines[index + 1:]:
            if more.strip() and len(more) - len(more.lstrip()) <= indent:
                break
            body.append(more)
        rest = match.group(3).strip()
        # numpy style (`batch : dict`) puts the type after the colon
        kind = match.group(2) or (rest if re.fullmatch(r"[\w\[\](), ]{1,40}", rest) and len(rest.split()) <= 3 else "")
        return kind.strip().lower(), body
    return "", []


def docstring_keys(lines: list[str]) -> dict[str, str]:
    """key -> its description, for the `'key': description` entries of a parameter's description."""
    keys: dict[str, str] = {}
    current, indent = None, 0
    for line in lines:
        match = re.match(r"^(\s*)['\"](\w+)['\"]\s*:\s*(.*)$", line)
        if match:
            current, indent = match.group(2), len(match.group(1))
            keys[current] = match.group(3)
        elif current and line.strip() and len(line) - len(line.lstrip()) > indent:
            keys[current] += " " + line.strip()
        else:
            current = None
    return keys


class KeyReads(ast.NodeVisitor):
    """The keys forward() reads from the argument (or from each element of it), in order, and which of them
    it treats as optional (`.get`, or under an `if "key" in record` test)."""

    def __init__(self, name: str, elements: bool):
        self.holders = set() if elements else {name}
        self.container = name if elements else None
        self.keys: list[str] = []
        self.optional: set[str] = set()
        self.guarded = 0

    def _holder(self, node) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.holders
        # `batched_input[0]["image"]`: an element reached by index
        return self.container is not None and isinstance(node, ast.Subscript) and \
            isinstance(node.value, ast.Name) and node.value.id == self.container

    def _bind_elements(self, target, iterable) -> None:
        """`for x in batched_input`, `zip(batched_input, other)`, `enumerate(...)`, nested."""
        if self.container is None:
            return
        if isinstance(iterable, ast.Name) and iterable.id == self.container and isinstance(target, ast.Name):
            self.holders.add(target.id)
        elif isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and isinstance(target, ast.Tuple):
            if iterable.func.id == "zip":
                for part, arg in zip(target.elts, iterable.args):
                    self._bind_elements(part, arg)
            elif iterable.func.id == "enumerate" and len(target.elts) == 2 and iterable.args:
                self._bind_elements(target.elts[1], iterable.args[0])

    def _key(self, key: str, optional: bool) -> None:
        if key not in self.keys:
            self.keys.append(key)
        if optional or self.guarded:
            self.optional.add(key)

    def visit_For(self, node):
        self._bind_elements(node.target, node.iter)
        self.generic_visit(node)

    def visit_comprehension(self, node):
        self._bind_elements(node.target, node.iter)
        self.generic_visit(node)

    def visit_ListComp(self, node):  # the generators bind the element name before the element is read
        for generator in node.generators:
            self.visit(generator)
        self.visit(node.elt)

    visit_GeneratorExp = visit_SetComp = visit_ListComp

    def visit_If(self, node):
        tested = [n for n in ast.walk(node.test) if isinstance(n, ast.Compare) and isinstance(n.left, ast.Constant)
                  and isinstance(n.left.value, str) and any(isinstance(op, (ast.In, ast.NotIn)) for op in n.ops)
                  and any(self._holder(c) for c in n.comparators)]
        for compare in tested:
            self._key(compare.left.value, True)
        self.visit(node.test)
        self.guarded += bool(tested)
        for stmt in node.body + node.orelse:
            self.visit(stmt)
        self.guarded -= bool(tested)

    def visit_Subscript(self, node):
        if self._holder(node.value) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
            self._key(node.slice.value, False)
        self.generic_visit(node)

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("get", "pop") and self._holder(func.value) and \
                node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            self._key(node.args[0].value, True)
        self.generic_visit(node)


def read_keys(func, name: str, elements: bool) -> tuple[list[str], set[str]]:
    tree = function_tree(func)
    if tree is None:
        return [], set()
    reads = KeyReads(name, elements)
    for stmt in tree.body:
        reads.visit(stmt)
    return reads.keys, reads.optional


def _shape_from(description: str, in_list: bool, key: str) -> list | None:
    """Dims from "3xHxW" / "(B, N, 2)"; inside a list element, B (the prompts of one record) is one."""
    match = SHAPE_X.search(description)
    parts = match.group(1).split("x") if match else None
    if parts is None:
        match = SHAPE_TUPLE.search(description)
        parts = [p.strip() for p in match.group(1).split(",")] if match else None
    if not parts:
        return None
    dims = []
    for part in parts:
        if part.isdigit():
            dims.append(int(part))
        elif part == "B":
            dims.append(1 if in_list else "batch")
        elif part == "C" and IMAGE_KEYS.search(key):
            dims.append(3)
        elif part in LETTERS:
            dims.append(LETTERS[part])
        else:
            return None
    return dims


def key_plan(key: str, description: str, in_list: bool, by_name) -> InputPlan:
    """One record entry: a (height, width) pair, a tensor the description shapes, else what the name says."""
    if SIZE_PAIR.search(description) or (not description and re.search(r"(^|_)(size|shape|hw)$", key)):
        return InputPlan(key, ["height", "width"], "int64", kind=SIZES_TUPLE)
    integer = bool(INTEGER_KEYS.search(key.lower()))
    dims = _shape_from(description, in_list, key)
    if dims is not None:
        return InputPlan(key, dims, "int64" if integer else "float32", 2 if integer else None)
    said = by_name(key)
    if said:
        dims, dtype, high = said[0]
        dims = list(dims)
        if in_list and dims and dims[0] == "batch":  # the list is the batch: a record holds one item
            dims = dims[1:]
        high = None if isinstance(high, str) else high
        return InputPlan(key, dims or [1], dtype, high)
    return InputPlan(key, [16] if in_list else ["batch", 16])


# An int argument that says where to start (a cache position, an offset, a step index): 0 is always in range;
# any other int (a count) is 1.
POSITION = re.compile(r"(^|_)(pos|position|offset|start|index|idx|step|t)$|^start")  # not `n_steps`: a count


def structured_plans(func, name: str, by_name) -> list[InputPlan]:
    """Plans for an argument that is a flag, a list of records or a dict of tensors (the needed keys first,
    then every key the docstring or the code names); [] for a tensor argument."""
    note = annotation_text(func, name)
    doc_type, lines = docstring_entry(func, name)
    default = _default(func, name)
    if isinstance(default, bool):  # a flag passed at all keeps the value forward() defaults it to
        return [InputPlan(name, [], "bool", kind=VALUE, value=default)]
    if note == "bool" or (not note and doc_type == "bool"):
        return [InputPlan(name, [], "bool", kind=VALUE, value=False)]
    if note == "int":  # `forward(tokens, start_pos: int)`: a position or a count, never a tensor
        value = default if isinstance(default, int) else 0 if POSITION.search(name.lower()) else 1
        return [InputPlan(name, [], "int", kind=VALUE, value=value)]
    in_list = bool(LIST_OF_DICTS.match(note) or LIST_OF_DICTS.match(doc_type))
    if not in_list and not (A_DICT.match(note) or A_DICT.match(doc_type)):
        return []
    described = docstring_keys(lines)
    keys, optional = read_keys(func, name, in_list)
    needed = [k for k in keys if k not in optional] or [k for k in keys if k in described] or list(described)
    every = list(dict.fromkeys(needed + keys + list(described)))
    if not needed:
        return []
    plans = []
    for chosen in (needed, every):
        record = InputPlan(name, [], "dict", kind=DICT,
                           items=[key_plan(k, described.get(k, ""), in_list, by_name) for k in chosen])
        plan = InputPlan(name, ["batch"], "list", kind=LIST, items=[record]) if in_list else record
        if plan not in plans:
            plans.append(plan)
    return plans
