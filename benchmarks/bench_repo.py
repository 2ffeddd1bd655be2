"""Scanning a 2,000-file repository with scan_repo, against a bare walk-and-read of the same files.

Generates a realistic repository in a temp folder (model packages with nn.Module classes that build each
other, training and evaluation scripts, data loaders, utils, tests, notebooks, configs, docs and assets),
then prints the median time of `scan_repo` (list, read, parse, resolve, rank, layers, patterns) and of a
baseline that only walks the tree with os.walk and reads every file's bytes, and their ratio.
Target (issue 4): scan under 2 s.
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("READER_APP_HOME", tempfile.mkdtemp())

from reader_app.repo import scan_repo  # noqa: E402

FILES = 2000
RUNS = 5

MODEL_FILE = '''"""Family {i}: encoder blocks, a head and the network that joins them."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from ..common.layers import ConvNormAct{j}


class Block{i}(nn.Module):
    def __init__(self, dim, heads=4, dropout=0.1):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Dropout(dropout), nn.Linear(4 * dim, dim))

    def forward(self, x):
        h = self.norm1(x)
        x = x + self.attn(h, h, h)[0]
        x = x + self.mlp(self.norm2(x))
        return x


class Head{i}(nn.Module):
    def __init__(self, dim, num_classes):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool1d(1)
        self.fc = nn.Linear(dim, num_classes)

    def forward(self, x):
        return self.fc(self.pool(x.transpose(1, 2)).squeeze(-1))


class Net{i}(nn.Module):
    def __init__(self, dim=64, depth=4, num_classes=10):
        super().__init__()
        self.stem = ConvNormAct{j}(3, dim)
        self.blocks = nn.ModuleList([Block{i}(dim) for _ in range(depth)])
        self.head = Head{i}(dim, num_classes)

    def forward(self, x):
        x = self.stem(x).flatten(2).transpose(1, 2)
        for block in self.blocks:
            x = block(x)
        return self.head(x)


def net{i}_small(**kwargs):
    return Net{i}(dim=32, depth=2, **kwargs)
''' + "\n".join(f"# reference note {k}: keep the widths divisible by the number of heads." for k in range(40)) + "\n"

LAYERS_FILE = '''import torch.nn as nn


class ConvNormAct{j}(nn.Module):
    def __init__(self, cin, cout, k=3):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, padding=k // 2, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))
'''

TRAIN_FILE = '''import argparse

import torch

from models.family{i} import net{i}_small
from data.loader{i} import make_loader


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    model = net{i}_small()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    for epoch in range(args.epochs):
        for x, y in make_loader():
            loss = torch.nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
        scheduler.step()


if __name__ == "__main__":
    main()
'''

DATA_FILE = '''import torch
from torch.utils.data import DataLoader, Dataset


class Images{i}(Dataset):
    def __init__(self, n=64):
        self.x = torch.randn(n, 3, 16, 16)
        self.y = torch.randint(0, 10, (n,))

    def __len__(self):
        return len(self.x)

    def __getitem__(self, k):
        return self.x[k], self.y[k]


def make_loader(batch_size=8):
    return DataLoader(Images{i}(), batch_size=batch_size, shuffle=True)
'''

UTIL_FILE = '''import json
import logging
import os
import random


def seed_everything(seed={i}):
    random.seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)


def save_json(obj, path):
    with open(path, "w") as handle:
        json.dump(obj, handle, indent=2)


class AverageMeter:
    def __init__(self):
        self.sum = self.count = 0

    def update(self, value, n=1):
        self.sum += value * n
        self.count += n

    @property
    def avg(self):
        return self.sum / max(self.count, 1)


log = logging.getLogger(__name__)
'''

TEST_FILE = '''from models.family{i} import Net{i}


def test_builds():
    assert Net{i}() is not None
'''


def _notebook(i: int) -> str:
    cells = [{"cell_type": "markdown", "source": [f"# Experiment {i}\n"]},
             {"cell_type": "code", "source": [f"from models.family{i} import net{i}_small\n", "model = net{i}_small()\n"],
              "outputs": [], "execution_count": None, "metadata": {}}]
    return json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5, "metadata": {}})


def generate(root: Path, total: int = FILES) -> int:
    """Write `total` files in a realistic layout; returns how many were written."""
    kinds = [
        ("models/family{i}.py", lambda i: MODEL_FILE.format(i=i, j=i % 20)),
        ("models/common/layers{i}.py", None),
        ("train_{i}.py", lambda i: TRAIN_FILE.format(i=i)),
        ("data/loader{i}.py", lambda i: DATA_FILE.format(i=i)),
        ("utils/helpers{i}.py", lambda i: UTIL_FILE.format(i=i)),
        ("tests/test_family{i}.py", lambda i: TEST_FILE.format(i=i)),
        ("configs/exp{i}.yaml", lambda i: f"model: net{i}_small\nlr: 0.001\nepochs: 10\nbatch_size: 32\n"),
        ("docs/page{i}.md", lambda i: f"# Page {i}\n\n" + "Some words about the experiments. " * 40 + "\n"),
        ("assets/figure{i}.png", lambda i: bytes(range(256)) * 8),
        ("notebooks/explore{i}.ipynb", lambda i: _notebook(i)),
    ]
    (root / "models" / "__init__.py").parent.mkdir(parents=True, exist_ok=True)
    (root / "models" / "__init__.py").write_text("")
    common = root / "models" / "common"
    common.mkdir(parents=True, exist_ok=True)
    (common / "__init__.py").write_text("")
    layers = "\n\n".join(LAYERS_FILE.format(j=j) for j in range(20))
    (common / "layers.py").write_text(layers)
    (root / "README.md").write_text("# A big research repository\n")
    (root / "requirements.txt").write_text("torch\nnumpy\n")
    written = 5
    i = 0
    # Proportions of a real repository: mostly Python, then configs, docs, assets and a few notebooks.
    weights = [5, 0, 2, 2, 2, 2, 2, 2, 1, 1]
    while written < total:
        for (pattern, make), weight in zip(kinds, weights):
            for _ in range(weight):
                if written >= total or make is None:
                    break
                path = root / pattern.format(i=i)
                path.parent.mkdir(parents=True, exist_ok=True)
                content = make(i)
                if isinstance(content, bytes):
                    path.write_bytes(content)
                else:
                    path.write_text(content)
                written += 1
                i += 1
    return written


def baseline(root: Path) -> int:
    """The floor: walk the tree and read every file's bytes, nothing else."""
    total = 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            with open(os.path.join(folder, name), "rb") as handle:
                total += len(handle.read())
    return total


def median_time(func, runs: int = RUNS) -> tuple[float, float]:
    """Median wall-clock and CPU seconds: on a shared machine the CPU time shows the work itself."""
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        func()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "big_repo"
        count = generate(root)
        python = sum(1 for _ in root.rglob("*.py"))
        info = scan_repo(root)
        (t_base, c_base), (t_scan, c_scan) = median_time(lambda: baseline(root)), median_time(lambda: scan_repo(root))
        print(f"repository: {count} files ({python} Python), {len(info.models)} nn.Module classes, "
              f"main model {info.main.name if info.main else None}, {len(info.patterns)} patterns")
        print(f"baseline os.walk + read: {t_base * 1000:6.0f} ms wall, {c_base * 1000:6.0f} ms CPU (median of {RUNS})")
        print(f"scan_repo:               {t_scan * 1000:6.0f} ms wall, {c_scan * 1000:6.0f} ms CPU (median of {RUNS})")
        print(f"ratio scan / baseline:   {t_scan / t_base:.1f}x wall")
        print(f"machine load (1 min):    {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"target under 2 s: {'met' if t_scan < 2.0 else 'NOT met'} (wall clock)")
    return 0 if t_scan < 2.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
