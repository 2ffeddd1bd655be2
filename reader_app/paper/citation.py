"""The paper's citation, offline, from the PDF alone: title and authors from the analysis; venue, year,
arXiv id and DOI from what page 1 prints (the arXiv stamp, a venue footnote such as "31st Conference on
Neural Information Processing Systems (NIPS 2017)", "Published as a conference paper at ICLR 2021",
"Proceedings of ...") and from the file's metadata when the page says nothing."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field

ARXIV = re.compile(r"arXiv:\s*(\d{4}\.\d{4,5})(v\d+)?|arxiv\.org/abs/(\d{4}\.\d{4,5})", re.I)
DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;)\]])")
# Venues known by their acronym, printed with a year ("NIPS 2017", "ICLR 2021", "EMNLP'23").
ACRONYMS = ("NeurIPS|NIPS|ICLR|ICML|CVPR|ICCV|ECCV|WACV|BMVC|ACL|EMNLP|NAACL|EACL|COLING|AAAI|IJCAI|KDD|SIGIR|"
            "WSDM|WWW|CHI|UIST|CSCW|AISTATS|UAI|COLT|INTERSPEECH|ICASSP|MICCAI|CoRL|ICRA|IROS|TMLR|JMLR|TPAMI")
ACRONYM_YEAR = re.compile(rf"\b({ACRONYMS})\s*[’']?\s*((?:19|20)\d\d|\d\d)\b")
PROCEEDINGS = re.compile(r"(?:In\s+)?(Proceedings of [^.;]{10,140}?)(?=[.;,]\s|\s*\(|$)")
CONFERENCE = re.compile(r"((?:\d+(?:st|nd|rd|th)\s+)?(?:Annual\s+)?(?:Conference|Workshop|Symposium) on [^.;()]{5,120})")
JOURNAL = re.compile(r"\b((?:IEEE |ACM )?(?:Transactions on|Journal of) [A-Z][^.;,()\d]{4,90})")
YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_STOP = {"a", "an", "the", "on", "of", "for", "and", "with", "to", "in", "towards", "toward", "from", "via"}


@dataclass
class Citation:
    """What a reference to the paper needs.

    Attributes:
        title, authors: as the analysis read them from page 1.
        venue: the conference or journal, "" when the PDF does not say.
        year: "2017", "" when unknown.
        arxiv: the arXiv id ("1706.03762"), "" when none is printed.
        doi: the DOI, "" when none is printed.
        kind: the BibTeX entry type: inproceedings, article or misc.
    """

    title: str = ""
    authors: list[str] = field(default_factory=list)
    venue: str = ""
    year: str = ""
    arxiv: str = ""
    doi: str = ""
    kind: str = "misc"

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict | None) -> "Citation":
        data = data or {}
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    def key(self) -> str:
        """A BibTeX key as Google Scholar makes them: first author's surname, year, first title word."""
        surname = _ascii(self.authors[0].split()[-1]).lower() if self.authors else "anon"
        word = next((_ascii(w).lower() for w in re.findall(r"[\w-]+", self.title)
                     if w.lower() not in _STOP and len(w) > 2), "paper")
        return re.sub(r"[^a-z0-9]", "", surname + self.year + word.replace("-", "")) or "paper"

    def bibtex(self) -> str:
        fields = [("title", "{" + self.title + "}" if self.title else ""),
                  ("author", " and ".join(self.authors)),
                  ("booktitle" if self.kind == "inproceedings" else "journal" if self.kind == "article" else
                   "howpublished", self.venue),
                  ("year", self.year), ("doi", self.doi)]
        if self.arxiv:
            fields += [("eprint", self.arxiv), ("archivePrefix", "arXiv")]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        return f"@{self.kind}{{{self.key()},\n{body}\n}}"

    def plain(self) -> str:
        """"Vaswani, A., Shazeer, N., ... (2017). Title. Venue. arXiv:1706.03762." """
        names = [_short_name(a) for a in self.authors]
        who = ", ".join(names[:-1]) + (", & " if len(names) > 2 else " & ") + names[-1] if len(names) > 1 else \
            "".join(names)
        parts = [f"{who} ({self.year or 'n.d.'})." if who else f"({self.year or 'n.d.'}).",
                 self.title.rstrip(".") + "." if self.title else ""]
        if self.venue:
            parts.append(self.venue + ".")
        if self.doi:
            parts.append(f"https://doi.org/{self.doi}")
        elif self.arxiv:
            parts.append(f"arXiv:{self.arxiv}.")
        return " ".join(p for p in parts if p)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _short_name(name: str) -> str:
    parts = name.split()
    if len(parts) < 2:
        return name
    return parts[-1] + ", " + " ".join(p[0] + "." for p in parts[:-1])


def _venue(text: str, metadata: dict) -> tuple[str, str]:
    """(venue, its year) from page 1's text, else from the metadata's subject."""
    text = " ".join(text.split())
    for pattern in (PROCEEDINGS, CONFERENCE, JOURNAL):
        m = pattern.search(text)
        if m:
            name = m.group(1).strip(" ,")
            year = YEAR.search(m.group(0)) or YEAR.search(text[m.end():m.end() + 40])
            acronym = ACRONYM_YEAR.search(text[m.start():m.end() + 40])
            if acronym and acronym.group(1) not in name:
                name += f" ({acronym.group(1)})"
            return name, (year.group(1) if year else _full_year(acronym.group(2)) if acronym else "")
    m = ACRONYM_YEAR.search(text)
    if m:
        return m.group(1), _full_year(m.group(2))
    subject = " ".join((metadata.get("subject") or "").split())
    if subject and not re.search(r"https?://|www\.", subject.split(" http")[0] or ""):
        return subject.split(" http")[0].strip(" ,"), ""
    return (subject.split(" http")[0].strip(" ,") if subject else ""), ""


def _full_year(two_or_four: str) -> str:
    return two_or_four if len(two_or_four) == 4 else f"20{two_or_four}"


def _kind(venue: str) -> str:
    low = venue.lower()
    if re.search(r"journal|transactions|magazine|letters|review", low) or low in {"jmlr", "tmlr", "tpami"}:
        return "article"
    if re.search(r"conference|proceedings|workshop|symposium|meeting", low) or re.fullmatch(ACRONYMS, venue):
        return "inproceedings"
    return "misc"


def find_citation(title: str, authors: list[str], first_page_text: str, metadata: dict) -> Citation:
    """The citation from page 1's text (all of it, margins included) and the PDF's metadata."""
    c = Citation(title=" ".join(title.split()), authors=list(authors))
    m = ARXIV.search(first_page_text)
    if m:
        c.arxiv = m.group(1) or m.group(3)
    m = DOI.search(first_page_text)
    if m:
        c.doi = m.group(1)
    c.venue, c.year = _venue(first_page_text, metadata)
    if not c.year and c.arxiv:
        c.year = "20" + c.arxiv[:2]  # arXiv ids begin with the year and month of submission
    if not c.year:
        stamp = re.match(r"(?:D:)?((?:19|20)\d\d)", metadata.get("creationDate") or "") \
            or YEAR.search(metadata.get("keywords") or "")
        c.year = stamp.group(1) if stamp else ""
    if not c.title:
        c.title = " ".join((metadata.get("title") or "").split())
    c.kind = _kind(c.venue)
    return c
