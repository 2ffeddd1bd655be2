"""What the value miner states for constructor arguments read off a gym environment's spaces: the environment id
the script states (parser default, constant, literal) gives gym's registered spaces, a space handed over whole
as a space, a size read off one (`.shape[0]`, `.n`, `float(.high[0])`) as a number; each with the line stating
the id and what gym registers for it. An id gym does not register, or an environment wrapped into another,
states nothing. The repositories are generated here (env_space_repos.py)."""
from __future__ import annotations

from env_space_repos import SIZES_AT_CALL, SIZES_NET, SPACES_NET, SPACES_WHOLE, UNSTATED
from tree_helpers import write_tree as write

from reader_app.repo.values import mine


def _mine(root, module, name, params):
    got = mine(str(root), str(root / module), name, params)
    return {k: (m.value, m.where) for k, m in got.items()}


def test_spaces_handed_over_whole_are_gyms_spaces_of_the_parsers_default_id(tmp_path):
    got = _mine(write(tmp_path / "repo", SPACES_WHOLE), "model.py", "ActorCritic",
                ["observation_space", "action_space", "hidden_size"])
    where = "main.py:10 --env 'Acrobot-v1' (gym's Acrobot-v1: 6 observations, 3 actions; made at main.py:15)"
    assert got["observation_space"] == ({"kind": "space", "space": "Box", "shape": [6], "low": None, "high": None,
                                         "dtype": "float32"}, where)
    assert got["action_space"] == ({"kind": "space", "space": "Discrete", "n": 3}, where)
    assert got["hidden_size"] == (48, "main.py:9")


def test_sizes_read_at_the_call_site_of_a_continuous_action_space_and_a_constant_id(tmp_path):
    got = _mine(write(tmp_path / "repo", SIZES_AT_CALL), "actor.py", "Actor",
                ["state_dim", "action_dim", "max_action"])
    summary = "gym's BipedalWalker-v3: 24 observations, 4 continuous actions in [-1.0, 1.0]; made at train.py:9"
    assert got["state_dim"] == (24, f"train.py:6 ENV_NAME = 'BipedalWalker-v3' ({summary})")
    assert got["action_dim"] == (4, f"train.py:6 ENV_NAME = 'BipedalWalker-v3' ({summary})")
    assert got["max_action"] == (1.0, f"train.py:6 ENV_NAME = 'BipedalWalker-v3' ({summary})")


def test_an_id_gym_does_not_register_or_a_wrapped_environment_states_nothing(tmp_path):
    unknown = dict(SPACES_WHOLE)
    unknown["main.py"] = SPACES_WHOLE["main.py"].replace("'Acrobot-v1'", "'MyMaze-v0'")
    got = _mine(write(tmp_path / "unknown", unknown), "model.py", "ActorCritic",
                ["observation_space", "action_space", "hidden_size"])
    assert "observation_space" not in got and "action_space" not in got
    wrapped = dict(SIZES_AT_CALL)  # a wrapper may change the observation (frames stacked, images resized)
    wrapped["train.py"] = SIZES_AT_CALL["train.py"].replace("gym.make(ENV_NAME)", "FrameStack(gym.make(ENV_NAME), 4)")
    got = _mine(write(tmp_path / "wrapped", wrapped), "actor.py", "Actor", ["state_dim", "action_dim", "max_action"])
    assert got == {}
    got = _mine(write(tmp_path / "own", UNSTATED), "model.py", "ActorCritic",
                ["observation_space", "action_space", "hidden_size"])
    assert "observation_space" not in got and got["hidden_size"] == (32, "main.py:8")


def test_a_literal_id_and_a_space_kept_in_a_local_name(tmp_path):
    root = write(tmp_path / "repo", {"model.py": SPACES_NET, "run.py": """
        import gym
        from model import ActorCritic

        env = gym.make("MountainCar-v0").unwrapped
        obs_space = env.observation_space
        net = ActorCritic(obs_space, env.action_space, 16)
        """})
    got = _mine(root, "model.py", "ActorCritic", ["observation_space", "action_space", "hidden_size"])
    where = "run.py:5 gym.make('MountainCar-v0') (gym's MountainCar-v0: 2 observations, 3 actions)"
    assert got["observation_space"][0]["shape"] == [2] and got["observation_space"][1] == where
    assert got["action_space"] == ({"kind": "space", "space": "Discrete", "n": 3}, where)


def test_a_helper_that_makes_the_environment_and_what_changes_the_spaces(tmp_path):
    script = """
        import gym
        from gym.wrappers import Monitor, FrameStack
        from model import ActorCritic

        ENV = "CartPole-v1"


        def make_env(name):
            env = gym.make(name)
            return env


        def make_stacked(name):
            return FrameStack(gym.make(name), 4)


        if __name__ == "__main__":
            env = {env}
            net = ActorCritic(env.{obs}, env.{act}, 16)
        """
    spaces = ["observation_space", "action_space", "hidden_size"]
    cases = {"helper": "make_env(ENV)", "kept": "Monitor(make_env(ENV), '/tmp/videos')",
             "vector": "gym.vector.make(ENV, num_envs=8)"}
    for case, expr in cases.items():
        single = "single_" if case == "vector" else ""
        text = script.replace("{env}", expr).replace("{obs}", single + "observation_space") \
            .replace("{act}", single + "action_space")
        got = _mine(write(tmp_path / case, {"model.py": SPACES_NET, "run.py": text}), "model.py", "ActorCritic",
                    spaces)
        assert got["action_space"] == ({"kind": "space", "space": "Discrete", "n": 2},
                                       f"run.py:6 ENV = 'CartPole-v1' (gym's CartPole-v1: 4 observations, 2 actions; "
                                       f"made at run.py:19)"), case
        assert got["observation_space"][0]["shape"] == [4], case
    # a stack of frames, a vector's batched spaces and a keyword to make() are not the registered spaces
    for case, expr in {"stacked": "make_stacked(ENV)", "batched": "gym.vector.make(ENV, num_envs=8)",
                       "keyword": "gym.make(ENV, continuous=True)"}.items():
        text = script.replace("{env}", expr).replace("{obs}", "observation_space").replace("{act}", "action_space")
        got = _mine(write(tmp_path / case, {"model.py": SPACES_NET, "run.py": text}), "model.py", "ActorCritic",
                    spaces)
        assert "observation_space" not in got and "action_space" not in got, case


def test_sizes_handed_to_an_agent_in_a_dict_of_keywords(tmp_path):
    # `kwargs = {"state_dim": state_dim, ...}; policy = TD3(**kwargs)`, whose __init__ builds the actor
    root = write(tmp_path / "repo", {"actor.py": SIZES_NET + """

class Agent:
    def __init__(self, state_dim, action_dim, max_action, discount=0.99):
        self.actor = Actor(state_dim, action_dim, max_action)
""", "main.py": """
        import argparse
        import gym
        import actor

        parser = argparse.ArgumentParser()
        parser.add_argument("--env", default="Hopper-v3")

        if __name__ == "__main__":
            args = parser.parse_args()
            env = gym.make(args.env)
            state_dim = env.observation_space.shape[0]
            kwargs = {"state_dim": state_dim, "action_dim": env.action_space.shape[0],
                      "max_action": float(env.action_space.high[0])}
            policy = actor.Agent(**kwargs)
        """})
    got = _mine(root, "actor.py", "Actor", ["state_dim", "action_dim", "max_action"])
    where = "main.py:7 --env 'Hopper-v3' (gym's Hopper-v3: 11 observations, 3 continuous actions in [-1.0, 1.0]; " \
            "made at main.py:11), through Agent(...) at main.py:15"
    assert got == {"state_dim": (11, where), "action_dim": (3, where), "max_action": (1.0, where)}


def test_the_registered_spaces_of_standard_ids():
    from reader_app.repo.gym_spaces import spaces_of

    def sizes(env_id):
        found = spaces_of(env_id)
        return None if found is None else tuple(s.get("n", s.get("shape")) for s in found)

    assert sizes("CartPole-v0") == ([4], 2) and sizes("Pendulum-v1") == ([3], [1])
    assert sizes("LunarLanderContinuous-v2") == ([8], [2]) and sizes("Humanoid-v4") == ([376], [17])
    assert sizes("Ant-v2") == ([111], [8]) and sizes("Ant-v4") == ([27], [8]) and sizes("Ant-v5") == ([105], [8])
    assert sizes("PongNoFrameskip-v4") == ([210, 160, 3], 6) and sizes("ALE/Breakout-v5") == ([210, 160, 3], 4)
    assert sizes("Seaquest-ramDeterministic-v4") == ([128], 18)
    assert sizes("MyMaze-v0") is None and sizes("CartPoleNoFrameskip-v4") is None


def test_what_the_space_does_not_have_is_not_stated(tmp_path):
    # `.n` of a continuous (Box) action space: gym raises there, so no value is stated for it
    root = write(tmp_path / "repo", {"actor.py": SIZES_NET, "train.py": """
        import gym
        from actor import Actor

        env = gym.make("Pendulum-v1")
        actor = Actor(env.observation_space.shape[0], env.action_space.n, env.action_space.high[0])
        """})
    got = _mine(root, "actor.py", "Actor", ["state_dim", "action_dim", "max_action"])
    assert got["state_dim"][0] == 3 and got["max_action"][0] == 2.0 and "action_dim" not in got
