"""A network an agent builds in its constructor, traced zero-config (issue 11, constructor values): the script's
main() states the sizes and hands them to a plain agent class (`agent = Agent(state_dim, 4, 64, lr)`), whose
`__init__` builds the network (`self.policy = Policy(...).to(device)`). The trace builds the network with the
sizes the script states, each with the line stating it; the environment's observation size, which only a run
knows, stays a labelled guess. The repository is generated here."""
from __future__ import annotations

from agent_repos import NETWORK
from tree_helpers import first_outs, trace_cli, write_tree

AGENT_REPO = {"nets.py": NETWORK, "agent.py": """
import torch

from nets import Policy

device = torch.device("cpu")


class Agent:
    def __init__(self, state_dim, action_dim, hidden, lr):
        self.policy = Policy(state_dim, action_dim, hidden).to(device)
        self.optimizer = torch.optim.Adam(self.policy.parameters(), lr=lr)


class Env:
    def __init__(self, size):
        self.observation_size = size


def main():
    env = Env(size=int(input()))
    state_dim = env.observation_size
    action_dim = 5
    hidden = 24
    lr = 0.002
    agent = Agent(state_dim, action_dim, hidden, lr)


if __name__ == "__main__":
    main()
"""}


def test_the_network_an_agent_builds_takes_the_sizes_its_script_states(tmp_path):
    code, data, err = trace_cli(write_tree(tmp_path / "repo", AGENT_REPO), "--no-lines")
    assert code == 0, err
    assert data["class"] == "Policy"
    sources = data["arg_sources"]
    assert sources["action_dim"] == {"value": 5, "from": "agent.py:23, through Agent(...) at agent.py:26"}
    assert sources["hidden"] == {"value": 24, "from": "agent.py:24, through Agent(...) at agent.py:26"}
    assert sources["state_dim"]["from"] == "guess"
    outs = first_outs(data)
    assert outs["body.0"][-1] == 24 and outs["body"][-1] == 5
