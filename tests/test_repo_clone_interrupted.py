"""A clone interrupted by SIGTERM or SIGKILL leaves no partial folder in the clone cache for long: SIGTERM
removes it at once, and the next clone removes what a killed app left behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import git
import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the server's processes")


@pytest.fixture
def source(tmp_path) -> Path:
    root = tmp_path / "slow-net"
    repo = git.Repo.init(root)
    with repo.config_writer() as config:
        config.set_value("user", "name", "Test").set_value("user", "email", "test@example.org")
    (root / "model.py").write_text("import torch.nn as nn\n\n\nclass Slow(nn.Module):\n    pass\n")
    repo.index.add(["model.py"])
    repo.index.commit("first")
    return root


@pytest.fixture
def slow_server(tmp_path):
    """Git config that makes the serving side wait before it sends the pack (a slow network), so the
    clone is caught mid-way; the waiting processes are ended by id afterwards."""
    home = tmp_path / "git-home"
    home.mkdir()
    hook = home / "slow-pack-objects"
    hook.write_text('#!/bin/sh\nsleep 120\nexec "$@"\n')
    hook.chmod(0o755)
    config = home / "gitconfig"
    config.write_text(f"[uploadpack]\n\tpackObjectsHook = {hook}\n")
    yield {"GIT_CONFIG_GLOBAL": str(config)}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if str(hook).encode() in Path(f"/proc/{name}/cmdline").read_bytes():
                    os.kill(int(name), signal.SIGKILL)
            except OSError:
                pass


def start_clone(source: Path, app_home: Path, extra: dict) -> subprocess.Popen:
    env = {**os.environ, "READER_APP_HOME": str(app_home), **extra}
    return subprocess.Popen([sys.executable, "-m", "reader_app", "repo", source.as_uri()], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for_partial(cache: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if cache.is_dir() and any(p.name.startswith(".partial-") for p in cache.iterdir()):
            return
        time.sleep(0.1)
    pytest.fail(f"the clone never started: {proc.stderr.read().decode() if proc.poll() is not None else ''}")


def test_sigterm_mid_clone_removes_the_partial_folder(source, slow_server, tmp_path):
    cache = tmp_path / "app" / "clones"
    proc = start_clone(source, tmp_path / "app", slow_server)
    wait_for_partial(cache, proc)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == -signal.SIGTERM
    assert sorted(p.name for p in cache.iterdir()) == []


def test_partial_folder_of_a_killed_app_is_removed_by_the_next_clone(source, slow_server, tmp_path):
    cache = tmp_path / "app" / "clones"
    proc = start_clone(source, tmp_path / "app", slow_server)
    wait_for_partial(cache, proc)
    proc.kill()
    proc.wait(timeout=60)
    assert any(p.name.startswith(".partial-") for p in cache.iterdir())  # nothing can run on SIGKILL
    again = start_clone(source, tmp_path / "app", {})
    assert again.wait(timeout=300) == 0, again.stderr.read().decode()
    left = sorted(p.name for p in cache.iterdir())
    assert len(left) == 1 and left[0].startswith("slow-net-")
