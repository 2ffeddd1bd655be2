"""Option values a repository's shell run scripts pass (held-out set 9, run-script class): `scripts/.../a.sh`
sets `seq_len=336`, loops `for pred_len in 192 336`, and runs `python -u run_exp.py --seq_len $seq_len
--pred_len $pred_len --enc_in 7`. The script's parser defaults say 96; the run script is how the repository
runs it, so its first command's values are what the model is built with, and the provenance names the script,
its line and why that script (the first, or the one the README names). Each repository is generated here."""
from __future__ import annotations

from tree_helpers import write_tree as write

from reader_app.repo.values import mine

MODEL = """
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, configs):
        super().__init__()
        self.seq_len = configs.seq_len
        self.pred_len = configs.pred_len
        self.channels = configs.enc_in
        self.proj = nn.Linear(self.seq_len, self.pred_len)

    def forward(self, x):
        # x: [Batch, Input length, Channel]
        return self.proj(x.permute(0, 2, 1)).permute(0, 2, 1)
"""

RUN = """
import argparse

from models.linear import Model

parser = argparse.ArgumentParser()
parser.add_argument('--seq_len', type=int, default=96, help='input sequence length')
parser.add_argument('--pred_len', type=int, default=96, help='prediction sequence length')
parser.add_argument('--enc_in', type=int, default=3, help='encoder input size')
parser.add_argument('--batch_size', type=int, default=32)
args = parser.parse_args()
model = Model(args)
"""

FIRST = """
if [ ! -d "./logs" ]; then
    mkdir ./logs
fi
seq_len=336
for pred_len in 192 336
do
python -u run_exp.py \\
  --seq_len $seq_len \\
  --pred_len $pred_len \\
  --enc_in 7 \\
  --batch_size $bs >logs/run_$seq_len.log
done
"""

OTHER = """
python run_exp.py --seq_len 720 --pred_len 24 --enc_in 21
"""

FILES = {"models/__init__.py": "", "models/linear.py": MODEL, "run_exp.py": RUN,
         "scripts/long/a_first.sh": FIRST, "scripts/long/b_other.sh": OTHER}


def _configs(root):
    values = mine(str(root), str(root / "models/linear.py"), "Model", ["configs"])
    return values["configs"]


def test_the_first_run_script_states_the_options_over_the_parser_defaults(tmp_path):
    configs = _configs(write(tmp_path / "repo", FILES))
    assert configs.value["seq_len"] == 336  # `seq_len=336` above the command, `--seq_len $seq_len`
    assert configs.value["pred_len"] == 192  # the loop's first pass
    assert configs.value["enc_in"] == 7
    assert configs.value["batch_size"] == 32  # `$bs` is set nowhere: the default stands
    where = configs.fields["seq_len"]
    assert where.startswith("scripts/long/a_first.sh:8 (the first run script") and "of 2" in where, where
    assert configs.fields["batch_size"].startswith("run_exp.py:")


def test_the_run_script_the_readme_names_decides(tmp_path):
    readme = "# Forecasting\n\nTo reproduce: `sh scripts/long/b_other.sh`\n"
    configs = _configs(write(tmp_path / "repo", {**FILES, "README.md": readme}))
    assert configs.value["seq_len"] == 720 and configs.value["enc_in"] == 21
    assert configs.fields["seq_len"] == "scripts/long/b_other.sh:2 (the run script the README names)"


def test_without_a_run_script_the_parser_defaults_stand(tmp_path):
    files = {k: v for k, v in FILES.items() if not k.endswith(".sh")}
    configs = _configs(write(tmp_path / "repo", files))
    assert configs.value["seq_len"] == 96 and configs.fields["seq_len"].startswith("run_exp.py:")
