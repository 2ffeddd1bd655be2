"""Links to code repositories, from link annotations and from the printed text."""
from __future__ import annotations

import re

import pymupdf
from pymupdf import mupdf

from reader_app.paper.lines import TextLine

HOST_NAMES = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "huggingface.co", "sourceforge.net", "git.io")
HOSTS = "(?:" + "|".join(re.escape(h) for h in HOST_NAMES) + ")"
_HOST = re.compile(HOSTS, re.I)
REPO_URL = re.compile(r"(?:https?://)?(?:www\.)?" + HOSTS + r"/[A-Za-z0-9_.\-]+(?:/[A-Za-z0-9_.\-]+)?", re.I)


def normalise(url: str) -> str:
    url = url.strip().rstrip(".,;:)]}'\"")
    url = re.sub(r"^(https?://)?(www\.)?", "https://", url, flags=re.I)
    url = re.sub(r"\.git$", "", url)
    return url


def _names_host(text: str) -> bool:
    """`_HOST.search(text)` as plain substring tests on the lower-cased text: the case-insensitive
    regex takes milliseconds a page. re.I also reads "İ" and "ı" as i and "ſ" as s, str.lower does
    not, so text holding one of those is left to the regex."""
    if "İ" in text or "ı" in text or "ſ" in text:
        return _HOST.search(text) is not None
    low = text.lower()
    return any(h in low for h in HOST_NAMES)


def _page_text(lines: list[TextLine]) -> str:
    """Page text where a URL broken at a line end ("github.com/" + "org/repo") is glued back together."""
    parts = []
    for ln in sorted(lines, key=lambda ln: (ln.block, ln.bbox[1])):
        text = ln.text.strip()
        parts.append(text)
        # a URL needs a host in the line itself: no host name holds "x", "/" or "y"
        broken = text.endswith(("/", "-", "_", ".")) and _names_host(text) and REPO_URL.search(text + "x/y")
        parts.append("" if broken else " ")
    return "".join(parts)


def link_uris(page: pymupdf.Page) -> list[str]:
    """URIs of the page's link annotations, from MuPDF's own link chain: PyMuPDF's `Link.next` lists
    every annotation of the page twice per link (quadratic: 8 ms for the 288 links of one paper)."""
    out = []
    try:
        link = mupdf.fz_load_links(page.this)
        while link.m_internal:
            uri = link.uri()
            if uri:
                out.append(uri)
            link = link.next()
    except Exception:  # a damaged page still lets the others be read
        pass
    return out


def find_repo_urls(uris: list[list[str]], pages: list[list[TextLine]]) -> list[str]:
    """Repository URLs in order of first mention (annotations first on each page), without duplicates.
    `uris` holds each page's link URIs (`link_uris`), taken while the page was loaded for its text."""
    seen: dict[str, None] = {}
    for pno, lines in enumerate(pages):
        for uri in uris[pno]:
            m = REPO_URL.search(uri) if _names_host(uri) else None
            if m:
                seen.setdefault(normalise(m.group(0)), None)
        if not _names_host("\n".join(ln.text for ln in lines)):  # one search a page, not one a line
            continue
        text = _page_text(lines)
        for m in REPO_URL.finditer(text):
            seen.setdefault(normalise(m.group(0)), None)
    return [u for u in seen if u.count("/") >= 3]
