"""`reader-app repo PATH [--json]`: the issue's JSON shape, and a readable summary without --json."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from reader_app.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "repos"


def test_json_has_the_documented_shape(capsys):
    assert main(["repo", str(FIXTURES / "unet_two_files"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["root"] == str((FIXTURES / "unet_two_files").resolve())
    for role in data["roles"]:
        assert set(role) == {"path", "role", "reason"} and not Path(role["path"]).is_absolute()
    assert {"path": "unet/unet_model.py", "role": "model"}.items() <= next(
        r for r in data["roles"] if r["path"] == "unet/unet_model.py").items()
    for model in data["models"]:
        assert {"name", "file", "line", "main"} <= set(model)
        assert isinstance(model["line"], int) and isinstance(model["main"], bool)
    assert [m["main"] for m in data["models"]].count(True) == 1
    assert {"name": "UNet", "file": "unet/unet_model.py"}.items() <= data["main"].items()
    assert isinstance(data["main"]["line"], int)
    for layer in data["layers"]:
        assert {"name", "type", "line", "end_line", "call", "uses"} <= set(layer)
        assert all(isinstance(n, int) for n in layer["uses"])
    assert data["layers"][0] == {**data["layers"][0], "name": "inc", "type": "DoubleConv",
                                 "call": "DoubleConv(n_channels, 64)"}
    for pattern in data["patterns"]:
        assert {"kind", "file", "line", "explanation"} <= set(pattern)
    assert {"kind": "gradient_clipping", "file": "train.py"}.items() <= next(
        p for p in data["patterns"] if p["kind"] == "gradient_clipping").items()


def test_summary_names_the_main_model_its_layers_and_patterns(capsys):
    assert main(["repo", str(FIXTURES / "seq2seq_lstm_attention")]) == 0
    out = capsys.readouterr().out
    assert "Main model: Seq2Seq (model.py, line" in out
    assert "encoder" in out and "Encoder" in out
    assert "gradient_clipping" in out and "train.py" in out


def test_the_installed_command_runs_in_a_fresh_process():
    done = subprocess.run([sys.executable, "-m", "reader_app", "repo", str(FIXTURES / "notebook_only"), "--json"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["main"]["name"] == "DigitNet"


def test_scanning_never_imports_torch_or_the_repository(tmp_path):
    """The repository's code is read, never run: no torch, no repo module, no bytecode written."""
    repo = FIXTURES / "gpt_config"
    code = (f"import sys\nfrom reader_app.repo import scan_repo\ninfo = scan_repo({str(repo)!r})\n"
            "print(info.main.name, 'torch' in sys.modules, 'model' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["GPT", "False", "False"]
    assert not (repo / "__pycache__").exists()


def test_scan_reports_progress_from_0_to_100():
    from reader_app.repo import scan_repo

    calls: list[tuple[float, str]] = []
    scan_repo(FIXTURES / "vit_kwonly", progress=lambda percent, phase: calls.append((percent, phase)))
    percents = [p for p, _ in calls]
    assert percents[0] == 0.0 and percents[-1] == 100.0 and percents == sorted(percents)
    assert all(isinstance(phase, str) and phase for _, phase in calls)
