"""forward() taking ONE argument that packs several tensors (issue 11, gh8 class 2): training code that keeps a
batch whole (`mel, audio = batch; model((mel, audio))`) and a forward that unpacks it (`spect, audio =
forward_input`) or reads it by position (`image = inputs[0]`, `self.left(pair[0])`). The trace feeds a tuple
whose elements are each sized from what the code does with them (the layer each reaches, its name, the rank
the docstring gives it) and says which line unpacks it and where the repository calls the model on a tuple.
An LSTM state unpacked as `h, c = hidden` stays the pair it was. Each repository is generated here."""
from __future__ import annotations

from tree_helpers import first_outs, trace_repos

# A vocoder-like flow: a conditioning spectrogram upsampled to the signal's length, the signal cut into groups.
CONDITIONED = """
import torch
import torch.nn as nn


class GroupedFlow(nn.Module):
    def __init__(self, n_cond=20, n_group=4, hidden=32):
        super().__init__()
        self.n_group = n_group
        self.upsample = nn.ConvTranspose1d(n_cond, n_cond, 16, stride=4)
        self.start = nn.Conv1d(n_group, hidden, 1)
        self.cond = nn.Conv1d(n_cond * n_group, hidden, 1)
        self.end = nn.Conv1d(hidden, n_group, 1)

    def forward(self, forward_input):
        \"\"\"
        forward_input[0] = spectrogram: batch x n_cond x frames
        forward_input[1] = signal: batch x time
        \"\"\"
        spect, signal = forward_input
        spect = self.upsample(spect)
        spect = spect[:, :, :signal.size(1)]
        spect = spect.unfold(2, self.n_group, self.n_group).permute(0, 2, 1, 3)
        spect = spect.contiguous().view(spect.size(0), spect.size(1), -1).permute(0, 2, 1)
        signal = signal.unfold(1, self.n_group, self.n_group).permute(0, 2, 1)
        return self.end(torch.tanh(self.start(signal) + self.cond(spect)))
"""

# Its training script keeps each batch whole and wraps the model before calling it on the tuple.
TRAIN = """
import torch
from flow import GroupedFlow


def wrap(model):
    return model


def train(loader):
    model = GroupedFlow(n_cond=20).cuda()
    model = wrap(model)
    for batch in loader:
        spect, signal = batch
        loss = model((spect, signal)).pow(2).mean()
        loss.backward()
"""

BY_POSITION = """
import torch.nn as nn


class Captioner(nn.Module):
    def __init__(self, vocab=40, dim=24):
        super().__init__()
        self.encoder = nn.Conv2d(3, dim, 3, padding=1)
        self.embed = nn.Embedding(vocab, dim)
        self.head = nn.Linear(dim, vocab)

    def forward(self, inputs):
        images = inputs[0]
        tokens = inputs[1]
        context = self.encoder(images).mean(dim=(2, 3))
        return self.head(self.embed(tokens) + context[:, None, :])
"""

# Read in place: each part goes into its own layer (the second its next option: a first guess fails to add up).
IN_PLACE = """
import torch.nn as nn


class PairScorer(nn.Module):
    def __init__(self, dim=10, vocab=30):
        super().__init__()
        self.left = nn.Linear(dim, 16)
        self.right = nn.Embedding(vocab, 16)
        self.head = nn.Linear(16, 2)

    def forward(self, pair):
        return self.head(self.left(pair[0]) + self.right(pair[1]).mean(1))
"""

LSTM_STATE = """
import torch.nn as nn


class Tagger(nn.Module):
    def __init__(self, dim=12, hidden=20):
        super().__init__()
        self.lstm = nn.LSTM(dim, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 3)

    def forward(self, x, hidden):
        h, c = hidden
        y, _ = self.lstm(x, (h, c))
        return self.out(y)
"""

STATE_BY_POSITION = LSTM_STATE.replace("        h, c = hidden\n", "").replace("(h, c)", "(hidden[0], hidden[1])")


def test_one_argument_packing_several_tensors_is_fed_as_a_tuple_sized_element_by_element(tmp_path):
    runs = trace_repos(tmp_path, {"flow": {"flow.py": CONDITIONED, "train.py": TRAIN}, "captions": {"captioner.py": BY_POSITION},
                                  "tagger": {"tagger.py": LSTM_STATE}, "pair": {"pair.py": IN_PLACE},
                                  "state": {"tagger.py": STATE_BY_POSITION}}, "--no-lines")
    code, data, err = runs["flow"]
    assert code == 0, err
    inputs = {i["name"]: i for i in data["inputs"]}
    assert set(inputs) == {"forward_input[0]", "forward_input[1]"}
    assert inputs["forward_input[0]"]["shape"][1] == 20 and len(inputs["forward_input[0]"]["shape"]) == 3
    assert len(inputs["forward_input[1]"]["shape"]) == 2  # the rank the docstring gives the signal
    assert inputs["forward_input[0]"]["from"] == "flow.py:20 unpacks it; train.py:15 calls model((spect, signal))"
    outs = first_outs(data)
    batch, time = inputs["forward_input[1]"]["shape"]
    assert outs["start"] == [batch, 32, time // 4] and outs["end"] == [batch, 4, time // 4]

    code, data, err = runs["captions"]
    assert code == 0, err
    inputs = {i["name"]: i for i in data["inputs"]}
    assert inputs["inputs[0]"]["shape"][1] == 3 and len(inputs["inputs[0]"]["shape"]) == 4
    assert inputs["inputs[1]"]["dtype"] == "int64" and "captioner.py:14" in inputs["inputs[1]"]["from"]
    assert first_outs(data)["head"][-1] == 40

    code, data, err = runs["tagger"]  # an RNN state: (h0, c0) of (layers, batch, hidden), not a packed input
    assert code == 0, err
    hidden = [i for i in data["inputs"] if i["name"].startswith("hidden")]
    assert hidden and all(i["shape"][-1] == 20 for i in hidden)
    assert first_outs(data)["out"][-1] == 3

    code, data, err = runs["pair"]
    assert code == 0, err
    inputs = {i["name"]: i for i in data["inputs"]}
    assert inputs["pair[0]"]["shape"][-1] == 10 and inputs["pair[1]"]["dtype"] == "int64"
    assert inputs["pair[0]"]["from"] == "pair.py:13 reads its parts by position"
    assert first_outs(data)["head"] == [inputs["pair[0]"]["shape"][0], 2]

    code, data, err = runs["state"]  # the state read by position: each part is one (layers, batch, hidden)
    assert code == 0, err
    inputs = {i["name"]: i for i in data["inputs"]}
    assert inputs["hidden[0]"]["shape"] == inputs["hidden[1]"]["shape"] == [1, inputs["x"]["shape"][0], 20]
