"""The data flow of the main model's forward(): which layer and which operation the tensor meets,
in the order the code runs, read from the syntax tree of forward() (and of the forward() of the
repository's own submodules and the methods it calls), with the traced shapes when a trace ran.
Loops are read once; both branches of an `if` are read.
"""
from __future__ import annotations

import ast

from reader_app.repo import ModelClass, RepoInfo
from reader_app.workflow.flow_model import DataFlow, FlowNode
from reader_app.workflow.flow_reader import FlowReader, shape_text

__all__ = ["DataFlow", "FlowNode", "build_dataflow", "render_text"]


def build_dataflow(repo: RepoInfo, trace=None, model: ModelClass | None = None) -> DataFlow:
    """The forward() chain of `model` (default: the main model); `trace` is a TraceResult or None."""
    model = model or repo.main
    flow = DataFlow(model.name if model else "")
    if model is None:
        flow.missing.append("The repository has no nn.Module model class, so there is no forward() to follow.")
        return flow
    if model.forward_line is None:
        flow.missing.append(f"{model.name} has no forward() of its own, so its data flow cannot be read.")
        return flow
    usable = trace is not None and trace.error is None and trace.class_name == model.name
    if trace is None:
        flow.missing.append("No trace ran, so the chain has no shapes.")
    elif not usable:
        why = trace.error.message if trace.error is not None else f"it traced {trace.class_name}, not {model.name}"
        flow.missing.append(f"The trace failed ({why}), so the chain has no shapes.")
    reader = FlowReader(repo, trace if usable else None, flow)
    cls = reader.class_def(model)
    func = None if cls is None else next((n for n in cls.body if isinstance(n, ast.FunctionDef)
                                          and n.name == "forward"), None)
    if func is None:
        flow.missing.append(f"The source of {model.name}.forward() could not be read.")
        return flow
    args = []
    inputs = {t.name: t for t in (trace.inputs if usable else [])}
    for param in func.args.args[1:]:
        nid = reader.add(param.arg, "input", model.file, func.lineno, set())
        if param.arg in inputs:
            flow.nodes[nid].shape = shape_text(inputs[param.arg].dims)
        args.append({nid})
    returned = reader.run_method(model, "forward", "", args)
    out = reader.add("return", "output", model.file, func.end_lineno or func.lineno, returned)
    layer = trace.layer("") if usable else None
    if layer is not None and layer.calls and layer.calls[0].out_dims:
        flow.nodes[out].shape = shape_text(layer.calls[0].out_dims[0])
    flow.traced = usable and trace.reached_output
    return flow


def render_text(flow: DataFlow) -> str:
    """The chain on one line, then one line per node with where it runs and what feeds it."""
    if not flow.nodes:
        return "\n".join(flow.missing) or "No data flow."
    feeds: dict[int, list[int]] = {}
    for a, b in flow.edges:
        feeds.setdefault(b, []).append(a)
    lines = [flow.chain_text(), ""]
    for node in flow.nodes:
        source = ", ".join(flow.nodes[i].label for i in feeds.get(node.id, [])) or "-"
        extra = f"  [{node.note}]" if node.note else ""
        lines.append(f"{node.id:3d}  {node.label:28s} {node.shape:24s} {node.file}:{node.line}  from {source}{extra}")
    lines += flow.missing
    return "\n".join(lines)
