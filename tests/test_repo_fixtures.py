"""The main model is found on every fixture repository that says which one it is (EXPECTED.json)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader_app.paths import sample_repo
from reader_app.repo import scan_repo
from reader_app.repo.notebook import notebook_code

FIXTURES = Path(__file__).parent / "fixtures" / "repos"
EXPECTED = sorted(p.parent for p in FIXTURES.glob("*/EXPECTED.json"))


def test_there_are_fixture_repositories_to_check():
    names = {p.name for p in EXPECTED}
    assert {"gpt_config", "vit_kwonly", "unet_two_files", "resnet_factories", "seq2seq_lstm_attention",
            "models_package", "notebook_only"} <= names


@pytest.mark.parametrize("folder", EXPECTED, ids=[p.name for p in EXPECTED])
def test_main_model_is_the_expected_class(folder):
    expected = json.loads((folder / "EXPECTED.json").read_text())
    info = scan_repo(folder)
    assert info.main is not None, info.problems
    assert (info.main.name, info.main.file) == (expected["main"], expected["file"]), \
        [(m.name, m.file, m.score) for m in info.models[:4]]
    assert info.models[0] is info.main and info.main.main
    assert sum(m.main for m in info.models) == 1
    # the line points at the class statement, as the code pane needs it
    from reader_app.repo import read_source
    line = read_source(folder, info.main.file).splitlines()[info.main.line - 1]
    assert line.lstrip().startswith(f"class {expected['main']}")


def test_sample_repository_main_model_is_the_autoencoder():
    info = scan_repo(sample_repo())
    assert info.main is not None
    assert (info.main.name, info.main.file) == ("AnomalyAutoencoder", "model.py")
    names = [layer.name for layer in info.layers]
    assert names[:2] == ["encoder", "bottleneck"]
    encoder = info.layers[0]
    assert encoder.local_class == "TimeSeriesEncoder"
    assert [c.type for c in info.layers[1].children] == ["nn.Linear", "nn.ReLU", "nn.Linear"]
    assert encoder.uses and all(info.main.forward_line <= n <= info.main.forward_end_line for n in encoder.uses)
    sub = info.model_named("TimeSeriesEncoder")
    assert "lstm" in [layer.name for layer in info.layers_of(sub)]
    assert info.role_of("train.py") == "training"
    assert info.role_of("model.py") == "model"
    assert info.role_of("requirements.txt") == "dependencies"


# How to build and run each of this engineer's fixture models (the trace engine relies on them running).
RUNS = {
    "gpt_config": ("model", "GPT(GPTConfig(n_layer=2, n_head=2, n_embd=32, block_size=16, vocab_size=50))",
                   "torch.zeros(2, 8, dtype=torch.long)"),
    "vit_kwonly": ("vit_pytorch", "ViT(image_size=32, patch_size=4, num_classes=10, dim=32, depth=2, heads=2, "
                   "mlp_dim=64)", "torch.randn(2, 3, 32, 32)"),
    "unet_two_files": ("unet", "UNet(3, 2)", "torch.randn(1, 3, 32, 32)"),
    "resnet_factories": ("models", "resnet50(num_classes=10)", "torch.randn(2, 3, 32, 32)"),
    "models_package": ("models", "Detector(num_classes=5)", "torch.randn(2, 3, 64, 64)"),
    "seq2seq_lstm_attention": ("model", "Seq2Seq(Encoder(20, 8, 16, 16, 0.1), "
                               "Decoder(30, 8, 16, 16, 0.1, Attention(16, 16)), 'cpu')",
                               "(torch.randint(0, 20, (5, 2)), torch.randint(0, 30, (6, 2)))"),
}


@pytest.mark.slow
def test_fixture_models_really_run_with_torch(tmp_path):
    """In a child process (this test process stays torch-free): build each model and run forward()."""
    lines = ["import sys, importlib, torch"]
    for name, (module, build, example) in RUNS.items():
        lines += [f"sys.path.insert(0, {str(FIXTURES / name)!r})",
                  f"ns = vars(importlib.import_module({module!r}))",
                  f"example = eval({example!r}, {{'torch': torch}})",
                  f"out = eval({build!r}, ns)(*(example if isinstance(example, tuple) else (example,)))",
                  f"print({name!r}, 'ok')",
                  "sys.path.pop(0)",
                  "[sys.modules.pop(k) for k in list(sys.modules) if k.split('.')[0] in "
                  "('model', 'models', 'unet', 'vit_pytorch', 'utils')]"]
    # the notebook-only repository: its code cells, run top to bottom, train the model
    notebook = notebook_code((FIXTURES / "notebook_only" / "mnist_cnn.ipynb").read_text())[0]
    lines += [f"exec(compile({notebook!r}, 'mnist_cnn.ipynb', 'exec'), {{}})", "print('notebook_only', 'ok')"]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-c", "\n".join(lines)], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count(" ok") == len(RUNS) + 1
