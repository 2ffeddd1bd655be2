"""The bundled sample repository: the usual anatomy of a PyTorch project, and code that really runs.

torch is only ever imported in subprocesses: the test process must stay torch-free, because another
test checks that starting the GUI does not load torch.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pymupdf
import pytest
import yaml

from reader_app.paths import sample_paper, sample_repo

REPO = sample_repo()


def run_python(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the venv's Python inside the sample repo without leaving bytecode behind in resources/."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_repo_has_the_usual_pytorch_anatomy():
    for name in ("README.md", "requirements.txt", "model.py", "train.py", "data.py", "utils.py",
                 "configs/default.yaml", "tests/test_model.py"):
        assert (REPO / name).is_file(), name
    assert "torch" in (REPO / "requirements.txt").read_text()


def test_model_source_declares_the_layers_of_the_paper():
    source = (REPO / "model.py").read_text()
    for line in ("class TimeSeriesEncoder(nn.Module)", "class AnomalyAutoencoder(nn.Module)",
                 "self.lstm = nn.LSTM(", "self.attn_score = nn.Linear(hidden_size, 1)",
                 "self.fc = nn.Linear(hidden_size, embed_dim)", "self.norm = nn.LayerNorm(embed_dim)",
                 "nn.Linear(embed_dim, bottleneck_dim)", "def forward(self, x):"):
        assert line in source, line


def test_forward_pass_reconstructs_the_window_shape():
    script = (
        "import torch; from model import AnomalyAutoencoder, TimeSeriesEncoder\n"
        "x = torch.randn(2, 50, 5); model = AnomalyAutoencoder()\n"
        "print(tuple(model(x).shape), tuple(TimeSeriesEncoder()(x).shape))\n"
        "print(sum(p.numel() for p in model.parameters()))\n"
    )
    result = run_python("-c", script)
    assert result.returncode == 0, result.stderr
    shapes, parameters = result.stdout.splitlines()[:2]
    assert shapes == "(2, 50, 5) (2, 64)"
    assert round(int(parameters) / 1e6, 2) == 0.31, "the paper states 0.31M parameters"
    assert "torch" not in sys.modules, "torch must stay out of the test process"


def test_config_defaults_match_the_paper_hyperparameters():
    config = yaml.safe_load((REPO / "configs" / "default.yaml").read_text())
    expected = {"n_features": 5, "window": 50, "hidden": 128, "embed": 64, "bottleneck": 8, "num_layers": 2,
                "dropout": 0.1, "lr": 1e-3, "batch_size": 32, "epochs": 30, "clip": 1.0, "seed": 42}
    assert {key: config[key] for key in expected} == expected
    with pymupdf.open(sample_paper()) as doc:
        text = " ".join("".join(page.get_text() for page in doc).split())
    for fact in ("hidden size 128", "bottleneck of eight units", "learning rate 1e-3", "batch size 32",
                 "dropout 0.1", "length 50"):
        assert fact in text, fact


@pytest.mark.slow
def test_training_script_runs_end_to_end(tmp_path):
    checkpoint = tmp_path / "model.pt"
    # A small model and series keep this quick; the flags are the ones the paper's Table 3 lists.
    result = run_python("train.py", "--epochs", "1", "--length", "400", "--window", "20", "--hidden", "16",
                        "--embed", "8", "--bottleneck", "4", "--out", str(checkpoint))
    assert result.returncode == 0, result.stderr
    assert "epoch   1" in result.stdout and "test: precision" in result.stdout
    assert checkpoint.is_file()


@pytest.mark.slow
def test_sample_repo_own_tests_pass():
    result = run_python("-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passed" in result.stdout and "failed" not in result.stdout
