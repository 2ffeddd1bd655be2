"""In the window: a re-trace after a Trace Settings change runs in the window's warm tracing child, and
closing the window leaves no process behind."""
from __future__ import annotations

import shutil
import time

import pytest

from reader_app.child_process import pid_alive
from reader_app.notes import repo_id_for
from reader_app.paths import sample_repo
from reader_app.ui.code.trace_controller import CONSENT_KEY
from ui_helpers import make_window, open_repo

pytestmark = pytest.mark.slow


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            for task in open(f"/proc/{current}/task/{current}/children").read().split():
                found.append(int(task))
                todo.append(int(task))
        except OSError:
            continue
    return found


def _running(pid: int) -> bool:
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def test_nothing_warm_starts_before_the_reader_agrees(qtbot, tmp_path):
    window = make_window(qtbot)
    open_repo(qtbot, window, sample_repo())
    assert window.trace.warm.pid is None and window.trace.warm.started == 0
    window.close()


def test_a_retrace_after_a_settings_change_uses_the_warm_child_and_closing_leaves_nothing(qtbot, tmp_path):
    window = make_window(qtbot)
    repo = tmp_path / "repo"
    shutil.copytree(sample_repo(), repo)
    window.store.set_setting(CONSENT_KEY + repo_id_for(repo), True)
    with qtbot.waitSignal(window.trace.traced, timeout=120_000) as first:
        open_repo(qtbot, window, repo)
    assert first.args[0].error is None, first.args[0].error
    warm = window.trace.warm
    pid = warm.pid
    assert pid is not None and warm.served == 1
    window.trace.overrides = {"args": {"embed_dim": 32}, "inputs": [], "device": "meta"}  # as the form sets them
    with qtbot.waitSignal(window.trace.traced, timeout=120_000) as second:
        window.trace.start()
    result = second.args[0]
    assert result.error is None, result.error
    assert (warm.started, warm.served, warm.pid) == (1, 2, pid)
    assert window.repo_panels.layers_panel.item_for("encoder").text(3).startswith("→ (batch, 32)")
    inside = _descendants(pid)
    window.close()
    assert not pid_alive(pid)
    deadline = time.monotonic() + 5  # the kernel ends a pid namespace's processes just after its first one
    while [p for p in inside if _running(p)] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in inside if _running(p)]
