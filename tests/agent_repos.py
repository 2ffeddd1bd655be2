"""A small policy network that agent classes build in their constructors (shared by the value-miner and trace
tests of networks built through a wrapper)."""

NETWORK = """
import torch.nn as nn


class Policy(nn.Module):
    def __init__(self, state_dim, action_dim, hidden):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(state_dim, hidden), nn.Tanh(), nn.Linear(hidden, action_dim))

    def forward(self, state):
        return self.body(state)
"""
