"""Python that today's parser refuses, made readable without moving a line.

Research code written for Python 2 or before Python 3.7 often no longer parses: `target.cuda(async=True)`
(`async` became a keyword in 3.7; torch renamed the argument `non_blocking`), `print x`, `exec code in ns`,
backticks, `except E, e:`. One such line hides the whole file from every reader: the script's model
construction, its argparse defaults. Two steps repair the text, every line number kept:

1. The removed forms that have a modern spelling of the same meaning are rewritten token by token (strings
   and comments are never touched).
2. A statement that still does not parse is dropped (its lines blanked; a compound statement with its body),
   so the rest of the file is read. When that would drop most of the file, the file stays unreadable.

What was rewritten or dropped is listed as (line, sentence) for the reader's list of problems.
"""
from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass, field

MAX_DROPS = 30  # statements; past that the file is not Python of another version but something else
LARGE = 100_000  # characters: each drop re-reads the text up to the failing line, so a large file gets few


@dataclass
class Repair:
    """A repaired text and what the repair did.

    Attributes:
        text: the text that parses, with the original's line numbers.
        rewritten: (line, sentence) of each old form read in its modern spelling.
        dropped: (line, sentence) of each statement left out.
    """

    text: str
    rewritten: list[tuple[int, str]] = field(default_factory=list)
    dropped: list[tuple[int, str]] = field(default_factory=list)


def _tokens(text: str) -> list[tokenize.TokenInfo]:
    """The tokens of `text` as far as the tokenizer gets (an unclosed bracket at the end stops it there)."""
    out = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            out.append(token)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return out


def _logical_lines(tokens: list[tokenize.TokenInfo], ended: bool = False) -> list[list[tokenize.TokenInfo]]:
    """The significant tokens of each logical line (comments, blank lines and indentation left out); `ended`:
    only the lines that end (an unclosed bracket runs the last one to the end of the file)."""
    lines, current = [], []
    skip = (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)
    for token in tokens:
        if token.type == tokenize.NEWLINE:
            if current:
                lines.append(current)
            current = []
        elif token.type not in skip and not (token.type == tokenize.ERRORTOKEN and token.string.isspace()):
            current.append(token)
    if current and not ended:
        lines.append(current)
    return lines


def _top_level_commas(line: list[tokenize.TokenInfo]) -> list[int]:
    depth, found = 0, []
    for index, token in enumerate(line):
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
        elif depth == 0 and token.type == tokenize.OP and token.string == ",":
            found.append(index)
    return found


def _adjacent(a: tokenize.TokenInfo, b: tokenize.TokenInfo) -> bool:
    return a.end == b.start


class _Edits:
    """Replacements at (row, col) spans of the text, applied right to left so that columns stay valid."""

    def __init__(self):
        self.spans: list[tuple[tuple[int, int], tuple[int, int], str]] = []
        self.notes: list[tuple[int, str]] = []

    def replace(self, token: tokenize.TokenInfo, text: str) -> None:
        self.spans.append((token.start, token.end, text))

    def insert_after(self, token: tokenize.TokenInfo, text: str) -> None:
        self.spans.append((token.end, token.end, text))

    def note(self, line: int, sentence: str) -> None:
        if (line, sentence) not in self.notes:
            self.notes.append((line, sentence))

    def apply(self, text: str) -> str:
        lines = text.splitlines(keepends=True)
        for (row, col), (end_row, end_col), new in sorted(self.spans, key=lambda s: (s[0], s[1]), reverse=True):
            if row != end_row:
                continue  # every rewrite is within one line
            line = lines[row - 1]
            lines[row - 1] = line[:col] + new + line[end_col:]
        return "".join(lines)


def _statement_forms(line: list[tokenize.TokenInfo], edits: _Edits) -> None:
    """Python 2 statements that became functions or changed spelling: print, exec, except E, e / raise E, m."""
    first, rest = line[0], line[1:]
    word = first.string if first.type == tokenize.NAME else ""
    if word == "print" and (not rest or rest[0].type != tokenize.OP or rest[0].string in (">>", "-", "~")):
        commas = _top_level_commas(line)
        if rest and rest[0].string == ">>":  # print >>f, a, b  ->  print(a, b, file=f)
            if not commas or first.start[0] != line[-1].end[0]:
                return
            target = first.line[rest[1].start[1]:line[commas[0]].start[1]]
            edits.replace(first, "print(")
            edits.spans.append((rest[0].start, line[commas[0]].end, ""))
            edits.insert_after(line[-1], f"{',' if line[-1].string != ',' else ''} file={target})")
        elif rest and line[-1].string == ",":  # the trailing comma that kept the line open
            edits.replace(first, "print(")
            edits.replace(line[-1], ", end=' ')")
        else:
            edits.replace(first, "print(")
            edits.insert_after(line[-1], ")")
        edits.note(first.start[0], "a Python 2 print statement read as print()")
    elif word == "exec" and rest and not (rest[0].type == tokenize.OP and rest[0].string in ("(", "=", ".", "[")):
        edits.replace(first, "exec(")
        for token in rest:
            if token.type == tokenize.NAME and token.string == "in":  # exec code in ns -> exec(code, ns)
                edits.replace(token, ",")
        edits.insert_after(line[-1], ")")
        edits.note(first.start[0], "a Python 2 exec statement read as exec()")
    elif word == "except" and len(line) >= 5 and line[-1].string == ":" and line[-3].string == "," \
            and line[-2].type == tokenize.NAME and _top_level_commas(line) == [len(line) - 3]:
        edits.replace(line[-3], " as")  # except E, e:  ->  except E as e:
        edits.note(first.start[0], "a Python 2 `except E, e:` read as `except E as e:`")
    elif word == "raise" and len(_top_level_commas(line)) == 1:
        comma = _top_level_commas(line)[0]
        edits.replace(line[comma], "(")  # raise E, "message"  ->  raise E("message")
        edits.insert_after(line[-1], ")")
        edits.note(first.start[0], "a Python 2 `raise E, message` read as `raise E(message)`")


def _token_forms(tokens: list[tokenize.TokenInfo], edits: _Edits) -> None:
    """Removed spellings inside expressions: async as a name, backticks, <>, 10L, 0777, ur'...'."""
    ticks = []
    for index, token in enumerate(tokens):
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        row = token.start[0]
        if token.type == tokenize.NAME and token.string == "async" and (
                after is None or after.string not in ("def", "with", "for")):
            # torch's own rename of the argument (0.4); every use of the name the same, so that a parameter
            # `def copy(x, async=False)` and its uses in the body and at the call sites still agree
            edits.replace(token, "non_blocking")
            edits.note(row, "`async` (a keyword since Python 3.7) read as torch's `non_blocking`")
        elif token.type == tokenize.ERRORTOKEN and token.string == "`":
            ticks.append(token)
        elif token.type == tokenize.OP and token.string == "<" and after is not None and after.string == ">" \
                and _adjacent(token, after):
            edits.spans.append((token.start, after.end, "!="))
            edits.note(row, "a Python 2 `<>` read as `!=`")
        elif token.type == tokenize.NUMBER and after is not None and _adjacent(token, after):
            if after.type == tokenize.NAME and after.string in ("L", "l"):
                edits.replace(after, "")
                edits.note(row, "a Python 2 long literal (10L) read as an int")
            elif token.string == "0" and after.type == tokenize.NUMBER and after.string.isdigit():
                edits.replace(token, "0o")
                edits.note(row, "a Python 2 octal literal (0777) read as 0o777")
        elif token.type == tokenize.NAME and token.string.lower() == "ur" and after is not None \
                and after.type == tokenize.STRING and _adjacent(token, after):
            edits.replace(token, "r")
            edits.note(row, "a Python 2 ur'' string read as r''")
    for opening, closing in zip(ticks[::2], ticks[1::2]):  # `x` -> repr(x), pairs on one line
        if opening.start[0] == closing.start[0]:
            edits.replace(opening, "repr(")
            edits.replace(closing, ")")
            edits.note(opening.start[0], "Python 2 backticks read as repr()")


def rewritten(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Step 1: the removed forms in their modern spelling; (text, notes)."""
    tokens = _tokens(text)
    edits = _Edits()
    for line in _logical_lines(tokens):
        _statement_forms(line, edits)
    _token_forms(tokens, edits)
    return (edits.apply(text), edits.notes) if edits.spans else (text, [])


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _statement_span(lines: list[str], error_line: int, unexpected_indent: bool) -> tuple[int, int]:
    """(first, last) 1-based lines of the statement at `error_line`: its logical line, and when it opens a
    block (ends with ':'), the block's body; an unexpected indent takes the whole over-indented run."""
    first = last = error_line
    # the text up to a little past the failing line: enough to end its statement, not the whole file each time
    starts = _logical_lines(_tokens("".join(lines[:error_line + 200])), ended=True)
    for logical in starts:
        if logical[0].start[0] <= error_line <= logical[-1].end[0]:
            first, last = logical[0].start[0], logical[-1].end[0]
            break
    header = lines[first - 1]
    opens = lines[last - 1].split("#")[0].rstrip().endswith(":")
    if unexpected_indent or opens:
        depth = _indent(header)
        while last < len(lines):
            following = lines[last]
            if following.strip() and (_indent(following) < depth if unexpected_indent else
                                      _indent(following) <= depth):
                break
            last += 1
    return first, last


def _parses(text: str, parse) -> SyntaxError | None:
    try:
        parse(text)
        return None
    except SyntaxError as error:
        return error


def repaired(text: str, parse=ast.parse, drop: bool = True) -> Repair | None:
    """The text made to parse (`parse` raises SyntaxError as ast.parse does), or None when only dropping most
    of the file would make it parse. Without `drop`, only the removed forms are rewritten (code about to run
    must be the repository's own: a statement left out would change what it does)."""
    text, notes = rewritten(text)
    repair = Repair(text, rewritten=notes)
    if not drop:
        return repair if notes and _parses(text, parse) is None else None
    lines = text.splitlines(keepends=True)
    meaningful = sum(1 for line in lines if line.strip() and not line.lstrip().startswith("#"))
    blanked = 0
    for _ in range(MAX_DROPS if len(text) <= LARGE else MAX_DROPS // 10):
        error = _parses("".join(lines), parse)
        if error is None:
            repair.text = "".join(lines)
            return repair
        line = error.lineno or 0
        if not 1 <= line <= len(lines):
            return None
        unexpected = "unexpected indent" in (error.msg or "")
        first, last = _statement_span(lines, line, unexpected)
        statement = lines[first - 1].strip()
        statement = statement if len(statement) <= 60 else statement[:59] + "…"
        repair.dropped.append((first, f"`{statement}` left out ({error.msg})"))
        blanked += sum(1 for n in range(first - 1, last) if lines[n].strip())
        if blanked * 2 > meaningful:
            return None
        keep = "" if unexpected else lines[first - 1][:_indent(lines[first - 1])] + "pass"  # a block's only one
        for number in range(first - 1, last):
            ending = "\n" if lines[number].endswith("\n") else ""
            lines[number] = (keep if number == first - 1 else "") + ending
    return None
