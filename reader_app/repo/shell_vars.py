"""Shell variables a command line reads: `MODEL=net_s12` (or `export MODEL=...`) on a line of its own
above `python validate.py --model $MODEL`, or a `for MODEL in a b c; do` loop (its first pass is the first run).
Documentation and run scripts set them so one command serves several models; what the line above states is
what the command passes. Read as text; nothing is run.
"""
from __future__ import annotations

import re

# `NAME=value` alone on its line (a trailing comment lists the alternatives: `MODEL=s12 # s12, s24, m36`)
_ASSIGN = re.compile(r"^\s*(?:export\s+)?([A-Za-z_]\w*)=(\S*)\s*(?:#.*)?$")
_LOOP = re.compile(r"^\s*for\s+([A-Za-z_]\w*)\s+in\s+([^;#]+?)\s*;?\s*(?:do)?\s*(?:#.*)?$")
# `for MODEL in a b; do python x.py --model $MODEL; done` on one line: the loop head, then the command it runs
_ONE_LINE_LOOP = re.compile(r"^\s*for\s+([A-Za-z_]\w*)\s+in\s+([^;#]+?)\s*;\s*do\s+\S")
_VAR = re.compile(r"\$\{?([A-Za-z_]\w*)\}?")


class ShellVariables:
    """The variables set so far in one shell text (a script, or one code block of a README)."""

    def __init__(self):
        self.values: dict[str, str] = {}
        self.lines: dict[str, int] = {}  # name -> the line number that set it

    def read(self, line: str, number: int = 0) -> bool:
        """Take the line's assignment or loop head; True when the line runs nothing else (a one-line loop runs
        its command, with the first value set)."""
        assign, loop = _ASSIGN.match(line), _LOOP.match(line) or _ONE_LINE_LOOP.match(line)
        if assign:
            self._set(assign.group(1), assign.group(2), number)
            return True
        if loop:
            first = loop.group(2).split()
            if first:
                self._set(loop.group(1), first[0], number)
            return loop.re is _LOOP
        return False

    def _set(self, name: str, text: str, number: int) -> None:
        self.values[name] = self.substituted(text.strip("'\""))
        self.lines[name] = number

    def substituted(self, text: str) -> str:
        """`$MODEL` / `${MODEL}` replaced by what the text set; an unknown variable stays (states nothing)."""
        return _VAR.sub(lambda m: self.values.get(m.group(1), m.group(0)), text)

    def used(self, text: str) -> list[str]:
        """The known variables `text` reads, in order."""
        return [m.group(1) for m in _VAR.finditer(text) if m.group(1) in self.values]
