"""The trace report's layers and lines: the first run's shapes, named by pairing each call and each line
with the second run's (see dims.py)."""
from __future__ import annotations

from reader_app.trace.child.capture import Recorder
from reader_app.trace.child.dims import name_shape, name_shapes


def layer_entries(model, definitions, rel, first: Recorder, second: Recorder | None, symbols: dict) -> list:
    """Each module of the model: its type, where it is defined, and every call with named shapes."""
    paired = _pair_calls(first, second)
    layers = []
    for name, module in model.named_modules():
        file, line = definitions.of(model, name)
        calls = [{"file": rel(c.file), "line": c.line or 0, "in": c.inputs, "out": c.outputs,
                  "in_dims": name_shapes(c.inputs, o.inputs if o else None, symbols),
                  "out_dims": name_shapes(c.outputs, o.outputs if o else None, symbols)}
                 for c, o in paired.get(name, [])]
        layers.append({"name": name, "type": type(module).__name__, "file": rel(file),
                       "line": line or 0, "calls": calls})
    return layers


def line_entries(rel, first: Recorder, second: Recorder | None, symbols: dict) -> list:
    """Each source line that made tensors: their names and named shapes (loops paired pass by pass)."""
    others: dict = {}
    counts: dict = {}
    for rec in second.lines if second else []:
        key = (rec.file, rec.line, rec.name)
        others.setdefault(key, []).append(rec.shape)
    by_line: dict = {}
    for rec in first.lines:
        key = (rec.file, rec.line, rec.name)
        index = counts.get(key, 0)
        counts[key] = index + 1
        other_list = others.get(key, [])
        # Loops may run a different number of times with other sizes: pair extra passes with the last.
        other = other_list[min(index, len(other_list) - 1)] if other_list else None
        dims = name_shape(rec.shape, other, symbols)
        entry = by_line.setdefault((rec.file, rec.line), [])
        tensor = {"name": rec.name, "shape": rec.shape, "dims": dims}
        if tensor not in entry:
            entry.append(tensor)
    return [{"file": rel(f), "line": line, "tensors": tensors}
            for (f, line), tensors in sorted(by_line.items())]


def _pair_calls(first: Recorder, second: Recorder | None) -> dict:
    """name -> [(call in run one, matching call in run two or None)]."""
    seconds: dict = {}
    for call in second.calls if second else []:
        seconds.setdefault(call.name, []).append(call)
    paired: dict = {}
    for call in first.calls:
        bucket = paired.setdefault(call.name, [])
        others = seconds.get(call.name, [])
        bucket.append((call, others[min(len(bucket), len(others) - 1)] if others else None))
    return paired
