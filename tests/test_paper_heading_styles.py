"""Tags in other house styles, on papers generated here (tests/heading_styles.py): IEEE roman capitals
with lettered subsections, statements and acknowledgments around the conclusion, lettered appendices
with numbered subsections. Each section's tag and level are the ones a reader would give."""
from __future__ import annotations

from heading_styles import IEEE, NEURIPS, Section, build_styled

from reader_app.paper import analyze_paper


def outline(paper) -> list[tuple]:
    return [(s.number, s.title.lower(), s.tag, s.level) for s in paper.sections]


def test_ieee_roman_capitals_with_lettered_subsections(tmp_path):
    """"A. Gate Design" under "III. ..." is a subsection of the method, not an appendix."""
    path = tmp_path / "ieee.pdf"
    truth = build_styled(path, IEEE, "Gated Streams for Speech", [
        Section("I. INTRODUCTION", "intro", "introduction"),
        Section("II. STREAMING RECOGNIZERS TODAY", "related", "related_work"),
        Section("III. GATED RESIDUAL STREAMS", "method", "method",
                subs=[("A. Gate Design", "method"), ("B. Training Objective", "method")]),
        Section("IV. STREAMING ON NOISY SPEECH", "experiments", "experiments", table=True,
                subs=[("A. Setup", "experiments")]),
        Section("V. CONCLUSION", "discussion", "conclusion"),
        Section("ACKNOWLEDGMENT", "ack", "other"),
    ], after=[Section("APPENDIX A PROOF OF LEMMA 2", "proof", "appendix")])
    paper = analyze_paper(path)
    assert outline(paper) == truth
    gate = next(s for s in paper.sections if s.title.lower() == "gate design")
    assert gate.reasons and "part of" in gate.reasons[0]


def test_statements_after_the_conclusion_and_lettered_appendices(tmp_path):
    """NeurIPS: Limitations and Broader Impact after the conclusion, Acknowledgments before the
    references, then "A Proofs" with "A.1 Proof of Lemma 2" and further lettered appendices, one
    of them experiments (still the appendix: it follows the references)."""
    path = tmp_path / "neurips.pdf"
    truth = build_styled(path, NEURIPS, "Gated Streams for Speech", [
        Section("1 Introduction", "intro", "introduction"),
        Section("2 Related Work", "related", "related_work"),
        Section("3 Gated Residual Streams", "method", "method", subs=[("3.1 Gate Design", "method")]),
        Section("4 Experiments", "experiments", "experiments", table=True),
        Section("5 Conclusion", "discussion", "conclusion"),
        Section("Limitations", "discussion", "other"),
        Section("Broader Impact", "discussion", "other"),
        Section("Acknowledgments", "ack", "other"),
    ], after=[
        Section("A Proofs", "proof", "appendix", subs=[("A.1 Proof of Lemma 2", "proof"),
                                                        ("A.2 Proof of Theorem 1", "proof")]),
        Section("B Additional Experiments", "experiments", "appendix", table=True),
        Section("C Hyperparameters", "experiments", "appendix"),
    ])
    paper = analyze_paper(path)
    assert outline(paper) == truth
    tops = {s.title.lower(): s for s in paper.sections if s.level == 1}
    assert "after the references" in tops["additional experiments"].reasons


def test_ethics_and_reproducibility_statements_before_the_references(tmp_path):
    """ICLR: unnumbered statements between the conclusion and the references, a numbered
    "Limitations" section before the conclusion."""
    path = tmp_path / "iclr.pdf"
    truth = build_styled(path, NEURIPS, "Gated Streams for Speech", [
        Section("1 Introduction", "intro", "introduction"),
        Section("2 Gated Residual Streams", "method", "method"),
        Section("3 Experiments", "experiments", "experiments", table=True),
        Section("4 Limitations", "discussion", "other"),
        Section("5 Conclusion", "discussion", "conclusion"),
        Section("Ethics Statement", "discussion", "other"),
        Section("Reproducibility Statement", "experiments", "other"),
        Section("Acknowledgments", "ack", "other"),
    ])
    paper = analyze_paper(path)
    assert outline(paper) == truth
