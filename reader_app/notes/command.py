"""`reader-app export` and `reader-app import`: the notes engine from the command line."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader_app.cli_errors import fail as _fail

FORMATS = {"md": ".notes.md", "json": ".notes.json", "pdf": ".annotated.pdf"}
_SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".json": "json", ".pdf": "pdf"}


def register(subparsers) -> None:
    p = subparsers.add_parser("export", help="write a paper's notes as Markdown, JSON or an annotated PDF",
                              description="Export the notes you took on PAPER.pdf (found by its content, so a "
                                          "renamed or moved file keeps its notes).")
    p.add_argument("paper", metavar="PAPER.pdf", help="the paper whose notes to export")
    p.add_argument("--format", choices=sorted(FORMATS), help="md, json or pdf (default: from -o, else md)")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="file to write (default: PAPER.notes.md / .notes.json / .annotated.pdf here)")
    p.add_argument("--repo", metavar="FOLDER", help="repository whose model layers go in the Markdown layer table")
    p.set_defaults(func=run_export)
    p = subparsers.add_parser("import", help="add the notes of a JSON export, or a PDF's own annotations, to your "
                                             "notes (overwrites nothing)")
    p.add_argument("notes", metavar="NOTES.json|PAPER.pdf",
                   help="a file written by `reader-app export --format json`, or a PDF whose highlights, notes and "
                        "drawings (made in another reader) become your notes on it")
    p.set_defaults(func=run_import)



def _warn(message: str) -> None:
    print(f"reader-app: warning: {message}", file=sys.stderr)


def _open_store():
    from reader_app.notes import NotesStore

    store = NotesStore.open()
    if store.recovered_from is not None:
        _warn(f"the notes database was damaged; it was moved to {store.recovered_from} and a new one started.")
    return store


def _format_for(args) -> str:
    if args.format:
        return args.format
    if args.output:
        return _SUFFIX_FORMATS.get(Path(args.output).suffix.lower(), "md")
    return "md"


def run_export(args: argparse.Namespace) -> int:
    from reader_app.notes import NotesStoreError, paper_id_for
    from reader_app.atomic import ExportError

    paper = Path(args.paper)
    if not paper.is_file():
        return _fail(f"{paper} does not exist or is not a file.")
    fmt = _format_for(args)
    out = Path(args.output) if args.output else Path.cwd() / (paper.stem + FORMATS[fmt])
    try:
        paper_id = paper_id_for(paper)
    except OSError as exc:
        return _fail(f"{paper} cannot be read: {exc.strerror or exc}.")
    try:
        with _open_store() as store:
            store.remember_paper(paper_id, paper)
            if store.count_annotations(paper_id) == 0 and not store.progress_records(paper_id):
                _warn(f"there are no notes on {paper.name} yet, so the export holds none.")
            lines = _export(store, paper_id, paper, out, fmt, args.repo)
    except (NotesStoreError, ExportError, _RepoProblem) as exc:
        return _fail(exc.message)
    for line in lines[1:]:
        _warn(line)
    print(lines[0])
    return 0


class _RepoProblem(Exception):
    """The --repo folder cannot be scanned.

    Attributes:
        message: the repository engine's sentence.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _export(store, paper_id: str, paper: Path, out: Path, fmt: str, repo_folder: str | None) -> list[str]:
    """Run one exporter; returns the line to print, then any warnings."""
    if fmt == "json":
        from reader_app.notes.export_json import export_json

        export_json(store, paper_id, out)
        return [f"Wrote {out} ({store.count_annotations(paper_id)} annotations)."]
    from reader_app.notes.structure import load_outline

    outline = load_outline(paper, store.paper_title(paper_id))
    if fmt == "pdf":
        from reader_app.notes.export_pdf import export_annotated_pdf

        report = export_annotated_pdf(store, paper_id, paper, out, outline=outline)
        kept = f", {report.kept} kept from the original" if report.kept else ""
        return [f"Wrote {out} ({report.written} annotations{kept})."] + report.left_out
    from reader_app.notes.export_markdown import export_markdown

    repo = None
    if repo_folder:
        from reader_app.repo import RepoError, scan_repo

        try:
            repo = scan_repo(repo_folder)
        except RepoError as exc:
            raise _RepoProblem(str(exc)) from None
    report = export_markdown(store, paper_id, out, pdf=paper, outline=outline, repo=repo)
    return [f"Wrote {out} and {len(report.images)} figure image(s)."] + report.problems


def run_import(args: argparse.Namespace) -> int:
    from reader_app.notes import NotesStoreError
    from reader_app.notes.import_json import ImportFailed, import_notes

    source = Path(args.notes)
    if not source.is_file():
        return _fail(f"{source} does not exist or is not a file.")
    if source.suffix.lower() == ".pdf":
        return _import_pdf(source)
    try:
        with _open_store() as store:
            report = import_notes(store, source)
    except (NotesStoreError, ImportFailed) as exc:
        return _fail(exc.message)
    print(report.summary())
    for line in report.warnings:
        print(f"  note: {line}")
    for line in report.skipped:
        print(f"  left out: {line}")
    return 0


def _import_pdf(source: Path) -> int:
    from reader_app.notes import NotesStoreError
    from reader_app.notes.pdf_annotations import import_pdf_annotations
    from reader_app.paper.document import PaperOpenError

    try:
        with _open_store() as store:
            report = import_pdf_annotations(store, source)
    except (NotesStoreError, PaperOpenError) as exc:
        return _fail(exc.message)
    print(report.summary(source.name))
    for line in report.left_out:
        print(f"  left out: {line}")
    return 0
