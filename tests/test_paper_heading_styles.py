"""Tags in other house styles, on papers generated here (tests/heading_styles.py): IEEE roman capitals
with lettered subsections, statements and acknowledgments around the conclusion, lettered appendices
with numbered subsections. Each section's tag and level are the ones a reader would give."""
from __future__ import annotations

from heading_styles import ICML, IEEE, NEURIPS, Section, Style, build_styled

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


def test_icml_two_columns_with_impact_statement_and_dotted_appendix_numbers(tmp_path):
    path = tmp_path / "icml.pdf"
    truth = build_styled(path, ICML, "Gated Streams for Speech", [
        Section("1. Introduction", "intro", "introduction"),
        Section("2. Background", "related", "related_work"),
        Section("3. Gated Residual Streams", "method", "method", subs=[("3.1. Gate Design", "method")]),
        Section("4. Experiments", "experiments", "experiments", table=True),
        Section("5. Conclusion", "discussion", "conclusion"),
        Section("Impact Statement", "discussion", "other"),
        Section("Acknowledgements", "ack", "other"),
    ], after=[Section("A. Proofs", "proof", "appendix", subs=[("A.1. Proof of Lemma 2", "proof")]),
              Section("B. More Results", "experiments", "appendix", table=True)])
    assert outline(analyze_paper(path)) == truth


def test_a_closing_discussion_with_limitations_concludes(tmp_path):
    """"Discussion and Limitations" as the last section is the paper's conclusion, and a statement
    word in a conclusion's title ("Conclusion and Limitations") does not make it a statement."""
    path = tmp_path / "closing.pdf"
    truth = build_styled(path, NEURIPS, "Gated Streams for Speech", [
        Section("1 Introduction", "intro", "introduction"),
        Section("2 Gated Residual Streams", "method", "method"),
        Section("3 Experiments", "experiments", "experiments", table=True),
        Section("4 Discussion and Limitations", "discussion", "conclusion"),
    ], after=[Section("Supplementary Material", "proof", "appendix"),
              Section("A Proofs", "proof", "appendix", subs=[("A.1 Proof of Lemma 2", "proof")]),
              Section("B Training Details", "experiments", "appendix")])
    paper = analyze_paper(path)
    assert outline(paper) == truth
    assert "no conclusion follows" in next(s for s in paper.sections if s.number == "4").reasons
    from reader_app.paper.tag_titles import read_title
    assert read_title("Conclusion and Limitations").tags[0] == "conclusion"


def test_ieee_single_lettered_subsection_is_still_a_subsection(tmp_path):
    """One "A. Gate Design" alone in its style (no "B." to vouch for it) is still IEEE's subsection."""
    path = tmp_path / "ieee_one.pdf"
    truth = build_styled(path, IEEE, "Gated Streams for Speech", [
        Section("I. INTRODUCTION", "intro", "introduction"),
        Section("II. RELATED WORK", "related", "related_work"),
        Section("III. PROPOSED GATED STREAMS", "method", "method", subs=[("A. Gate Design", "method")]),
        Section("IV. EXPERIMENTAL RESULTS", "experiments", "experiments", table=True),
        Section("V. DISCUSSION", "discussion", "results"),
        Section("VI. CONCLUSION AND FUTURE WORK", "discussion", "conclusion"),
        Section("ACKNOWLEDGMENTS", "ack", "other"),
    ], after=[Section("APPENDIX", "proof", "appendix")])
    assert outline(analyze_paper(path)) == truth


def test_acm_capital_headings_with_limitations_section_and_appendix(tmp_path):
    """ACM: bold capitals "1 INTRODUCTION" at body size, a numbered "LIMITATIONS" section before the
    conclusion, "ACKNOWLEDGMENTS", then "A PROOFS" with "A.1 Proof of Lemma 2"."""
    acm = Style(((54, 300), (312, 558)), 10, "tibo", 0, 10, "tibo")
    path = tmp_path / "acm.pdf"
    truth = build_styled(path, acm, "Gated Streams for Speech", [
        Section("1 INTRODUCTION", "intro", "introduction"),
        Section("2 BACKGROUND AND MOTIVATION", "related", "related_work"),
        Section("3 GATED RESIDUAL STREAMS", "method", "method",
                subs=[("3.1 Gate Design", "method"), ("3.2 Training", "method")]),
        Section("4 EVALUATION", "experiments", "experiments", table=True),
        Section("5 LIMITATIONS", "discussion", "other"),
        Section("6 CONCLUSION", "discussion", "conclusion"),
        Section("ACKNOWLEDGMENTS", "ack", "other"),
    ], after=[Section("A PROOFS", "proof", "appendix", subs=[("A.1 Proof of Lemma 2", "proof")]),
              Section("B ADDITIONAL RESULTS", "experiments", "appendix", table=True)])
    assert outline(analyze_paper(path)) == truth
