"""The hyperparameter check on generated pairs: tables per variant (and transposed), prose with suffixes
and powers, baselines discounted, code values only from the main model's build path, the variant the
code builds, values set at run time, and `report --json`."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hyperparam_papers import build_variant_paper
from reader_app.paper import analyze_paper
from reader_app.repo import scan_repo
from reader_app.workflow.hyperparams import check_hyperparams, paper_values
from reader_app.workflow.paper_text import read_paper_text
from reader_app.workflow.variants import code_variant_of, summary

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def variant_paper(tmp_path_factory):
    path = tmp_path_factory.mktemp("paper") / "variants.pdf"
    build_variant_paper(path)
    return path, read_paper_text(path, analyze_paper(path))


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text))
    return root


MODEL = '''
    import torch.nn as nn


    class Block(nn.Module):
        def __init__(self, width, heads=12, mlp=3072, dropout=0.1):
            super().__init__()
            self.attn = nn.MultiheadAttention(width, heads, dropout=dropout)
            self.mlp = nn.Linear(width, mlp)

        def forward(self, x):
            return self.mlp(self.attn(x, x, x)[0])


    class Encoder(nn.Module):
        def __init__(self, n_layer, width=768):
            super().__init__()
            self.blocks = nn.ModuleList([Block(width) for _ in range(n_layer)])
            self.head = nn.Linear(width, 10)

        def forward(self, x):
            for block in self.blocks:
                x = block(x)
            return self.head(x)
'''
OTHER = '''
    import torch.nn as nn


    class ConvBaseline(nn.Module):
        def __init__(self, channels=64, kernel_size=7, num_layers=40):
            super().__init__()
            self.conv = nn.Conv2d(3, channels, kernel_size)

        def forward(self, x):
            return self.conv(x)
'''


def _built_repo(root: Path) -> Path:
    return _write(root, {
        "model.py": MODEL,
        "baselines/conv.py": OTHER,
        "conf.py": "n_layer = 12\nwidth = 768\nbatch_size = 4096\nlr = 3e-4\n",
        "settings.py": "from conf import *\nwarmup = 10000\n",
        "train.py": '''
            from settings import *
            from model import Encoder

            model = Encoder(n_layer=n_layer, width=width)
            optimizer = make_optimizer(model, lr=lr, weight_decay=1e-4)
        ''',
        "train_baseline.py": '''
            from baselines.conv import ConvBaseline

            model = ConvBaseline(kernel_size=5)
            make_optimizer(model, lr=0.5, batch_size=7)
        ''',
    })


def test_a_table_row_per_variant_keeps_every_variant_and_names_it(variant_paper):
    _, text = variant_paper
    values = paper_values(text)
    layers = {(v.variant, v.value) for v in values["num_layers"] if v.source == "table"}
    assert {("Base", 12), ("Large", 24), ("Huge", 32)} <= layers
    assert {(v.variant, v.value) for v in values["ffn_size"]} == {("Base", 3072), ("Large", 4096), ("Huge", 5120)}
    assert {(v.variant, v.value) for v in values["num_heads"]} == {("Base", 12), ("Large", 16), ("Huge", 16)}


def test_a_transposed_table_reads_a_value_per_variant_column(variant_paper):
    _, text = variant_paper
    values = paper_values(text)
    assert {("Small", 4), ("Medium", 8), ("Wide", 8)} <= {(v.variant, v.value) for v in values["num_layers"]}
    assert {("Small", 256), ("Medium", 512), ("Wide", 2048)} <= {(v.variant, v.value) for v in values["hidden_size"]}
    assert all(v.variant for v in values["hidden_size"]), "a per-variant value never shows without its variant"


def test_a_baseline_row_of_a_table_is_left_out(variant_paper):
    _, text = variant_paper
    layers = paper_values(text)["num_layers"]
    assert ("Ours", 12) in {(v.variant, v.value) for v in layers}
    assert not any(v.value == 19 for v in layers)  # "ConvNet [4] | 19" is earlier work


def test_prose_values_read_suffixes_and_powers_and_skip_other_nouns(variant_paper):
    _, text = variant_paper
    values = {k: [v.value for v in vs] for k, vs in paper_values(text).items()}
    assert values["warmup"] == [pytest.approx(10000)]            # "a warmup of 10k steps", not 10
    assert values["train_steps"] == [pytest.approx(1e6)]         # "1M steps"
    assert values["lr"] == [pytest.approx(3e-4)]                 # "3 · 10−4"
    assert values["weight_decay"] == [pytest.approx(1e-4)]       # "10^-4"
    assert values["window"] == [5]                               # "the window size D = 5": a symbol between
    assert 1 not in values["num_layers"]                         # "an MLP with one hidden layer"
    assert "kernel_size" not in values and "epochs" not in values  # said of the baseline network


def test_code_values_come_only_from_the_main_models_build_path(variant_paper, tmp_path):
    _, text = variant_paper
    repo = scan_repo(_built_repo(tmp_path))
    assert repo.main is not None and repo.main.name == "Encoder"
    rows = {r.key: r for r in check_hyperparams(text, repo)}
    files = {c.file for r in rows.values() for c in r.code}
    assert files and not files & {"baselines/conv.py", "train_baseline.py"}
    layers = rows["num_layers"].code
    assert [(c.value, c.file, c.line) for c in layers] == [(12, "conf.py", 1)]  # the name resolved to conf.py
    assert {c.value for c in rows["lr"].code} == {3e-4}
    assert {c.value for c in rows["warmup"].code} == {10000}      # settings.py, imported by train.py
    assert "kernel_size" not in rows or not rows["kernel_size"].code


def test_rows_compare_with_the_variant_the_code_builds(variant_paper, tmp_path):
    _, text = variant_paper
    rows = check_hyperparams(text, scan_repo(_built_repo(tmp_path)))
    by_key = {r.key: r for r in rows}
    assert by_key["num_layers"].status == "match" and by_key["num_layers"].paper.variant == "Base"
    assert by_key["hidden_size"].status == "match" and by_key["hidden_size"].paper.value == 768
    assert code_variant_of(rows) == "Base"
    assert summary(rows, "Base").startswith("code = Base: ")


def test_a_model_configured_only_at_run_time_says_so(variant_paper, tmp_path):
    _, text = variant_paper
    repo = scan_repo(_write(tmp_path, {"model.py": MODEL}))  # nothing builds the model
    row = next(r for r in check_hyperparams(text, repo) if r.key == "num_layers")
    assert row.code == [] and row.note == "set at run time (Encoder(n_layer=...) has no default)"


def test_report_json_has_the_guide_as_data(variant_paper, tmp_path):
    path, _ = variant_paper
    repo = _built_repo(tmp_path / "repo")
    out = tmp_path / "guide.json"
    done = subprocess.run([sys.executable, "-m", "reader_app", "report", str(path), "--repo", str(repo),
                           "--no-trace", "--json", "-o", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text())
    assert data["main_model"]["class"] == "Encoder" and data["main_model"]["file"] == "model.py"
    assert data["main_model"]["reasons"]
    assert [s["tag"] for s in data["sections"]][:2] == ["abstract", "introduction"]
    assert data["code_variant"] == "Base"
    row = next(r for r in data["hyperparameters"] if r["key"] == "num_layers")
    assert row["check"] == "match" and row["paper"][0] == {"value": 12.0, "text": "12", "page": 1,
                                                           "variant": "Base", "source": "table"}
    assert row["code"] == [{"value": 12.0, "text": "12", "file": "conf.py", "line": 1, "where": "build call"}]


def test_a_results_plot_is_never_the_architecture_figure(tmp_path):
    import pymupdf
    from typesetter import Typesetter
    from reader_app.workflow.architecture import chosen_by_reader, find_architecture_figure

    doc = pymupdf.open()
    ts = Typesetter(doc, [(72, 540)])
    ts.heading("Deeper Networks", size=16, align=1)
    ts.heading("Abstract")
    ts.paragraphs(1, 2)
    ts.heading("1 Method")
    ts.text("Figure 1 shows the training error of the network; Figure 2 compares models.")
    ts.figure("Figure 1: Training error (left) and test error (right) of 20-layer and 56-layer networks.")
    ts.figure("Figure 2: Accuracy of each model over time.")
    ts.heading("2 Results")
    ts.paragraphs(1, 2)
    path = tmp_path / "plots.pdf"
    doc.save(str(path))
    paper = analyze_paper(path)
    match = find_architecture_figure(paper, read_paper_text(path, paper))
    assert [f.label for f in paper.figures if f.kind == "figure"] == ["Figure 1", "Figure 2"]
    assert match.figure is None and "pick one yourself" in match.reason
    mine = chosen_by_reader(paper, "Figure 2")
    assert mine.figure.label == "Figure 2" and "chosen by you" in mine.reason

    from reader_app.session import Session
    session = Session()
    session.open_paper(path)
    session.set_analysis(paper)
    assert session.architecture.figure is None
    session.choose_architecture("Figure 2")
    session.set_insights({"architecture": {"label": "", "reason": "none"}, "mentions": []})
    assert session.architecture.figure.label == "Figure 2"  # the reader's pick stays
    assert session.requirements().architecture_figure == "Figure 2"


def test_a_value_read_from_the_command_line_names_the_flag(variant_paper, tmp_path):
    _, text = variant_paper
    repo = scan_repo(_write(tmp_path, {"model.py": MODEL, "train.py": '''
        import argparse
        from model import Encoder

        parser = argparse.ArgumentParser()
        parser.add_argument("--depth", type=int, required=True)
        args = parser.parse_args()
        model = Encoder(n_layer=args.depth)
    '''}))
    row = next(r for r in check_hyperparams(text, repo) if r.key == "num_layers")
    assert row.code == [] and row.note == "set at run time (train.py --depth)"


CFG_MODEL = '''
    import torch.nn as nn


    class GPTModel(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            self.emb = nn.Embedding(cfg["vocab_size"], cfg["emb_dim"])
            self.blocks = nn.Sequential(*[nn.Linear(cfg["emb_dim"], cfg["emb_dim"]) for _ in range(cfg["n_layers"])])

        def forward(self, x):
            return self.blocks(self.emb(x))
'''


def test_a_config_dict_handed_down_to_the_build_is_read_and_a_namesake_elsewhere_is_not(variant_paper, tmp_path):
    _, text = variant_paper
    repo = scan_repo(_write(tmp_path, {
        "gpt.py": CFG_MODEL + '''

    def main(gpt_config, settings):
        model = GPTModel(gpt_config)
        return model


    if __name__ == "__main__":
        GPT_CONFIG = {"vocab_size": 50257, "emb_dim": 768, "n_layers": 12, "drop_rate": 0.1}
        main(GPT_CONFIG, {"learning_rate": 5e-4})
''',
        "chapter2/gpt.py": CFG_MODEL,
        "chapter2/run.py": '''
            from gpt import GPTModel

            model = GPTModel({"vocab_size": 100, "emb_dim": 64, "n_layers": 2})
        ''',
    }))
    assert repo.main is not None and repo.main.file == "gpt.py"
    rows = {r.key: r for r in check_hyperparams(text, repo)}
    assert [(c.value, c.file) for c in rows["num_layers"].code] == [(12, "gpt.py")]
    assert rows["num_layers"].status == "match" and rows["num_layers"].paper.variant == "Base"
    assert {c.file for r in rows.values() for c in r.code} == {"gpt.py"}


def test_a_model_picked_by_factory_name_gives_its_depth(variant_paper, tmp_path):
    _, text = variant_paper
    repo = scan_repo(_write(tmp_path, {
        "resnet.py": '''
            import torch.nn as nn


            class ResNet(nn.Module):
                def __init__(self, blocks, num_classes=10):
                    super().__init__()
                    self.layers = nn.Sequential(*[nn.Linear(16, 16) for _ in range(sum(blocks))])
                    self.fc = nn.Linear(16, num_classes)

                def forward(self, x):
                    return self.fc(self.layers(x))


            def resnet20():
                return ResNet([3, 3, 3])


            def resnet32():
                return ResNet([5, 5, 5])
        ''',
        "trainer.py": '''
            import argparse
            import resnet

            parser = argparse.ArgumentParser()
            parser.add_argument("--arch", default="resnet32")
            parser.add_argument("--epochs", default=200, type=int)
            args = parser.parse_args()
            model = resnet.__dict__[args.arch]()
        ''',
    }))
    rows = {r.key: r for r in check_hyperparams(text, repo)}
    assert [(c.value, c.value_text, c.file) for c in rows["num_layers"].code] == [(32, "resnet32()", "trainer.py")]
    assert [c.value for c in rows["epochs"].code] == [200]
