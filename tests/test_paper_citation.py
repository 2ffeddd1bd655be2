"""Copy citation: title, authors, venue, year, arXiv id and DOI read offline from the PDF alone, for every way a
paper prints where it appeared (a venue footnote with an acronym and year, a "Proceedings of" line, a journal,
an arXiv stamp in the margin, nothing at all), as BibTeX and plain text, and in the Markdown export's header."""
from __future__ import annotations

import pymupdf
import pytest
from typesetter import Typesetter

from reader_app.notes import NotesStore, paper_id_for
from reader_app.notes.export_markdown import export_markdown
from reader_app.paper import analyze_paper
from reader_app.paper.citation import Citation


def front_page(path, footer: str = "", margin: str = "", metadata: dict | None = None):
    """A one-column paper whose page 1 carries the venue as a footnote and an optional arXiv stamp in the margin."""
    doc = pymupdf.open()
    t = Typesetter(doc, [(72, 540)])
    t.text("Gated Residual Streams for Low-Latency Speech Recognition", font="tibo", size=17, align=1)
    t.text("Mara Lindqvist     Joseph Okafor     Priya Raman", size=11, align=1)
    t.heading("Abstract", align=1)
    t.paragraphs(1, 4)
    t.heading("1 Introduction")
    t.paragraphs(2, 3)
    page = doc[0]
    if footer:
        page.insert_textbox(pymupdf.Rect(72, 700, 540, 760), footer, fontsize=8)
    if margin:
        page.insert_text((30, 600), margin, fontsize=14, rotate=90, color=(0.5, 0.5, 0.5))
    if metadata:
        doc.set_metadata(metadata)
    doc.save(path)
    doc.close()
    return path


CASES = {
    "acronym footnote": dict(footer="31st Conference on Neural Information Processing Systems (NeurIPS 2023), "
                                    "New Orleans, USA.",
                             want=dict(year="2023", kind="inproceedings", venue_has="Neural Information Processing")),
    "proceedings": dict(footer="In Proceedings of the 2021 Conference on Empirical Methods in Natural Language "
                               "Processing. doi:10.18653/v1/2021.emnlp-main.42",
                        want=dict(year="2021", kind="inproceedings", doi="10.18653/v1/2021.emnlp-main.42",
                                  venue_has="Empirical Methods")),
    "journal": dict(footer="Journal of Machine Learning Research 24 (2023) 1-30. Submitted 1/22; Published 6/23.",
                    want=dict(year="2023", kind="article", venue_has="Journal of Machine Learning Research")),
    "arXiv stamp only": dict(margin="arXiv:2306.01234v2  [cs.CL]  5 Jun 2023",
                             want=dict(year="2023", kind="misc", arxiv="2306.01234")),
    "printed at ICLR": dict(footer="Published as a conference paper at ICLR 2022",
                            want=dict(year="2022", kind="inproceedings", venue_has="ICLR")),
    "nothing printed": dict(metadata={"creationDate": "D:20190402101010Z"},
                            want=dict(year="2019", kind="misc", venue_has="")),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_citation_reads_what_page_one_prints(tmp_path, case):
    spec = dict(CASES[case])
    want = spec.pop("want")
    paper = analyze_paper(front_page(tmp_path / "paper.pdf", **spec))
    cite = Citation.from_json(paper.citation)
    assert paper.citation["title"] == "Gated Residual Streams for Low-Latency Speech Recognition"
    assert cite.authors == ["Mara Lindqvist", "Joseph Okafor", "Priya Raman"]
    assert cite.year == want["year"] and cite.kind == want["kind"]
    assert want.get("venue_has", "") in cite.venue and bool(cite.venue) == bool(want.get("venue_has"))
    assert cite.arxiv == want.get("arxiv", "") and cite.doi == want.get("doi", "")
    bib = cite.bibtex()
    assert bib.startswith(f"@{want['kind']}{{lindqvist{want['year']}gated,")
    assert "author = {Mara Lindqvist and Joseph Okafor and Priya Raman}" in bib
    assert cite.plain().startswith(f"Lindqvist, M., Okafor, J., & Raman, P. ({want['year']}). Gated Residual")


def test_the_markdown_export_opens_with_the_citation(tmp_path):
    pdf = front_page(tmp_path / "paper.pdf", margin="arXiv:2306.01234v2  [cs.CL]  5 Jun 2023")
    with NotesStore.open() as store:
        out = tmp_path / "notes.md"
        export_markdown(store, paper_id_for(pdf), out, pdf=pdf)
    text = out.read_text(encoding="utf-8")
    front = text.split("---")[1]
    assert 'arxiv: "2306.01234"' in front and 'year: "2023"' in front
    assert "**Cite as:** Lindqvist, M." in text and "@misc{lindqvist2023gated," in text


ARXIV_PAPERS = {"01_attention_is_all_you_need_1706.03762.pdf": ("1706.03762", "2017", "inproceedings"),
                "04_resnet_1512.03385.pdf": ("1512.03385", "2015", "misc"),
                "13_multilexsum_2206.10883v3.pdf": ("2206.10883", "2022", "misc")}


@pytest.mark.parametrize("name", sorted(ARXIV_PAPERS))
def test_real_papers_give_their_arxiv_id_and_year(shared_papers, name):
    cite = Citation.from_json(analyze_paper(shared_papers / name).citation)
    arxiv, year, kind = ARXIV_PAPERS[name]
    assert (cite.arxiv, cite.year, cite.kind) == (arxiv, year, kind)
