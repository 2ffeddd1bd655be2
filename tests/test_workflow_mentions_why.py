"""Passages suggested for a layer: named by a real wording of its kind (a loose synonym such as
"regularized" is no reason), Method first, each with the reason it was suggested."""
from __future__ import annotations

import pymupdf

from reader_app.paper import analyze_paper
from reader_app.workflow.mentions import mentions_for
from reader_app.workflow.paper_text import read_paper_text
from typesetter import Typesetter


def test_dropout_suggestions_skip_sentences_that_only_share_a_loose_word(tmp_path):
    doc = pymupdf.open()
    ts = Typesetter(doc, [(72, 540)])
    ts.heading("A Small Sequence Model", size=16, align=1)
    ts.heading("Abstract")
    ts.paragraphs(1, 2)
    ts.heading("1 Introduction")
    ts.text("Dropout was proposed to reduce co-adaptation of units in large networks.")
    ts.heading("2 Method")
    ts.text("We fit the readout by regularized least-squares on the training windows.")
    ts.text("We apply dropout with probability 0.1 to the output of each layer.")
    ts.heading("3 Results")
    ts.paragraphs(1, 2)
    path = tmp_path / "dropout.pdf"
    doc.save(str(path))
    text = read_paper_text(path, analyze_paper(path))
    found = mentions_for("drop", "nn.Dropout", text)
    snippets = [m.snippet for m in found.mentions]
    assert not any("least-squares" in s for s in snippets)
    assert snippets[0].startswith("We apply dropout")  # the Method sentence before the introduction's
    first = found.mentions[0]
    assert "says “dropout”" in first.why and "in the Method section" in first.why
    assert "in the introduction" in found.mentions[1].why


def test_math_notation_finds_more_kinds_each_once_per_section(tmp_path):
    from hyperparam_papers import html_text
    from reader_app.workflow.notation import find_notation

    doc = pymupdf.open()
    ts = Typesetter(doc, [(72, 540)])
    ts.heading("Notation Everywhere", size=16, align=1)
    ts.heading("Abstract")
    ts.paragraphs(1, 2)
    ts.heading("2 Method")
    html_text(ts, "The output is FFN(x) = max(0, xW + b) with W ∈ ℝ<sup>d×k</sup>, and PE = sin(p) · c. "
                  "We take y* = argmin of ||y − ŷ|| and the mean x̄ over Σ terms and ∏ factors.")
    html_text(ts, "Again max(0, x) and ||x||; the expectation E[x] and Concat(a, b).")
    ts.heading("3 Results")
    ts.paragraphs(1, 2)
    path = tmp_path / "notation.pdf"
    doc.save(str(path))
    text = read_paper_text(path, analyze_paper(path))
    uses = find_notation(text, path)
    method = {u.symbol.key for u in uses if u.section == "2 Method"}
    assert {"max", "member", "trig", "dot", "argmin", "norm", "hat", "bar", "sum", "product", "expectation",
            "concat"} <= method
    keys = [(u.section, u.symbol.key) for u in uses]
    assert len(keys) == len(set(keys))  # each symbol once per section, its occurrences inside
    assert len(next(u for u in uses if u.symbol.key == "max").occurrences) == 2
