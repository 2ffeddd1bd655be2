"""Annotations in the store: every kind, editing, undo/redo across restarts, the panel's queries, migrations."""
from __future__ import annotations

import sqlite3

import pytest
from test_notes_support import make_pdf, word_highlight

from reader_app.notes import (Annotation, AnnotationFilter, InvalidAnnotation, NotesStore,
                              paper_id_for)
from reader_app.notes import query
from reader_app.notes.schema import MIGRATIONS, SCHEMA_VERSION


@pytest.fixture
def pdf(tmp_path):
    return make_pdf(tmp_path / "paper.pdf")


def every_kind(pdf, pid):
    return [
        word_highlight(pdf, pid, 1, "residual connections", note="skip path", color="green", tags=["Method"]),
        Annotation.page_note(pid, 2, (100, 200), "check the table on this page", tags=["todo"]),
        Annotation.rectangle(pid, 1, (72, 300, 300, 450), "the architecture diagram", tags=["figure"]),
        Annotation.code_note(pid, "repo@abc", "model.py", 42, "this is the residual"),
        Annotation.layer_note(pid, "repo@abc", "Transformer", "encoder.layers", "6 of them"),
        Annotation.layer_link(pid, "repo@abc", "Transformer", "encoder", figure_label="Figure 1"),
        Annotation.layer_link(pid, "repo@abc", "Transformer", "attn", page=1, rect=(72, 300, 200, 350)),
    ]


def test_every_kind_is_saved_and_read_back_after_reopening(pdf):
    pid = paper_id_for(pdf)
    with NotesStore.open() as store:
        saved = [store.add_annotation(a) for a in every_kind(pdf, pid)]
    with NotesStore.open() as store:
        assert [store.get_annotation(a.id) for a in saved] == saved
        highlight = store.get_annotation(saved[0].id)
        assert highlight.color == "#5fb236" and highlight.tags == ("method",) and len(highlight.quads) == 1
        in_page_order = [a.kind for a in store.query_annotations(pid)]
        assert in_page_order[:4] == ["highlight", "rectangle", "layer_link", "page_note"]  # top to bottom
        assert sorted(in_page_order[4:]) == ["code_note", "layer_link", "layer_note"]  # no page: last


def test_incomplete_annotations_are_refused(pdf):
    pid = paper_id_for(pdf)
    with pytest.raises(InvalidAnnotation, match="quads"):
        Annotation.highlight(pid, 1, [], "nothing")
    with pytest.raises(InvalidAnnotation, match="figure, region or passage"):
        Annotation.layer_link(pid, "r", "M", "fc")
    with pytest.raises(InvalidAnnotation, match="color"):
        Annotation.rectangle(pid, 1, (0, 0, 1, 1), color="mauve")
    with pytest.raises(InvalidAnnotation, match="start at 1"):
        Annotation.page_note(pid, 0, (1, 1), "pages are numbered as printed")


def test_edit_delete_undo_redo_and_the_history_survives_a_restart(pdf):
    pid = paper_id_for(pdf)
    with NotesStore.open() as store:
        note = store.add_annotation(Annotation.page_note(pid, 1, (10, 10), "first"))
        store.update_annotation(note.id, note="second", tags=["x"])
        store.delete_annotation(note.id)
        assert store.get_annotation(note.id) is None
    with NotesStore.open() as store:
        assert store.can_undo(pid) == "Delete annotation"
        assert store.undo(pid).annotation_ids == (note.id,)
        assert store.get_annotation(note.id).note == "second"
        store.undo(pid)
        assert store.get_annotation(note.id).note == "first"
        assert store.redo(pid).label == "Edit page note"
        assert store.get_annotation(note.id).tags == ("x",)
        store.undo(pid)
        store.undo(pid)
        assert store.get_annotation(note.id) is None and store.undo(pid) is None
        store.redo(pid)
        store.add_annotation(Annotation.page_note(pid, 1, (5, 5), "new branch"))
        assert store.can_redo(pid) is None  # a new action drops what was undone


def test_undo_is_per_paper(pdf, tmp_path):
    first, second = paper_id_for(pdf), paper_id_for(make_pdf(tmp_path / "other.pdf", title="Other"))
    with NotesStore.open() as store:
        a = store.add_annotation(Annotation.page_note(first, 1, (1, 1), "on the first"))
        b = store.add_annotation(Annotation.page_note(second, 1, (1, 1), "on the second"))
        store.undo(first)
        assert store.get_annotation(a.id) is None and store.get_annotation(b.id) is not None


def test_bulk_add_is_one_action_and_never_overwrites(pdf):
    pid = paper_id_for(pdf)
    with NotesStore.open() as store:
        added = store.add_annotations(every_kind(pdf, pid))
        assert store.count_annotations(pid) == 7
        with pytest.raises(ValueError, match="already exists"):
            store.add_annotations([Annotation.page_note(pid, 1, (1, 1), "new"), added[0]])
        assert store.count_annotations(pid) == 7  # all or nothing: the new one was not kept either
        store.undo(pid)
        assert store.count_annotations(pid) == 0


def test_panel_filters_and_pages_through_ten_thousand(pdf):
    pid = paper_id_for(pdf)
    colours = ["yellow", "green", "blue", "red"]
    batch = [Annotation.page_note(pid, 1 + i % 50, (10, i % 700), f"note {i} {'softmax' if i % 10 == 0 else ''}",
                                  color=colours[i % 4], tags=["even" if i % 2 == 0 else "odd"])
             for i in range(10_000)]
    with NotesStore.open() as store:
        store.add_annotations(batch)
        assert store.count_annotations(pid) == 10_000
        assert store.count_annotations(pid, AnnotationFilter(tags=("even",))) == 5_000
        assert store.count_annotations(pid, AnnotationFilter(text="softmax")) == 1_000
        assert store.count_annotations(pid, AnnotationFilter(page=4, color="#2ea8e5")) == 0  # page 4 holds odd numbers
        assert store.count_annotations(pid, AnnotationFilter(tags=("even",), text="softmax", page=1)) == 200
        assert store.count_annotations(pid, AnnotationFilter(tags=("odd",), text="softmax")) == 0
        window = store.query_annotations(pid, offset=200, limit=100)
        assert len(window) == 100
        everything = store.query_annotations(pid)
        assert window == everything[200:300]
        assert [a.page for a in everything] == sorted(a.page for a in everything)
        assert store.tags_in_use(pid) == [("even", 5000), ("odd", 5000)]
        plan = store._read("EXPLAIN QUERY PLAN SELECT id FROM annotations WHERE paper_id=? ORDER BY "
                           f"{query._ORDERS['page']} LIMIT 100", (pid,))
        assert any("annotations_in_page_order" in str(row) for row in plan)
        assert not any("TEMP B-TREE" in str(row) for row in plan)  # a window needs no sort of all rows


def test_code_view_and_layer_view_find_their_notes(pdf):
    pid = paper_id_for(pdf)
    with NotesStore.open() as store:
        store.add_annotations(every_kind(pdf, pid))
        store.add_annotation(Annotation.code_note(pid, "repo@abc", "train.py", 3, "elsewhere"))
        in_model = store.query_annotations(pid, AnnotationFilter(kinds=("code_note",), file="model.py"))
        assert [(a.file, a.line) for a in in_model] == [("model.py", 42)]
        assert {a.kind for a in store.query_annotations(pid, AnnotationFilter(layer="encoder"))} == {"layer_link"}


def test_text_filter_treats_wildcards_literally(pdf):
    pid = paper_id_for(pdf)
    with NotesStore.open() as store:
        store.add_annotation(Annotation.page_note(pid, 1, (1, 1), "100% sure"))
        store.add_annotation(Annotation.page_note(pid, 1, (1, 2), "1000 sure"))
        assert [a.note for a in store.query_annotations(pid, AnnotationFilter(text="100%"))] == ["100% sure"]


def test_a_version_1_database_is_upgraded_keeping_its_progress(tmp_path):
    db = tmp_path / "notes.sqlite3"
    conn = sqlite3.connect(db)
    conn.executescript(MIGRATIONS[0])
    conn.execute("INSERT INTO progress (paper_id, repo_id, step_id, done, seconds) VALUES ('p','','method',1,60)")
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()
    with NotesStore.open(db) as store:
        assert store.schema_version == SCHEMA_VERSION == 3
        assert store.get_progress("p")["method"].seconds == 60
        store.add_annotation(Annotation.page_note("p", 1, (1, 1), "works after the upgrade"))


def test_layer_shapes_are_remembered_per_repository():
    with NotesStore.open() as store:
        store.save_layer_shapes("repo@1", "Net", {"fc": "(1, 10)", "conv": "(1, 8, 28, 28)"})
        store.save_layer_shapes("repo@1", "Net", {"fc": "(2, 10)"})
        assert store.layer_shapes("repo@1") == {("Net", "fc"): "(2, 10)"}


def test_views_hear_about_every_committed_change(pdf, tmp_path):
    pid = paper_id_for(pdf)
    heard = []
    with NotesStore.open() as store:
        stop = store.subscribe(heard.append)
        note = store.add_annotation(Annotation.page_note(pid, 1, (1, 1), "a"))
        store.update_annotation(note.id, note="b")
        store.delete_annotation(note.id)
        store.undo(pid)
        store.set_step_done(pid, "", "method", True)
        stop()
        store.add_annotation(Annotation.page_note(pid, 1, (1, 1), "unheard"))
    assert [(e.added, e.changed, e.removed, e.progress) for e in heard] == [
        ((note.id,), (), (), False), ((), (note.id,), (), False), ((), (), (note.id,), False),
        ((note.id,), (), (), False), ((), (), (), True)]
    assert {e.paper_id for e in heard} == {pid}
