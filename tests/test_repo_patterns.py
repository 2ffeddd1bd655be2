"""Named code patterns and the file anatomy, on the fixture repositories and small written examples."""
from __future__ import annotations

import textwrap
from pathlib import Path

from reader_app.repo import scan_repo

FIXTURES = Path(__file__).parent / "fixtures" / "repos"


def kinds_at(info, rel):
    """{line text: kinds} of the patterns found in one file."""
    lines = (info.root / rel).read_text().splitlines()
    found: dict[str, set[str]] = {}
    for p in info.patterns:
        if p.file == rel:
            found.setdefault(lines[p.line - 1].strip(), set()).add(p.kind)
    return found


def test_gpt_patterns_have_lines_and_plain_explanations():
    info = scan_repo(FIXTURES / "gpt_config")
    model = kinds_at(info, "model.py")
    assert model["x = x + self.attn(self.ln_1(x))"] == {"residual"}
    assert model["x = x + self.mlp(self.ln_2(x))"] == {"residual"}
    assert "attention" in model["att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))"]
    assert "embedding" in model["wte=nn.Embedding(config.vocab_size, config.n_embd),"]
    assert "normalization" in model["return F.layer_norm(input, self.weight.shape, self.weight, self.bias, 1e-5)"]
    assert "activation" in model["self.gelu = nn.GELU()"]
    train = kinds_at(info, "train.py")
    assert train["torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)"] == {"gradient_clipping"}
    assert train["param_group['lr'] = lr"] == {"lr_scheduler"}  # nanoGPT's hand-written cosine schedule
    # the attention pattern spans q @ k^T, the softmax and att @ v
    attention = next(p for p in info.patterns if p.kind == "attention")
    assert attention.end_line - attention.line >= 4
    for p in info.patterns:
        assert p.explanation.endswith(".") and len(p.explanation.split(". ")) <= 2  # one plain sentence
    # a positional-embedding sum is not a residual connection
    assert "residual" not in model.get("x = self.transformer.drop(tok_emb + pos_emb)", set())


def test_resnet_identity_shortcut_is_a_residual():
    info = scan_repo(FIXTURES / "resnet_factories")
    found = kinds_at(info, "models/resnet.py")
    assert found["out += identity"] == {"residual"}
    assert sum(1 for p in info.patterns if p.kind == "residual") == 2  # BasicBlock and Bottleneck
    assert "lr_scheduler" in kinds_at(info, "main.py")[
        "scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[100, 150], gamma=0.1)"]


def test_additive_and_multi_head_attention(tmp_path):
    seq = scan_repo(FIXTURES / "seq2seq_lstm_attention")
    assert kinds_at(seq, "model.py")["return F.softmax(attention, dim=1)"] == {"attention"}
    (tmp_path / "model.py").write_text(textwrap.dedent("""
        import torch.nn as nn
        import torch.nn.functional as F

        class Mixer(nn.Module):
            def __init__(self, d):
                super().__init__()
                self.mha = nn.MultiheadAttention(d, 4)

            def forward(self, q, k, v):
                return F.scaled_dot_product_attention(q, k, v) + self.mha(q, k, v)[0]
    """))
    found = kinds_at(scan_repo(tmp_path), "model.py")
    assert found["self.mha = nn.MultiheadAttention(d, 4)"] == {"multi_head_attention"}
    assert "scaled_dot_product_attention" in found["return F.scaled_dot_product_attention(q, k, v) + self.mha(q, k, v)[0]"]


def test_vit_residuals_through_loop_variables():
    found = kinds_at(scan_repo(FIXTURES / "vit_kwonly"), "vit_pytorch/vit.py")
    assert found["x = attn(x) + x"] == {"residual"}
    assert found["x = ff(x) + x"] == {"residual"}
    assert "attention" in found["dots = torch.matmul(q, k.transpose(-1, -2)) * self.scale"]


def test_roles_explain_each_file():
    info = scan_repo(FIXTURES / "models_package")
    roles = {r.path: (r.role, r.reason) for r in info.roles}
    assert roles["models/detector.py"][0] == "model"
    assert "Detector" in roles["models/detector.py"][1]
    assert roles["main.py"][0] == "training"
    assert roles["datasets/synthetic.py"] == ("data", "defines datasets: SyntheticBoxes")
    assert roles["configs/default.yaml"][0] == "config"
    assert roles["requirements.txt"][0] == "dependencies"
    assert roles["README.md"][0] == "readme"
    nb = scan_repo(FIXTURES / "notebook_only")
    assert nb.role_of("mnist_cnn.ipynb") == "notebook"


def test_a_file_defining_modules_is_a_model_file_whatever_its_name(tmp_path):
    (tmp_path / "stuff.py").write_text("import torch.nn as nn\n\nclass Head(nn.Module):\n    pass\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_head.py").write_text("import torch.nn as nn\n\nclass Fake(nn.Module):\n    pass\n")
    info = scan_repo(tmp_path)
    assert info.role_of("stuff.py") == "model"
    assert info.role_of("tests/test_head.py") == "tests"
    assert info.main.name == "Head"  # a module defined in tests never wins


def test_attention_pooling_in_the_sample_encoder():
    """TimeSeriesEncoder pools LSTM states with softmax weights: no matmul, still attention."""
    from reader_app.paths import sample_repo

    info = scan_repo(sample_repo())
    lines = (info.root / "model.py").read_text().splitlines()
    pooling = [p for p in info.patterns if p.kind == "attention" and p.file == "model.py"]
    assert pooling, [p.kind for p in info.patterns]
    assert "softmax" in lines[pooling[0].line - 1]
    assert "*" in "\n".join(lines[pooling[0].line - 1:pooling[0].end_line])
    assert pooling[0].explanation.startswith("Attention pooling")


def test_building_a_softmax_module_is_not_attention_by_itself():
    found = kinds_at(scan_repo(FIXTURES / "vit_kwonly"), "vit_pytorch/vit.py")
    assert "attention" not in found.get("self.attend = nn.Softmax(dim=-1)", set())
    assert "attention" in found["dots = torch.matmul(q, k.transpose(-1, -2)) * self.scale"]


def test_torch_transformer_layers_are_multi_head_attention():
    info = scan_repo(FIXTURES / "transformer_classifier")
    found = [p for p in info.patterns if p.kind == "multi_head_attention"]
    assert found and "TransformerEncoderLayer" in found[0].explanation


def test_training_calls_outside_torch_are_named_and_a_models_own_calls_are_not(tmp_path):
    """Gradient clipping and schedules are also spelled as a bare name, a repository's own helper or a
    transformers function; the layer calls of a model (`self.norm(x)`, `x.view`) name no pattern."""
    (tmp_path / "helpers.py").write_text(textwrap.dedent('''
        def clip_grad_norm(parameters, limit):
            return parameters
    '''))
    (tmp_path / "train.py").write_text(textwrap.dedent('''
        import helpers
        import torch
        from transformers import get_linear_schedule_with_warmup


        def step(model, optimizer, grads):
            clip_grad_value_(model.parameters(), 0.5)
            helpers.clip_grad_norm(model.parameters(), 1.0)
            schedule = get_linear_schedule_with_warmup(optimizer, 10, 100)
            out = model.norm(grads).view(-1)
            return torch.relu(out), schedule
    '''))
    train = kinds_at(scan_repo(tmp_path), "train.py")
    assert train["clip_grad_value_(model.parameters(), 0.5)"] == {"gradient_clipping"}
    assert train["helpers.clip_grad_norm(model.parameters(), 1.0)"] == {"gradient_clipping"}
    assert train["schedule = get_linear_schedule_with_warmup(optimizer, 10, 100)"] == {"lr_scheduler"}
    assert train["return torch.relu(out), schedule"] == {"activation"}
    assert "out = model.norm(grads).view(-1)" not in train
