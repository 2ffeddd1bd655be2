"""Load PyMuPDF without the optional packages it imports when installed and that nothing here uses:
its ONNX layout package (`pymupdf.layout`, most of its import time) and pymupdf4llm's Markdown helpers.
A module of its own, importing only sys, so the command line can call it before anything heavy."""
from __future__ import annotations

import sys


def skip_optional_packages() -> None:
    """Call before the first `import pymupdf` of the process; afterwards it changes nothing."""
    sys.modules.setdefault("pymupdf.layout", None)
    if "pymupdf" not in sys.modules:  # once PyMuPDF is loaded with it, leave it be
        sys.modules.setdefault("pymupdf4llm", None)
