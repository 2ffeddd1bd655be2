"""Generated repositories for tests: writing them, and tracing them with the command line."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

APP_ROOT = Path(__file__).resolve().parents[1]


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Each `relative path: text` under `root` (text dedented), folders made as needed; returns `root`."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def trace_cli(root: Path, *extra: str, env: dict | None = None) -> tuple[int, dict, str]:
    """`reader-app trace --json [extra] root` as a user runs it, in the repository, with a bare environment
    (plus `env`): (exit status, the JSON it printed or {}, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "reader_app", "trace", "--json", *extra, str(root)],
                          capture_output=True, text=True, cwd=str(root), timeout=600,
                          env={"PYTHONPATH": str(APP_ROOT), "PATH": "/usr/bin:/bin", "HOME": str(root), **(env or {})})
    return proc.returncode, json.loads(proc.stdout or "{}"), proc.stderr


def trace_repos(base: Path, repos: dict[str, dict[str, str]], *extra: str,
                env: dict | None = None) -> dict[str, tuple[int, dict, str]]:
    """Each generated repository `name: files` written under `base` and traced with the command line, two at
    a time: {name: (exit status, JSON, stderr)}."""
    from concurrent.futures import ThreadPoolExecutor

    roots = {name: write_tree(base / name, files) for name, files in repos.items()}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(trace_cli, root, *extra, env=env) for name, root in roots.items()}
        return {name: future.result() for name, future in futures.items()}


def first_outs(data: dict) -> dict:
    """Layer name -> the first output shape of its first call, for the layers the trace saw called."""
    return {layer["name"]: layer["calls"][0]["out"][0] for layer in data["layers"] if layer["calls"]}


def main_model(root: Path) -> str:
    """`file:Class` of the main model the repository scan lands on."""
    from reader_app.repo import scan_repo
    main = scan_repo(root).main
    return f"{main.file}:{main.name}"
