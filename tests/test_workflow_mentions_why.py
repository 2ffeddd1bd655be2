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
