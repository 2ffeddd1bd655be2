"""The PDF's own outline (bookmarks), used where it agrees with the printed headings."""
from __future__ import annotations

import pymupdf

from reader_app.paper.lines import TextLine
from reader_app.paper.model import Section
from reader_app.paper.numbering import plain, split_number


def add_outline_headings(doc: pymupdf.Document, pages: list[list[TextLine]], sections: list[Section],
                         skip: set[int]) -> list[Section]:
    """Top-level outline entries that the text pass missed, when their title is printed on their page.

    An outline entry that is not printed where it points (a bookmark only) is ignored: the
    outline must agree with the page.
    """
    try:
        toc = doc.get_toc(simple=True)
    except Exception:  # a broken outline is no reason to fail the analysis
        return sections
    added = []
    for level, title, page in toc:
        if level != 1 or not (1 <= page <= len(pages)):
            continue
        want = plain(split_number(title, True)[1])
        if not want:
            continue
        match = [s for s in sections if s.page == page and plain(s.title) == want]
        if match:
            match[0].level = 1
            continue
        for ln in pages[page - 1]:
            if id(ln) in skip or not ln.horizontal:
                continue
            number, text = split_number(ln.text, True)
            if plain(text) == want:
                added.append(Section(title=text, number=number, level=1, page=page, bbox=ln.bbox))
                break
    return sections + added
