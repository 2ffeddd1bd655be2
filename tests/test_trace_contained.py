"""What the reader sees when the model's code misbehaves inside the sandbox, and when code runs at all:
the trace says what was tried, the command line says it runs the code, `report` runs none without --trace."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reader_app import sandbox
from reader_app.paths import resources_dir
from reader_app.trace import TraceRequest, run_trace
from reader_app.workflow.report import build_guide

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PDF = resources_dir() / "sample" / "paper" / "sample_paper.pdf"
MODEL = """import torch.nn as nn
{prelude}

class {name}(nn.Module):
    def __init__(self, hidden=8):
        super().__init__()
        self.fc = nn.Linear(4, hidden)
{init}

    def forward(self, x):
        return self.fc(x)
"""


def model_repo(folder: Path, init: str = "", prelude: str = "", name: str = "Net") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    body = "\n".join("        " + line for line in init.splitlines()) or "        pass"
    (folder / "model.py").write_text(MODEL.format(prelude=prelude, name=name, init=body))
    return folder


def test_a_swallowed_write_outside_the_repository_is_reported_not_done(tmp_path):
    if not sandbox.choose().files:
        pytest.skip("no sandbox that confines files on this machine")
    target = tmp_path / "outside" / "pwned.txt"
    target.parent.mkdir()
    repo = model_repo(tmp_path / "repo", f"try:\n    open({str(target)!r}, 'w').write('x')\nexcept OSError:\n    pass")
    result = run_trace(TraceRequest(str(repo)))
    assert result.ok, result.error
    assert not target.exists()
    assert any(str(target) in w and "blocked" in w for w in result.warnings), result.warnings


def test_files_the_model_creates_in_its_working_folder_do_not_land_in_the_repository(tmp_path):
    repo = model_repo(tmp_path / "repo", "open('cache.bin', 'w').write('x')\nopen('model.py').read()")
    result = run_trace(TraceRequest(str(repo)))
    assert result.ok, result.error  # relative reads still find the repository's files
    assert sorted(p.name for p in repo.iterdir()) == ["model.py"]


def test_cli_trace_says_on_one_line_that_it_runs_the_repository_code(tmp_path):
    repo = model_repo(tmp_path / "repo")
    done = subprocess.run([sys.executable, "-m", "reader_app", "trace", str(repo)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if "runs the repository's code" in line]
    assert len(lines) == 1 and sandbox.choose().summary in lines[0]


def test_report_runs_no_repository_code_unless_asked(tmp_path):
    marker = tmp_path / "ran.txt"
    repo = model_repo(tmp_path / "repo", prelude=f"open({str(marker)!r}, 'w').write('ran')")
    guide = build_guide(SAMPLE_PDF, repo)
    assert guide.trace is None and "--trace" in guide.trace_note
    assert not marker.exists()
    done = subprocess.run([sys.executable, "-m", "reader_app", "report", str(SAMPLE_PDF), "--repo", str(repo)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0 and "repository's code" not in done.stderr and not marker.exists()


def test_report_traces_the_scanned_main_model_not_a_same_named_class(tmp_path):
    repo = model_repo(tmp_path / "repo", name="Model")
    (repo / "conftest.py").write_text("import torch.nn as nn\n\n\nclass Model(nn.Module):\n"
                                      "    def __init__(self):\n        super().__init__()\n"
                                      "        raise RuntimeError('the conftest class was traced')\n")
    guide = build_guide(SAMPLE_PDF, repo, trace=True)
    assert guide.repo.main is not None and guide.repo.main.file == "model.py"
    assert guide.trace is not None and guide.trace.error is None, guide.trace_note
    assert guide.trace.file.endswith("model.py")
