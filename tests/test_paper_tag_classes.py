"""Tags for classes of headings that keyword rules alone get wrong, each on a paper generated here
whose truth the test knows (tests/heading_papers.py): front-matter blocks, misspelled titles,
preliminary experiments, background under an unusual title, discussion after the experiments,
a survey of other people's practice, user studies and deployments. Every tag says why."""
from __future__ import annotations

import pytest
from heading_papers import Part, build_paper

from reader_app.paper import analyze_paper


def analysed(tmp_path, title, parts, **kw):
    path = tmp_path / "paper.pdf"
    truth = build_paper(path, title, parts, **kw)
    paper = analyze_paper(path)
    return paper, truth


def tops(paper):
    return [(s.number, s.title.lower(), s.tag) for s in paper.sections if s.level == 1]


def reasons_of(paper, title: str) -> str:
    section = next(s for s in paper.sections if s.level == 1 and s.title.lower() == title.lower())
    return " | ".join(section.reasons)


def test_front_matter_blocks_are_other(tmp_path):
    """ACM front matter: CCS Concepts and Keywords printed like headings before the introduction."""
    paper, truth = analysed(tmp_path, "Gated Streams", [
        Part("CCS Concepts", "concepts", "other"), Part("Keywords", "keywords", "other"),
        Part("1 Introduction", "intro", "introduction"), Part("2 Gated Residual Streams", "method", "method"),
        Part("3 Experiments", "experiments", "experiments", table=True), Part("4 Conclusion", "discussion", "conclusion"),
    ])
    assert tops(paper) == truth
    assert "front matter" in reasons_of(paper, "keywords")


def test_index_terms_and_unknown_block_before_the_introduction(tmp_path):
    paper, truth = analysed(tmp_path, "Gated Streams", [
        Part("Index Terms", "keywords", "other"), Part("How to Read This Paper", "intro", "other"),
        Part("1 Introduction", "intro", "introduction"), Part("2 Gated Residual Streams", "method", "method"),
        Part("3 Experiments", "experiments", "experiments", table=True), Part("4 Conclusion", "discussion", "conclusion"),
    ])
    assert tops(paper) == truth


def test_misspelled_headings_read_as_meant(tmp_path):
    paper, truth = analysed(tmp_path, "Gated Streams", [
        Part("1 Introdcution", "intro", "introduction"), Part("2 Relatd Work", "related", "related_work"),
        Part("3 Gated Residual Streams", "method", "method"),
        Part("4 Expirements", "experiments", "experiments", table=True),
        Part("5 Conlusion", "discussion", "conclusion"),
    ])
    assert tops(paper) == truth
    assert "“expirements” read as “experiments”" in reasons_of(paper, "expirements")


def test_a_real_word_is_not_a_misspelling(tmp_path):
    """"Confusion" is one edit from nothing and two from "conclusion": it must stay what it says."""
    paper, _ = analysed(tmp_path, "Gated Streams", [
        Part("1 Introduction", "intro", "introduction"), Part("2 Gated Residual Streams", "method", "method"),
        Part("3 Experiments", "experiments", "experiments", table=True),
        Part("4 Confusion Between Speakers", "experiments", "results", table=True),
        Part("5 Conclusion", "discussion", "conclusion"),
    ])
    assert tops(paper)[4] == ("4", "confusion between speakers", "results")


def test_preliminary_experiments_are_experiments(tmp_path):
    paper, truth = analysed(tmp_path, "Gated Streams", [
        Part("1 Introduction", "intro", "introduction"),
        Part("2 Preliminary Experiments", "experiments", "experiments", table=True),
        Part("3 Gated Residual Streams", "method", "method"),
        Part("4 Main Experiments", "experiments", "experiments", table=True),
        Part("5 Conclusion", "discussion", "conclusion"),
    ])
    assert tops(paper) == truth


@pytest.mark.parametrize("heading", ["2 A Primer on Streaming Recognition", "2 Where Streaming Models Stand"])
def test_background_under_an_unusual_title(tmp_path, heading):
    """Named by a background word ("primer"), or by nothing: then its citations say it."""
    paper, truth = analysed(tmp_path, "Gated Streams", [
        Part("1 Introduction", "intro", "introduction"), Part(heading, "related", "related_work"),
        Part("3 Gated Residual Streams", "method", "method"),
        Part("4 Experiments", "experiments", "experiments", table=True), Part("5 Conclusion", "discussion", "conclusion"),
    ])
    assert tops(paper) == truth
    if "Where" in heading:
        assert "cites other work in" in reasons_of(paper, heading[2:])


def test_discussion_after_the_experiments(tmp_path):
    """Advice and relations to other methods after the experiments are not the paper's method."""
    paper, truth = analysed(tmp_path, "Gated Streams", [
        Part("1 Introduction", "intro", "introduction"), Part("2 Gated Residual Streams", "method", "method"),
        Part("3 Experiments", "experiments", "experiments", table=True),
        Part("4 When Does the Gate Help?", "discussion", "results"),
        Part("5 Relation to Highway Networks", "related", "related_work"),
        Part("6 Practical Recommendations", "discussion", "results"),
        Part("7 Conclusion", "discussion", "conclusion"),
    ])
    assert tops(paper) == truth
    assert "after the experiments" in reasons_of(paper, "when does the gate help?")


def test_last_discussion_without_a_conclusion_concludes(tmp_path):
    paper, truth = analysed(tmp_path, "Gated Streams", [
        Part("1 Introduction", "intro", "introduction"), Part("2 Gated Residual Streams", "method", "method"),
        Part("3 Experiments", "experiments", "experiments", table=True),
        Part("4 What the Gate Leaves Open", "discussion", "conclusion"),
    ])
    assert tops(paper) == truth


def test_survey_of_practice_is_related_work(tmp_path):
    paper, truth = analysed(tmp_path, "How Teams Stream", [
        Part("1 Introduction", "intro", "introduction"),
        Part("2 Current Practices in Streaming Recognition", "related", "related_work"),
        Part("3 How Others Choose a Latency", "related", "related_work"),
        Part("4 Gated Residual Streams", "method", "method"),
        Part("5 Experiments", "experiments", "experiments", table=True), Part("6 Conclusion", "discussion", "conclusion"),
    ])
    assert tops(paper) == truth


def test_hci_studies_and_deployments_are_experiments(tmp_path):
    paper, truth = analysed(tmp_path, "Live Captions in Lectures", [
        Part("1 Introduction", "intro", "introduction"), Part("2 Related Work", "related", "related_work"),
        Part("3 Formative Study", "study", "experiments"), Part("4 The CaptionFlow System", "method", "method"),
        Part("5 User Study", "study", "experiments"), Part("6 Field Deployment", "study", "experiments"),
        Part("7 Seeing It in Use", "study", "experiments"),
        Part("8 Discussion", "discussion", "results"), Part("9 Conclusion", "discussion", "conclusion"),
    ])
    assert tops(paper) == truth
    assert "describes a study" in reasons_of(paper, "seeing it in use")


def test_numbers_and_tables_make_an_unnamed_section_experiments(tmp_path):
    paper, truth = analysed(tmp_path, "Gated Streams", [
        Part("1 Introduction", "intro", "introduction"), Part("2 Gated Residual Streams", "method", "method"),
        Part("3 Streaming on Noisy Speech", "experiments", "experiments", table=True),
        Part("4 Conclusion", "discussion", "conclusion"),
    ], columns=((54, 300), (312, 558)))
    assert tops(paper) == truth
    assert "table(s)" in reasons_of(paper, "streaming on noisy speech")


def test_every_section_says_why(tmp_path):
    paper, _ = analysed(tmp_path, "Gated Streams", [
        Part("1 Introduction", "intro", "introduction"), Part("2 Gated Residual Streams", "method", "method"),
        Part("3 Experiments", "experiments", "experiments", table=True), Part("4 Conclusion", "discussion", "conclusion"),
    ])
    assert all(s.reasons for s in paper.sections)
    method = next(s for s in paper.sections if s.title == "Gated Residual Streams")
    assert "between the introduction and the experiments" in method.reasons
    assert paper.to_json()["sections"][2]["reasons"] == method.reasons
