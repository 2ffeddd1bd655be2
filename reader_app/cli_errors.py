"""How every command says it cannot go on: one sentence on stderr, exit status 2, never a traceback."""
from __future__ import annotations

import sys

EXIT_BAD_INPUT = 2


def fail(message: str) -> int:
    """Print `reader-app: message` on stderr and return the exit status for bad input."""
    print(f"reader-app: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT
