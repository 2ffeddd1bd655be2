"""`reader-app analyze PAPER.pdf [--json] [--figures-dir DIR] [--password PW]`."""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

from reader_app.cli_errors import fail as _fail
from reader_app.paper.analyze import analyze_paper
from reader_app.paper.document import PaperOpenError, open_pdf
from reader_app.paper.model import Paper
from reader_app.paper.render import render_region_png


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "analyze", help="find a paper's sections, figures, tables and code links",
        description="Analyse a paper PDF. Exit status 0 on success, 2 when the PDF cannot be read or the "
                    "analysis is incomplete (damaged pages, no text layer: what was found is still printed).")
    p.add_argument("paper", help="the PDF to analyse")
    p.add_argument("--json", action="store_true", help="print the analysis as JSON")
    p.add_argument("--figures-dir", metavar="DIR", help="write every figure and table there as a PNG")
    p.add_argument("--password", help="password of an encrypted PDF")
    p.add_argument("--dpi", type=int, default=200, help="resolution of the PNGs (default 200)")
    p.add_argument("--progress", action="store_true", help="report pages done on stderr")
    p.set_defaults(func=run)



def run(args) -> int:
    progress = None
    if args.progress:
        def progress(done: int, total: int) -> None:
            if done == total or done % 25 == 0:
                print(f"reader-app: analysed {done}/{total} pages", file=sys.stderr)
    try:
        doc = open_pdf(args.paper, args.password)
    except PaperOpenError as e:
        hint = " (use --password)" if e.needs_password and args.password is None else ""
        return _fail(e.message + hint)
    try:
        paper = analyze_paper(doc, progress=progress)
        paper.file = Path(args.paper).name
        if args.figures_dir:
            written = _write_figures(doc, paper, Path(args.figures_dir), args.dpi)
            if written is not None:
                return _fail(written)
    except PaperOpenError as e:
        return _fail(e.message)
    except Exception as e:  # MuPDF errors on badly damaged files: one sentence, no traceback
        return _fail(f"{Path(args.paper).name} could not be analysed ({type(e).__name__}: {e}).")
    finally:
        doc.close()
    try:
        if args.json:
            print(json.dumps(paper.to_json(), ensure_ascii=False, indent=1))
        else:
            print(summary(paper))
        sys.stdout.flush()
    except BrokenPipeError:  # `reader-app analyze x.pdf | head`: the reader has seen enough
        sys.stdout = open(os.devnull, "w")
        return 0
    for warning in paper.warnings:  # results were printed; say what is missing from them
        print(f"reader-app: {warning}", file=sys.stderr)
    return 2 if paper.warnings else 0


def _write_figures(doc, paper: Paper, folder: Path, dpi: int) -> str | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        return f"cannot create {folder}: {e.strerror}."
    used: set[str] = set()
    for f in paper.figures:
        name = re.sub(r"[^A-Za-z0-9_-]+", "_", f.label)
        name = f"{name}_p{f.page}" if name in used else name  # appendices may number afresh
        used.add(name)
        name += ".png"
        render_region_png(doc, f.page, f.bbox, folder / name, dpi=max(dpi, 150))
    return None


def summary(paper: Paper) -> str:
    """A readable overview: title, outline with tags, figures and tables, code links."""
    out = [paper.title or paper.file, f"{paper.page_count} pages"]
    if paper.authors:
        out.append("Authors: " + ", ".join(paper.authors))
    if not paper.has_text_layer:
        out.append("No text layer (scanned?): sections cannot be read.")
    out.append("")
    out.append("Sections:")
    for s in paper.sections:
        indent = "  " * s.level
        num = f"{s.number} " if s.number else ""
        out.append(f"{indent}{num}{s.title}  [{s.tag}]  p.{s.page}")
    out.append("")
    out.append(f"Figures and tables ({len(paper.figures)}):")
    for f in paper.figures:
        caption = f.caption if len(f.caption) <= 90 else f.caption[:87] + "..."
        out.append(f"  p.{f.page:<3} {f.label:<10} {caption}")
    if paper.repo_urls:
        out.append("")
        out.append("Code: " + " ".join(paper.repo_urls))
    return "\n".join(out)
