"""The data flow drawn as a graph: straight arrows where a step feeds the next, side arcs in lanes that
never share a span for skip connections and branches, a bracket around the steps of a loop."""
from __future__ import annotations

from pathlib import Path

from reader_app.repo import scan_repo
from reader_app.ui.workflow.dataflow_view import DataFlowView
from reader_app.workflow.dataflow import build_dataflow
from reader_app.workflow.flow_layout import layout_flow
from reader_app.workflow.flow_model import DataFlow, FlowNode

GPT = Path(__file__).parent / "fixtures" / "repos" / "gpt_config"


def _chain(n: int, edges, loop=()) -> DataFlow:
    nodes = [FlowNode(i, f"step{i}", "layer", "model.py", 10 + i, note="in a loop" if i in loop else "")
             for i in range(n)]
    return DataFlow("Net", nodes, list(edges))


def test_skip_connections_get_side_lanes_that_never_overlap():
    # a U-Net-like shape: 0 -> 1 -> 2 -> 3 -> 4 -> 5, with skips 1 -> 4 and 0 -> 5 and a branch 2 -> 3/4
    plan = layout_flow(_chain(6, [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (1, 4), (0, 5), (2, 4)]))
    assert plan.straight == {0, 1, 2, 3, 4}
    lanes = {(a, b): lane for a, b, lane in plan.arcs}
    assert set(lanes) == {(1, 4), (0, 5), (2, 4)}
    for (a, b), lane in lanes.items():
        for (c, d), other in lanes.items():
            if (a, b) != (c, d) and lane == other:
                assert b <= c or d <= a  # arcs in one lane never share a stretch
    assert plan.lanes == 3


def test_steps_in_a_loop_are_bracketed_and_a_flow_without_edges_is_a_chain():
    plan = layout_flow(_chain(5, [], loop={1, 2, 3}))
    assert plan.straight == {0, 1, 2, 3} and plan.arcs == [] and plan.loops == [(1, 3)]


def test_the_gpt_blocks_show_their_residual_arcs_and_loop(qtbot):
    flow = build_dataflow(scan_repo(GPT), None)
    plan = layout_flow(flow)
    residual_targets = {n.id for n in flow.nodes if "residual" in n.note}
    assert residual_targets and residual_targets <= {b for _, b, _ in plan.arcs}
    assert plan.loops  # the blocks run in a loop over self.transformer.h
    view = DataFlowView()
    qtbot.addWidget(view)
    view.resize(420, 700)
    view.set_flow(flow)
    view.show()
    qtbot.waitExposed(view)
    assert view.canvas.sizeHint().width() == 240 + plan.lanes * 12
    image = view.canvas.grab().toImage()
    assert not image.isNull()
    box = view.canvas._boxes[1]
    with qtbot.waitSignal(view.canvas.node_clicked) as clicked:
        from PySide6.QtCore import Qt
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=box.center().toPoint())
    assert clicked.args[0].line == flow.nodes[1].line and clicked.args[0].file
    view.canvas.grab().save("/tmp/i12_flow.png") if Path("/tmp").is_dir() else None
