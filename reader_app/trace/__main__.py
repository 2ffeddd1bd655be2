"""`python -m reader_app.trace PATH ...`: the same command as `reader-app trace`, without loading the
other engines' command-line modules (the dispatcher imports all of them to build its help)."""
from __future__ import annotations

import argparse
import sys

from reader_app.trace.command import register


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="reader-app")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["trace", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
