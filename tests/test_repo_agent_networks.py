"""The network an agent acts through (issue 11, held-out class): a plain agent class the training script builds in
its default branch owns an actor and a critic network; its acting method runs only the actor, its training method
both. The actor is the model the repository's agent uses; a second algorithm's agent, built only in a branch the
defaults skip, earns nothing. Each repository is generated here."""
from __future__ import annotations

from tree_helpers import write_tree as write

from reader_app.repo import scan_repo

AGENT = """
import copy
import torch
import torch.nn as nn
import torch.nn.functional as F


class Actor(nn.Module):
    def __init__(self, state_dim, action_dim):
        super().__init__()
        self.l1 = nn.Linear(state_dim, 256)
        self.l2 = nn.Linear(256, action_dim)

    def forward(self, state):
        return torch.tanh(self.l2(F.relu(self.l1(state))))


class Critic(nn.Module):
    def __init__(self, state_dim, action_dim):
        super().__init__()
        self.l1 = nn.Linear(state_dim + action_dim, 256)
        self.l2 = nn.Linear(256, 256)
        self.l3 = nn.Linear(256, 1)

    def forward(self, state, action):
        q = F.relu(self.l1(torch.cat([state, action], 1)))
        return self.l3(F.relu(self.l2(q)))


class AGENT_NAME(object):
    def __init__(self, state_dim, action_dim):
        self.actor = Actor(state_dim, action_dim).to("cpu")
        self.actor_target = copy.deepcopy(self.actor)
        self.critic = Critic(state_dim, action_dim).to("cpu")
        self.critic_optimizer = torch.optim.Adam(self.critic.parameters())
        self.actor_optimizer = torch.optim.Adam(self.actor.parameters())

    def select_action(self, state):
        state = torch.FloatTensor(state.reshape(1, -1))
        return self.actor(state).cpu().data.numpy().flatten()

    def train(self, state, action, target):
        critic_loss = F.mse_loss(self.critic(state, action), target)
        self.critic_optimizer.zero_grad()
        critic_loss.backward()
        self.critic_optimizer.step()
        actor_loss = -self.critic(state, self.actor(state)).mean()
        self.actor_optimizer.zero_grad()
        actor_loss.backward()
        self.actor_optimizer.step()
"""

MAIN = """
import argparse
import numpy as np
import fancy
import plain

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--policy", default="Fancy")
    args = parser.parse_args()
    kwargs = {"state_dim": 17, "action_dim": 6}
    if args.policy == "Fancy":
        policy = fancy.Fancy(**kwargs)
    elif args.policy == "Plain":
        policy = plain.Plain(**kwargs)
    action = policy.select_action(np.zeros(17))
"""


def _repo(tmp_path, agent=AGENT):
    return write(tmp_path / "repo", {"fancy.py": agent.replace("AGENT_NAME", "Fancy"),
                                     "plain.py": agent.replace("AGENT_NAME", "Plain"), "main.py": MAIN})


def test_the_network_the_default_agent_acts_through_is_the_main_model(tmp_path):
    main = scan_repo(_repo(tmp_path)).main
    assert (main.file, main.name) == ("fancy.py", "Actor")
    assert any("acts through it in select_action()" in reason for reason in main.reasons)


def test_an_acting_method_running_both_networks_says_nothing(tmp_path):
    both = AGENT.replace("return self.actor(state).cpu().data.numpy().flatten()",
                         "return self.critic(state, self.actor(state)).cpu().data.numpy().flatten()")
    info = scan_repo(_repo(tmp_path, both))
    assert not any("acts through it" in reason for model in info.models for reason in model.reasons)
