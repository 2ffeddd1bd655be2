"""Scripts that feed their model one sample with no batch dimension (issue 11): a reinforcement-learning loop
hands its policy `torch.from_numpy(state).float()` for the state the environment returned, read as text.
A batch added on the way (`unsqueeze(0)`, `[None]`, a list, `np.vstack`), a dataset array, or another
script's class of the same name must not count."""
from __future__ import annotations

from reader_app.repo.one_sample import feeds_one_sample
from tree_helpers import write_tree

POLICY = """
    import torch.nn as nn
    import torch.nn.functional as F


    class Policy(nn.Module):
        def __init__(self, observations=4, actions=2):
            super().__init__()
            self.hidden = nn.Linear(observations, 64)
            self.head = nn.Linear(64, actions)

        def forward(self, x):
            return F.softmax(self.head(F.relu(self.hidden(x))), dim=-1)
    """

# The policy is built at module level and fed, inside a function, the state the loop got from env.reset().
LOOP = """
    import numpy as np
    import torch

    from policy import Policy

    env = CartPole()
    model = Policy()


    def select_action(state):
        state = torch.from_numpy(state).float()
        probs = model(state)
        return int(probs.argmax())


    def run():
        state = env.reset()
        for step in range(100):
            state, reward, done, _ = env.step(select_action(state))
    """


def _line(path, text: str) -> str:
    """"train.py:13" of the line holding `text`."""
    number = next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)
    return f"{path.name}:{number}"


def _write(root, script: str, **more) -> str:
    """The repository at `root` (a new folder per variant: files are read once per process)."""
    write_tree(root, {"policy.py": POLICY, "train.py": script, **more})
    return str(root / "policy.py")


def test_an_rl_loop_feeding_the_environment_state_states_one_sample_at_the_call(tmp_path):
    file = _write(tmp_path, LOOP)
    found = feeds_one_sample(str(tmp_path), "Policy", file)
    assert found is not None and found.where == _line(tmp_path / "train.py", "model(state)") and found.positions == [0]


def test_a_batch_added_before_the_call_is_not_one_sample(tmp_path):
    for number, added in enumerate(("torch.from_numpy(state).float().unsqueeze(0)", "torch.from_numpy(state).float()[None]",
                  "torch.tensor([state], dtype=torch.float32)", "torch.FloatTensor(state).view(1, -1)",
                  "torch.from_numpy(np.expand_dims(state, 0)).float()", "torch.FloatTensor(state.reshape(1, -1))",
                  "torch.from_numpy(np.reshape(state, [1, 4])).float()")):
        root = tmp_path / str(number)
        file = _write(root, LOOP.replace("torch.from_numpy(state).float()", added))
        assert feeds_one_sample(str(root), "Policy", file) is None, added


def test_an_agent_holding_the_policy_feeds_the_observation_the_environment_stepped_to(tmp_path):
    agent = """
        import torch

        from policy import Policy


        class Agent:
            def __init__(self, env):
                self.env = env
                self.policy = Policy(observations=8, actions=4)

            def act(self):
                obs, reward, done, info = self.env.step(0)
                obs = torch.as_tensor(obs, dtype=torch.float32).to("cpu")
                return self.policy(obs)
        """
    file = _write(tmp_path, agent)
    found = feeds_one_sample(str(tmp_path), "Policy", file)
    assert found is not None and found.where == _line(tmp_path / "train.py", "self.policy(obs)")


def test_an_image_observation_made_channels_first_and_scaled_is_still_one_sample(tmp_path):
    scaled = LOOP.replace("torch.from_numpy(state).float()", "torch.from_numpy(state).float().permute(2, 0, 1) / 255.0")
    found = feeds_one_sample(str(tmp_path), "Policy", _write(tmp_path, scaled))
    assert found is not None and found.where == _line(tmp_path / "train.py", "model(state)")
    batched = scaled.replace("/ 255.0", "/ 255.0\n        state = state[None]")
    assert feeds_one_sample(str(tmp_path / "batched"), "Policy", _write(tmp_path / "batched", batched)) is None


def test_dataset_arrays_and_replayed_batches_are_not_one_sample(tmp_path):
    dataset = """
        import numpy as np
        import torch

        from policy import Policy

        model = Policy()
        X_train = np.load("features.npy")
        inputs = torch.from_numpy(X_train).float()
        model(inputs)
        """
    assert feeds_one_sample(str(tmp_path / "dataset"), "Policy", _write(tmp_path / "dataset", dataset)) is None
    replay = """
        import numpy as np
        import torch

        from policy import Policy

        model = Policy()


        def learn(memory):
            state = np.vstack([m.state for m in memory])
            model(torch.from_numpy(state).float())
        """
    assert feeds_one_sample(str(tmp_path / "replay"), "Policy", _write(tmp_path / "replay", replay)) is None


def test_the_observations_of_a_vector_of_environments_are_a_batch(tmp_path):
    vector = """
        import torch

        from policy import Policy

        envs = make_vector_env("CartPole-v1", 8)
        model = Policy()
        obs = envs.reset()
        for step in range(100):
            obs = torch.from_numpy(obs).float()
            obs, reward, done, info = envs.step(model(obs).argmax(-1).numpy())
        """
    assert feeds_one_sample(str(tmp_path), "Policy", _write(tmp_path, vector)) is None
    single = vector.replace("envs", "env")
    found = feeds_one_sample(str(tmp_path / "one"), "Policy", _write(tmp_path / "one", single))
    assert found is not None and found.where == _line(tmp_path / "one" / "train.py", "model(obs)")


def test_a_script_that_batches_the_same_states_outvotes_one_that_does_not(tmp_path):
    both = LOOP + """

    def evaluate(state):
        return model(torch.from_numpy(state).float().unsqueeze(0))
    """
    assert feeds_one_sample(str(tmp_path), "Policy", _write(tmp_path, both)) is None


def test_another_scripts_own_class_of_the_same_name_is_left_out(tmp_path):
    # reinforce.py holds its own Policy and batches its states; the traced class is the one in train.py.
    own = POLICY + LOOP.split("from policy import Policy")[1]
    other = POLICY + """
    import torch

    model = Policy()


    def select_action(state):
        return model(torch.from_numpy(state).float().unsqueeze(0))
    """
    write_tree(tmp_path, {"train.py": "    import numpy as np\n    import torch\n" + own, "reinforce.py": other})
    found = feeds_one_sample(str(tmp_path), "Policy", str(tmp_path / "train.py"))
    assert found is not None and found.where.startswith("train.py:")
    assert feeds_one_sample(str(tmp_path), "Policy", str(tmp_path / "reinforce.py")) is None
