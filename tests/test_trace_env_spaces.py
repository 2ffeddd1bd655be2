"""A network sized by a gym environment's spaces, traced zero-config: the environment id the script states gives
gym's registered spaces, handed to the constructor as stand-ins that answer `.shape`, `.n`, `.high` like gym's
Box and Discrete (no gym installed), or as the sizes the script reads off them. Each value says where the id is
stated; a space parameter nothing states a registered id for is a labelled guess of a space, never a bare 16.
The repositories are generated here (env_space_repos.py)."""
from __future__ import annotations

from env_space_repos import SIZES_AT_CALL, SPACES_WHOLE, UNSTATED
from tree_helpers import first_outs, trace_repos


def test_networks_built_from_a_stated_environments_spaces(tmp_path):
    runs = trace_repos(tmp_path, {"whole": SPACES_WHOLE, "sizes": SIZES_AT_CALL, "unstated": UNSTATED},
                       "--no-lines")
    code, data, err = runs["whole"]
    assert code == 0, err
    assert data["args"] == {"observation_space": "Box(6,)", "action_space": "Discrete(3)", "hidden_size": 48}
    assert data["arg_sources"]["action_space"]["from"] == \
        "main.py:10 --env 'Acrobot-v1' (gym's Acrobot-v1: 6 observations, 3 actions; made at main.py:15)"
    assert [i["shape"][-1] for i in data["inputs"]] == [6]
    outs = first_outs(data)
    assert outs["fc1"][-1] == 48 and outs["actor"][-1] == 3

    code, data, err = runs["sizes"]  # a continuous action space: its size is .shape[0], its bound .high[0]
    assert code == 0, err
    assert data["args"] == {"state_dim": 24, "action_dim": 4, "max_action": 1.0}
    assert data["arg_sources"]["state_dim"]["from"].startswith("train.py:6 ENV_NAME = 'BipedalWalker-v3' (gym's")
    assert [i["shape"][-1] for i in data["inputs"]] == [24]
    assert first_outs(data)["l2"][-1] == 4

    code, data, err = runs["unstated"]  # read as spaces: guessed spaces, said so, and the trace runs
    assert code == 0, err
    assert data["args"]["observation_space"] == "Box(16,)" and data["args"]["action_space"] == "Discrete(4)"
    assert data["arg_sources"]["action_space"]["from"].startswith("guess: Discrete(4) (the constructor reads "
                                                                 "action_space.n like a gym space")
    assert first_outs(data)["actor"][-1] == 4


def test_a_space_set_in_the_form_is_read_back_as_a_space(tmp_path):
    runs = trace_repos(tmp_path, {"whole": SPACES_WHOLE}, "--no-lines", "--arg", "action_space=Discrete(5)",
                       "--arg", "observation_space=Box(3,)")
    code, data, err = runs["whole"]
    assert code == 0, err
    assert data["arg_sources"]["action_space"] == {"value": "Discrete(5)", "from": "--arg"}
    outs = first_outs(data)
    assert outs["actor"][-1] == 5 and [i["shape"][-1] for i in data["inputs"]] == [3]
