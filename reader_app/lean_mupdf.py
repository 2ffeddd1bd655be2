"""Load PyMuPDF without the optional packages it imports when installed and that nothing here uses:
its ONNX layout package (`pymupdf.layout`, most of its import time) and pymupdf4llm's Markdown helpers.
A module of its own, importing only sys, so the command line can call it before anything heavy."""
from __future__ import annotations

import sys

ADD_ONS = ("pymupdf.layout", "pymupdf4llm")


def skip_optional_packages() -> None:
    """Call before the first `import pymupdf` of the process; once PyMuPDF is loaded it changes nothing
    (a process that already has pymupdf4llm, such as a benchmark's baseline, keeps it)."""
    if "pymupdf" not in sys.modules:
        for name in ADD_ONS:
            sys.modules.setdefault(name, None)
