"""Input rank a model's forward() states in a dimension guard, and the signal length a waveform repository trains
on (issue 11):
- A SEPARATOR whose forward() raises on inputs of rank 3 or more (`if x.dim() >= 3: raise`), lifts a 1-D
  utterance itself, and whose first layer is the repository's Conv1d wrapper that adds the channel axis
  (`x if x.dim() == 3 else th.unsqueeze(x, 1)`): guessed from the Conv1d, the (batch, 1, length) input raises;
  the guard's batched rank, (batch, samples), runs. Its training script hands the data loader
  `chunk_size = chunk_len * fs` from a config module: the input is made at that many samples.
- A POOLED HEAD that asserts a 4-D input (`assert x.dim() == 4`) and pools it before a Linear: guessed from the
  Linear, the (batch, features) input fails in the pooling.
- The same separator WITHOUT a guard keeps the rank its Conv1d takes.
Each repository is generated here and traced zero-config."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs, trace_repos, write_tree as write

SEPARATOR_NET = """
    import torch as th
    import torch.nn as nn
    import torch.nn.functional as F


    class Conv1D(nn.Conv1d):
        def forward(self, x):
            if x.dim() not in [2, 3]:
                raise RuntimeError("accepts 2/3D tensor as input")
            return super().forward(x if x.dim() == 3 else th.unsqueeze(x, 1))


    class Separator(nn.Module):
        def __init__(self, L=16, N=32, num_spks=2):
            super().__init__()
            self.encoder = Conv1D(1, N, L, stride=L // 2)
            self.mask = Conv1D(N, num_spks * N, 1)
            self.num_spks = num_spks

        def forward(self, x):
    {guard}
            w = F.relu(self.encoder(x))
            m = th.chunk(th.sigmoid(self.mask(w)), self.num_spks, 1)
            return [w * part for part in m]
    """

GUARD = """
            if x.dim() >= 3:
                raise RuntimeError("accept 1/2D tensor as input, but got {:d}".format(x.dim()))
            if x.dim() == 1:
                x = th.unsqueeze(x, 0)
"""


def _separator(guard: str) -> str:
    return SEPARATOR_NET.replace("    {guard}\n", guard)


SEPARATOR = {
    "nnet/separator.py": _separator(GUARD),
    "nnet/conf.py": """
        fs = 4000
        chunk_len = 2  # seconds
        chunk_size = chunk_len * fs

        nnet_conf = {"L": 16, "N": 32, "num_spks": 2}
        """,
    "nnet/train.py": """
        from separator import Separator
        from conf import nnet_conf, chunk_size


        def make_dataloader(train=True, batch_size=4, chunk_size=16000):
            return []


        def run():
            nnet = Separator(**nnet_conf)
            loader = make_dataloader(train=True, batch_size=16, chunk_size=chunk_size)
            return nnet, loader


        if __name__ == "__main__":
            run()
        """,
}

UNGUARDED = {"nnet/separator.py": _separator("")}

POOLED_HEAD = {
    "head.py": """
        import torch.nn as nn


        class PooledHead(nn.Module):
            def __init__(self, channels=24, classes=5):
                super().__init__()
                self.fc = nn.Linear(channels, classes)

            def forward(self, feats):
                assert feats.dim() == 4, "expects a feature map"
                return self.fc(feats.mean(dim=(2, 3)))
        """,
}

REPOS = {"separator": SEPARATOR, "unguarded": UNGUARDED, "pooled": POOLED_HEAD}


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("rank_guards"), REPOS, "--no-lines")


def test_a_guard_that_raises_on_rank_three_gets_the_batched_rank_it_keeps(traced):
    code, data, err = traced["separator"]
    assert code == 0, err
    assert data.get("error") is None, data.get("error")
    shape = data["inputs"][0]["shape"]
    assert len(shape) == 2 and shape[0] > 1  # (batch, samples), not the Conv1d's (batch, 1, samples)
    assert "separator.py:23 accepts ranks 1-2 only" in data["inputs"][0]["from"]
    assert first_outs(data)["encoder"] == [shape[0], 32, (shape[1] - 16) // 8 + 1]


def test_a_waveform_is_made_at_the_chunk_the_training_script_hands_its_data_loader(traced):
    code, data, err = traced["separator"]
    assert code == 0, err
    assert data["inputs"][0]["shape"][1] == 8000  # chunk_len 2 s * fs 4000, not the 16000 guess
    said = "signals of 8000 samples as nnet/train.py:12 chunk_size=chunk_size = 8000 (nnet/conf.py:4) states"
    assert said in data["warnings"], data["warnings"]
    assert said in data["inputs"][0]["from"]


def test_without_a_guard_the_input_keeps_the_rank_its_first_layer_takes(traced):
    code, data, err = traced["unguarded"]
    assert code == 0, err
    assert data["inputs"][0]["shape"][:2] == [2, 1] and len(data["inputs"][0]["shape"]) == 3
    assert "accepts" not in (data["inputs"][0].get("from") or "")


def test_an_asserted_rank_four_outranks_a_linear_first_layer(traced):
    code, data, err = traced["pooled"]
    assert code == 0, err
    shape = data["inputs"][0]["shape"]
    assert len(shape) == 4 and shape[1] == 24
    assert data["inputs"][0]["from"].startswith("guess: head.py:11 accepts rank 4 only")
    assert first_outs(data)["fc"] == [shape[0], 5]


def test_chunks_are_read_only_as_signal_lengths_handed_to_a_data_loader(tmp_path):
    from reader_app.repo.values_chunks import stated_chunk
    write(tmp_path / "literal", {"train.py": """
        from torch.utils.data import DataLoader
        from data import WavDataset
        train_set = WavDataset('tr', segment_length=24000)
        """})
    assert stated_chunk(str(tmp_path / "literal")) == (24000, "train.py:4 segment_length=24000")
    # A chunk in seconds, a crop (an image's side) and a chunk handed to the model state no signal length.
    write(tmp_path / "unstated", {"train.py": """
        chunk_len = 4
        loader = make_dataloader(chunk_len=chunk_len, crop_size=22050)
        net = Model(chunk_size=32000)
        """})
    assert stated_chunk(str(tmp_path / "unstated")) is None


def test_the_guard_forms_a_repository_writes_each_state_the_ranks_kept():
    import ast
    import textwrap

    from reader_app.trace.child.rank_tests import guarded_ranks

    def kept(body: str):
        tree = ast.parse(textwrap.dedent(f"def forward(self, x):\n{textwrap.indent(body, '    ')}")).body[0]
        found = guarded_ranks(tree, "x")
        return found and sorted(r for r in found[0] if r > 0)

    assert kept("assert len(x.shape) == 4\nreturn x") == [4]
    assert kept("if x.ndim != 3:\n    raise ValueError(x.shape)\nreturn x") == [3]
    assert kept("if x.dim() not in (2, 3):\n    raise ValueError\nreturn x") == [2, 3]
    assert kept("if 3 <= x.dim():\n    raise ValueError\nreturn x") == [1, 2]
    # a guard on another argument, or one that does not raise, states nothing about x
    assert kept("if y.dim() != 3:\n    raise ValueError\nreturn x") is None
    assert kept("if x.dim() == 3:\n    print('3-D')\nreturn x") is None
