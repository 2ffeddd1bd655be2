"""The shapes one layer of a model got in a trace, as the reader sees them: one answer for the Layers
panel, its details line and the shapes saved with notes. No torch here."""
from __future__ import annotations

from reader_app.trace.result import TraceResult, dims_text

NOT_CALLED = "not called by forward()"


def _prefix(result: TraceResult, model_name: str) -> str | None:
    """Trace names are qualified from the traced model; a submodule's layers sit under its attribute.
    None when the model is not part of what was traced."""
    if model_name == result.class_name:
        return ""
    owner = next((layer for layer in result.layers if layer.type == model_name and layer.name), None)
    return owner.name + "." if owner else None


def layer_shape_text(result: TraceResult | None, model_name: str, layer_name: str) -> str:
    """`in (batch, 5) -> out (batch, 64)` for a layer of `model_name`; a ModuleList or ModuleDict (never
    called itself) shows the shapes through its parts; "" when the trace says nothing about it."""
    if result is None:
        return ""
    prefix = _prefix(result, model_name)
    if prefix is None:
        return ""
    name = prefix + layer_name
    traced = result.layer(name)
    if traced is None:
        return ""
    if traced.calls:
        return traced.calls[0].text()
    parts = [layer for layer in result.layers
             if layer.name.startswith(name + ".") and "." not in layer.name[len(name) + 1:] and layer.calls]
    if not parts:
        return NOT_CALLED
    first, last = parts[0].calls[0], parts[-1].calls[-1]
    ins = ", ".join(dims_text(d) for d in first.in_dims) or "()"
    outs = ", ".join(dims_text(d) for d in last.out_dims) or "()"
    return f"in {ins} -> out {outs} (through its {len(parts)} parts)"


def model_shapes(result: TraceResult | None, model_name: str, layer_names: list[str]) -> dict[str, str]:
    """{layer name: shape text} for the layers of `model_name` the trace reached."""
    shapes = {name: layer_shape_text(result, model_name, name) for name in layer_names}
    return {name: text for name, text in shapes.items() if text and text != NOT_CALLED}
