"""Repository environments on the real repositories in ../shared/repos: what each one installs, drops
and leaves out, how long it takes against a bare venv made in the same run, and whether the zero-config
trace succeeds without and with the environment.

Run: .venv/bin/python benchmarks/bench_envs_real.py [REPO_NAME ...]
Needs ../shared/repos and a package index pip can reach (pip's own configuration applies). Environments
are made in a scratch data folder and removed at the end; nothing of yours is touched.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED_REPOS = Path(os.environ.get("READER_SHARED", ROOT.parent / "shared")) / "repos"


def _bare_venv_seconds(scratch: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(scratch / "bare")], check=True)
    return time.perf_counter() - started


def _trace(repo: Path, python: str | None) -> str:
    from reader_app.trace import TraceRequest, run_trace

    result = run_trace(TraceRequest(str(repo), interpreter=python, timeout=180))
    return "ok" if result.error is None else f"stops: {result.error.message[:110]}"


def main(names: list[str]) -> int:
    if not SHARED_REPOS.is_dir():
        print("../shared/repos is not beside the project: nothing to measure")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-envs-") as scratch:
        os.environ["READER_APP_HOME"] = scratch
        from reader_app.envs import EnvError, create_env, prepare, remove_env

        bare = _bare_venv_seconds(Path(scratch))
        print(f"baseline: a bare venv in {bare:.2f} s\n")
        repos = [p for p in sorted(SHARED_REPOS.iterdir()) if p.is_dir() and (not names or p.name in names)]
        made = better = 0
        for repo in repos:
            plan = prepare(repo)
            if not plan.read:
                print(f"{repo.name}: states no requirements\n")
                continue
            print(f"{repo.name}: {len(plan.install)} to install, {len(plan.dropped)} dropped "
                  f"({', '.join(d.wanted.name for d in plan.dropped)})")
            before = _trace(repo, None)
            started = time.perf_counter()
            try:
                env = create_env(repo, plan)
            except EnvError as exc:
                print(f"  not made: {exc}\n  trace without: {before}\n")
                continue
            seconds = time.perf_counter() - started
            made += 1
            after = _trace(repo, env.python)
            better += before != "ok" and after == "ok"
            print(f"  made in {seconds:.1f} s = {seconds / bare:.0f}x a bare venv; installed {len(env.installed)}")
            for note in env.notes:
                print(f"  note: {note[:160]}")
            print(f"  trace without: {before}\n  trace with:    {after}\n")
            remove_env(repo)
        print(f"environments made: {made}; traces that only succeed with the environment: {better}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
