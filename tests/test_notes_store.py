"""The notes store core: where it lives, progress, settings, paper paths, identities, damage recovery."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3

import git
import pytest

from reader_app import paths
from reader_app.notes import NotesStore, NotesStoreError, paper_id_for, repo_id_for
from reader_app.notes.schema import SCHEMA_VERSION
from reader_app.workflow.steps import STEPS


def test_store_lives_in_the_data_folder_in_wal_mode():
    with NotesStore.open() as store:
        assert store.path == paths.data_dir() / "notes.sqlite3"
        assert store.schema_version == SCHEMA_VERSION
        assert store.recovered_from is None
    conn = sqlite3.connect(paths.data_dir() / "notes.sqlite3")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_progress_survives_reopening_and_is_kept_per_repo():
    with NotesStore.open() as store:
        store.set_step_done("paperA", "repo1", "method", True)
        store.add_step_seconds("paperA", "repo1", "method", 30)
        store.add_step_seconds("paperA", "repo1", "method", 12.5)
        store.set_step_done("paperA", "", "abstract_figures", True, manual=False)
    with NotesStore.open() as store:
        progress = store.get_progress("paperA", "repo1")
        assert list(progress) == [step.id for step in STEPS]
        method = progress["method"]
        assert method.done and method.manual and method.seconds == 42.5 and method.done_at
        assert not progress["abstract_figures"].done  # ticked for repo "" only
        without_repo = store.get_progress("paperA")["abstract_figures"]
        assert without_repo.done and not without_repo.manual


def test_unticking_clears_the_time_it_was_done_and_reset_forgets_all():
    with NotesStore.open() as store:
        store.set_step_done("p", "", "connect", True)
        first = store.get_progress("p")["connect"].done_at
        store.set_step_done("p", "", "connect", True)
        assert store.get_progress("p")["connect"].done_at == first  # ticking twice keeps the first time
        store.set_step_done("p", "", "connect", False)
        assert store.get_progress("p")["connect"].done_at is None
        store.add_step_seconds("p", "", "connect", 5)
        store.reset_progress("p", "")
        assert store.get_progress("p")["connect"].seconds == 0


def test_unknown_step_is_refused():
    with NotesStore.open() as store:
        with pytest.raises(ValueError, match="unknown workflow step"):
            store.set_step_done("p", "", "read_everything", True)


def test_settings_hold_json_values_and_persist():
    with NotesStore.open() as store:
        assert store.get_setting("trace_consent", {}) == {}
        store.set_setting("trace_consent", {"https://x/y.git@abc": True})
        with pytest.raises(TypeError):
            store.set_setting("bad", object())
    with NotesStore.open() as store:
        assert store.get_setting("trace_consent") == {"https://x/y.git@abc": True}


def test_paper_id_follows_content_not_name(shared_papers, tmp_path):
    pdf = sorted(shared_papers.glob("*.pdf"))[0]
    moved = tmp_path / "renamed.pdf"
    shutil.copy(pdf, moved)
    assert paper_id_for(moved) == paper_id_for(pdf) == hashlib.sha256(pdf.read_bytes()).hexdigest()
    other = sorted(shared_papers.glob("*.pdf"))[1]
    assert paper_id_for(other) != paper_id_for(pdf)
    with NotesStore.open() as store:
        store.remember_paper(paper_id_for(pdf), pdf, "A paper")
        store.remember_paper(paper_id_for(moved), moved)
        assert store.paper_path(paper_id_for(pdf)) == moved.resolve()
        assert store.paper_title(paper_id_for(pdf)) == "A paper"  # an empty title keeps the known one
        assert store.paper_path("unknown") is None


def test_repo_id_is_origin_and_commit_for_a_clone_else_the_folder(tmp_path):
    origin = git.Repo.init(tmp_path / "origin")
    (tmp_path / "origin" / "model.py").write_text("import torch\n")
    origin.index.add(["model.py"])
    commit = origin.index.commit("first").hexsha
    url = (tmp_path / "origin").as_uri()
    clone = git.Repo.clone_from(url, tmp_path / "clone")
    assert repo_id_for(tmp_path / "clone") == f"{url}@{commit}"
    clone.remotes.origin.set_url("https://someone:s3cret@example.com/x/y.git")
    assert repo_id_for(tmp_path / "clone") == f"https://example.com/x/y.git@{commit}"
    assert repo_id_for(tmp_path / "origin") == f"{(tmp_path / 'origin').resolve()}@{commit}"
    (tmp_path / "plain").mkdir()
    assert repo_id_for(tmp_path / "plain") == str((tmp_path / "plain").resolve())


def test_a_damaged_database_is_moved_aside_and_a_new_one_opens(tmp_path):
    db = tmp_path / "notes.sqlite3"
    db.write_bytes(b"these are not the notes you are looking for" * 100)
    with NotesStore.open(db) as store:
        assert store.recovered_from is not None and store.recovered_from.exists()
        assert store.recovered_from.read_bytes().startswith(b"these are not")
        assert "corrupt" in store.recovered_from.name
        store.set_setting("k", 1)
    with NotesStore.open(db) as store:
        assert store.recovered_from is None and store.get_setting("k") == 1


def test_a_truncated_database_is_moved_aside_not_overwritten(tmp_path):
    db = tmp_path / "notes.sqlite3"
    with NotesStore.open(db) as store:
        for i in range(400):
            store.set_setting(f"key{i}", "x" * 200)
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    with NotesStore.open(db) as store:
        assert store.recovered_from is not None
        assert store.recovered_from.read_bytes() == data[: len(data) // 2]
        assert store.get_setting("key1") is None


def test_a_database_from_a_newer_app_is_left_alone(tmp_path):
    db = tmp_path / "notes.sqlite3"
    NotesStore.open(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(NotesStoreError, match="newer version"):
        NotesStore.open(db)
    assert list(tmp_path.glob("*corrupt*")) == []


def test_a_closed_store_says_so():
    store = NotesStore.open()
    store.close()
    with pytest.raises(NotesStoreError, match="closed"):
        store.get_setting("k")
