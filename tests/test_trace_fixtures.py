"""Zero-config traces of the fixture repositories: real torch in a real child process."""
from __future__ import annotations

import importlib.util
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from reader_app.trace import TraceRequest, run_trace

REPOS = Path(__file__).parent / "fixtures" / "repos"
SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "sample" / "repo"


def line_of(path: Path, text: str) -> int:
    """1-based line of the first line containing `text`."""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


MINGPT = '''"""A minGPT-style model whose configuration comes from get_default_config()."""
import torch.nn as nn


class CfgNode:
    """A bare attribute bag, as in minGPT's utils.CfgNode."""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


class GPT(nn.Module):
    @staticmethod
    def get_default_config():
        return CfgNode(n_layer=2, n_head=2, n_embd=48, vocab_size=50, block_size=16)

    def __init__(self, config):
        super().__init__()
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.blocks = nn.ModuleList(nn.TransformerEncoderLayer(config.n_embd, config.n_head, batch_first=True)
                                    for _ in range(config.n_layer))
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size)

    def forward(self, idx, targets=None):
        x = self.wte(idx)
        for block in self.blocks:
            x = block(x)
        logits = self.lm_head(x)
        return logits
'''


HF_STYLE = '''import torch.nn as nn


class TinyLM(nn.Module):
    """Hugging Face style: every forward() argument is optional."""

    def __init__(self, vocab_size=100, hidden_size=32):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, hidden_size)
        self.lm_head = nn.Linear(hidden_size, vocab_size)

    def forward(self, input_ids=None, attention_mask=None, labels=None):
        if input_ids is None:
            raise ValueError("You have to specify input_ids")
        hidden = self.embed(input_ids)
        return self.lm_head(hidden)
'''


SCRIPT = '''import argparse

import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--hidden", type=int, default=48)
opt = parser.parse_args()  # at import time, as many training scripts do


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(12, opt.hidden)

    def forward(self, x):
        return self.fc(x)
'''


WORD_LM = '''import torch.nn as nn


class RNNModel(nn.Module):
    """After pytorch/examples word_language_model: time-major LSTM, hidden state passed in."""

    def __init__(self, ntoken, ninp, nhid, nlayers, dropout=0.5):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)

    def forward(self, input, hidden):
        emb = self.encoder(input)
        output, hidden = self.rnn(emb, hidden)
        decoded = self.decoder(output)
        return decoded, hidden
'''


@pytest.fixture(scope="module")
def traces(tmp_path_factory):
    """Several fixture traces at once (each child spends most of its time importing torch)."""
    mingpt = tmp_path_factory.mktemp("mingpt") / "model.py"
    mingpt.write_text(MINGPT)
    hf_style = tmp_path_factory.mktemp("hf") / "modeling_tiny.py"
    hf_style.write_text(HF_STYLE)
    script = tmp_path_factory.mktemp("script") / "train.py"
    script.write_text(SCRIPT)
    word_lm = tmp_path_factory.mktemp("word_lm") / "model.py"
    word_lm.write_text(WORD_LM)
    requests = {
        "word_lm": TraceRequest(str(word_lm)),
        "script": TraceRequest(str(script), class_name="Net"),
        "mingpt": TraceRequest(str(mingpt), args={"n_embd": 64}),
        "hf_style": TraceRequest(str(hf_style)),
        "llama": TraceRequest(str(REPOS / "llama_rotary")),
        "llama_wide": TraceRequest(str(REPOS / "llama_rotary" / "llama" / "model.py"), class_name="Transformer",
                                   args={"dim": 512, "n_layers": 3, "n_heads": 4}),
        "gnn": TraceRequest(str(REPOS / "gnn_edge_list")),
        "seq2seq": TraceRequest(str(REPOS / "seq2seq_lstm_attention" / "model.py"), class_name="Seq2Seq"),
        "autoencoder": TraceRequest(str(REPOS / "autoencoder")),
        "detr": TraceRequest(str(REPOS / "detr_style" / "models" / "detr.py"), class_name="DETR"),
        "tcn_inputs": TraceRequest(str(REPOS / "tcn" / "model.py"), class_name="TCN", inputs=["inputs=4,16,50"]),
        "clip": TraceRequest(str(REPOS / "clip_dual_encoder" / "clip" / "model.py"), class_name="CLIP"),
        "sample": TraceRequest(str(SAMPLE)),
    }
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {name: pool.submit(run_trace, request) for name, request in requests.items()}
        return {name: future.result() for name, future in futures.items()}


def test_llama_decoder_traced_zero_config_with_named_dims_per_layer_and_line(traces):
    result = traces["llama"]
    model_py = REPOS / "llama_rotary" / "llama" / "model.py"
    assert result.ok, result.error
    assert (result.class_name, result.file, result.device) == ("Transformer", "llama/model.py", "meta")
    assert [(t.name, t.dims, t.dtype) for t in result.inputs] == [("tokens", ["batch", "seq_len"], "int64")]
    wq = result.layer("layers.0.attention.wq")
    assert wq.type == "Linear" and wq.line == line_of(model_py, "self.wq = nn.Linear")
    assert wq.calls[0].out_dims == [["batch", "seq_len", "256"]]
    assert wq.calls[0].line == line_of(model_py, "xq, xk, xv = self.wq(x)")
    lines = result.lines_for("llama/model.py")
    scores = lines[line_of(model_py, "scores = torch.matmul(xq, keys.transpose")]
    assert scores.tensors[0].dims == ["batch", "8", "seq_len", "seq_len"]
    # helpers called from forward() get their lines too
    rotary = lines[line_of(model_py, "xq_out = torch.view_as_real")]
    assert rotary.tensors[0].dims == ["batch", "seq_len", "8", "32"]
    assert result.args["dim"] == 256 and result.args["n_layers"] == 4  # the ModelArgs defaults


def test_overrides_reach_the_config_dataclass_fields(traces):
    result = traces["llama_wide"]
    assert result.ok, result.error
    assert result.args["dim"] == 512 and result.args["n_layers"] == 3
    assert result.layer("layers.2.attention.wo").calls[0].out_dims == [["batch", "seq_len", "512"]]
    assert result.layer("layers.3") is None


def test_data_dependent_ops_fall_back_to_cpu_and_say_why(traces):
    result = traces["gnn"]
    assert result.ok, result.error
    assert result.device == "cpu" and "nonzero" in result.fallback_reason
    x, edge_index = result.inputs
    assert (x.dims, edge_index.dims, edge_index.dtype) == (["nodes", "3"], ["2", "edges"], "int64")
    assert result.layer("convs.1").calls[0].out_dims == [["nodes", "8"]]


def test_seq_first_lstm_model_gets_seq_first_inputs_and_tuple_outputs(traces):
    result = traces["seq2seq"]
    assert result.ok, result.error
    assert [t.dims for t in result.inputs] == [["seq_len", "batch"], ["seq_len", "batch"]]
    assert result.args["encoder"] == "Encoder(...)"  # a sub-module argument, built zero-config
    rnn = result.layer("encoder.rnn").calls[0]  # LSTM: out, (h, c)
    assert rnn.out_dims == [["seq_len", "batch", "128"], ["2", "batch", "64"], ["2", "batch", "64"]]


def test_an_import_the_model_does_not_use_is_only_a_note(traces):
    result = traces["autoencoder"]
    assert result.ok, result.error
    # stood in (a warning), or taken from the app's shared model libraries (listed in degraded)
    assert any("torchvision" in w for w in result.warnings + result.degraded) or importlib.util.find_spec("torchvision")
    assert result.layer("decoder.body.4").calls[0].out_dims == [["batch", "784"]]


def test_dict_outputs_and_factory_built_models(traces):
    result = traces["detr"]
    assert result.ok, result.error
    assert any("factory build()" in w for w in result.warnings)
    logits, boxes = result.layer("").calls[0].out_dims
    assert logits == ["batch", "20", "92"] and boxes == ["batch", "20", "4"]


def test_user_inputs_replace_the_guess(traces):
    result = traces["tcn_inputs"]
    assert result.ok, result.error
    assert [(t.shape, t.dtype) for t in result.inputs] == [([4, 16, 50], "float32")]
    assert result.layer("").calls[0].outputs == [[4, 8]]


def test_two_inputs_reaching_a_conv_and_an_embedding(traces):
    result = traces["clip"]
    assert result.ok, result.error
    image, text = result.inputs
    assert image.dims == ["batch", "3", "32", "32"]
    assert text.dtype == "int64" and text.shape[1] == 32  # CLIP adds a fixed positional table: full context
    assert result.layer("").calls[0].out_dims == [["batch", "batch"], ["batch", "batch"]]


def test_the_apps_own_sample_repository_traces_zero_config(traces):
    result = traces["sample"]
    if not SAMPLE.is_dir():
        pytest.skip("the sample repository is not built yet")
    assert result.ok, result.error
    assert result.inputs[0].dims[0] == "batch"
    assert result.lines and all(not t.name.startswith("_") for e in result.lines for t in e.tensors)


def test_time_major_rnn_gets_seq_first_ids_and_an_h0_c0_pair(traces):
    result = traces["word_lm"]
    assert result.ok, result.error
    ids, hidden = result.inputs
    assert ids.dims == ["seq_len", "batch"] and hidden.dims == ["2", "batch", "64"]
    assert result.layer("rnn").calls[0].in_dims == [["seq_len", "batch", "16"], ["2", "batch", "64"],
                                                    ["2", "batch", "64"]]


def test_a_script_that_parses_arguments_at_import_gets_its_defaults(traces):
    result = traces["script"]
    assert result.ok, result.error
    assert result.layer("fc").calls[0].out_dims == [["batch", "48"]]


def test_all_optional_forward_arguments_feed_the_first_one(traces):
    result = traces["hf_style"]
    assert result.ok, result.error
    assert [(t.name, t.dims) for t in result.inputs] == [("input_ids", ["batch", "seq_len"])]


def test_config_from_get_default_config_with_an_override(traces):
    result = traces["mingpt"]
    assert result.ok, result.error
    assert result.args["n_embd"] == 64 and result.args["vocab_size"] == 50
    assert result.layer("lm_head").calls[0].out_dims == [["batch", "seq_len", "50"]]
    assert result.inputs[0].name == "idx"  # `targets=None` is optional and left out


@pytest.mark.skipif(importlib.util.find_spec("einops") is None, reason="einops is not installed")
def test_einops_vit_with_keyword_only_arguments():
    result = run_trace(TraceRequest(str(REPOS / "vit_kwonly")))
    assert result.ok, result.error
    assert result.inputs[0].dims == ["batch", "3", "32", "32"]  # from image_size, a keyword-only argument
    # The values train_cifar.py builds the model with (32x32 images in 4x4 patches: 64 patches of width 64).
    assert result.layer("to_patch_embedding").calls[0].out_dims == [["batch", "64", "64"]]
    assert result.arg_sources["patch_size"] == {"value": 4, "from": "train_cifar.py:32"}
    assert result.layer("").calls[0].out_dims == [["batch", "10"]]


@pytest.mark.slow
def test_seven_billion_parameter_decoder_on_the_meta_device():
    result = run_trace(TraceRequest(str(REPOS / "llama_rotary" / "llama" / "model.py"), class_name="Transformer",
                                    args={"dim": 4096, "n_layers": 32, "n_heads": 32, "vocab_size": 32000}))
    assert result.ok, result.error
    assert result.device == "meta"
    assert result.layer("layers.31.feed_forward.w1").calls[0].out_dims == [["batch", "seq_len", "11008"]]
    assert result.layer("output").calls[0].out_dims == [["batch", "seq_len", "32000"]]
