"""`reader-app export` and `reader-app import` as a reader types them."""
from __future__ import annotations

import json

import pymupdf
import pytest
from test_notes_support import make_pdf, word_highlight

from reader_app import cli
from reader_app.notes import Annotation, NotesStore, paper_id_for


@pytest.fixture
def paper_with_notes(tmp_path):
    pdf = make_pdf(tmp_path / "paper.pdf")
    pid = paper_id_for(pdf)
    with NotesStore.open() as store:
        store.add_annotations([word_highlight(pdf, pid, 1, "softmax of queries", note="the core", tags=["method"]),
                               Annotation.page_note(pid, 2, (80, 80), "look here")])
        store.set_step_done(pid, "", "method", True)
    return pdf, pid


def _run(capsys, *argv):
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("fmt, name", [("md", "out.md"), ("json", "out.json"), ("pdf", "out.pdf")])
def test_export_each_format(paper_with_notes, tmp_path, capsys, fmt, name):
    pdf, _ = paper_with_notes
    status, out, err = _run(capsys, "export", str(pdf), "--format", fmt, "-o", str(tmp_path / name))
    assert status == 0 and err == "" and out.startswith(f"Wrote {tmp_path / name}")
    written = (tmp_path / name).read_bytes()
    assert b"the core" in written or fmt == "pdf"
    if fmt == "pdf":
        with pymupdf.open(tmp_path / name) as doc:
            assert [a.info["content"] for a in doc[0].annots()] == ["the core\n#method"]


def test_format_follows_the_output_name_and_a_moved_paper_keeps_its_notes(paper_with_notes, tmp_path, capsys,
                                                                           monkeypatch):
    pdf, _ = paper_with_notes
    moved = tmp_path / "elsewhere" / "renamed.pdf"
    moved.parent.mkdir()
    pdf.rename(moved)
    status, out, _ = _run(capsys, "export", str(moved), "-o", str(tmp_path / "notes.json"))
    assert status == 0 and len(json.loads((tmp_path / "notes.json").read_text())["annotations"]) == 2
    monkeypatch.chdir(tmp_path)
    status, out, _ = _run(capsys, "export", str(moved))
    assert status == 0 and (tmp_path / "renamed.notes.md").is_file()
    assert "- [x] 2. Read the Method section" in (tmp_path / "renamed.notes.md").read_text()


def test_import_into_another_home_then_again(paper_with_notes, tmp_path, capsys, monkeypatch):
    pdf, pid = paper_with_notes
    _run(capsys, "export", str(pdf), "-o", str(tmp_path / "notes.json"))
    monkeypatch.setenv("READER_APP_HOME", str(tmp_path / "other_home"))
    status, out, err = _run(capsys, "import", str(tmp_path / "notes.json"))
    assert status == 0 and out == "Imported 2 annotation(s) and 1 progress entr(ies).\n" and err == ""
    with NotesStore.open() as store:
        assert store.count_annotations(pid) == 2 and store.get_progress(pid)["method"].done
    status, out, _ = _run(capsys, "import", str(tmp_path / "notes.json"))
    assert status == 0 and out.startswith("Imported 0 annotation(s)") and out.count("  left out: ") == 3


@pytest.mark.parametrize("argv, message", [
    (["export", "{tmp}/missing.pdf"], "missing.pdf does not exist or is not a file."),
    (["export", "{pdf}", "-o", "{tmp}/no/such/folder/x.md"], "the folder {tmp}/no/such/folder does not exist."),
    (["export", "{pdf}", "-o", "{pdf}"], "would overwrite the original PDF"),
    (["export", "{pdf}", "--repo", "{tmp}/nothing"], "does not exist."),
    (["import", "{tmp}/missing.json"], "missing.json does not exist or is not a file."),
    (["import", "{tmp}/binary.json"], "is not a text file."),  # a PDF imports its own annotations instead
])
def test_bad_input_is_one_sentence_and_status_2(paper_with_notes, tmp_path, capsys, argv, message):
    pdf, _ = paper_with_notes
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00" * 50)
    argv = [a.format(tmp=tmp_path, pdf=pdf) for a in argv]
    status, out, err = _run(capsys, *argv)
    assert status == 2 and out == ""
    assert err.startswith("reader-app: ") and message.format(tmp=tmp_path) in err and err.count("\n") == 1


def test_a_damaged_store_is_reported_and_the_export_still_runs(tmp_path, capsys, isolated_home):
    pdf = make_pdf(tmp_path / "paper.pdf")
    (isolated_home / "notes.sqlite3").write_bytes(b"\x00garbage" * 500)
    status, out, err = _run(capsys, "export", str(pdf), "-o", str(tmp_path / "n.md"))
    assert status == 0
    assert "the notes database was damaged; it was moved to" in err
    assert list(isolated_home.glob("notes.corrupt-*.sqlite3"))
