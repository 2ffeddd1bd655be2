"""The reader's retagging of a section: kept per paper in the notes store, laid over the analysis
(subsections follow), exported with the notes as JSON and Markdown and imported back."""
from __future__ import annotations

import json

import pytest

from reader_app.notes import NotesStore, paper_id_for
from reader_app.notes.export_json import export_json
from reader_app.notes.export_markdown import export_markdown
from reader_app.notes.import_json import import_notes
from reader_app.paper import analyze_paper
from reader_app.paper.retag import RETAGGED, apply_overrides
from reader_app.paths import sample_paper


@pytest.fixture(scope="module")
def analysed():
    return analyze_paper(sample_paper())


def _method(paper):
    return next(s for s in paper.sections if s.level == 1 and s.title == "Method")


def test_a_retag_wins_over_the_analysis_and_subsections_follow(tmp_path, analysed):
    paper = analyze_paper(sample_paper())
    method = _method(paper)
    with NotesStore.open(tmp_path / "n.sqlite3") as store:
        pid = paper_id_for(sample_paper())
        events = []
        store.subscribe(events.append)
        store.retag_section(pid, method.title, method.page, "results")
        assert events[-1].section_tags
        changed = apply_overrides(paper.sections, store.section_tag_overrides(pid))
    assert changed == [method] and method.tag == "results"
    assert method.reasons == [RETAGGED, "the analysis said method"] and method.also == ["method"]
    children = paper.sections[paper.sections.index(method) + 1:]
    first_child = children[0]
    assert first_child.level == 2 and first_child.tag == "results"
    others = [s for s in paper.sections if s.level == 1 and s is not method]
    assert [s.tag for s in others] == [s.tag for s in analysed.sections if s.level == 1 and s.title != "Method"]


def test_a_retag_survives_a_new_analysis_and_can_be_taken_back(tmp_path):
    pid = paper_id_for(sample_paper())
    with NotesStore.open(tmp_path / "n.sqlite3") as store:
        method = _method(analyze_paper(sample_paper()))
        store.retag_section(pid, method.title, method.page, "related_work")
        store.retag_section(pid, method.title, method.page, "experiments")  # a second retag replaces the first
        assert [t.tag for t in store.section_tags(pid)] == ["experiments"]
        again = analyze_paper(sample_paper())
        apply_overrides(again.sections, store.section_tag_overrides(pid))
        assert _method(again).tag == "experiments"
        assert store.clear_section_tag(pid, method.title, method.page)
        assert not store.clear_section_tag(pid, method.title, method.page)
        fresh = analyze_paper(sample_paper())
        apply_overrides(fresh.sections, store.section_tag_overrides(pid))
        assert _method(fresh).tag == "method"


def test_unknown_tags_are_refused(tmp_path):
    with NotesStore.open(tmp_path / "n.sqlite3") as store:
        with pytest.raises(ValueError, match="unknown tag"):
            store.retag_section("p", "Method", 2, "methodology")
        assert store.section_tags("p") == []


def test_retags_travel_with_the_json_export_and_import_once(tmp_path):
    pid = paper_id_for(sample_paper())
    out = tmp_path / "notes.json"
    with NotesStore.open(tmp_path / "a.sqlite3") as store:
        store.remember_paper(pid, sample_paper(), "Sample")
        store.retag_section(pid, "Method", 2, "results")
        export_json(store, pid, out)
    assert json.loads(out.read_text())["section_tags"][0]["tag"] == "results"
    with NotesStore.open(tmp_path / "b.sqlite3") as other:
        other.retag_section(pid, "Results", 4, "experiments")  # the reader's own tag there stays
        first = import_notes(other, out)
        second = import_notes(other, out)
        assert first.section_tags == 1 and "1 section tag(s)" in first.summary()
        assert second.section_tags == 0 and any("already retagged" in s for s in second.skipped)
        assert other.section_tag_overrides(pid) == {"2:method": "results", "4:results": "experiments"}


def test_the_markdown_export_shows_the_readers_tag(tmp_path, analysed):
    pid = paper_id_for(sample_paper())
    method = _method(analysed)
    out = tmp_path / "notes.md"
    with NotesStore.open(tmp_path / "n.sqlite3") as store:
        store.retag_section(pid, method.title, method.page, "results")
        export_markdown(store, pid, out, pdf=sample_paper())
    text = out.read_text()
    assert f"Method #results (your tag; the analysis said #method)" in text
    assert "Related Work #related_work (" in text
