"""Which README code blocks the prose presents as optional variants rather than the usage itself.

A README's usage block states the model; a later block the text introduces as an alternative ("if you want a
hierarchical version, ...", "alternatively", "you can also", a "### Advanced" section) shows a variant a user
may pick instead. Only the prose right above a block and the heading it sits under are read: the words a
reader sees when deciding whether the block is the thing to run.
"""
from __future__ import annotations

import re

from reader_app.repo.readme_code import FENCE, ReadmeCode

HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*\S)")
# `Title` underlined with === or --- (reStructuredText and setext Markdown).
UNDERLINE = re.compile(r"^\s*(=+|-+)\s*$")
# Words that introduce a block as an option beside the main usage. "variant" counts only as the one a block is
# for ("for the deep variant"): "comes in three variants" above the usage block lists sizes, it offers none.
OPTIONAL_PROSE = re.compile(r"\b(if you (?:want|wish|would like|need|prefer)|alternatively|optional(?:ly)?|"
                            r"you (?:can|could|may) also|(?:for|use|try|with) (?:the|a|an|this) (?:[\w-]+ ){0,3}"
                            r"variant|advanced (?:use|usage|users|options|settings|configuration))\b", re.I)
OPTIONAL_HEADING = re.compile(r"\b(variants?|advanced|optional|alternatives?|extensions?|experimental)\b", re.I)


def optional_variants(code: ReadmeCode, texts: dict[str, str]) -> dict[str, str]:
    """{class qualname: "the README builds it in an optional variant (README.md:42)"} for the classes the
    README builds only in blocks its prose introduces as options (or, never built, imports only there).
    Empty unless some plainly introduced block builds a class: with no main usage to set them against,
    the blocks are not variants of anything. README order alone decides nothing (many READMEs show a
    layer first and the model after it)."""
    plain_built: set[str] = set()
    plain_imported: set[str] = set()
    optional: dict[str, str] = {}
    optional_built: set[str] = set()
    lines_of = {rel: text.splitlines() for rel, text in texts.items()}
    for rel, first, built, imported in code.blocks:
        words = optional_intro(lines_of.get(rel, []), first)
        if words is None:
            plain_built |= set(built)
            plain_imported |= imported
            continue
        for qualname in sorted(set(built) | imported):
            if qualname in optional_built or (qualname in optional and qualname not in built):
                continue  # the first build (else the first import) names the place
            how = "builds" if qualname in built else "imports"
            optional[qualname] = (f"the README {how} it in an optional variant "
                                  f"({rel}:{built.get(qualname, first)}, introduced by \"{words}\")")
            if qualname in built:
                optional_built.add(qualname)
    if not plain_built:
        return {}
    return {q: phrase for q, phrase in optional.items()
            if q not in plain_built and (q in optional_built or q not in plain_imported)}


def optional_intro(lines: list[str], first: int) -> str | None:
    """The words that introduce the block starting at line `first` (1-based, the line after its opening
    fence) as an optional variant: a phrase of the paragraph just above the fence, else of the heading the
    block sits under; None when the prose presents it plainly."""
    fence = first - 2  # 0-based index of the opening fence line
    if fence < 0 or fence >= len(lines) or not FENCE.match(lines[fence]):
        return None
    paragraph: list[str] = []  # the paragraph right above the fence, read bottom-up
    heading = None
    k, in_paragraph = fence - 1, True
    while k >= 0:
        if FENCE.match(lines[k]):  # an earlier block: the heading above may lie before it
            k, in_paragraph = _skip_block(lines, k), False
            continue
        heading = _heading(lines, k)
        if heading is not None:
            break
        if lines[k].strip() and in_paragraph:
            paragraph.append(lines[k])
        elif paragraph:
            in_paragraph = False
        k -= 1
    intro = " ".join(reversed([p for p in paragraph if p.strip()]))
    match = OPTIONAL_PROSE.search(intro) or (OPTIONAL_HEADING.search(heading) if heading else None)
    return match.group(0) if match else None


def _heading(lines: list[str], k: int) -> str | None:
    """The title at line `k`: a `## Title` line, or the text line above an underline."""
    match = HEADING.match(lines[k])
    if match:
        return match.group(1)
    if UNDERLINE.match(lines[k]) and k > 0 and lines[k - 1].strip() and not UNDERLINE.match(lines[k - 1]):
        return lines[k - 1].strip()
    return None


def _skip_block(lines: list[str], closing: int) -> int:
    """The index just above the opening fence of the block that `closing` ends."""
    k = closing - 1
    while k >= 0 and not FENCE.match(lines[k]):
        k -= 1
    return k - 1
