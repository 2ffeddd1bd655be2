"""Where the app keeps its files: user data (notes, clones, settings) and bundled resources."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "reader-app"


def data_dir() -> Path:
    """The user's data folder; READER_APP_HOME overrides it (tests, portable installs)."""
    override = os.environ.get("READER_APP_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """The project's `resources/` folder, in a source checkout or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def sample_paper() -> Path:
    return resources_dir() / "sample" / "paper" / "sample_paper.pdf"


def sample_repo() -> Path:
    return resources_dir() / "sample" / "repo"
