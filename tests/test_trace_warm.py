"""The warm tracing child: a re-trace skips importing torch, yet every request runs as a cold one would:
contained, with nothing left of the request before it, stopped with everything it started."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from reader_app import sandbox
from reader_app.child_process import pid_alive
from reader_app.paths import sample_repo
from reader_app.trace import TraceRequest, run_trace
from reader_app.trace.warm import WarmTracer
from tree_helpers import write_tree

pytestmark = pytest.mark.slow


@pytest.fixture
def warm():
    tracer = WarmTracer()
    yield tracer
    tracer.close()


def _sample(**args) -> TraceRequest:
    return TraceRequest(str(sample_repo()), class_name="AnomalyAutoencoder", file="model.py", args=args)


def _out(result, name: str) -> list:
    layer = next(layer for layer in result.layers if layer.name == name)
    return layer.calls[0].outputs[0]


def test_a_retrace_with_other_settings_runs_in_the_same_warm_child_with_the_new_shapes(warm):
    first = run_trace(_sample(), warm=warm)
    second = run_trace(_sample(embed_dim=32, bottleneck_dim=4), warm=warm)
    assert first.ok and second.ok, (first.error, second.error)
    assert (warm.started, warm.served) == (1, 2)
    assert _out(first, "encoder")[-1] == 64 and _out(second, "encoder")[-1] == 32
    cold = run_trace(_sample(embed_dim=32, bottleneck_dim=4))
    assert [(l.name, [c.outputs for c in l.calls]) for l in second.layers] == \
        [(l.name, [c.outputs for c in l.calls]) for l in cold.layers]


LEAKY = '''
import os
import torch
import torch.nn as nn
import helpers

torch.LEAKED = True  # a monkeypatch of a shared module
os.environ["LEAKED"] = "1"
open("left-in-cwd.txt", "w").write("x")
open(os.path.join(os.environ["TMPDIR"], "left-in-tmp.txt"), "w").write("x")
try:
    open("/dev/shm/left-in-shm-MARK", "w").write("x")
except OSError:
    pass


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, helpers.WIDTH)

    def forward(self, x):
        return self.fc(x)
'''

PROBE = '''
import os
import torch
import torch.nn as nn
import helpers

PRIVATE_SHM = PRIVATE  # a sandbox with its own /dev/shm (outside one, a cold child sees the host's too)
SEEN = [hasattr(torch, "LEAKED"), "LEAKED" in os.environ, os.path.exists("left-in-cwd.txt"),
        os.path.exists(os.path.join(os.environ["TMPDIR"], "left-in-tmp.txt")),
        PRIVATE_SHM and os.path.exists("/dev/shm/left-in-shm-MARK")]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, helpers.WIDTH + 10 * sum(SEEN))  # each thing seen widens the output

    def forward(self, x):
        return self.fc(x)
'''


def test_nothing_of_one_repository_is_seen_by_the_next(warm, tmp_path):
    mark, private = uuid.uuid4().hex[:8], sandbox.choose().name in ("bwrap", "namespaces")
    leaky = write_tree(tmp_path / "leaky", {"model.py": LEAKY.replace("MARK", mark), "helpers.py": "WIDTH = 7\n"})
    probe = write_tree(tmp_path / "probe", {"model.py": PROBE.replace("MARK", mark).replace(
        "PRIVATE_SHM = PRIVATE", f"PRIVATE_SHM = {private}"), "helpers.py": "WIDTH = 3\n"})
    first = run_trace(TraceRequest(str(leaky), class_name="Net", file="model.py", inputs=["x=2,4"]), warm=warm)
    second = run_trace(TraceRequest(str(probe), class_name="Net", file="model.py", inputs=["x=2,4"]), warm=warm)
    assert first.ok and second.ok, (first.error, second.error)
    assert warm.served == 2
    assert _out(first, "fc") == [2, 7]
    assert _out(second, "fc") == [2, 3]  # its own helpers module, and no patch, variable or file of the first
    assert not (leaky / "left-in-cwd.txt").exists()
    if not private:
        Path(f"/dev/shm/left-in-shm-{mark}").unlink(missing_ok=True)


HANGS = '''
import subprocess
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        subprocess.Popen(["sleep", "{marker}"], start_new_session=True)
        while True:
            pass
'''


def _processes_with(marker: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker in (entry / "cmdline").read_bytes().decode(errors="replace"):
                found.append(entry.name)
        except OSError:
            continue
    return found


def test_a_hung_request_is_stopped_with_what_it_started_and_the_warm_child_serves_the_next(warm, tmp_path):
    marker = str(4000 + uuid.uuid4().int % 1000)
    repo = write_tree(tmp_path / "hangs", {"model.py": HANGS.replace("{marker}", marker)})
    hung = run_trace(TraceRequest(str(repo), class_name="Net", file="model.py", inputs=["x=2,4"], timeout=8,
                                  symbolic=False), warm=warm)
    assert hung.error is not None and "did not finish within 8 s" in hung.error.message
    assert not _processes_with(f"sleep\0{marker}") and not _processes_with(f"sleep {marker}")
    after = run_trace(_sample(), warm=warm)
    assert after.ok, after.error
    assert (warm.started, warm.served) == (1, 2)


def test_a_warm_child_that_died_is_replaced_and_the_trace_still_answers(warm):
    assert run_trace(_sample(), warm=warm).ok
    os.killpg(warm.pid, 9)  # killed from outside: the next request must not notice
    again = run_trace(_sample(embed_dim=16), warm=warm)
    assert again.ok, again.error
    assert _out(again, "encoder")[-1] == 16


def test_a_closed_warm_tracer_leaves_no_process_and_starts_nothing_more(warm):
    assert run_trace(_sample(), warm=warm).ok
    pid = warm.pid
    warm.close()
    assert pid is not None and not pid_alive(pid)
    assert run_trace(_sample(), warm=warm).ok is False  # the window is closing: nothing starts again, not even cold


def test_every_misbehaving_model_reads_the_same_warm_as_cold(warm, tmp_path):
    """Crashes, exits, a memory cap hit, syntax errors...: the warm child says what a cold one says, and
    outlives them all."""
    from concurrent.futures import ThreadPoolExecutor

    from test_trace_bad_input import CLASSES, MODELS

    requests = {}
    for name, source in MODELS.items():
        path = tmp_path / name / "model.py"
        path.parent.mkdir()
        (path.parent / "requirements.txt").write_text("torch\n")
        path.write_text(source)
        requests[name] = TraceRequest(str(path), class_name=CLASSES.get(name), timeout=120)
    with ThreadPoolExecutor(max_workers=2) as pool:
        cold = dict(zip(requests, pool.map(run_trace, requests.values())))
    for name, request in requests.items():
        result = run_trace(request, warm=warm)
        assert (result.error.message if result.error else None, result.error.line if result.error else None) == \
            (cold[name].error.message if cold[name].error else None,
             cold[name].error.line if cold[name].error else None), name
    assert (warm.started, warm.served) == (1, len(requests))


def test_a_trace_cancelled_for_a_new_one_hands_the_warm_child_over(warm, tmp_path):
    import threading

    repo = write_tree(tmp_path / "hangs", {"model.py": HANGS.replace("{marker}", "1")})
    cancel, phases = threading.Event(), []
    slow = threading.Thread(target=lambda: phases.append(run_trace(
        TraceRequest(str(repo), class_name="Net", file="model.py", inputs=["x=2,4"], symbolic=False), cancel,
        phases.append, warm)))
    assert run_trace(_sample(), warm=warm).ok  # the warm child is up
    slow.start()
    while not any("forward" in str(p) for p in phases) and slow.is_alive():
        slow.join(0.05)
    cancel.set()  # what the window does when the reader applies new Trace Settings
    again = run_trace(_sample(embed_dim=16), warm=warm)
    slow.join()
    assert "cancelled" in phases[-1].error.message
    assert again.ok and _out(again, "encoder")[-1] == 16
    assert (warm.started, warm.served) == (1, 3)


def test_an_interpreter_the_warm_child_cannot_start_in_gets_the_cold_answer(warm, tmp_path):
    import shutil

    bare = shutil.which("python3", path="/usr/bin:/bin")
    if bare is None or os.path.realpath(bare) == os.path.realpath(__import__("sys").executable):
        pytest.skip("no Python without torch on this machine")
    request = TraceRequest(str(sample_repo()), class_name="AnomalyAutoencoder", file="model.py", interpreter=bare)
    warm_result, cold = run_trace(request, warm=warm), run_trace(request)
    if cold.error is None:
        pytest.skip(f"{bare} has torch")
    assert warm_result.error.message == cold.error.message
    assert warm.pid is None and warm.served == 0
