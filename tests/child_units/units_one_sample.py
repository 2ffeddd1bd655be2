"""The input a script feeds one sample (one_sample_inputs.py): the generated input without its batch axis,
wherever the model reads the batch, and only for the arguments the script passes that way."""
from __future__ import annotations

import textwrap

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from reader_app.trace.child.inputs import candidate_inputs  # noqa: E402
from reader_app.trace.child.one_sample_inputs import OneSamplePlans, one_sample_example  # noqa: E402


class TimeMajor(nn.Module):
    """An LSTM policy reading (seq_len, batch, features), PyTorch's default; a step counter beside it."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(5, 16)
        self.head = nn.Linear(16, 2)

    def forward(self, frames, steps):
        return self.head(self.rnn(frames)[0][-1]) * steps.float().mean()


SCRIPT = """
    import torch

    from model import TimeMajor

    policy = TimeMajor()


    def act(obs, steps):
        obs = torch.from_numpy(obs).float()
        return policy(obs, steps)
    """


def _example(tmp_path, script: str):
    (tmp_path / "act.py").write_text(textwrap.dedent(script))
    model = TimeMajor()
    return one_sample_example(model, str(tmp_path), ["TimeMajor"], str(tmp_path / "model.py"),
                              candidate_inputs(model))


def test_the_batch_axis_goes_where_the_model_reads_it_and_only_for_what_the_script_feeds_one_sample(tmp_path):
    example = _example(tmp_path, SCRIPT)
    assert example is not None
    plans, where, lines, pinned = example
    assert isinstance(plans, OneSamplePlans) and where == "act.py:11" and pinned == {}
    dims = {p.name: p.dims for p in plans}
    assert dims["frames"] == ["seq_len", 5]  # (seq_len, batch, 5) without its batch
    assert "batch" in dims["steps"]  # handed on as it came: not said to be one sample
    assert set(lines) == {"frames"} and "act.py:11" in lines["frames"]


def test_a_script_that_adds_the_batch_gives_no_one_sample_plans(tmp_path):
    assert _example(tmp_path, SCRIPT.replace(".float()", ".float().unsqueeze(1)")) is None
