"""Workflow engines on the project's sample pair: architecture figure, hyperparameters, data flow,
notation, mention suggestions and the evidence rules."""
from __future__ import annotations

from pathlib import Path

import pytest

from reader_app.paper import analyze_paper
from reader_app.paths import resources_dir
from reader_app.repo import scan_repo
from reader_app.trace import TraceResult
from reader_app.workflow.architecture import find_architecture_figure
from reader_app.workflow.dataflow import build_dataflow, render_text
from reader_app.workflow.evidence import ABSTRACT_SECONDS, Evidence, Requirements
from reader_app.workflow.hyperparams import check_hyperparams
from reader_app.workflow.mentions import mentions_for, suggest_mentions
from reader_app.workflow.notation import find_notation, symbol_at
from reader_app.workflow.paper_text import read_paper_text

SAMPLE_PDF = resources_dir() / "sample" / "paper" / "sample_paper.pdf"
SAMPLE_REPO = resources_dir() / "sample" / "repo"


@pytest.fixture(scope="module")
def sample():
    paper = analyze_paper(SAMPLE_PDF)
    return paper, read_paper_text(SAMPLE_PDF, paper), scan_repo(SAMPLE_REPO)


def test_sentences_are_placed_in_their_sections(sample):
    _, text, _ = sample
    lstm = next(p for p in text.passages if "starts with a two-layer LSTM" in p.text)
    assert lstm.page == 2 and lstm.tag == "method" and lstm.section.title == "Encoder"
    x0, y0, x1, y1 = lstm.bbox
    assert x1 < 306 and 0 < y1 - y0 < 80  # one column, a few lines
    rows = [p.text for p in text.passages if p.kind == "table" and p.figure == "Table 3"]
    assert "hidden size | 128 | --hidden" in rows


def test_architecture_figure_is_figure_1_with_reason(sample):
    paper, text, _ = sample
    match = find_architecture_figure(paper, text)
    assert match.figure.label == "Figure 1"
    assert "architecture" in match.reason and "Method" in match.reason


def test_every_value_the_sample_paper_states_is_found_in_the_code(sample):
    _, text, repo = sample
    rows = {row.key: row for row in check_hyperparams(text, repo)}
    expected = {"hidden_size": 128, "embed_dim": 64, "num_layers": 2, "dropout": 0.1, "lr": 1e-3,
                "batch_size": 32, "epochs": 30, "window": 50, "n_features": 5, "bottleneck": 8, "stride": 1,
                "clip": 1.0, "seed": 42, "percentile": 99}
    for key, value in expected.items():
        assert rows[key].paper is not None and rows[key].paper.value == pytest.approx(value), key
    stated = [row for row in rows.values() if row.paper is not None]
    assert stated and all(row.status == "match" for row in stated), [(r.key, r.status) for r in stated]
    hidden = rows["hidden_size"]
    assert {c.where for c in hidden.code} >= {"constructor default", "argparse default", "YAML config"}
    assert any(c.file == "train.py" and c.line > 0 for c in hidden.code)


def test_hyperparameter_rows_mark_differences(sample, tmp_path):
    _, text, _ = sample
    repo_dir = tmp_path / "repo"
    repo_dir.mkdir()
    (repo_dir / "model.py").write_text(
        "import torch.nn as nn\n\nclass Net(nn.Module):\n"
        "    def __init__(self, hidden_size=256, dropout=0.1):\n        super().__init__()\n"
        "        self.lstm = nn.LSTM(5, hidden_size)\n\n    def forward(self, x):\n        return self.lstm(x)[0]\n")
    rows = {row.key: row for row in check_hyperparams(text, scan_repo(repo_dir))}
    assert rows["hidden_size"].status == "differ"
    assert rows["dropout"].status == "match"
    assert rows["batch_size"].status == "paper only"


def test_dataflow_without_trace_follows_the_code_order(sample):
    _, _, repo = sample
    flow = build_dataflow(repo, None)
    labels = [n.label for n in flow.nodes]
    order = ["x", "encoder.lstm", "encoder.attn_score", "softmax", "multiply", "sum", "encoder.fc", "encoder.norm",
             "encoder.act", "bottleneck.0", "bottleneck.1", "bottleneck.2", "decoder", "output", "return"]
    assert [l for l in labels if l in order] == order
    assert all(not n.shape for n in flow.nodes)
    assert "No trace ran" in flow.missing[0]
    lstm = next(n for n in flow.nodes if n.label == "encoder.lstm")
    assert (lstm.file, lstm.layer_type) == ("model.py", "nn.LSTM")
    source = (SAMPLE_REPO / "model.py").read_text().splitlines()
    assert "self.lstm(" in source[lstm.line - 1]
    assert (0, lstm.id) in flow.edges


def test_a_real_trace_gives_shapes_to_the_flow_and_sizes_to_the_mentions(sample):
    from reader_app.trace import TraceRequest, run_trace

    _, _, repo = sample
    trace = run_trace(TraceRequest(path=str(SAMPLE_REPO)))
    flow = build_dataflow(repo, trace)
    shapes = {n.label: n.shape for n in flow.nodes}
    assert shapes["x"] == "(batch, seq_len, 5)"
    assert shapes["encoder.lstm"] == "(batch, seq_len, 128)"
    assert shapes["sum"] == "(batch, 128)"
    assert shapes["encoder.fc"] == "(batch, 64)"
    assert shapes["return"] == "(batch, seq_len, 5)"
    assert flow.traced and not flow.missing
    assert "encoder.lstm (batch, seq_len, 128) -> encoder.attn_score" in render_text(flow)
    # the traced sizes (128 in, 64 out) pick the right box among the figure's Linear boxes
    _, text, _ = sample
    by_name = {lm.name: lm for lm in suggest_mentions(repo, text, trace=trace)}
    assert by_name["encoder.fc"].in_figure[0].snippet == "Linear 128 → 64"
    assert by_name["output"].in_figure[0].snippet == "Linear 128 → 5"
    assert "from 128 to 64 units" in by_name["encoder.fc"].mentions[0].snippet


def test_dataflow_says_when_the_trace_failed(sample):
    _, _, repo = sample
    failed = TraceResult.failed("the model raised ValueError at model.py:33", class_name="AnomalyAutoencoder")
    flow = build_dataflow(repo, failed)
    assert flow.nodes and not any(n.shape for n in flow.nodes)
    assert "trace failed" in flow.missing[0] and "ValueError" in flow.missing[0]


def test_notation_per_section_with_symbol_boxes(sample):
    _, text, _ = sample
    uses = find_notation(text, SAMPLE_PDF)
    found = {(u.section, u.symbol.key) for u in uses}
    assert {("3.1 Encoder", "sum"), ("3.1 Encoder", "hadamard"), ("3.2 Decoder and Loss", "partial"),
            ("3.2 Decoder and Loss", "norm"), ("3.2 Decoder and Loss", "hat")} <= found
    hadamard = next(u for u in uses if u.symbol.key == "hadamard")
    occ = hadamard.occurrences[0]
    assert occ.page == 2 and occ.bbox[2] - occ.bbox[0] < 15  # the symbol itself, not its sentence
    x, y = (occ.bbox[0] + occ.bbox[2]) / 2, (occ.bbox[1] + occ.bbox[3]) / 2
    assert symbol_at(uses, 2, x, y) is hadamard
    assert "a * b" in hadamard.symbol.code


def test_mentions_point_to_the_method_text(sample):
    _, text, repo = sample
    by_name = {lm.name: lm for lm in suggest_mentions(repo, text)}
    first = by_name["encoder.lstm"].mentions[0]
    assert first.tag == "method" and "two-layer LSTM" in first.snippet and first.page == 2
    assert "LayerNorm" in by_name["encoder.norm"].mentions[0].snippet
    assert by_name["encoder.norm"].mentions[0].tag == "method"
    assert "bottleneck" in by_name["bottleneck"].mentions[0].snippet.lower()
    # an nn.Linear named attn_score is found as attention first, in the Encoder subsection
    attention = by_name["encoder.attn_score"].mentions[0]
    assert attention.kind == "attention" and "attention weights" in attention.snippet
    assert attention.section == "3.1 Encoder"
    assert [m.snippet for m in by_name["encoder.lstm"].in_figure][:1] == ["LSTM"]  # its box in Figure 1
    assert by_name["decoder"].in_figure[0].snippet == "LSTM decoder"
    assert by_name["encoder.norm"].in_figure[0].snippet.startswith("LayerNorm(64)")
    assert by_name["encoder.norm"].in_figure[0].page == 2
    unknown = mentions_for("gizmo", "nn.Flux", text)
    assert unknown.mentions == []


class FakeClock:
    """A clock the test moves by hand.

    Attributes:
        now: the current time in seconds.
    """

    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_evidence_ticks_steps_and_times_them():
    clock = FakeClock()
    needs = Requirements(figures=["Figure 1", "Table 1"], architecture_figure="Figure 1", model_file="model.py",
                         layers=["encoder", "decoder"], forward_end_line=70)
    ev = Evidence(needs, clock)
    assert ev.figure_seen("Figure 1") == []
    assert ev.abstract_visible(ABSTRACT_SECONDS) == []
    assert "Table 1" in ev.missing("abstract_figures")
    assert ev.figure_seen("Table 1") == ["abstract_figures"]
    assert ev.file_opened("/home/me/repo/model.py") == ["open_model"]
    ev.layer_clicked("encoder")
    assert ev.layer_clicked("decoder") == ["list_layers"]
    assert ev.forward_read_to(60) == []
    assert ev.forward_read_to(70) == ["follow_forward"]
    assert ev.tick("connect") == ["connect"]
    ev.enter_step("method")
    clock.now += 11 * 60
    timer = ev.time_on("method")
    assert timer.elapsed == pytest.approx(660) and timer.over_budget
    ev.enter_step(None)
    clock.now += 100
    assert ev.time_on("method").elapsed == pytest.approx(660)
    saved = ev.to_json()
    again = Evidence(needs, clock)
    again.restore(saved)
    assert again.satisfied == ev.satisfied and again.time_on("method").elapsed == pytest.approx(660)
    assert ev.tick("connect", done=False) == [] and "connect" not in ev.satisfied


def test_evidence_without_layers_or_architecture_says_so():
    ev = Evidence(Requirements(), FakeClock())
    assert "tick this by hand" in ev.missing("list_layers")
    assert "no figure is an architecture diagram" in ev.missing("method")
    assert ev.method_visible(120) == ["method"] or "method" in ev.satisfied


def test_reading_the_method_ticks_step_2_whichever_figure_was_picked():
    ev = Evidence(Requirements(architecture_figure="Figure 4"), FakeClock())
    assert "centred on Figure 4" in ev.missing("method")
    assert ev.method_visible(120) == ["method"]  # a wrong pick, never looked at, does not keep it open


def test_hyperparameters_the_transformer_paper_states(shared_papers):
    pdf = shared_papers / "01_attention_is_all_you_need_1706.03762.pdf"
    paper = analyze_paper(pdf)
    rows = {row.key: row for row in check_hyperparams(read_paper_text(pdf, paper),
                                                      scan_repo(Path(__file__).parent / "fixtures" / "repos" / "gpt_config"))}
    stated = {key: rows[key].paper.value for key in ("hidden_size", "num_layers", "num_heads", "dropout", "warmup")}
    assert stated == {"hidden_size": 512, "num_layers": 6, "num_heads": 8, "dropout": 0.1, "warmup": 4000}
    # Table 3 gives them as columns (N, dmodel, h, Pdrop) of its "base" row
    from_table = {key: [v.value for v in rows[key].paper_all if v.snippet.startswith("base |")]
                  for key in ("hidden_size", "num_layers", "num_heads", "dropout")}
    assert from_table == {"hidden_size": [512], "num_layers": [6], "num_heads": [8], "dropout": [0.1]}
    # the fixture is a tiny GPT: its values differ from the paper's, and the check says so with places
    assert rows["num_heads"].status == "differ"
    assert any(c.file == "config/train_tiny.py" and c.value == 2 for c in rows["num_heads"].code)
    assert rows["lr"].status == "code only"


def test_dataflow_walks_module_lists_submodules_and_marks_residuals():
    repo = scan_repo(Path(__file__).parent / "fixtures" / "repos" / "gpt_config")
    flow = build_dataflow(repo, None)
    labels = [n.label for n in flow.nodes]
    wanted = ["transformer.wte", "transformer.wpe", "transformer.drop", "transformer.h[i].ln_1",
              "transformer.h[i].attn.c_attn", "softmax", "transformer.h[i].attn.c_proj", "transformer.h[i].ln_2",
              "transformer.h[i].mlp.c_fc", "transformer.ln_f", "lm_head"]
    assert [l for l in labels if l in wanted][:len(wanted)] == wanted
    adds = [n for n in flow.nodes if n.label == "add"]
    assert [n.note for n in adds] == ["", "residual", "residual"]  # token + position embedding is no residual


def test_dataflow_of_a_model_without_forward_or_model(tmp_path):
    (tmp_path / "model.py").write_text("import torch.nn as nn\n\nclass Wrapper(nn.Module):\n    pass\n")
    flow = build_dataflow(scan_repo(tmp_path), None)
    assert flow.nodes == [] and "no forward()" in flow.missing[0]
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "util.py").write_text("x = 1\n")
    flow = build_dataflow(scan_repo(empty), None)
    assert "no nn.Module" in render_text(flow)


@pytest.mark.parametrize("pdf, labels", [
    ("01_attention_is_all_you_need_1706.03762.pdf", {"Figure 1"}),  # "The Transformer - model architecture."
    ("04_resnet_1512.03385.pdf", {"Figure 2", "Figure 3"}),  # the building block, the network architectures
    ("07_luong_attention_nmt_1508.04025.pdf", {"Figure 1", "Figure 2"}),  # stacking recurrent / global attention
    ("09_jain_seung_image_denoising_convnets_nips08.pdf", {"Figure 1"}),  # "Architecture of convolutional network"
])
def test_architecture_figure_of_shared_papers(shared_papers, pdf, labels):
    paper = analyze_paper(shared_papers / pdf)
    match = find_architecture_figure(paper, read_paper_text(shared_papers / pdf, paper))
    assert match.figure is not None and match.figure.label in labels, match.reason
    assert match.ranking[0][0] is match.figure and match.reason.startswith(match.figure.label)


def test_notation_of_the_transformer_paper(shared_papers):
    pdf = shared_papers / "01_attention_is_all_you_need_1706.03762.pdf"
    paper = analyze_paper(pdf)
    uses = find_notation(read_paper_text(pdf, paper), pdf)
    found = {(u.section.split(" ")[0], u.symbol.key) for u in uses}
    assert {("3.2.1", "softmax"), ("3.2.1", "sqrt"), ("3.4", "softmax")} <= found
    sqrt = next(u for u in uses if u.symbol.key == "sqrt" and u.section.startswith("3.2.1"))
    assert sqrt.occurrences[0].page == 4 and "√" in sqrt.occurrences[0].context


def test_requirements_of_the_sample_pair_and_gentle_timer_text(sample):
    from reader_app.workflow.evidence import StepTime, requirements_for

    paper, text, repo = sample
    needs = requirements_for(paper, repo, find_architecture_figure(paper, text))
    assert needs.figures == ["Figure 1", "Table 1", "Figure 2", "Table 2", "Table 3", "Table 4", "Figure 3"]
    assert needs.architecture_figure == "Figure 1" and needs.has_method
    assert needs.model_file == "model.py" and needs.layers == ["encoder", "bottleneck", "decoder", "output"]
    assert needs.forward_end_line == repo.main.forward_end_line > repo.main.forward_line
    assert StepTime(30, 300).text() == "under a minute of about 5 min"
    assert "take the time you need" in StepTime(420, 300).text()
    assert StepTime(125, None).text() == "2 min"
    bare = requirements_for(None, None, None)
    assert bare.figures == [] and bare.layers == [] and bare.forward_end_line == 0


def test_evidence_restore_survives_damaged_saved_progress():
    needs = Requirements(figures=["Figure 1"], model_file="model.py")
    ev = Evidence(needs, FakeClock())
    ev.restore({"satisfied": "abstract_figures", "manual": ["bogus", "open_model", 3], "abstract_seconds": "x",
                "figures_seen": ["Figure 1"], "spent": {"method": "1"}, "forward_line": None})
    assert ev.satisfied == set() and ev.manual == {"open_model"} and ev.abstract_seconds == 0
    assert ev.refresh() == ["open_model"]
    ev.restore(["not", "a", "dict"])
    assert ev.manual == {"open_model"}


def test_notation_points_at_the_code_that_computes_it(sample):
    from reader_app.workflow.notation_code import code_sites

    _, _, repo = sample
    sites = code_sites(repo, build_dataflow(repo, None))
    assert "weights * h" in sites["hadamard"][0].code and sites["hadamard"][0].file == "model.py"
    assert sites["softmax"][0].code.startswith("weights = F.softmax(")
    assert any(s.file == "train.py" and "loss.backward()" in s.code for s in sites["partial"])
    assert not any("self.norm(" in s.code for s in sites["norm"])  # a layer called norm is no ‖x‖
    source = (SAMPLE_REPO / "model.py").read_text().splitlines()
    assert all(source[s.line - 1].strip() == s.code for s in sites["sum"] if s.file == "model.py")


def test_code_values_from_every_place_a_repository_keeps_them(tmp_path):
    from reader_app.workflow.code_values import code_values

    (tmp_path / "model.py").write_text(
        "import torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self, d_model=512, *, n_heads=8):\n"
        "        super().__init__()\n        self.proj = nn.Linear(d_model, d_model)\n\n"
        "    def forward(self, x):\n        return self.proj(x)\n\n\nclass TrainConfig:\n"
        "    def __init__(self):\n        self.warmup_steps = 4000\n")
    (tmp_path / "train.py").write_text(
        "import argparse\nfrom model import Net\n\nLR = 3e-4\nconfig = {'batch_size': 64, 'name': 'x'}\n"
        "extra = dict(dropout=0.1)\n\n\ndef main():\n    p = argparse.ArgumentParser()\n"
        "    p.add_argument('-e', '--epochs', type=int, default=20)\n    net = Net()\n")
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "base.yaml").write_text("model:\n  num_layers: 6  # encoder layers\n  act: relu\n")
    found = {(v.name, v.value, v.file, v.line, v.where) for v in code_values(scan_repo(tmp_path))}
    assert {("d_model", 512, "model.py", 5, "constructor default"), ("n_heads", 8, "model.py", 5, "constructor default"),
            ("warmup_steps", 4000, "model.py", 15, "config class"), ("lr", 3e-4, "train.py", 4, "module setting"),
            ("batch_size", 64, "train.py", 5, "module setting"), ("dropout", 0.1, "train.py", 6, "module setting"),
            ("epochs", 20, "train.py", 11, "argparse default"),
            ("num_layers", 6, "configs/base.yaml", 2, "YAML config")} <= found
    assert not any(name in ("name", "act") for name, *_ in found)
