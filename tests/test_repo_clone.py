"""Cloning real git repositories (made with GitPython, cloned over file://) into the user's cache."""
from __future__ import annotations

import json
import threading
from pathlib import Path

import git
import pytest

from reader_app.cli import main
from reader_app.paths import data_dir
from reader_app.repo import CloneError, clone_folder_name, clone_repo

MODEL = """import torch.nn as nn


class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc(x)
"""


@pytest.fixture
def source_repo(tmp_path) -> Path:
    """A real repository with two commits."""
    root = tmp_path / "tiny-net"
    repo = git.Repo.init(root)
    with repo.config_writer() as config:
        config.set_value("user", "name", "Test").set_value("user", "email", "test@example.org")
    (root / "README.md").write_text("# tiny\n")
    repo.index.add(["README.md"])
    repo.index.commit("first")
    (root / "model.py").write_text(MODEL)
    (root / "train.py").write_text("from model import TinyNet\nmodel = TinyNet()\n")
    repo.index.add(["model.py", "train.py"])
    repo.index.commit("second")
    return root


def leftovers(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.iterdir()) if cache.exists() else []


def test_shallow_clone_into_the_cache_with_progress(source_repo):
    calls: list[tuple[float, str]] = []
    folder = clone_repo(source_repo.as_uri(), progress=lambda pct, phase: calls.append((pct, phase)))
    cache = data_dir() / "clones"
    assert folder.parent == cache and folder.name.startswith("tiny-net-")
    assert (folder / "model.py").read_text() == MODEL
    assert git.Repo(folder).git.rev_list("--count", "HEAD") == "1"  # shallow: only the last commit
    assert leftovers(cache) == [folder.name]  # no temporary folder left beside it
    assert calls[0] == (0.0, "connecting") and calls[-1] == (100.0, "done")
    assert all(0.0 <= pct <= 100.0 for pct, _ in calls)
    percents = [pct for pct, _ in calls]
    assert percents == sorted(percents)


def test_full_clone_keeps_history(source_repo, tmp_path):
    folder = clone_repo(source_repo.as_uri(), cache_dir=tmp_path / "cache", shallow=False)
    assert git.Repo(folder).git.rev_list("--count", "HEAD") == "2"


def test_the_same_url_is_reused(source_repo):
    first = clone_repo(source_repo.as_uri())
    (first / "my_notes.txt").write_text("kept")
    phases: list[str] = []
    second = clone_repo(source_repo.as_uri() + "/", progress=lambda pct, phase: phases.append(phase))
    assert second == first and (second / "my_notes.txt").read_text() == "kept"
    assert phases == ["already cloned"]


def test_a_local_path_is_cloned_through_file_url(source_repo):
    folder = clone_repo(str(source_repo))
    assert git.Repo(folder).git.rev_list("--count", "HEAD") == "1"


def test_cancel_leaves_nothing_behind(source_repo):
    cancel = threading.Event()

    def progress(pct, phase):
        cancel.set()  # the user presses Cancel as soon as the clone starts

    with pytest.raises(CloneError, match="cancelled"):
        clone_repo(source_repo.as_uri(), progress=progress, cancel=cancel)
    assert leftovers(data_dir() / "clones") == []


def test_missing_repository_says_so_and_leaves_nothing(tmp_path):
    with pytest.raises(CloneError, match="No repository was found") as err:
        clone_repo((tmp_path / "does-not-exist").as_uri())
    assert "\n" not in str(err.value)
    assert leftovers(data_dir() / "clones") == []


@pytest.mark.parametrize("url, words", [
    ("", "empty"),
    ("not a url", "is not a repository address"),
    ("ftp://example.org/repo.git", "cannot be cloned"),
    ("https://", "has no host"),
])
def test_bad_urls_are_refused_in_one_sentence(url, words):
    with pytest.raises(CloneError, match=words):
        clone_repo(url)


@pytest.mark.parametrize("template", [
    "ext::sh -c touch% {marker}",
    "--upload-pack=touch {marker}",
    "--config=core.sshCommand=touch {marker}",
    "ssh://-oProxyCommand=touch%20{marker}/repo",
    "git@-oProxyCommand=touch {marker}:repo",
])
def test_hostile_clone_addresses_run_nothing(template, tmp_path):
    marker = tmp_path / "pwned"
    with pytest.raises(CloneError) as err:
        clone_repo(template.format(marker=marker))
    assert "\n" not in str(err.value)
    assert not marker.exists()
    assert leftovers(data_dir() / "clones") == []


def test_unwritable_cache_is_a_clone_error(source_repo, tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    with pytest.raises(CloneError, match="could not be saved|cannot be written"):
        clone_repo(source_repo.as_uri(), cache_dir=blocker)


def test_folder_names_are_safe_and_distinct():
    a = clone_folder_name("https://github.com/karpathy/nanoGPT.git")
    b = clone_folder_name("https://github.com/someone-else/nanoGPT")
    assert a.startswith("nanoGPT-") and b.startswith("nanoGPT-") and a != b
    assert clone_folder_name("https://github.com/karpathy/nanoGPT") == a
    assert "/" not in clone_folder_name("git@github.com:o/../../evil name.git")


def test_cli_clones_a_url_and_scans_it(source_repo, capsys):
    assert main(["repo", source_repo.as_uri(), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["main"]["name"] == "TinyNet" and data["main"]["file"] == "model.py"
    assert Path(data["root"]).parent == (data_dir() / "clones").resolve()


def test_cli_reports_a_failed_clone(tmp_path, capsys):
    assert main(["repo", (tmp_path / "gone").as_uri()]) == 2
    err = capsys.readouterr().err
    assert err.startswith("reader-app: No repository was found") and err.count("\n") == 1


@pytest.mark.parametrize("written", [
    "github.com/karpathy/nanoGPT",
    "https://github.com/karpathy/nanoGPT.",
    "https://github.com/karpathy/nanoGPT/tree/master/config",
    "https://www.github.com/karpathy/nanoGPT.git",
    "(https://github.com/karpathy/nanoGPT)",
])
def test_addresses_as_papers_write_them_become_one_clone_url(written):
    from reader_app.repo import is_repo_url, normalize_repo_url

    assert normalize_repo_url(written.strip("(")) == "https://github.com/karpathy/nanoGPT"
    assert is_repo_url(written.strip("("))
    assert clone_folder_name(normalize_repo_url(written.strip("("))) == clone_folder_name(
        "https://github.com/karpathy/nanoGPT")


def test_error_sentences_do_not_read_the_address_as_the_cause(tmp_path):
    """A missing repository whose path holds '403' or 'permission-denied' is still 'not found'."""
    missing = tmp_path / "pytest-403" / "permission-denied"
    with pytest.raises(CloneError, match="No repository was found"):
        clone_repo(missing.as_uri())
