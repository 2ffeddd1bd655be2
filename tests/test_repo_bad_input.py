"""Bad repositories: every problem becomes one clear sentence and the rest of the scan still works."""
from __future__ import annotations

import json
import os

import pytest

from reader_app.cli import main
from reader_app.repo import RepoError, scan_repo

MODEL = """import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(x)
"""


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def test_folder_without_python_says_so(tmp_path):
    write(tmp_path, "README.md", "# notes only\n")
    write(tmp_path, "data/values.csv", "a,b\n1,2\n")
    info = scan_repo(tmp_path)
    assert info.main is None and info.layers == []
    assert any("no Python files" in p for p in info.problems)
    assert {r.path: r.role for r in info.roles} == {"README.md": "readme", "data/values.csv": "other"}


def test_python_without_a_model_class_says_so(tmp_path):
    write(tmp_path, "utils.py", "def add(a, b):\n    return a + b\n")
    info = scan_repo(tmp_path)
    assert info.main is None
    assert any("No nn.Module subclass was found" in p for p in info.problems)
    assert info.role_of("utils.py") == "helpers"


def test_syntax_error_skips_only_that_file(tmp_path):
    write(tmp_path, "model.py", MODEL)
    write(tmp_path, "broken.py", "def f(:\n    pass\n")
    info = scan_repo(tmp_path)
    assert info.main is not None and info.main.name == "Net"
    assert any(p.startswith("broken.py line 1: syntax error") for p in info.problems)


def test_non_utf8_file_is_skipped_with_a_sentence(tmp_path):
    write(tmp_path, "model.py", MODEL)
    write(tmp_path, "latin.py", b"# caf\xe9\nx = 1\n")
    info = scan_repo(tmp_path)
    assert info.main.name == "Net"
    assert any("latin.py is not UTF-8" in p for p in info.problems)


def test_huge_generated_file_is_skipped(tmp_path):
    write(tmp_path, "model.py", MODEL)
    write(tmp_path, "generated_pb2.py", "X = 1\n" * 400_000)  # 2.4 MB
    info = scan_repo(tmp_path)
    assert info.main.name == "Net"
    assert any("generated_pb2.py is 2.4 MB" in p and "generated" in p for p in info.problems)
    assert info.role_of("generated_pb2.py") is not None  # still listed in the anatomy


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_symlink_loops_and_broken_links_do_not_hang(tmp_path):
    write(tmp_path, "pkg/model.py", MODEL)
    os.symlink(tmp_path, tmp_path / "pkg" / "up")  # points at the root: a loop
    os.symlink(tmp_path / "pkg" / "self", tmp_path / "pkg" / "self")  # points at itself
    os.symlink(tmp_path / "missing", tmp_path / "dangling")
    info = scan_repo(tmp_path)
    assert info.main is not None and info.main.file == "pkg/model.py"
    assert any("pkg/up" in p and "symlink loop" in p for p in info.problems)
    assert any("pkg/self" in p for p in info.problems)
    assert any("dangling" in p and "broken link" in p for p in info.problems)


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_file_links_out_of_the_repository_are_listed_but_never_read(tmp_path):
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    write(repo, "model.py", MODEL)
    write(repo, "pkg/inside.py", "X = 1\n")
    secret = write(outside, "secret.py", "import torch.nn as nn\n\n\nclass Stolen(nn.Module):\n    pass\n")
    write(outside, "hostname", "secret-host\n")
    os.symlink(secret, repo / "helpers.py")
    os.symlink(outside / "hostname", repo / "config.yaml")
    os.symlink(repo / "pkg" / "inside.py", repo / "alias.py")  # inside the repository: fine
    info = scan_repo(repo)
    listed = {role.path for role in info.roles}
    assert [m.name for m in info.models] == ["Net"]
    for name in ("helpers.py", "config.yaml"):
        assert any(name in p and "link outside the repository" in p for p in info.problems)
        assert not any(name in entry for entry in listed)
    assert any("alias.py" in entry for entry in listed)


def test_broken_notebook_is_skipped(tmp_path):
    write(tmp_path, "model.py", MODEL)
    write(tmp_path, "explore.ipynb", "{not json")
    info = scan_repo(tmp_path)
    assert info.main.name == "Net"
    assert any("explore.ipynb is not a valid notebook" in p for p in info.problems)


def test_notebook_cell_with_a_syntax_error_keeps_the_others(tmp_path):
    cells = [{"cell_type": "code", "source": "def broken(:\n"},
             {"cell_type": "code", "source": MODEL}]
    write(tmp_path, "nb.ipynb", json.dumps({"cells": cells, "nbformat": 4}))
    info = scan_repo(tmp_path)
    assert info.main is not None and info.main.name == "Net" and info.main.file == "nb.ipynb"
    assert any("nb.ipynb, code cell 1: syntax error" in p for p in info.problems)


def test_missing_folder_and_file_raise_a_sentence(tmp_path):
    with pytest.raises(RepoError, match="does not exist"):
        scan_repo(tmp_path / "nope")
    write(tmp_path, "f.py", "x = 1\n")
    with pytest.raises(RepoError, match="is a file"):
        scan_repo(tmp_path / "f.py")


def test_cli_bad_input_exits_2_with_one_sentence(tmp_path, capsys):
    assert main(["repo", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("reader-app: ") and "does not exist" in err and "Traceback" not in err
    assert main(["repo", "ftp://example.org/x.git"]) == 2
    assert "cannot be cloned" in capsys.readouterr().err


def test_cli_on_a_folder_without_models_still_prints_the_anatomy(tmp_path, capsys):
    write(tmp_path, "README.md", "# hi\n")
    assert main(["repo", str(tmp_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["main"] is None and data["layers"] == []
    assert data["roles"] == [{"path": "README.md", "role": "readme", "reason": "the project's README"}]
    assert data["problems"]


def test_a_folder_with_too_many_files_is_listed_up_to_the_cap(tmp_path, monkeypatch):
    import reader_app.repo.walk as walk

    monkeypatch.setattr(walk, "MAX_FILES", 20)
    write(tmp_path, "model.py", MODEL)
    for i in range(40):
        write(tmp_path, f"data/sample_{i:03}.txt", "x")
    info = scan_repo(tmp_path)
    assert len(info.roles) == 20
    assert any("more than 20 files" in p for p in info.problems)
    assert info.main is not None and info.main.name == "Net"  # source is kept before data files
