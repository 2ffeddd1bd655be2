"""What the value miner states for a network another class builds in its constructor (issue 11): an agent, a
trainer or a wrapper module whose `__init__` makes the network from its own parameters. The values are where
the wrapper is built (a script's locals, its parser's defaults), with the line that states each one and the call
of the wrapper it goes through; a value only a run knows there (an environment's size) stays unstated."""
from __future__ import annotations

from agent_repos import NETWORK
from tree_helpers import write_tree as write

from reader_app.repo.values import mine


PARAMS = ["state_dim", "action_dim", "hidden"]


def _mine(root, module="nets.py"):
    got = mine(str(root), str(root / module), "Policy", PARAMS)
    return {k: (m.value, m.where) for k, m in got.items()}


def test_a_plain_agent_built_in_main_hands_the_scripts_locals_to_the_network(tmp_path):
    root = write(tmp_path / "repo", {"nets.py": NETWORK, "agent.py": """
        import gym
        from nets import Policy


        class Agent:
            def __init__(self, state_dim, action_dim, hidden, lr):
                self.lr = lr
                self.policy = Policy(state_dim, action_dim, hidden).to("cpu")


        def main():
            env = gym.make("CartPole-v1")
            state_dim = env.observation_space.shape[0]
            action_dim = 2
            hidden = 32 * 2
            lr = 0.01
            agent = Agent(state_dim, action_dim, hidden, lr)


        if __name__ == "__main__":
            main()
        """})
    got = _mine(root)
    assert got["action_dim"] == (2, "agent.py:15, through Agent(...) at agent.py:18")
    assert got["hidden"] == (64, "agent.py:16, through Agent(...) at agent.py:18")
    # the environment's size: gym registers it for the id the script states (values_env_spaces.py)
    assert got["state_dim"] == (4, "agent.py:13 gym.make('CartPole-v1') (gym's CartPole-v1: 4 observations, "
                                   "2 actions), through Agent(...) at agent.py:18")


def test_keywords_at_the_wrapper_call_and_parser_defaults_count(tmp_path):
    root = write(tmp_path / "repo", {"nets.py": NETWORK, "train.py": """
        import argparse
        import nets


        class Trainer:
            def __init__(self, obs_size, n_actions, width=16):
                self.net = nets.Policy(state_dim=obs_size, action_dim=n_actions, hidden=width)


        parser = argparse.ArgumentParser()
        parser.add_argument("--width", type=int, default=128)
        args = parser.parse_args()
        trainer = Trainer(n_actions=6, obs_size=10, width=args.width)
        """})
    got = _mine(root)
    assert got["state_dim"] == (10, "train.py:14, through Trainer(...) at train.py:14")
    assert got["action_dim"] == (6, "train.py:14, through Trainer(...) at train.py:14")
    assert got["hidden"] == (128, "train.py:12, through Trainer(...) at train.py:14")


def test_two_levels_of_wrapper_are_followed_to_the_script(tmp_path):
    root = write(tmp_path / "repo", {"nets.py": NETWORK, "run.py": """
        from nets import Policy


        class Agent:
            def __init__(self, state_dim, action_dim, hidden):
                self.policy = Policy(state_dim, action_dim, hidden)


        class Experiment:
            def __init__(self, config):
                self.agent = Agent(config["obs"], config["actions"], config["hidden"])


        CONFIG = {"obs": 12, "actions": 3, "hidden": 40}
        experiment = Experiment(CONFIG)
        """})
    got = _mine(root)
    assert {k: v for k, (v, _) in got.items()} == {"state_dim": 12, "action_dim": 3, "hidden": 40}
    assert got["hidden"][1] == "run.py:15, through Agent(...) at run.py:12"  # the line stating the key


def test_a_wrapper_whose_builders_state_nothing_leaves_the_values_unstated(tmp_path):
    root = write(tmp_path / "repo", {"nets.py": NETWORK, "agent.py": """
        import sys
        from nets import Policy


        class Agent:
            def __init__(self, state_dim, action_dim, hidden):
                self.policy = Policy(state_dim, action_dim, hidden)


        def main(env):
            agent = Agent(env.observation_size, env.action_size, int(sys.argv[1]))
        """})
    assert _mine(root) == {}


def test_a_same_named_wrapper_in_another_module_states_nothing_for_this_one(tmp_path):
    root = write(tmp_path / "repo", {"nets.py": NETWORK, "agent.py": """
        from nets import Policy


        class Agent:
            def __init__(self, state_dim, action_dim, hidden):
                self.policy = Policy(state_dim, action_dim, hidden)
        """, "other.py": """
        class Agent:
            def __init__(self, state_dim, action_dim, hidden):
                self.table = [state_dim, action_dim, hidden]


        agent = Agent(5, 5, 5)
        """})
    assert _mine(root) == {}


def test_a_wrapper_built_from_a_dict_of_keywords_hands_each_key(tmp_path):
    # `kwargs = {...}; kwargs["hidden"] = ...; Agent(**kwargs)`: each key is the wrapper's keyword, stated where set
    root = write(tmp_path / "repo", {"nets.py": NETWORK, "agent.py": """
        from nets import Policy


        class Agent:
            def __init__(self, state_dim, action_dim, hidden, lr=0.1):
                self.policy = Policy(state_dim, action_dim, hidden)


        if __name__ == "__main__":
            state_dim = 11
            kwargs = {
                "state_dim": state_dim,
                "action_dim": 3,
                "lr": 0.01,
            }
            kwargs["hidden"] = 40
            agent = Agent(**kwargs)
        """})
    assert _mine(root) == {"state_dim": (11, "agent.py:11, through Agent(...) at agent.py:18"),
                           "action_dim": (3, "agent.py:14, through Agent(...) at agent.py:18"),
                           "hidden": (40, "agent.py:17, through Agent(...) at agent.py:18")}
