"""Models a script feeds one sample with no batch dimension (issue 11): a reinforcement-learning loop hands its
policy `torch.from_numpy(state).float()` for each state its environment returns. Traced zero-config, the
policy runs on that one sample, and its layers have no batch axis; the same loop with `unsqueeze(0)` stays
batched, and a model that refuses an unbatched sample (a BatchNorm1d over the features) is fed a batch,
the report saying why. Each repository is generated here and traced with the command line."""
from __future__ import annotations

import pytest
from tree_helpers import first_outs, trace_repos

POLICY = """
    import torch.nn as nn
    import torch.nn.functional as F


    class Policy(nn.Module):
        def __init__(self):
            super().__init__()
            self.affine = nn.Linear(6, 32)
            self.action_head = nn.Linear(32, 3)
            self.value_head = nn.Linear(32, 1)

        def forward(self, x):
            x = F.relu(self.affine(x))
            return F.softmax(self.action_head(x), dim=-1), self.value_head(x)
    """

LOOP = """
    import numpy as np
    import torch

    from policy import Policy


    class Walker:
        def reset(self):
            return np.zeros(6)

        def step(self, action):
            return np.zeros(6), 1.0, False, {}


    env = Walker()
    model = Policy()


    def select_action(state):
        state = torch.from_numpy(state).float()
        probs, value = model(state)
        return int(probs.argmax())


    if __name__ == "__main__":
        state = env.reset()
        for t in range(10):
            state, reward, done, _ = env.step(select_action(state))
    """

# A normalisation over the hidden features: BatchNorm1d takes (batch, features), never one sample.
NORMALISED = POLICY.replace("self.value_head = nn.Linear(32, 1)",
                            "self.value_head = nn.Linear(32, 1)\n            self.norm = nn.BatchNorm1d(32)") \
    .replace("x = F.relu(self.affine(x))", "x = F.relu(self.norm(self.affine(x)))")


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    return trace_repos(tmp_path_factory.mktemp("one_sample"), {
        "unbatched": {"policy.py": POLICY, "train.py": LOOP},
        "batched": {"policy.py": POLICY, "train.py": LOOP.replace(".float()", ".float().unsqueeze(0)")},
        "refused": {"policy.py": NORMALISED, "train.py": LOOP},
    }, "--no-lines")


def _line(text: str) -> str:
    number = next(i for i, line in enumerate(LOOP.splitlines(), 1) if text in line)  # dedent keeps the lines
    return f"train.py:{number}"


def test_a_policy_fed_one_environment_state_is_traced_on_that_sample_without_a_batch_axis(traced):
    code, data, err = traced["unbatched"]
    assert code == 0, err
    assert data["class"] == "Policy" and data["error"] is None
    (x,) = data["inputs"]
    assert x["shape"] == [6]
    assert x["from"] == f"one sample (no batch dimension), as {_line('model(state)')} feeds it"
    assert first_outs(data) | {"": None} == {"": None, "affine": [32], "action_head": [3], "value_head": [1]}
    assert any(w.startswith("one sample with no batch dimension, as train.py:") for w in data["warnings"])


def test_the_same_loop_adding_a_batch_axis_stays_batched(traced):
    code, data, err = traced["batched"]
    assert code == 0, err
    (x,) = data["inputs"]
    assert len(x["shape"]) == 2 and x["shape"][1] == 6 and "one sample" not in (x.get("from") or "")
    outs = first_outs(data)
    assert [outs["affine"][1:], outs["action_head"][1:], outs["value_head"][1:]] == [[32], [3], [1]]
    assert len({outs["affine"][0], outs["action_head"][0], x["shape"][0]}) == 1


def test_a_model_that_refuses_one_sample_is_fed_a_batch_and_the_report_says_so(traced):
    code, data, err = traced["refused"]
    assert code == 0, err
    assert data["error"] is None
    (x,) = data["inputs"]
    assert len(x["shape"]) == 2 and x["shape"][1] == 6
    outs = first_outs(data)
    assert outs["norm"] == [x["shape"][0], 32] and outs["value_head"] == [x["shape"][0], 1]
    refused = [w for w in data["warnings"] if "feeds the model one sample with no batch dimension" in w]
    assert len(refused) == 1 and "the model refused it (" in refused[0] and "2D" in refused[0], refused
