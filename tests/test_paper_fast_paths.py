"""The analysis's shortcuts give the answers of the slow way they replace: counts of letters and capitals
without a regex for ASCII text, repository hosts found by substring tests instead of a case-insensitive
regex, and a section's content measured only when its tag depends on it (tests/heading_papers.py makes
papers whose tags come from content)."""
from __future__ import annotations

import re

from heading_papers import Part, build_paper

from reader_app.paper import analyze as analyze_module
from reader_app.paper import analyze_paper, tag_content
from reader_app.paper.headings import _ASCII_NOT_LOWER, _ASCII_NOT_UPPER, _LOWER, _UPPER, _count
from reader_app.paper.layout import letter_count
from reader_app.paper.links import _HOST, _names_host

# ASCII lines (the shortcut) and lines the regexes must still judge: accents, superscript digits and
# roman numeral signs (letters to [^\W\d_] but not to str.isalpha), the multiplication sign inside À-Þ
TEXTS = ["3 Method", "INTRODUCTION", "A. Gate Design", "x_1 = 2.5% (n=3)", "", "   ", "Naïve BAYES",
         "x² + y²", "Ⅻ. ÉTUDE", "Résumé × Ø", "ſ and ı", "ΑΒΓ αβγ", "snake_case CamelCase 42"]


def test_letter_count_counts_what_the_regex_counts():
    for text in TEXTS:
        assert letter_count(text) == len(re.sub(r"[\W\d_]+", "", text)), text


def test_capital_and_lower_case_counts_match_the_regexes():
    for text in TEXTS:
        assert _count(text, _UPPER, _ASCII_NOT_UPPER) == len(_UPPER.findall(text)), text
        assert _count(text, _LOWER, _ASCII_NOT_LOWER) == len(_LOWER.findall(text)), text


def test_host_test_agrees_with_the_case_insensitive_regex():
    # re.I also reads "İ" and "ı" as i and "ſ" as s: text holding them must not be missed
    texts = ["code at GitHub.com/lab/repo", "HUGGINGFACE.CO/models", "gİthub.com/x", "gıthub.com/x",
             "ſourceforge.net/p", "see git.io/abc", "github dot com", "no link here", "bitbucket.Org"]
    for text in texts:
        assert _names_host(text) == bool(_HOST.search(text)), text


def test_lazy_content_measures_give_the_tags_eager_ones_give(tmp_path, monkeypatch):
    """Sections whose titles name nothing are tagged from their content; the references never are."""
    path = tmp_path / "paper.pdf"
    truth = build_paper(path, "Gated Streams", [
        Part("1 Introduction", "intro", "introduction"), Part("2 Where We Stand", "related", "related_work"),
        Part("3 Gated Residual Streams", "method", "method"),
        Part("4 What We Measured", "experiments", "experiments", table=True),
        Part("5 Conclusion", "discussion", "conclusion"),
    ])
    measured = []
    real_measure = tag_content.measure

    def counting(body):
        measured.append(body.text)
        return real_measure(body)

    monkeypatch.setattr(tag_content, "measure", counting)
    lazy = analyze_paper(path)
    lazy_count = len(measured)
    monkeypatch.setattr(analyze_module, "MeasuredBodies", lambda bodies: {k: counting(b) for k, b in bodies.items()})
    eager = analyze_paper(path)

    def tags(paper):
        return [(s.title, s.tag, s.also, s.reasons) for s in paper.sections]

    assert [(s.number, s.title.lower(), s.tag) for s in lazy.sections if s.level == 1] == truth
    assert tags(lazy) == tags(eager)
    assert 0 < lazy_count < len(measured) - lazy_count  # some content was needed, not all of it
