"""`reader-app trace`: the issue's JSON shape, human output, and bad input as one sentence with status 2."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPOS = Path(__file__).parent / "fixtures" / "repos"


def cli(*args: str, module: str = "reader_app") -> subprocess.CompletedProcess:
    prefix = [sys.executable, "-m", module] + (["trace"] if module == "reader_app" else [])
    return subprocess.run(prefix + list(args), capture_output=True, text=True, timeout=300)


def test_json_has_the_shape_the_issue_asks_for():
    done = cli(str(REPOS / "transformer_classifier"), "--arg", "d_model=96", "--arg", "nhead=3", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {"file", "class", "device", "args", "inputs", "layers", "lines", "error"} <= set(data)
    assert (data["file"], data["class"], data["device"], data["error"]) == (
        "model.py", "TransformerClassifier", "meta", None)
    assert data["args"]["d_model"] == 96 and data["args"]["nhead"] == 3
    assert data["inputs"] == [{"name": "src", "shape": [2, 7], "dtype": "int64", "dims": ["batch", "seq_len"],
                               "from": "guess"}]  # generated from forward(), and labelled so
    layer = next(l for l in data["layers"] if l["name"] == "encoder.layers.1.linear2")
    assert {"name", "type", "line", "calls"} <= set(layer) and layer["type"] == "Linear"
    call = layer["calls"][0]
    assert {"line", "in", "out", "out_dims"} <= set(call)
    assert call["out"] == [[2, 7, 96]] and call["out_dims"] == [["batch", "seq_len", "96"]]
    pooled = next(e for e in data["lines"] if any(t["name"] == "pooled" for t in e["tensors"]))
    assert pooled["file"] == "model.py"
    assert pooled["tensors"][0] == {"name": "pooled", "shape": [2, 96], "dims": ["batch", "96"]}


def test_human_output_lists_layers_and_line_hints():
    done = cli(str(REPOS / "mlp_mixer" / "mlp_mixer.py"), "--class", "MlpMixer", module="reader_app.trace")
    assert done.returncode == 0, done.stderr
    assert "patch_embed.proj [Conv2d]" in done.stdout
    assert "in (batch, 3, 32, 32) -> out (batch, 128, 8, 8)" in done.stdout
    assert "# x: (batch, 64, 128)" in done.stdout


def test_bad_input_is_one_sentence_on_stderr_with_status_2(tmp_path):
    missing = cli(str(tmp_path / "nowhere"))
    assert missing.returncode == 2
    assert missing.stderr.startswith("reader-app: ") and "Traceback" not in missing.stderr
    bad_spec = cli(str(REPOS / "autoencoder"), "--input", "x=2,many")
    assert bad_spec.returncode == 2 and "whole numbers" in bad_spec.stderr
    bad_arg = cli(str(REPOS / "autoencoder"), "--arg", "784")
    assert bad_arg.returncode == 2 and "name=value" in bad_arg.stderr
    broken = tmp_path / "broken.py"
    broken.write_text("import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n"
                      "        super().__init__()\n        raise RuntimeError('weights not found')\n")
    failed = cli(str(broken), module="reader_app.trace")
    assert failed.returncode == 2
    consent, error = failed.stderr.strip().splitlines()  # "runs the repository's code", then why it failed
    assert "runs the repository's code" in consent
    assert error == "reader-app: RuntimeError while building Net: weights not found (broken.py:6)"
