"""Shared test set-up: offscreen Qt, an isolated data folder, the shared papers when present."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SHARED_PAPERS = SHARED / "papers"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own user data folder, so no test sees another's notes or settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("READER_APP_HOME", str(home))
    return home


@pytest.fixture
def shared_papers() -> Path:
    """../shared/papers, or a clean skip on a bare clone where it is absent."""
    if not SHARED_PAPERS.is_dir():
        pytest.skip("../shared/papers is not beside the project")
    return SHARED_PAPERS
