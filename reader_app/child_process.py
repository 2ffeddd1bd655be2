"""How to start one of the app's own modules as a child process, from source or from a bundle."""
from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)


def module_command(module: str) -> list[str]:
    """argv that runs `python -m module`; a frozen bundle runs itself with `--run-module module`."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--run-module", module]
    return [sys.executable, "-m", module]


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a child: ours, with the package importable even when not installed."""
    env = dict(os.environ)
    path = env.get("PYTHONPATH", "")
    env["PYTHONPATH"] = PACKAGE_PARENT + (os.pathsep + path if path else "")
    env.update(extra or {})
    return env
