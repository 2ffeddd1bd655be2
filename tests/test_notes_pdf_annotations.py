"""A paper that arrives annotated from another reader: its highlights, notes and ink become the reader's
notes on request (once), and the annotated-PDF export keeps them without drawing any of them twice."""
from __future__ import annotations

import subprocess
import sys

import pymupdf
import pytest
from test_notes_support import LINES, make_pdf

from reader_app.notes import NotesStore, paper_id_for
from reader_app.notes.export_pdf import export_annotated_pdf
from reader_app.notes.pdf_annotations import import_pdf_annotations, is_from_pdf


def annotate_elsewhere(path, out):
    """What Zotero or Okular leave in a file: a highlight with a comment, a sticky note, a freehand
    stroke, and a highlight without a name (NM) whose id must still be stable."""
    doc = pymupdf.open(path)
    page = doc[0]
    quads = page.search_for("residual connections", quads=True)
    h = page.add_highlight_annot(quads)
    h.set_info(content="why residual here?", title="Zotero")
    h.set_colors(stroke=(0.18, 0.66, 0.9))
    h.update()
    second, third = doc[1], doc[2]
    note = second.add_text_annot((300, 100), "check the appendix")
    note.set_info(title="Okular")
    note.update()
    ink = second.add_ink_annot([[(100, 500), (150, 520), (200, 480)]])
    ink.update()
    nameless = third.add_underline_annot(third.search_for("softmax of queries", quads=True))
    nameless.update()
    doc.xref_set_key(nameless.xref, "NM", "null")
    doc.save(out)
    doc.close()
    return out


@pytest.fixture
def annotated(tmp_path):
    return annotate_elsewhere(make_pdf(tmp_path / "plain.pdf"), tmp_path / "annotated-elsewhere.pdf")


def test_import_takes_every_highlight_note_and_drawing_with_its_words_and_comment(annotated):
    with NotesStore.open() as store:
        report = import_pdf_annotations(store, annotated)
        notes = store.query_annotations(paper_id_for(annotated))
    assert report.added == 4 and not report.left_out
    by_kind = {}
    for n in notes:
        by_kind.setdefault(n.kind, []).append(n)
    highlight = next(n for n in by_kind["highlight"] if n.page == 1)
    assert highlight.text == "residual connections" and highlight.note == "why residual here?"
    assert highlight.color == "#2ea8e5"  # the colour it had in the other reader
    underline = next(n for n in by_kind["highlight"] if n.page == 3)
    assert underline.text == "softmax of queries"
    assert by_kind["page_note"][0].note == "check the appendix" and by_kind["page_note"][0].page == 2
    assert by_kind["rectangle"][0].page == 2
    assert all(is_from_pdf(n.id) for n in notes)


def test_importing_twice_adds_nothing(annotated):
    with NotesStore.open() as store:
        import_pdf_annotations(store, annotated)
        again = import_pdf_annotations(store, annotated)
        assert again.added == 0 and again.already == 4
        assert store.count_annotations(paper_id_for(annotated)) == 4


def test_export_keeps_the_files_annotations_once_and_carries_the_readers_edit(annotated, tmp_path):
    pid = paper_id_for(annotated)
    with NotesStore.open() as store:
        import_pdf_annotations(store, annotated)
        highlight = next(n for n in store.query_annotations(pid) if n.kind == "highlight" and n.page == 1)
        store.update_annotation(highlight.id, note="residual: keeps gradients flowing")
        from reader_app.notes import Annotation
        with pymupdf.open(annotated) as doc:
            quads = doc[0].search_for(LINES[0][:30], quads=True)
        store.add_annotation(Annotation.highlight(pid, 1, quads, LINES[0][:30], note="mine"))
        out = tmp_path / "export.pdf"
        report = export_annotated_pdf(store, pid, annotated, out)
    assert report.written == 1 and report.kept == 4
    with pymupdf.open(out) as doc:
        annots = [(p.number + 1, a.type[1], a.info["content"]) for p in doc for a in p.annots()]
    assert len(annots) == 5  # four of the file's own, one new: none twice
    assert (1, "Highlight", "residual: keeps gradients flowing") in annots
    assert (1, "Highlight", "mine") in annots


def test_a_plain_pdf_says_it_has_nothing_to_import(tmp_path):
    plain = make_pdf(tmp_path / "plain.pdf")
    with NotesStore.open() as store:
        report = import_pdf_annotations(store, plain)
    assert report.added == 0 and "no highlights" in report.summary(plain.name)


def test_cli_imports_a_pdf_and_refuses_a_broken_one_in_one_sentence(annotated, tmp_path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "reader_app", "import", *a],  # noqa: E731
                                    capture_output=True, text=True, timeout=120)
    done = run(str(annotated))
    assert done.returncode == 0 and "Imported 4 annotation(s)" in done.stdout
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 not really")
    failed = run(str(broken))
    assert failed.returncode != 0 and "Traceback" not in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1


def test_a_highlight_drawn_from_mid_letter_quotes_whole_words(tmp_path):
    pdf = make_pdf(tmp_path / "plain.pdf")
    out = tmp_path / "sloppy.pdf"
    with pymupdf.open(pdf) as doc:
        page = doc[0]
        words = page.search_for("stacks six identical")[0]
        sloppy = pymupdf.Rect(words.x0 + 3, words.y0, words.x1 - 3, words.y1)  # from inside "stacks"
        page.add_highlight_annot(sloppy).update()
        doc.save(out)
    with NotesStore.open() as store:
        import_pdf_annotations(store, out)
        (note,) = store.query_annotations(paper_id_for(out))
    assert note.text == "stacks six identical"


def test_an_exported_copy_opened_later_imports_every_note_and_exports_none_twice(annotated, tmp_path):
    pid = paper_id_for(annotated)
    with NotesStore.open() as store:
        import_pdf_annotations(store, annotated)
        copy = tmp_path / "copy.pdf"
        export_annotated_pdf(store, pid, annotated, copy)
        report = import_pdf_annotations(store, copy)  # the copy is another paper: its notes are all new
        assert report.added == 4 and store.count_annotations(pid) == 4
        again = tmp_path / "again.pdf"
        export_annotated_pdf(store, paper_id_for(copy), copy, again)
    with pymupdf.open(again) as doc:
        assert sum(len(list(p.annots())) for p in doc) == 4
