"""Exports to a full disk or a read-only folder: one clear sentence, no partial file, the store unharmed."""
from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys

import pytest
from test_notes_support import make_pdf, word_highlight

from reader_app.notes import Annotation, NotesStore, NotesStoreError, paper_id_for
from reader_app.atomic import ExportError
from reader_app.notes.export_json import export_json
from reader_app.notes.export_markdown import export_markdown
from reader_app.notes.export_pdf import export_annotated_pdf


def _mount_tmpfs(folder, options: str) -> bool:
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


def _small_disk(folder, size: str):
    """A real filesystem of `size` (tmpfs; needs root), so writes fail with 'No space left on device'."""
    folder.mkdir()
    if not _mount_tmpfs(folder, f"size={size}"):
        pytest.skip("mounting a small tmpfs needs root")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


@pytest.fixture
def full_disk(tmp_path):
    """64 KiB of disk holding a previous export."""
    for folder in _small_disk(tmp_path / "full", "64k"):
        (folder / "notes.md").write_text("the previous export\n", encoding="utf-8")
        yield folder


@pytest.fixture
def small_disk(tmp_path):
    yield from _small_disk(tmp_path / "small", "512k")


@pytest.fixture
def read_only(tmp_path):
    """A folder nobody may write to: chmod for a normal user, a read-only tmpfs for root."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
    elif _mount_tmpfs(folder, "ro,size=64k"):
        yield folder
        subprocess.run(["umount", str(folder)], check=True)
    else:
        pytest.skip("root cannot be kept out of a folder without mounting one read-only")


@pytest.fixture
def noted(tmp_path, shared_papers):
    """The Transformer paper (2.2 MB, so a copy cannot fit on the small disk) with notes."""
    pdf = shared_papers / "01_attention_is_all_you_need_1706.03762.pdf"
    pid = paper_id_for(pdf)
    store = NotesStore.open()
    store.remember_paper(pid, pdf)
    store.add_annotations([word_highlight(pdf, pid, 1, "dominant sequence transduction models", note="n")] +
                          [Annotation.page_note(pid, 1 + i % 15, (50, 50), "x" * 500) for i in range(200)])
    yield store, pid, pdf
    store.close()


def _exports(store, pid, pdf, folder):
    return {
        "json": lambda: export_json(store, pid, folder / "notes.json"),
        "md": lambda: export_markdown(store, pid, folder / "notes.md", pdf=pdf),
        "pdf": lambda: export_annotated_pdf(store, pid, pdf, folder / "annotated.pdf"),
    }


def _store_is_whole(store, pid):
    assert store.count_annotations(pid) == 201
    store.add_annotation(Annotation.page_note(pid, 1, (1, 1), "the store still takes changes"))
    assert store.check_integrity()


@pytest.mark.parametrize("fmt", ["json", "md", "pdf"])
def test_a_full_disk_is_reported_and_leaves_the_previous_file(noted, full_disk, fmt):
    store, pid, pdf = noted
    with pytest.raises(ExportError, match="not enough disk space"):
        _exports(store, pid, pdf, full_disk)[fmt]()
    assert (full_disk / "notes.md").read_text(encoding="utf-8") == "the previous export\n"
    assert not [p for p in full_disk.rglob("*") if ".part" in p.name]
    _store_is_whole(store, pid)


@pytest.mark.parametrize("fmt", ["json", "md", "pdf"])
def test_a_read_only_folder_is_reported(noted, read_only, fmt):
    store, pid, pdf = noted
    with pytest.raises(ExportError, match="read-only"):
        _exports(store, pid, pdf, read_only)[fmt]()
    assert list(read_only.iterdir()) == []
    _store_is_whole(store, pid)


def _limit_file_size():
    """In the child: files may not grow past 1 MiB (the kernel's EFBIG, as a quota would)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))


def test_cli_export_that_runs_out_of_room_says_so_and_keeps_the_notes(tmp_path, shared_papers, isolated_home):
    pdf = shared_papers / "01_attention_is_all_you_need_1706.03762.pdf"
    pid = paper_id_for(pdf)
    with NotesStore.open() as store:
        store.add_annotation(word_highlight(pdf, pid, 1, "dominant sequence transduction models", note="keep me"))
    done = subprocess.run([sys.executable, "-m", "reader_app", "export", str(pdf), "-o", str(tmp_path / "big.pdf")],
                          capture_output=True, text=True, preexec_fn=_limit_file_size,
                          env={**os.environ, "READER_APP_HOME": str(isolated_home)})
    assert done.returncode == 2
    assert done.stderr.startswith("reader-app: There is not enough disk space to write") and "Traceback" not in done.stderr
    assert not (tmp_path / "big.pdf").exists() and list(tmp_path.glob(".big*")) == []
    conn = sqlite3.connect(isolated_home / "notes.sqlite3")
    assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
    assert conn.execute("SELECT note FROM annotations").fetchall() == [("keep me",)]
    conn.close()


def test_exporting_over_a_folder_or_into_a_missing_one_is_refused(tmp_path):
    pdf = make_pdf(tmp_path / "paper.pdf")
    pid = paper_id_for(pdf)
    with NotesStore.open() as store:
        with pytest.raises(ExportError, match="is a folder"):
            export_json(store, pid, tmp_path)
        with pytest.raises(ExportError, match="does not exist"):
            export_json(store, pid, tmp_path / "missing" / "notes.json")


def test_a_store_on_a_full_disk_refuses_the_change_and_keeps_every_saved_note(small_disk):
    saved = []
    with NotesStore.open(small_disk / "notes.sqlite3") as store:
        with pytest.raises(NotesStoreError) as failure:
            for i in range(10_000):
                saved.append(store.add_annotation(Annotation.page_note("p", 1, (1, i), f"note {i} " + "x" * 300)).id)
        assert "could not be saved" in str(failure.value)
    with NotesStore.open(small_disk / "notes.sqlite3") as store:
        assert store.recovered_from is None
        assert sorted(a.id for a in store.query_annotations("p")) == sorted(saved) and len(saved) > 5
