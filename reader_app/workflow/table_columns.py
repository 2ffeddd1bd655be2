"""Hyperparameters printed in tables, every variant kept and named.

Two shapes are read:
- a row per variant: a header row "N | dmodel | dff | h | ... | Pdrop" (possibly split over several
  printed lines) and one row per model ("base", "big", "(A)"); each number goes to the header cell
  above it by horizontal position, so a row whose cells the PDF merged ("0.1 100K") still reads right;
- the transpose: a header row naming the variants ("18-layer | 34-layer", "Base | Large") and a row per
  parameter ("# layers | 12 | 24"); a header cell "18-layer" itself states the variant's depth.
Rows naming another work (a citation "[35]", "et al.") are baselines and are left out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from reader_app.workflow.paper_text import Passage, PaperText
from reader_app.workflow.numbers import parse_number

# parameter key -> how a column header names it (whole token)
HEADERS: dict[str, str] = {
    "hidden_size": r"d_?model|hidden|width|dim",
    "ffn_size": r"d_?ff|mlp|ffn",
    "embed_dim": r"d_?emb(ed)?|embedding",
    "num_layers": r"N|L|layers|depth|#layers",
    "num_heads": r"h|heads|#heads",
    "dropout": r"P_?drop|dropout",
    "label_smoothing": r"ϵ_?ls|ε_?ls|eps_?ls",
    "lr": r"lr",
    "batch_size": r"batch",
    "epochs": r"epochs",
    "kernel_size": r"kernel",
    "warmup": r"warm-?up",
    "train_steps": r"steps",
    "window": r"context",
}
# a parameter row of a transposed table: its first cell
ROW_NAMES: dict[str, str] = {
    "num_layers": r"#?\s*layers|depth",
    "hidden_size": r"hidden( size)?|width|d_?model|#?\s*filters|channels",
    "ffn_size": r"mlp( size)?|d_?ff|feed-?forward( size)?",
    "num_heads": r"#?\s*heads",
    "dropout": r"dropout",
    "window": r"context( length)?|sequence length",
}
DEPTH_CELL = re.compile(r"^(\d+)[- ]?layers?$", re.I)
NUMBER = re.compile(r"^\d+(\.\d+)?([eE]-?\d+)?[kKmM]?$")
CITATION = re.compile(r"\[\d+(,\s*\d+)*\]|\bet al\b")
GROUP = re.compile(r"^\([A-Za-z0-9]+\)$")
LABEL = re.compile(r"^(\([A-Za-z0-9]+\)|[A-Za-z][\w-]*)$")


@dataclass
class TableValue:
    """A number a table prints for a parameter.

    Attributes:
        key: the parameter; text: the number as printed; variant: the row's or column's name.
        row: the printed row it was read from (page and box for highlighting).
    """

    key: str
    text: str
    variant: str
    row: Passage


def _tokens(passage: Passage) -> list[tuple[str, float, float]]:
    """(token, x0, x1) of a table row, positions estimated from each cell's box."""
    out = []
    for cell, box in zip(passage.text.split(" | "), passage.boxes):
        x0, _, x1, _ = box
        width = max(1, len(cell))
        for m in re.finditer(r"\S+", cell.replace("# ", "#")):
            out.append((m.group(0), x0 + (x1 - x0) * m.start() / width, x0 + (x1 - x0) * m.end() / width))
    return out


def _key_of(token: str) -> str | None:
    token = token.strip("()").replace("_", "")
    return next((k for k, pattern in HEADERS.items() if re.fullmatch(pattern, token, re.I if len(token) > 2 else 0)),
                None)


def _numbers(passage: Passage) -> list[tuple[str, float, float]]:
    return [t for t in _tokens(passage) if NUMBER.match(t[0])]


def _row_name(passage: Passage) -> str:
    first = passage.text.split(" | ")[0].strip()
    return "" if NUMBER.match(first.split()[0] if first.split() else "0") else first


def _columns(headers: list[Passage]) -> list[tuple[str | None, float, float]]:
    """Every header token with its parameter key (None for columns the check does not know)."""
    return [(_key_of(tok), x0, x1) for row in headers for tok, x0, x1 in _tokens(row)]


def _by_variant(rows: list[Passage]) -> list[TableValue]:
    """A row per variant under a header of parameter names."""
    out: list[TableValue] = []
    groups: list[tuple[list[Passage], list[Passage]]] = []  # (header rows, data rows), a new header restarts
    for row in rows:
        if _numbers(row):
            if groups:
                groups[-1][1].append(row)
        elif groups and not groups[-1][1]:
            groups[-1][0].append(row)  # a header printed over several lines
        elif any(_key_of(t[0]) for t in _tokens(row)) or not groups:
            groups.append(([row], []))
        else:
            groups[-1][1].append(row)  # a group label "(A)" among the data rows
    for headers, data in groups:
        out += _group(headers, data)
    return out


def _group(headers: list[Passage], data: list[Passage]) -> list[TableValue]:
    out: list[TableValue] = []
    columns = _columns(headers)
    known = [c for c in columns if c[0] is not None]
    # One short parameter letter ("N", "h") could be any column of a results table; ask for two, or one word.
    if not known or (len(known) < 2 and not any(c[2] - c[1] > 12 for c in known)):
        return out
    # group labels: a label alone on its line, or one printed on the line of a row of its group ("(C) | 256")
    labels = [r for r in data if (not _numbers(r) and LABEL.match(r.text.strip())) or GROUP.match(_row_name(r))]
    groups = _group_names([r for r in data if _numbers(r) and not _row_name(r)], labels)
    for row in data:
        name = _row_name(row)
        if CITATION.search(row.text) or (name and not LABEL.match(name.split()[0])):
            continue
        if not name:
            name = groups.get(id(row), f"row {data.index(row) + 1}")
        for token, x0, x1 in _numbers(row):
            middle = (x0 + x1) / 2
            # nearest header cell; of two stacked cells ("train" over "steps") the one naming a parameter
            column = min(columns, key=lambda c: (round(abs((c[1] + c[2]) / 2 - middle) / 4), c[0] is None))
            if column[0] is not None and column[1] - 12 <= middle <= column[2] + 12:
                out.append(TableValue(column[0], token, name, row))
    return out


def _middle(passage: Passage) -> float:
    return (passage.bbox[1] + passage.bbox[3]) / 2


def _group_names(rows: list[Passage], labels: list[Passage]) -> dict[int, str]:
    """Unnamed rows -> the group label printed beside them. A label is centred on its group ("(A)" beside
    four rows), so a group runs from its first row to as far below the label as that row is above it."""
    names: dict[int, str] = {}
    labels = sorted(labels, key=_middle)
    i, start = 0, None
    for row in sorted(rows, key=_middle):
        y = _middle(row)
        while i < len(labels):
            start = y if start is None else start
            if y <= 2 * _middle(labels[i]) - start + 3:
                names[id(row)] = _row_name(labels[i]) or labels[i].text.strip()
                break
            i, start = i + 1, None
    return names


def _parameter_row(row: Passage) -> str | None:
    first = row.text.split(" | ")[0].strip()
    return next((k for k, p in ROW_NAMES.items() if re.fullmatch(p, first, re.I)), None)


def _transposed(rows: list[Passage]) -> list[TableValue]:
    """A header row of variant names ("18-layer | 34-layer", "Parameter | Small | Base") and a row per
    parameter below it ("layers | 4 | 8 | 12"); each number goes to the variant printed above it."""
    for i, header in enumerate(rows):
        cells = [(c.strip(), box) for c, box in zip(header.text.split(" | "), header.boxes)]
        named = [(c, box) for c, box in cells if c and not NUMBER.match(c)]
        depth = [(c, box) for c, box in named if DEPTH_CELL.match(c)]
        variants = depth if len(depth) >= 2 else named[1:]
        below = [(key, row) for row in rows[i + 1:] if (key := _parameter_row(row)) and _numbers(row)]
        if len(variants) < 2 or (len(depth) < 2 and not below):
            continue
        out = [TableValue("num_layers", DEPTH_CELL.match(c).group(1), c, header) for c, _ in depth]
        for key, row in below:
            for token, x0, x1 in _numbers(row):
                middle = (x0 + x1) / 2
                name, box = min(variants, key=lambda v: abs((v[1][0] + v[1][2]) / 2 - middle))
                if box[0] - 12 <= middle <= box[2] + 12:
                    out.append(TableValue(key, token, name, row))
        return out
    return []


def table_values(text: PaperText) -> list[TableValue]:
    """Every parameter value every table prints, with the variant it belongs to."""
    tables: dict[tuple[int, str], list[Passage]] = {}
    for passage in text.passages:
        if passage.kind == "table" and len(passage.boxes) == len(passage.text.split(" | ")):
            tables.setdefault((passage.page, passage.figure), []).append(passage)
    out: list[TableValue] = []
    for rows in tables.values():
        found = _transposed(rows)
        out += found if found else _by_variant(rows)
    return [v for v in out if parse_number(v.text) is not None]
