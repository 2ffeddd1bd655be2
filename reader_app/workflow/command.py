"""`reader-app report PAPER.pdf --repo PATH [-o report.md] [--trace] [--json]`: the reading guide as Markdown or JSON."""
from __future__ import annotations

import argparse
import sys

from reader_app.cli_errors import fail as _fail
from reader_app.atomic import ExportError, write_atomic
from reader_app.paper import PaperOpenError
from reader_app.repo import RepoError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "report", help="write a Markdown reading guide for a paper and its repository",
        description="Sections with tags, figures (architecture figure marked), the main model's layers with "
                    "shapes, the data flow of forward(), where the paper mentions each layer, the "
                    "hyperparameters of paper and code side by side, and the notation found.")
    p.add_argument("paper", help="the paper's PDF")
    p.add_argument("--repo", required=True, help="the repository folder")
    p.add_argument("-o", "--output", metavar="FILE", help="write the guide there (atomically) instead of stdout")
    p.add_argument("--trace", action="store_true",
                   help="run the repository's main model (in a sandbox) to add tensor shapes; off by default")
    p.add_argument("--no-trace", action="store_true", help=argparse.SUPPRESS)  # the old default's opt-out
    p.add_argument("--json", action="store_true", help="write the guide as JSON data (schema in the README)")
    p.set_defaults(func=run)



def run(args) -> int:
    from reader_app.workflow.report import build_guide
    from reader_app.workflow.report_json import render_json
    from reader_app.workflow.report_markdown import render_markdown

    try:
        if args.trace and not args.no_trace:
            from reader_app.sandbox.launch import announce

            announce("report --trace")
        guide = build_guide(args.paper, args.repo, trace=args.trace and not args.no_trace)
    except PaperOpenError as e:
        return _fail(e.message)
    except RepoError as e:
        return _fail(str(e))
    except Exception as e:  # MuPDF errors on damaged files: one sentence, no traceback
        return _fail(f"the report could not be made ({type(e).__name__}: {e}).")
    text = render_json(guide) if args.json else render_markdown(guide)
    if not args.output:
        sys.stdout.write(text)
        return 0
    try:
        write_atomic(args.output, text)
    except ExportError as e:
        return _fail(e.message)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0
