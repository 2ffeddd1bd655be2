"""JSON export and import: a lossless round trip, and imports that take what they can and overwrite nothing."""
from __future__ import annotations

import json

import pytest
from test_notes_support import make_pdf, word_highlight

from reader_app.notes import Annotation, NotesStore, paper_id_for
from reader_app.notes.export_json import export_json
from reader_app.notes.import_json import ImportFailed, import_notes


@pytest.fixture
def filled(tmp_path):
    """A store with one of every kind of note, progress on two repos and traced shapes for one paper."""
    pdf = make_pdf(tmp_path / "paper.pdf")
    pid = paper_id_for(pdf)
    store = NotesStore.open(tmp_path / "first.sqlite3")
    store.remember_paper(pid, pdf, "A Small Test Paper")
    store.add_annotations([
        word_highlight(pdf, pid, 1, "softmax of queries", note="the core \"idea\"\nsecond line", tags=["method"]),
        word_highlight(pdf, pid, 2, "residual connections", color="blue"),
        Annotation.page_note(pid, 3, (120.5, 88.25), "ünïcödé ✓ note", tags=["todo", "read later"]),
        Annotation.rectangle(pid, 1, (72, 300, 300, 450), "diagram"),
        Annotation.code_note(pid, "file:///r@1", "model.py", 12, "attention here"),
        Annotation.layer_note(pid, "file:///r@1", "Net", "encoder", "six layers"),
        Annotation.layer_link(pid, "file:///r@1", "Net", "encoder", figure_label="Figure 1"),
        Annotation.layer_link(pid, "file:///r@1", "Net", "attn", page=1, rect=(72, 300, 150, 340), note="box"),
    ])
    store.set_step_done(pid, "", "abstract_figures", True)
    store.add_step_seconds(pid, "file:///r@1", "follow_forward", 73.25)
    store.save_layer_shapes("file:///r@1", "Net", {"encoder": "(1, 10, 512)"})
    yield store, pid
    store.close()


def test_export_import_export_gives_identical_bytes(filled, tmp_path):
    store, pid = filled
    first = export_json(store, pid, tmp_path / "first.json")
    with NotesStore.open(tmp_path / "empty.sqlite3") as empty:
        report = import_notes(empty, first)
        assert (report.annotations, report.progress, report.skipped) == (8, 2, [])
        second = export_json(empty, pid, tmp_path / "second.json")
        assert empty.query_annotations(pid) == store.query_annotations(pid)
    assert second.read_bytes() == first.read_bytes()
    document = json.loads(first.read_text(encoding="utf-8"))
    assert document["format_version"] == 1 and len(document["annotations"]) == 8
    assert "ünïcödé ✓ note" in first.read_text(encoding="utf-8")


def test_importing_twice_overwrites_nothing(filled, tmp_path):
    store, pid = filled
    exported = export_json(store, pid, tmp_path / "notes.json")
    original = store.query_annotations(pid)[0]
    store.update_annotation(original.id, note="changed after the export")
    report = import_notes(store, exported)
    assert report.annotations == 0 and report.progress == 0
    assert len(report.skipped) == 10 and "yours was kept" in report.skipped[0]
    assert store.get_annotation(original.id).note == "changed after the export"
    assert store.count_annotations(pid) == 8


def test_another_version_with_missing_fields_imports_what_it_can(tmp_path):
    pdf = make_pdf(tmp_path / "paper.pdf")
    pid = paper_id_for(pdf)
    quads = word_highlight(pdf, pid, 1, "softmax").to_dict()["quads"]
    document = {
        "format": "reader-app-notes", "format_version": 7,
        "paper": {"paper_id": pid, "title": "From the future"},
        "progress": [{"step_id": "method", "done": True}, {"step_id": "dream_big", "done": True},
                     {"step_id": "connect", "done": True, "done_at": {"when": "yesterday"}}],
        "annotations": [
            {"id": "a1", "kind": "highlight", "page": 1, "quads": quads, "text": "softmax", "ink": [1, 2]},
            {"id": "a2", "kind": "highlight", "page": 1, "text": "no quads"},
            {"kind": "page_note", "page": 2, "point": [10, 10], "note": "no id"},
            {"id": "a4", "kind": "hologram", "page": 1},
            {"id": "a5", "kind": "rectangle", "page": "two", "rect": [1, 2, 3, 4]},
            {"id": "a6", "kind": "page_note", "page": 1, "point": [1, 1], "note": ["not", "text"]},
            "not even an object",
        ],
    }
    source = tmp_path / "future.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    with NotesStore.open() as store:
        report = import_notes(store, source)
        assert report.annotations == 2 and report.progress == 1
        assert store.get_annotation("a1").quads and store.get_progress(pid)["method"].done
        assert [s.split(":")[0] for s in report.skipped] == [
            "annotation a2", "annotation a4", "annotation a5", "annotation a6", "an annotation", "progress for step 'dream_big'",
            "progress for step connect"]
        assert any("newer than this app" in w for w in report.warnings)
        assert any("ink" in w for w in report.warnings)
        assert any("new id" in w for w in report.warnings)


@pytest.mark.parametrize("content, reason", [
    ("{not json", "not valid JSON"),
    ('{"format": "zotero", "items": []}', "not a reader-app notes file"),
    ("[1, 2, 3]", "not a reader-app notes file"),
    ('{"annotations": "lots"}', "must be lists"),
])
def test_files_that_are_not_notes_are_refused_with_a_reason(tmp_path, content, reason):
    source = tmp_path / "bad.json"
    source.write_text(content, encoding="utf-8")
    with NotesStore.open() as store:
        with pytest.raises(ImportFailed, match=reason):
            import_notes(store, source)
        assert store.annotated_papers() == []
