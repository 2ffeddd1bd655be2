"""Hyperparameters printed as table columns: a header row "N | dmodel | dff | h | ... | Pdrop" and a row
for the paper's own model ("base", "ours"), as in the Transformer paper's Table 3.

Each number of the model's row goes to the header cell above it (by horizontal position), so a row
whose cells were merged by the PDF ("0.1 100K") still reads right.
"""
from __future__ import annotations

import re

from reader_app.workflow.paper_text import Passage, PaperText

# parameter key -> how a column header names it (whole cell)
HEADERS: dict[str, str] = {
    "hidden_size": r"d_?model|hidden( size)?|width",
    "embed_dim": r"d_?emb(ed)?|embedding( size)?",
    "num_layers": r"N|L|layers|depth",
    "num_heads": r"h|heads",
    "dropout": r"P_?drop|dropout",
    "lr": r"lr|learning rate",
    "batch_size": r"batch( size)?",
    "epochs": r"epochs",
    "kernel_size": r"kernel( size)?",
    "warmup": r"warm-?up( steps)?",
}
OWN_ROW = re.compile(r"^(base|ours|default|proposed|our model|final|full model)\b", re.I)
NUMBER = re.compile(r"^\d+(\.\d+)?([eE]-?\d+)?$")


def _tokens(passage: Passage) -> list[tuple[str, float, float]]:
    """(token, x0, x1) of a table row, positions estimated from each cell's box."""
    out = []
    for cell, box in zip(passage.text.split(" | "), passage.boxes):
        x0, _, x1, _ = box
        width = max(1, len(cell))
        for m in re.finditer(r"\S+", cell):
            out.append((m.group(0), x0 + (x1 - x0) * m.start() / width, x0 + (x1 - x0) * m.end() / width))
    return out


def _header(passage: Passage) -> list[tuple[str, float, float]]:
    """(parameter key, x0, x1) of each cell naming a parameter; empty unless two or more do."""
    found = []
    for token, x0, x1 in _tokens(passage):
        key = next((k for k, pattern in HEADERS.items() if re.fullmatch(pattern, token)), None)
        if key is not None:
            found.append((key, x0, x1))
    return found if len(found) >= 2 else []


def column_values(text: PaperText) -> list[tuple[str, str, Passage]]:
    """(parameter key, number as printed, the model's row) for every header column the model's row fills."""
    out = []
    tables: dict[str, list[Passage]] = {}
    for passage in text.passages:
        if passage.kind == "table" and len(passage.boxes) == len(passage.text.split(" | ")):
            tables.setdefault(passage.figure, []).append(passage)
    for rows in tables.values():
        header: list[tuple[str, float, float]] = []
        for row in rows:
            if not header:
                header = _header(row)
                continue
            if not OWN_ROW.match(row.text):
                continue
            for token, x0, x1 in _tokens(row)[1:]:
                if not NUMBER.match(token):
                    continue
                middle = (x0 + x1) / 2
                column = min(header, key=lambda h: abs((h[1] + h[2]) / 2 - middle))
                if column[1] - 12 <= middle <= column[2] + 12:
                    out.append((column[0], token, row))
            break  # the first own row after the header is the model's configuration
    return out
