"""Warm the zygote's torch once: the first meta-device LSTM, attention or convolution imports sympy and
torch's decompositions (about half a second), and the first normal_ on the CPU imports torch._dynamo
(about a second). The tracer's own modules that load on first use (the repository readers, YAML) are
imported too, so that each forked worker does not import them again. Only the app's own code runs here,
never the repository's.

The random generators are left exactly as they were: a worker forked afterwards builds the same
initial weights as a cold child would.
"""
from __future__ import annotations

import ast
import importlib
import random
from pathlib import Path

ENTRIES = ("reader_app.trace.child.session", "reader_app.trace.child.describe")  # what a worker runs
APP_ROOT = Path(__file__).resolve().parents[3]  # the folder holding reader_app/


def _meta_ops(torch, nn, F) -> None:
    seq = torch.empty(2, 7, 16)
    for module in (nn.LSTM(16, 16, batch_first=True), nn.GRU(16, 16, batch_first=True), nn.Linear(16, 16),
                   nn.LayerNorm(16), nn.GELU(), nn.Dropout(0.1)):
        module(seq)
    nn.MultiheadAttention(16, 2, batch_first=True)(seq, seq, seq)
    F.scaled_dot_product_attention(seq, seq, seq, is_causal=True)
    F.softmax(seq, dim=-1)
    image = torch.empty(2, 3, 8, 8)
    nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                  nn.AdaptiveAvgPool2d(1), nn.Flatten())(image)
    nn.Embedding(10, 16)(torch.zeros(2, 7, dtype=torch.long))


def warm_up() -> list[str]:
    """Run the common first-time paths; returns what failed (nothing, normally), never raises."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    from reader_app.trace.child.metainit import no_meta_init

    failed = []
    torch_state, python_state = torch.get_rng_state(), random.getstate()
    try:
        with torch.device("meta"), no_meta_init(), torch.no_grad():
            _meta_ops(torch, nn, F)
    except Exception as exc:  # noqa: BLE001 - a warm-up that fails only leaves the worker colder
        failed.append(f"meta ops: {exc}")
    try:
        nn.init.normal_(torch.empty(2, 2))
        nn.init.kaiming_uniform_(torch.empty(2, 2))
    except Exception as exc:  # noqa: BLE001
        failed.append(f"cpu init: {exc}")
    finally:
        torch.set_rng_state(torch_state)
        random.setstate(python_state)
    failed += _preload()
    return failed


def _preload() -> list[str]:
    """Import the tracer's modules a request may load on first use; returns those that failed."""
    failed = []
    for name in sorted(_tracer_modules()):
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - the worker imports it when needed, as a cold child does
            failed.append(f"{name}: {exc}")
    try:
        import yaml  # noqa: F401 - configs the repository readers parse
    except ImportError:
        pass
    return failed


def _tracer_modules() -> set[str]:
    """The app's modules the entries import, at any depth and wherever the import statement is (a function's
    own `from reader_app.repo.values_x import ...` included): the tracer's code and nothing else of the app,
    so that a worker never loads what only the window needs (git, platformdirs)."""
    seen: set[str] = set()
    todo = list(ENTRIES)
    while todo:
        name = todo.pop()
        path = None if name in seen else _source(name)
        if path is None:
            continue  # a class or function imported from a module, not a module
        seen.add(name)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            for imported in _imported(node, package):
                parts = imported.split(".")
                if parts[0] == "reader_app":
                    todo += [".".join(parts[:i]) for i in range(2, len(parts) + 1)]
    return seen


def _source(name: str) -> Path | None:
    """The file of one of the app's modules, found without importing anything."""
    base = APP_ROOT.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imported(node, package: str) -> list[str]:
    """Module names an import statement may load (`from a import b` may load a.b)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        parent = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join(parent + ([node.module] if node.module else []))
    return [base] + [f"{base}.{alias.name}" for alias in node.names]
