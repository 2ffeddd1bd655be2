"""Stand-ins for gym's observation and action spaces, for a model built from an environment's spaces.

`ActorCritic(env.observation_space, env.action_space)` reads `observation_space.shape[0]` and
`action_space.n` in its constructor. The repository mining states the spaces of the environment id the
script names (repo/values_env_spaces.py) as dicts; here they become objects that answer what gym's Box and
Discrete answer (.shape, .n, .high, .low, .dtype, .sample(), .contains()), so no gym is needed. A parameter
no call site states a space for, but whose constructor reads it as one, is given a labelled guess.
"""
from __future__ import annotations

import ast
import random
import re

from reader_app.trace.child.source_uses import _source_tree

try:
    import numpy as np
except ImportError:  # the trace's torch brings numpy; without it the bounds are plain lists
    np = None


class Discrete:
    """gym.spaces.Discrete(n): actions 0 .. n-1."""

    def __init__(self, n: int, start: int = 0):
        self.n, self.start, self.shape, self.dtype = int(n), int(start), (), "int64"

    def sample(self, mask=None) -> int:
        return self.start + random.randrange(self.n)

    def contains(self, x) -> bool:
        return isinstance(x, int) and self.start <= x < self.start + self.n

    def __repr__(self) -> str:
        return f"Discrete({self.n})"


class Box:
    """gym.spaces.Box(low, high, shape): a float (or byte) array of `shape` within its bounds."""

    def __init__(self, shape, low=None, high=None, dtype: str = "float32"):
        self.shape = tuple(int(s) for s in shape)
        self.dtype = np.dtype(dtype) if np is not None else dtype
        self._low, self._high = low, high
        self.low, self.high = self._bound(low, float("-inf")), self._bound(high, float("inf"))

    def _bound(self, value, unbounded: float):
        value = unbounded if value is None else value
        if np is not None:  # one bound for every axis, or one per axis
            return np.broadcast_to(np.asarray(value, dtype=self.dtype), self.shape).copy()
        return list(value) if isinstance(value, list) else [value] * (self.shape[0] if self.shape else 1)

    def sample(self, mask=None):
        low = -1.0 if self._low is None else self._low  # an unbounded axis samples like a normalised one
        high = 1.0 if self._high is None else self._high
        if np is None:
            return [random.uniform(-1.0, 1.0) for _ in range(self.shape[0] if self.shape else 1)]
        return np.random.uniform(low, high, self.shape).astype(self.dtype)

    def contains(self, x) -> bool:
        return tuple(getattr(x, "shape", ())) == self.shape

    def __repr__(self) -> str:
        if self._low is None and self._high is None:  # Box(4,): the form's text reads back as the same space
            return f"Box({', '.join(map(str, self.shape))}{',' if len(self.shape) == 1 else ''})"
        return f"Box({self._low}, {self._high}, {self.shape})"


def stand_in(spec: dict):
    """The space object for a stated space dict ({"kind": "space", "space": "Box", "shape": [4], ...})."""
    if spec.get("space") == "Discrete":
        return Discrete(spec["n"])
    return Box(spec["shape"], spec.get("low"), spec.get("high"), spec.get("dtype") or "float32")


def is_space_spec(value) -> bool:
    return isinstance(value, dict) and value.get("kind") == "space" and value.get("space") in ("Box", "Discrete")


SPACE_TEXT = re.compile(r"^\s*(Discrete|Box)\((.*)\)\s*$")


def from_text(value):
    """A space for the form's text of one ("Discrete(3)", "Box(8,)", "Box(-1.0, 1.0, (2,))"), else the value."""
    match = SPACE_TEXT.match(value) if isinstance(value, str) else None
    if match is None:
        return value
    try:
        parts = ast.literal_eval(f"[{match.group(2)}]")  # "4," and "-1.0, 1.0, (2,)" alike
    except (ValueError, SyntaxError):
        return value
    if match.group(1) == "Discrete" and len(parts) == 1 and isinstance(parts[0], int):
        return Discrete(parts[0])
    if match.group(1) == "Box":
        if all(isinstance(p, int) for p in parts):  # Box(8,) written as its shape
            return Box(parts)
        if len(parts) == 3 and isinstance(parts[2], tuple):
            return Box(parts[2], parts[0], parts[1])
    return value


# what a constructor reads off a space: Discrete answers .n, Box .shape / .high / .low
SPACE_READS = {"n": "Discrete", "shape": "Box", "high": "Box", "low": "Box"}
SPACE_NAME = re.compile(r"(^|_)(space|spaces|obs_space|observation_space|action_space|act_space|ob_space|ac_space)$")


def used_as_space(func, name: str) -> str | None:
    """"Discrete" or "Box" when `func` reads the parameter `name` as a gym space (`name.n`, `name.shape[0]`,
    `name.high`), with a name that says space; None otherwise."""
    if not SPACE_NAME.search(name.lower()):
        return None
    tree = _source_tree(func)
    reads = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute) and
             isinstance(node.value, ast.Name) and node.value.id == name} if tree is not None else set()
    kinds = {SPACE_READS[r] for r in reads if r in SPACE_READS}
    return "Discrete" if kinds == {"Discrete"} else "Box" if kinds == {"Box"} else None


def guessed_space(func, name: str):
    """(space, source) for a space parameter nothing states: 16 observations or 4 actions, said as a guess."""
    kind = used_as_space(func, name)
    if kind is None:
        return None
    space = Discrete(4) if kind == "Discrete" else Box((16,))
    read = "n" if kind == "Discrete" else "shape"
    return space, f"guess: {space!r} (the constructor reads {name}.{read} like a gym space; no environment of " \
                  f"gym's standard set is stated for it)"
