"""Command line: `reader-app [PAPER] [--repo PATH]` opens the window; subcommands run the engines.

Each engine package provides a `command.py` with `register(subparsers)`; it adds its own
subcommand(s) and sets `func(args) -> int` on them. The GUI is imported only when the window is asked for.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from reader_app import __version__
from reader_app.cli_errors import fail as _fail

# subcommand -> the engine package whose command.py provides it (only that one is imported: the
# paper engine alone costs PyMuPDF's import, which `reader-app trace` has no use for)
SUBCOMMANDS = {"analyze": "paper", "repo": "repo", "trace": "trace", "export": "notes", "import": "notes",
               "report": "workflow", "translate": "translate", "env": "envs"}


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader-app",
        description="Read an ML paper beside the PyTorch repository that implements it.",
        epilog="Subcommands: analyze, repo, trace, translate, export, import, report, env "
               "(reader-app SUBCOMMAND --help).",
    )
    parser.add_argument("paper", nargs="?", help="PDF to open (default: the last session, or the sample)")
    parser.add_argument("--repo", help="repository folder to open beside the paper")
    parser.add_argument("--screenshot", metavar="OUT.png",
                        help="load, wait for the first page to be painted, save the window as PNG and exit")
    parser.add_argument("--size", metavar="WxH", type=_window_size,
                        help="window size in pixels, e.g. 1280x800 (default: as the window was left)")
    parser.add_argument("--sample", action="store_true", help="open the bundled sample paper and repository")
    parser.add_argument("--version", action="version", version=f"reader-app {__version__}")
    return parser


def _window_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1280x800") from None
    if width < 320 or height < 240:
        raise argparse.ArgumentTypeError(f"{text} is smaller than a window can usefully be")
    return width, height


def _engine_parser(command: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reader-app")
    parser.add_argument("--version", action="version", version=f"reader-app {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    from reader_app.lean_mupdf import skip_optional_packages

    skip_optional_packages()  # PyMuPDF's ONNX layout package: unused by every engine, most of its import time
    importlib.import_module(f"reader_app.{SUBCOMMANDS[command]}.command").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--run-module"] and len(argv) > 1:  # a bundle starting one of its own child processes
        import runpy

        sys.argv = [argv[1], *argv[2:]]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        return 0
    if argv and argv[0] in SUBCOMMANDS:
        args = _engine_parser(argv[0]).parse_args(argv)
        try:
            return int(args.func(args) or 0)
        except KeyboardInterrupt:
            return 130
    args = _gui_parser().parse_args(argv)
    if args.paper and not Path(args.paper).is_file():
        return _fail(f"no such file: {args.paper}")
    if args.repo and not Path(args.repo).is_dir():
        return _fail(f"no such folder: {args.repo}")
    from reader_app.ui.app.system_libraries import window_problem

    problem = window_problem()  # Qt's own answer would be a plugin error and an abort
    if problem:
        return _fail(problem)
    from reader_app.paper.render_client import prestart

    prestart()  # the page renderer's PyMuPDF import overlaps the window's start-up
    from reader_app.ui.app.app import run_gui  # Qt is loaded only for the window

    return run_gui(args)


if __name__ == "__main__":
    raise SystemExit(main())
