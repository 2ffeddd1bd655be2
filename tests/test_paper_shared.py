"""The shared papers with hand-made truth: headings, tags, figures and tables as the issue's scorer
counts them (../shared/eval/score_paper.py), and figure boxes that keep clear of captions and text."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pymupdf
import pytest

from reader_app.paper import analyze_paper

pytestmark = pytest.mark.shared


SHARED_PAPERS = Path(__file__).resolve().parents[1].parent / "shared" / "papers"


@pytest.fixture(scope="module")
def results():
    """Analysed once for the module (the `shared_papers` fixture is per test)."""
    shared = SHARED_PAPERS
    if not shared.is_dir():
        pytest.skip("../shared/papers is not beside the project")
    scorer_path = shared.parent / "eval" / "score_paper.py"
    if not scorer_path.is_file():
        pytest.skip("../shared/eval/score_paper.py is absent")
    spec = importlib.util.spec_from_file_location("score_paper", scorer_path)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    out = {}
    for truth_file in sorted((shared / "truth").glob("*.json")):
        pdf = shared / (truth_file.stem + ".pdf")
        paper = analyze_paper(pdf)
        truth = json.loads(truth_file.read_text())
        out[truth_file.stem] = (paper, truth, scorer.score(truth, paper.to_json()))
    return out


def test_headings_found_and_tagged(results):
    found = sum(r["sections"]["found"] for _, _, r in results.values())
    truth = sum(r["sections"]["truth"] for _, _, r in results.values())
    predicted = sum(r["sections"]["predicted"] for _, _, r in results.values())
    tagged = sum(r["sections"]["tagged"] for _, _, r in results.values())
    misses = [m for _, _, r in results.values() for m in r["misses"]]
    assert found / truth >= 0.95, misses
    assert found / predicted >= 0.95, misses
    assert tagged / truth >= 0.95, misses


def test_figures_and_tables_found(results):
    found = sum(r["figures"]["found"] for _, _, r in results.values())
    truth = sum(r["figures"]["truth"] for _, _, r in results.values())
    predicted = sum(r["figures"]["predicted"] for _, _, r in results.values())
    misses = [m for _, _, r in results.values() for m in r["misses"]]
    assert found / truth >= 0.95 and found / predicted >= 0.95, misses


def test_every_paper_has_an_abstract_first_and_references(results):
    for name, (paper, _, _) in results.items():
        top = [s for s in paper.sections if s.level == 1]
        assert top[0].tag == "abstract", name
        assert any(s.tag == "references" for s in top), name


def test_figure_boxes_leave_out_captions_and_paragraphs(results, shared_papers):
    for name, (paper, _, _) in results.items():
        doc = pymupdf.open(shared_papers / f"{name}.pdf")
        for f in paper.figures:
            box, cap = pymupdf.Rect(f.bbox), pymupdf.Rect(f.caption_bbox)
            assert box.height > 10 and box.width > 40, (name, f.label)
            assert (box & cap).height < 1.5, (name, f.label, "overlaps its caption")
            caption_start = " ".join(f.caption.split()[:3])
            assert caption_start not in doc[f.page - 1].get_textbox(box), (name, f.label)


def test_authors_best_effort(results):
    paper = results["01_attention_is_all_you_need_1706.03762"][0]
    assert paper.authors[:2] == ["Ashish Vaswani", "Noam Shazeer"] and "Łukasz Kaiser" in paper.authors
    assert results["04_resnet_1512.03385"][0].authors == ["Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"]


def test_papers_with_subsections_nest_them(results):
    paper = results["01_attention_is_all_you_need_1706.03762"][0]
    numbers = {s.number: s for s in paper.sections}
    assert numbers["3.2.1"].level == 3 and numbers["3.2.1"].title == "Scaled Dot-Product Attention"
    assert numbers["3.2"].tag == "method" and numbers["5.1"].tag == "experiments"


def test_unnumbered_magazine_layout(results):
    paper = results["15_adapting_open_ie_domain_specific_aimag10"][0]
    top = [(s.title, s.tag) for s in paper.sections if s.level == 1]
    assert ("Conclusions and Future Work", "conclusion") in top
    assert top[0] == ("Abstract", "abstract") and paper.sections[0].implicit
