"""Proof in Node: the exported TF.js model, loaded with tf.loadLayersModel (and rebuilt from model.js),
gives PyTorch's output on the same input and weights: same shape, max |diff| <= 1e-4 x max(1, max |out|).

Real torch (in the tracing child), real Node, real @tensorflow/tfjs 4.22.0 on its CPU backend.
"""
from __future__ import annotations

import json

import pytest

from reader_app.paths import sample_repo
from translate_helpers import (FIXTURES, make_checkpoint, require_node, shared_repo, translate_checked,
                               write_repo)

pytestmark = pytest.mark.slow

CIFAR_RESNET = '''
    """A CIFAR ResNet: 3x3 convolutions with batch norm, residual blocks, a strided 1x1 shortcut."""
    import torch.nn as nn
    import torch.nn.functional as F


    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout, eps=1e-3, momentum=0.2)
            self.shortcut = nn.Sequential()
            if stride != 1 or cin != cout:
                self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False),
                                              nn.BatchNorm2d(cout))

        def forward(self, x):
            out = F.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            return F.relu(out + self.shortcut(x))


    class CifarResNet(nn.Module):
        def __init__(self, num_classes=10, width=8):
            super().__init__()
            self.stem = nn.Conv2d(3, width, 3, padding=1)
            self.bn = nn.BatchNorm2d(width)
            self.stage1 = Block(width, width, 1)
            self.stage2 = Block(width, 2 * width, 2)
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(2 * width, num_classes)

        def forward(self, x):
            x = F.relu(self.bn(self.stem(x)))
            x = self.stage2(self.stage1(x))
            return self.fc(self.pool(x).flatten(1))
'''


def _passes(check) -> None:
    assert check.ran, check.message
    assert check.ok, check.message
    assert {o.source for o in check.outputs} == {"model.json", "model.js"}  # both files were run


def test_sample_autoencoder_matches_pytorch_in_node(tmp_path):
    require_node()
    repo = sample_repo()
    checkpoint = make_checkpoint(repo / "model.py", tmp_path / "trained.pt")
    result, check = translate_checked(repo, tmp_path / "out", inputs=["x=2,50,5"], checkpoint=str(checkpoint))
    _passes(check)
    assert check.outputs[0].shape == [2, 50, 5]
    topology = json.loads((tmp_path / "out" / "model.json").read_text())["modelTopology"]
    assert topology["class_name"] == "Sequential"  # forward() is a chain once attention pooling is one layer
    kinds = [layer.class_name for layer in result.layers]
    assert kinds[:3] == ["LSTM", "LSTM", "AttentionPooling"] and "LayerNormalization" in kinds
    js = result.model_js
    assert "tf.sequential" in js and "recurrentActivation: 'sigmoid'" in js and "epsilon: 1e-05" in js
    assert "h, _ = self.lstm(x)" in js  # the PyTorch line, quoted above its layer
    pooling = next(l for l in result.layers if l.class_name == "AttentionPooling")
    assert (pooling.call_file, pooling.custom) == ("model.py", True)
    assert "registerClass" in (tmp_path / "out" / "layers.js").read_text()


def test_generated_cifar_resnet_with_batch_norm_matches(tmp_path):
    require_node()
    model = write_repo(tmp_path / "resnet", CIFAR_RESNET)
    checkpoint = make_checkpoint(model, tmp_path / "trained.pt")
    result, check = translate_checked(model, tmp_path / "out", inputs=["x=2,3,32,32"], checkpoint=str(checkpoint))
    _passes(check)
    assert check.outputs[0].shape == [2, 10]
    assert result.inputs == [("x", [None, 3, 32, 32], "float32")]  # PyTorch's input shape, permuted inside
    kinds = {layer.class_name for layer in result.layers}
    assert {"Permute", "Conv2D", "BatchNormalization", "Add", "ZeroPadding2D"} <= kinds
    bn2 = next(l for l in result.layers if l.name == "stage1.bn2")
    assert "epsilon 0.001" in bn2.convention and "momentum 0.8" in bn2.convention


def test_real_cifar_resnet_from_a_public_repository_matches(tmp_path):
    require_node()
    file = shared_repo("akamaster+pytorch_resnet_cifar10") / "resnet.py"
    checkpoint = make_checkpoint(file, tmp_path / "trained.pt")
    result, check = translate_checked(file, tmp_path / "out", inputs=["x=2,3,32,32"], checkpoint=str(checkpoint))
    _passes(check)
    assert result.class_name == "ResNet" and check.outputs[0].shape == [2, 10]
    # option A shortcut: x[:, :, ::2, ::2] and F.pad on the channels, in channels-last axes
    assert {"TensorSlice", "TensorPad"} <= {l.class_name for l in result.layers}


def test_small_gpt_with_tied_weights_and_last_position_output_matches(tmp_path):
    require_node()
    file = FIXTURES / "gpt_config" / "model.py"
    args = {"n_layer": 2, "n_head": 2, "n_embd": 32, "block_size": 16, "vocab_size": 50}
    checkpoint = make_checkpoint(file, tmp_path / "trained.pt", "GPT", args)
    result, check = translate_checked(file, tmp_path / "out", class_name="GPT", args=args,
                                      inputs=["idx=2,9:long"], checkpoint=str(checkpoint))
    _passes(check)
    assert check.outputs[0].shape == [2, 1, 50]  # forward() returns the last position's logits only
    kinds = {layer.class_name for layer in result.layers}
    assert {"Embedding", "PositionEmbedding", "CausalMask", "MatMul", "LayerNormalization"} <= kinds
    assert "activation: 'gelu'" in result.model_js  # nn.GELU() is the exact (erf) form
    assert any("tied" in note and "lm_head" in note for note in result.notes)
    assert result.inputs == [("idx", [None, 9], "int32")]


HAND_WRITTEN_NORMS = '''
    """A block written by hand, as tutorials do: LayerNorm from mean and var, a tanh GELU with a 0-d
    tensor constant, and a std-normalised output."""
    import torch
    import torch.nn as nn


    class Norm(nn.Module):
        def __init__(self, dim):
            super().__init__()
            self.eps = 1e-5
            self.scale = nn.Parameter(torch.ones(dim))
            self.shift = nn.Parameter(torch.zeros(dim))

        def forward(self, x):
            mean = x.mean(dim=-1, keepdim=True)
            var = x.var(dim=-1, keepdim=True, unbiased=False)
            return self.scale * (x - mean) / torch.sqrt(var + self.eps) + self.shift


    class Gelu(nn.Module):
        def forward(self, x):
            return 0.5 * x * (1 + torch.tanh(torch.sqrt(torch.tensor(2.0 / torch.pi)) * (x + 0.044715 * x ** 3)))


    class Block(nn.Module):
        def __init__(self, dim=12):
            super().__init__()
            self.norm = Norm(dim)
            self.fc = nn.Linear(dim, dim)
            self.act = Gelu()

        def forward(self, x):
            h = self.act(self.fc(self.norm(x)))
            return h / (h.std(dim=-1, keepdim=True) + 1.0)
'''


def test_hand_written_layer_norm_variance_and_tensor_constants_match(tmp_path):
    require_node()
    model = write_repo(tmp_path / "norms", HAND_WRITTEN_NORMS)
    checkpoint = make_checkpoint(model, tmp_path / "trained.pt", class_name="Block")
    result, check = translate_checked(model, tmp_path / "out", inputs=["x=2,5,12"], checkpoint=str(checkpoint),
                                      class_name="Block")
    _passes(check)
    assert not result.problems
    ops = {layer.config.get("op") for layer in result.layers if layer.class_name == "Reduce"}
    assert {"mean", "var", "std"} <= ops


PADDING_MASK = '''
    """Attention over tokens with a padding mask built in forward() from the token ids (id 0 is padding),
    the way translation models build theirs: (x != pad).unsqueeze(1), then masked_fill(mask == 0, ...)."""
    import torch
    import torch.nn as nn


    class PaddedAttention(nn.Module):
        def __init__(self, vocab=20, dim=8):
            super().__init__()
            self.embed = nn.Embedding(vocab, dim)
            self.out = nn.Linear(dim, 3)

        def forward(self, x):
            h = self.embed(x)
            mask = (x != 0).unsqueeze(1)
            scores = (h @ h.transpose(1, 2)) / 4.0
            scores = scores.masked_fill(mask == 0, -10000.0)
            return self.out(torch.softmax(scores, dim=-1) @ h)


    class PaddedCausalAttention(PaddedAttention):
        """A decoder's mask: padding and the future both hidden (pad_mask & tril)."""

        def forward(self, x):
            h = self.embed(x)
            causal = torch.tril(torch.ones(x.shape[1], x.shape[1])).bool()
            mask = (x != 0).unsqueeze(1) & causal
            scores = (h @ h.transpose(1, 2)).masked_fill(mask == 0, -10000.0)
            return self.out(torch.softmax(scores, dim=-1) @ h)
'''


def test_a_padding_mask_computed_from_the_tokens_matches(tmp_path):
    require_node()
    model = write_repo(tmp_path / "padded", PADDING_MASK)
    checkpoint = make_checkpoint(model, tmp_path / "trained.pt")
    result, check = translate_checked(model, tmp_path / "out", inputs=["x=2,9:long"], checkpoint=str(checkpoint))
    from reader_app.translate.reference import read_reference

    (_, tokens), = read_reference(str(tmp_path / "out"))[0]
    assert (tokens == 0).any() and (tokens != 0).any()  # the mask both hides and keeps positions
    _passes(check)
    compares = [l for l in result.layers if l.class_name == "ScalarOp" and l.config["op"] in ("notEqual", "equal")]
    assert len(compares) == 2

    result, check = translate_checked(model, tmp_path / "causal", inputs=["x=2,9:long"], checkpoint=str(checkpoint),
                                      class_name="PaddedCausalAttention")
    _passes(check)
    assert any(l.config.get("op") == "and" for l in result.layers)


STACKED_GRU = '''
    import torch.nn as nn


    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Linear(6, 12)
            self.rnn = nn.GRU(12, 16, num_layers=2, batch_first=True)
            self.head = nn.Linear(16, 3)

        def forward(self, x):
            h, _ = self.rnn(self.embed(x))
            return self.head(h)
'''


def test_a_stacked_gru_matches_with_pytorchs_reset_gate(tmp_path):
    require_node()
    model = write_repo(tmp_path / "gru", STACKED_GRU)
    checkpoint = make_checkpoint(model, tmp_path / "trained.pt")
    result, check = translate_checked(model, tmp_path / "out", inputs=["x=2,5,6"], checkpoint=str(checkpoint))
    _passes(check)
    grus = [l for l in result.layers if l.class_name == "TorchGRU"]
    assert [l.name for l in grus] == ["rnn.l0", "rnn.l1"] and all(l.custom for l in grus)
    assert "reset gate after the recurrent product" in grus[0].convention


FIXED_IMAGE = '''
    import torch
    import torch.nn as nn


    class Digits(nn.Module):
        """Runs only on 28x28 images (the classifier's width says so): the first sizes tried fail."""

        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 4, 3, padding=1)
            self.fc = nn.Linear(4 * 28 * 28, 10)

        def forward(self, x):
            return self.fc(torch.relu(self.conv(x)).flatten(1))
'''


def test_a_model_that_fails_on_the_first_input_sizes_is_translated_from_the_run_that_worked(tmp_path):
    require_node()
    model = write_repo(tmp_path / "digits", FIXED_IMAGE)
    result, check = translate_checked(model, tmp_path / "out")
    assert result.inputs[0][1] == [None, 1, 28, 28]
    _passes(check)
