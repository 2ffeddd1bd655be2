"""Child process that analyses one PDF: MuPDF's crashes and GIL-holding work stay out of the window.

Reads {"path", "password"} as one JSON line on stdin; writes JSON lines on stdout:
{"progress": [done, total]} while reading pages, then {"paper": {...}} or {"error": "one sentence"}.
"""
from __future__ import annotations

import json
import sys

from reader_app.child_process import skip_mupdf_layout

skip_mupdf_layout()  # before PyMuPDF loads
from reader_app.paper.analyze import analyze_paper
from reader_app.paper.document import PaperOpenError


def _say(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> int:
    request = json.loads(sys.stdin.readline())
    try:
        paper = analyze_paper(request["path"], request.get("password"),
                              progress=lambda done, total: _say({"progress": [done, total]}))
    except PaperOpenError as error:
        _say({"error": error.message})
        return 2
    except Exception as error:  # an analysis bug must not read as a broken paper: say both
        _say({"error": f"The paper could not be analysed ({type(error).__name__}: {error})."})
        return 1
    data = paper.to_json()
    data["page_sizes"] = [list(size) for size in paper.page_sizes]
    data["figure_numbers"] = [figure.number for figure in paper.figures]
    _say({"paper": data})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
