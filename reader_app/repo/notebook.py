"""Jupyter notebooks as Python source: their code cells, joined, with IPython-only lines commented out."""
from __future__ import annotations

import json

from reader_app.pyparse import parse

CELL_MARKER = "# %% [cell {number}]"


class NotebookError(ValueError):
    """A notebook whose JSON cannot be read; the message is one human sentence."""


def _cell_lines(cell: dict) -> list[str]:
    source = cell.get("source", "")
    text = "".join(source) if isinstance(source, list) else str(source)
    lines = text.splitlines()
    # Magics (%matplotlib, !pip) and help (obj?) are not Python: keep the line, as a comment, so
    # line numbers stay the same.
    return [f"# {line}" if line.lstrip().startswith(("%", "!")) or line.rstrip().endswith("?") else line
            for line in lines]


def notebook_code(raw: str, name: str = "notebook") -> tuple[str, list[str]]:
    """The code cells of notebook JSON `raw` as one Python text, and sentences for cells that do not parse.

    Every cell starts with a `# %% [cell N]` marker line; a cell that is not valid Python is kept as
    comments so the rest of the notebook still reads and line numbers stay true to the shown text.
    """
    try:
        data = json.loads(raw)
    except ValueError:
        raise NotebookError(f"{name} is not a valid notebook (its JSON cannot be read); it was skipped.") from None
    cells = data.get("cells") if isinstance(data, dict) else None
    if cells is None and isinstance(data, dict):  # nbformat 3 keeps cells inside worksheets
        cells = [c for sheet in data.get("worksheets", []) for c in sheet.get("cells", [])]
    if not isinstance(cells, list):
        raise NotebookError(f"{name} is not a valid notebook (it has no cells); it was skipped.")
    out: list[str] = []
    problems: list[str] = []
    number = 0
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        number += 1
        lines = _cell_lines(cell)
        try:
            parse("\n".join(lines))
        except (SyntaxError, ValueError) as err:
            problems.append(f"{name}, code cell {number}: syntax error ({getattr(err, 'msg', err)}); "
                            "that cell was skipped.")
            lines = [f"# {line}" for line in lines]
        out.append(CELL_MARKER.format(number=number))
        out.extend(lines)
        out.append("")
    return "\n".join(out) + "\n", problems
