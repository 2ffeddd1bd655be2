"""Model code that misbehaves: every case ends as one sentence in TraceResult.error and the caller lives."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from reader_app.trace import TraceJob, TraceRequest, run_trace

HEADER = "import torch\nimport torch.nn as nn\n\n"

MODELS = {
    "shape_error": HEADER + textwrap.dedent("""
        class Net(nn.Module):
            def __init__(self, d_in=16):
                super().__init__()
                self.proj = nn.Linear(d_in, 32)
                self.head = nn.Linear(64, 10)

            def forward(self, x):
                h = self.proj(x)
                return self.head(h)
        """),
    "matmul_error": HEADER + textwrap.dedent("""
        class Attn(nn.Module):
            def __init__(self, dim=64):
                super().__init__()
                self.q = nn.Linear(dim, dim)
                self.k = nn.Linear(dim, 32)

            def forward(self, x):
                q = self.q(x)
                k = self.k(x)
                scores = q @ k.transpose(-2, -1).transpose(0, 1)
                return scores
        """),
    "raise_at_import": HEADER + "raise RuntimeError('no GPU found, refusing to import')\n",
    "raise_at_construct": HEADER + textwrap.dedent("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                raise ValueError('checkpoint path is required')
        """),
    "segfault": HEADER + textwrap.dedent("""
        import ctypes

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 4)

            def forward(self, x):
                ctypes.string_at(0)
                return self.fc(x)
        """),
    "exit": HEADER + textwrap.dedent("""
        import os

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                os._exit(3)
        """),
    "huge": HEADER + textwrap.dedent("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 4)

            def forward(self, x):
                buffer = torch.empty(25_000_000_000, device="cpu")  # 100 GB
                return self.fc(x) + buffer[:4]
        """),
    "not_a_module": HEADER + "class Trainer:\n    def fit(self):\n        pass\n",
    "no_models": HEADER + "def helper(x):\n    return x * 2\n",
    "missing_package": HEADER + textwrap.dedent("""
        import timm_like_missing_pkg

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.backbone = timm_like_missing_pkg.create_model('resnet18')
        """),
    "blind_guess": HEADER + textwrap.dedent("""
        class Net(nn.Module):
            def __init__(self, blk):
                super().__init__()
                self.body = blk(3)
        """),
    "syntax_error": HEADER + "class Net(nn.Module):\n    def forward(self, x)\n        return x\n",
    "app_free_child": HEADER + textwrap.dedent("""
        import sys

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(8, 2)

            def forward(self, x):
                loaded = [m for m in ("platformdirs", "PySide6", "pymupdf", "git") if m in sys.modules]
                assert not loaded, f"the tracing child imported {loaded}"
                return self.fc(x)
        """),
}
CLASSES = {"not_a_module": "Trainer"}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad_models")
    requests = {}
    for name, source in MODELS.items():
        path = folder / name / "model.py"
        path.parent.mkdir()
        (path.parent / "requirements.txt").write_text("torch\n")
        path.write_text(source)
        requests[name] = TraceRequest(str(path), class_name=CLASSES.get(name), timeout=120)
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {name: pool.submit(run_trace, request) for name, request in requests.items()}
        return {name: future.result() for name, future in futures.items()}


def one_sentence(result) -> str:
    assert result.error is not None
    message = result.error.message
    assert "\n" not in message and "Traceback" not in message
    return message


def test_shape_mismatch_is_shown_at_its_line_with_named_shapes_and_partial_results(results):
    result = results["shape_error"]
    message = one_sentence(result)
    assert "Linear 'head'" in message and "(batch, 32)" in message and "in_features=64" in message
    assert result.error.line == line_of("shape_error", "return self.head(h)")
    # what ran before the failure is kept, with its named dims
    assert result.layer("proj").calls[0].out_dims == [["batch", "32"]]
    assert result.lines_for("model.py")[result.error.line - 1].tensors[0].name == "h"
    assert not result.reached_output


def test_op_errors_name_the_operands_of_the_line(results):
    message = one_sentence(results["matmul_error"])
    assert "q (batch, 64)" in message and "k (batch, 32)" in message


def line_of(case: str, text: str) -> int:
    return next(n for n, line in enumerate(MODELS[case].splitlines(), 1) if text in line)


@pytest.mark.parametrize("case, words, at", [
    ("raise_at_import", "RuntimeError while importing model.py: no GPU found", "raise RuntimeError"),
    ("raise_at_construct", "ValueError while building Net: checkpoint path is required", "raise ValueError"),
    ("segfault", "crashed the tracing process (segmentation fault) while running forward()", None),
    ("exit", "exited with status 3 while building Net", None),
    ("huge", "more memory than the tracing cap", "torch.empty(25_000_000_000"),
    ("not_a_module", "'Trainer' is not a torch.nn.Module", None),
    ("no_models", "model.py defines no torch.nn.Module", None),
    ("missing_package", "needs the package 'timm_like_missing_pkg'", "create_model("),
    ("syntax_error", "Syntax error in model.py line 5", "def forward(self, x)"),
    ("blind_guess", "16 was a blind guess for blk: set real values with --arg", "self.body = blk(3)"),
])
def test_each_failure_is_one_clear_sentence(results, case, words, at):
    result = results[case]
    assert words in one_sentence(result)
    assert result.error.line == (line_of(case, at) if at else 0)


def test_the_child_needs_only_torch(results):
    assert results["app_free_child"].ok, results["app_free_child"].error


def test_a_hang_is_cancelled_from_another_thread(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(HEADER + textwrap.dedent("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 4)

            def forward(self, x):
                while True:
                    pass
        """))
    forward_started = threading.Event()
    job = TraceJob(TraceRequest(str(path)),
                   on_progress=lambda phase: phase.startswith("running") and forward_started.set())
    job.start()
    assert forward_started.wait(120)
    job.cancel()
    result = job.wait(30)
    assert result is not None and result.error.message == "Tracing was cancelled"


def test_a_timeout_stops_the_child_and_says_where_it_was(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(HEADER + "class Net(nn.Module):\n    pass\n")
    result = run_trace(TraceRequest(str(path), timeout=0.3))
    assert one_sentence(result).startswith("The model's code did not finish within 0.3 s (while ")


def test_a_missing_interpreter_is_a_sentence(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(HEADER)
    result = run_trace(TraceRequest(str(path), interpreter=str(tmp_path / "bin" / "python")))
    assert "does not exist" in one_sentence(result)


def test_the_calling_process_never_imports_torch(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(HEADER + "class Net(nn.Module):\n    def forward(self, x):\n        return x\n")
    code = ("import sys; from reader_app.trace import TraceRequest, run_trace; "
            f"r = run_trace(TraceRequest({str(path)!r})); "
            "assert r.error is None, r.error; assert 'torch' not in sys.modules; print('clean')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert done.stdout.strip() == "clean", done.stderr
