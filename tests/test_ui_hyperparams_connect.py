"""The Hyperparameters and Connect views on generated pairs: variant and source of every value, what the
code leaves to run time, leaf layers that are not containers, and what is still unlinked."""
from __future__ import annotations

from dataclasses import asdict

import pytest

from hyperparam_papers import build_variant_paper
from reader_app.paper import analyze_paper
from reader_app.repo import scan_repo
from reader_app.ui.workflow.connect_panel import ConnectPanel
from reader_app.ui.workflow.hyperparams_panel import HyperparamsPanel
from reader_app.workflow.hyperparams import check_hyperparams
from reader_app.workflow.paper_text import read_paper_text
from test_hyperparams_pairs import MODEL, _built_repo, _write


@pytest.fixture(scope="module")
def text(tmp_path_factory):
    path = tmp_path_factory.mktemp("paper") / "variants.pdf"
    build_variant_paper(path)
    return read_paper_text(path, analyze_paper(path))


def _cells(panel: HyperparamsPanel, label: str) -> list[str]:
    for row in range(panel.table.rowCount()):
        if panel.table.item(row, 0).text() == label:
            return [panel.table.item(row, c).text() for c in range(4)]
    raise AssertionError(f"no row {label}")


def test_rows_show_the_variant_and_where_each_code_value_is_set(qtbot, text, tmp_path):
    panel = HyperparamsPanel()
    qtbot.addWidget(panel)
    panel.set_rows([asdict(r) for r in check_hyperparams(text, scan_repo(_built_repo(tmp_path)))])
    assert _cells(panel, "layers") == ["layers", "12 (Base)", "12 (conf.py:1)", "✓"]
    row = next(r for r in range(panel.table.rowCount()) if panel.table.item(r, 0).text() == "layers")
    assert "Large: 24 (page 1)" in panel.table.item(row, 1).toolTip()
    assert "conf.py:1 (build call)" in panel.table.item(row, 2).toolTip()
    assert panel.table.item(row, 3).toolTip() == "layers: match"
    assert "“Base” variant" in panel.status.text()


def test_a_value_set_only_at_run_time_is_said_not_invented(qtbot, text, tmp_path):
    panel = HyperparamsPanel()
    qtbot.addWidget(panel)
    panel.set_rows([asdict(r) for r in check_hyperparams(text, scan_repo(_write(tmp_path, {"model.py": MODEL})))])
    assert _cells(panel, "layers")[2] == "set at run time (Encoder(n_layer=...) has no default)"
    assert _cells(panel, "learning rate")[2] == "not in the code"


def test_connect_list_names_a_leaf_as_a_leaf_and_says_what_is_unlinked(qtbot):
    panel = ConnectPanel()
    qtbot.addWidget(panel)
    entries = [{"name": "blocks", "type": "nn.ModuleList", "kinds": [], "mentions": [], "container": True},
               {"name": "skip", "type": "nn.Identity", "kinds": [], "mentions": [], "container": False},
               {"name": "head", "type": "nn.Linear", "kinds": ["linear"], "mentions": [], "container": False}]
    panel.set_mentions(entries, {"head": 1})
    assert panel.status.text() == "1 of 3 linked. Still unlinked: blocks, skip."
    assert panel.layers.topLevelItem(1).text(2) == "not linked"
    panel.select_layer("skip")
    assert "never mentions" in panel.suggestions.item(0).text()
    panel.select_layer("blocks")
    assert "holds other layers" in panel.suggestions.item(0).text()


def test_link_labels_at_one_corner_are_stacked_so_none_overlap():
    from reader_app.notes.label_layout import place_labels

    wanted = [(100, 50, 80, 12), (100, 50, 60, 12), (100, 50, 90, 12), (400, 50, 50, 12)]
    placed = place_labels(wanted)
    assert [p[1] for p in placed] == [50, 63, 76, 50]  # stacked below each other; a label elsewhere stays put
    for i, a in enumerate(placed):
        for b in placed[i + 1:]:
            assert a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1] or a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0]
