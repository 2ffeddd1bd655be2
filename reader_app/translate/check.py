"""check_translation(): run the exported TF.js model in Node on the reference input and compare its
output with PyTorch's: the same shape, and max |difference| <= 1e-4 x max(1, max |PyTorch output|)."""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from reader_app.translate.node import node_status, run_node
from reader_app.translate.reference import read_reference

RELATIVE_TOLERANCE = 1e-4


@dataclass
class OutputCheck:
    """One output compared.

    Attributes:
        name: the output layer; source: "model.json" or "model.js"; shape, expected_shape: TF.js's and
        PyTorch's; max_diff: max |difference|; tolerance: what it must not exceed; ok.
    """

    name: str
    source: str
    shape: list
    expected_shape: list
    max_diff: float
    tolerance: float

    @property
    def ok(self) -> bool:
        return self.shape == self.expected_shape and self.max_diff <= self.tolerance


@dataclass
class NodeCheck:
    """The verdict.

    Attributes:
        ran: the model ran in Node; ok: every output matched; message: one sentence;
        outputs: per output and per file (model.json, model.js); seconds: Node's wall time.
    """

    ran: bool
    ok: bool
    message: str
    outputs: list = field(default_factory=list)


def check_translation(out_dir: str, timeout: float = 180.0, cancel=None) -> NodeCheck:
    """Never raises for what the model does; `cancel` (a threading.Event) stops Node at once."""
    folder = Path(out_dir)
    if not (folder / "model.json").is_file():
        return NodeCheck(False, False, "There is no model.json to check (the translation is incomplete)")
    if not (folder / "reference.json").is_file():
        return NodeCheck(False, False, "There is no reference output to compare with (architecture only)")
    status = node_status()
    if not status.available:
        return NodeCheck(False, False, status.message)
    with tempfile.TemporaryDirectory(prefix="reader-tfjs-") as scratch:
        run = run_node("run_model.mjs", [str(folder), scratch], timeout, scratch, cancel)
        if run.cancelled:
            return NodeCheck(False, False, "The check in Node was cancelled")
        if run.timed_out:
            return NodeCheck(False, False, f"The TF.js model did not finish within {timeout:g} s in Node; it was stopped")
        if run.returncode != 0:
            return NodeCheck(False, False, f"The TF.js model failed in Node: {run.last_error()}")
        meta = json.loads((Path(scratch) / "outputs.json").read_text())
        raw = (Path(scratch) / "outputs.bin").read_bytes()
    _, expected = read_reference(str(folder))
    outputs = []
    for entry in meta["entries"]:
        name, want = expected[entry["index"]]
        got = np.frombuffer(raw[entry["offset"]:entry["offset"] + entry["nbytes"]], dtype=np.float32)
        got = got.reshape(entry["shape"]) if got.size == int(np.prod(entry["shape"])) else got
        tolerance = RELATIVE_TOLERANCE * max(1.0, float(np.max(np.abs(want))) if want.size else 1.0)
        same = list(got.shape) == list(want.shape)
        diff = float(np.max(np.abs(got - want))) if same and want.size else float("inf")
        outputs.append(OutputCheck(name, entry["source"], list(got.shape), list(want.shape), diff, tolerance))
    bad = [o for o in outputs if not o.ok]
    if not bad:
        worst = max(outputs, key=lambda o: o.max_diff / o.tolerance)
        return NodeCheck(True, True, f"TF.js matches PyTorch: max |difference| {worst.max_diff:.2e} "
                                     f"(allowed {worst.tolerance:.2e}), shape {worst.shape}", outputs)
    first = bad[0]
    if first.shape != first.expected_shape:
        return NodeCheck(True, False, f"{first.source} gives shape {first.shape} for {first.name}; PyTorch gives "
                                      f"{first.expected_shape}", outputs)
    return NodeCheck(True, False, f"{first.source} differs from PyTorch by up to {first.max_diff:.3g} "
                                  f"(allowed {first.tolerance:.2e})", outputs)
