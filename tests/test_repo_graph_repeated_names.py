"""The composition graph reads each name of a class body once, whatever order its mentions come in: a class
named in a type check as well as built (in either order) is a part; one named only in type checks is not; a
factory named several times builds its class wherever it is named. A generated repository, read as a user
sees it (ranking reasons)."""
from __future__ import annotations

import textwrap

from reader_app.repo import scan_repo

MODELS = '''
import torch.nn as nn


class Leaf(nn.Module):
    def forward(self, x):
        return x


def make_leaf():
    return Leaf()


class Checker(nn.Module):
    def forward(self, m):
        return isinstance(m, Leaf) or isinstance(m, (Leaf, nn.Linear))


class Builder(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = Leaf()

    def forward(self, x):
        return self.a(x)

    def holds(self, m):
        return isinstance(m, Leaf)


class Maker(nn.Module):
    def holds(self, m):
        return isinstance(m, Leaf)

    def __init__(self):
        super().__init__()
        self.parts = [Leaf() for _ in range(3)]

    def forward(self, x):
        return x


class Stack(nn.Module):
    def __init__(self):
        super().__init__()
        self.first, self.second = make_leaf(), make_leaf()

    def forward(self, x):
        return self.second(self.first(x))
'''

TRAIN = '''
from models import Builder, make_leaf

net = Builder()
extra = make_leaf()
again = make_leaf()
'''


def _scan(tmp_path):
    (tmp_path / "models.py").write_text(textwrap.dedent(MODELS))
    (tmp_path / "train.py").write_text(textwrap.dedent(TRAIN))
    return scan_repo(tmp_path)


def test_a_class_type_checked_and_built_in_either_order_is_a_part_and_one_only_checked_is_not(tmp_path):
    info = _scan(tmp_path)
    leaf = info.model_named("Leaf")
    part_of = next(r for r in leaf.reasons if r.startswith("a part of"))
    assert "Builder" in part_of and "Maker" in part_of and "Stack" in part_of and "Checker" not in part_of
    assert "built from 1 of the repository's own modules" in info.model_named("Builder").reasons
    assert "built from 1 of the repository's own modules" in info.model_named("Maker").reasons
    assert "built from 1 of the repository's own modules" in info.model_named("Stack").reasons
    assert not any(r.startswith("built from") for r in info.model_named("Checker").reasons)


def test_a_factory_named_again_and_again_builds_its_class_in_each_file_that_names_it(tmp_path):
    info = _scan(tmp_path)
    assert info.main.name == "Builder"
    leaf = info.model_named("Leaf").reasons
    assert "the repository builds it through 1 factory: make_leaf()" in leaf
    assert "built or named in 2 files outside the model classes" in leaf  # the factory's file and train.py
