"""Which forward() arguments are a graph's adjacency (graph_inputs.py), also when forward hands them to a method
of the model's own (`mu, logvar = self.encode(x, adj)`) before a layer multiplies `torch.spmm(adj, support)`;
and inputs whose axis is a guessed constructor argument (tied_axes.py). Run by tests/test_trace_child_units.py
in a process of their own (torch stays out of the test process)."""
from __future__ import annotations

import torch
import torch.nn as nn


class GraphLayer(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(n_in, n_out))

    def forward(self, feats, adj):
        support = torch.mm(feats, self.weight)
        return torch.spmm(adj, support)


class ThroughOwnMethod(nn.Module):
    def __init__(self):
        super().__init__()
        self.first, self.second = GraphLayer(8, 4), GraphLayer(4, 2)

    def encode(self, x, adj):
        hidden = self.first(x, adj)
        return self.second(hidden, adj)

    def forward(self, x, adj):
        z = self.encode(x, adj)
        return torch.mm(z, z.t())


class Projected(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(8, 4))

    def project(self, x, shift):
        return torch.mm(x, self.weight) + shift  # a product with the model's own weight, no other input

    def forward(self, x, shift):
        return self.project(x, shift)


def test_an_adjacency_handed_through_the_models_own_method_is_found():
    from reader_app.trace.child.graph_inputs import adjacency_params
    assert adjacency_params(ThroughOwnMethod(), None, ["x", "adj"]) == {"adj"}
    assert adjacency_params(Projected(), None, ["x", "shift"]) == set()


def test_a_tied_input_axis_takes_the_guessed_constructor_value():
    from types import SimpleNamespace

    from reader_app.trace.child.plans import InputPlan
    from reader_app.trace.child.tied_axes import with_tied_axes

    recipe = SimpleNamespace(args={"n_in": 48}, ties={"n_in": {
        "kind": "runtime", "text": "feats.shape[1]", "where": "train.py:9", "input": {"position": 0}, "axis": 1}})
    plans = [InputPlan("x", ["nodes", 32]), InputPlan("adj", ["nodes", "nodes"])]
    (tied,) = with_tied_axes([plans], recipe, ThroughOwnMethod.forward)
    assert tied[0].dims == ["nodes", 48] and "train.py:9" in tied[0].why
    assert tied[1] is plans[1]
    assert with_tied_axes([plans], SimpleNamespace(args={}, ties={}), ThroughOwnMethod.forward) == [plans]
