"""Generated reinforcement-learning repositories whose networks are sized by a gym environment's spaces (shared
by the value-miner and trace tests): the spaces handed over whole, or their sizes read at the call site, with
the environment id stated as an argparse default, a module constant or a literal."""

# The network reads the spaces itself: `observation_space.shape[0]`, `action_space.n`.
SPACES_NET = """
import torch.nn as nn


class ActorCritic(nn.Module):
    def __init__(self, observation_space, action_space, hidden_size):
        super().__init__()
        self.state_size = observation_space.shape[0]
        self.action_size = action_space.n
        self.fc1 = nn.Linear(self.state_size, hidden_size)
        self.actor = nn.Linear(hidden_size, self.action_size)
        self.critic = nn.Linear(hidden_size, 1)

    def forward(self, x):
        h = self.fc1(x).relu()
        return self.actor(h).softmax(dim=1), self.critic(h)
"""

# Spaces handed over whole; the id is the parser's default.
SPACES_WHOLE = {"model.py": SPACES_NET, "main.py": """
import argparse

import gym

from model import ActorCritic

parser = argparse.ArgumentParser()
parser.add_argument('--hidden-size', type=int, default=48)
parser.add_argument('--env', type=str, default='Acrobot-v1', help='environment name')


def main():
    args = parser.parse_args()
    env = gym.make(args.env)
    model = ActorCritic(env.observation_space, env.action_space, args.hidden_size)
    return model


if __name__ == "__main__":
    main()
"""}

# Sizes read at the call site; a continuous (Box) action space; the id a module constant.
SIZES_NET = """
import torch
import torch.nn as nn


class Actor(nn.Module):
    def __init__(self, state_dim, action_dim, max_action):
        super().__init__()
        self.l1 = nn.Linear(state_dim, 64)
        self.l2 = nn.Linear(64, action_dim)
        self.max_action = max_action

    def forward(self, state):
        return self.max_action * torch.tanh(self.l2(torch.relu(self.l1(state))))
"""

SIZES_AT_CALL = {"actor.py": SIZES_NET, "train.py": """
import gymnasium as gym

from actor import Actor

ENV_NAME = "BipedalWalker-v3"

if __name__ == "__main__":
    env = gym.make(ENV_NAME)
    state_dim = env.observation_space.shape[0]
    max_action = float(env.action_space.high[0])
    actor = Actor(state_dim, env.action_space.shape[0], max_action)
"""}

# The spaces come from an environment the repository makes itself: no registered id states them.
UNSTATED = {"model.py": SPACES_NET, "main.py": """
from model import ActorCritic
from my_envs import GridWorld


if __name__ == "__main__":
    env = GridWorld(size=int(input()))
    model = ActorCritic(env.observation_space, env.action_space, 32)
"""}
