"""`reader-app translate`: files written, what cannot be translated is said (never silently changed),
bad input is one sentence and exit status 2, and a machine without Node still gets the translation."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from reader_app.paths import sample_repo
from translate_helpers import ROOT, write_repo

pytestmark = pytest.mark.slow


def cli(*args: str, env: dict | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reader_app", "translate", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **(env or {})))


def test_without_node_the_translation_is_written_and_the_check_says_how_to_enable_it(tmp_path):
    out = tmp_path / "tfjs"
    done = cli(str(sample_repo()), "--to", "tfjs", "-o", str(out), env={"READER_APP_NODE": str(tmp_path / "no-node")})
    assert done.returncode == 0, done.stderr
    assert "runs the repository's code" in done.stderr.splitlines()[0]
    assert {"model.js", "layers.js", "model.json", "weights.bin"} <= {p.name for p in out.iterdir()}
    skipped = next(line for line in done.stdout.splitlines() if line.startswith("check skipped"))
    assert "Node.js is not installed" in skipped and "make install" in skipped


UNTRANSLATABLE = '''
    import torch.nn as nn
    import torch.nn.functional as F


    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Linear(6, 12)
            self.rnn = nn.GRU(12, 16, batch_first=True)
            self.head = nn.Linear(16, 3)

        def forward(self, x):
            h, _ = self.rnn(F.dropout(self.embed(x), 0.1))
            return self.head(h)
'''


def test_a_layer_without_faithful_translation_is_listed_and_no_model_json_is_written(tmp_path):
    model = write_repo(tmp_path / "repo", UNTRANSLATABLE)
    out = tmp_path / "tfjs"
    done = cli(str(model), "--to", "tfjs", "-o", str(out), "--input", "x=2,5,6")
    assert done.returncode == 2
    message = done.stderr.strip().splitlines()[-1]
    assert message.startswith("reader-app: 1 part(s) of Tagger have no faithful TF.js translation")
    listed = [line for line in done.stdout.splitlines() if line.startswith("not translated:")]
    assert any("dropout" in line and "inference" in line and "model.py:14" in line for line in listed)
    assert not any("GRU" in line for line in listed)  # the GRU is translated (a custom layer)
    assert not (out / "model.json").exists() and not (out / "weights.bin").exists()
    js = (out / "model.js").read_text()
    assert "NOT TRANSLATED" in js and "throw new Error" in js  # model.js cannot be used by mistake


def test_the_meta_device_writes_the_architecture_without_weights(tmp_path):
    out = tmp_path / "tfjs"
    done = cli(str(sample_repo()), "--to", "tfjs", "-o", str(out), "--device", "meta")
    assert done.returncode == 0, done.stderr
    assert "architecture only" in done.stdout
    manifest = json.loads((out / "model.json").read_text())["weightsManifest"][0]
    assert manifest["paths"] == [] and len(manifest["weights"]) > 10
    assert not (out / "weights.bin").exists()


@pytest.mark.parametrize("args, words", [
    (["no/such/model.py"], "No such file or folder"),
    ([str(sample_repo()), "--arg", "hidden_size"], "should look like name=value"),
    ([str(sample_repo()), "--checkpoint", "missing.pt"], "No such checkpoint file"),
    ([str(sample_repo()), "--input", "x=2,a"], "not a list of whole numbers"),
])
def test_bad_input_is_one_sentence_and_exit_status_2(tmp_path, args, words):
    done = cli(*args, "--to", "tfjs", "-o", str(tmp_path / "out"))
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("reader-app: ") and words in last and "Traceback" not in done.stderr


def test_a_checkpoint_that_does_not_fit_the_model_is_one_sentence(tmp_path):
    checkpoint = tmp_path / "other.pt"
    subprocess.run([sys.executable, "-c", f"import torch; torch.save({{'w': torch.zeros(2)}}, {str(checkpoint)!r})"],
                   check=True, timeout=60)
    done = cli(str(sample_repo()), "--to", "tfjs", "-o", str(tmp_path / "out"), "--checkpoint", str(checkpoint))
    assert done.returncode == 2
    assert "The checkpoint lacks" in done.stderr.strip().splitlines()[-1]
