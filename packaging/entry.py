"""The bundle's entry point: the app's command line, and a stand-in for `python -m MODULE`.

Inside the bundle `sys.executable` is this program, not a Python. The app starts its own children with
`--run-module MODULE` (reader_app/child_process.py); the trace runner starts `sys.executable -m
reader_app.trace.child`, so `-m` is accepted as the same request.
"""
import os
import sys

# pymupdf.layout (and onnxruntime behind it) is left out of the bundle; keep PyMuPDF from printing
# its "consider pymupdf_layout" hint on stdout, which the render and analysis children use as a pipe.
os.environ.setdefault("PYMUPDF_SUGGEST_LAYOUT_ANALYZER", "0")

if len(sys.argv) > 2 and sys.argv[1] == "-m":
    sys.argv[1] = "--run-module"

from reader_app.cli import main  # noqa: E402  (after argv is settled)

raise SystemExit(main())
