"""The observation and action spaces of gym's standard registered environments, by environment id.

Reinforcement-learning repositories size their networks from `gym.make(id)`'s spaces; the id is stated
(an argparse default, a constant) but the sizes live in gym's registry. The trace never needs gym itself:
a space here is a plain dict, {"kind": "space", "space": "Box", "shape": [4], "low": None, "high": None}
or {"kind": "space", "space": "Discrete", "n": 2}, which the tracing child turns into an object answering
.shape, .n, .high, .low and .sample() like gym's (trace/child/env_spaces.py). None bounds are unbounded.
Sizes are gym's/gymnasium's registered defaults (no wrapper, no keyword to make()).
"""
from __future__ import annotations

import re


def box(*shape: int, low=None, high=None, dtype: str = "float32") -> dict:
    return {"kind": "space", "space": "Box", "shape": list(shape), "low": low, "high": high, "dtype": dtype}


def discrete(n: int) -> dict:
    return {"kind": "space", "space": "Discrete", "n": n}


# name without version -> (observation space, action space); a few versions differ (VERSIONED below)
ENVIRONMENTS: dict[str, tuple[dict, dict]] = {
    # classic control
    "CartPole": (box(4), discrete(2)),
    "MountainCar": (box(2), discrete(3)),
    "MountainCarContinuous": (box(2), box(1, low=-1.0, high=1.0)),
    "Pendulum": (box(3), box(1, low=-2.0, high=2.0)),
    "Acrobot": (box(6), discrete(3)),
    # Box2D
    "LunarLander": (box(8), discrete(4)),
    "LunarLanderContinuous": (box(8), box(2, low=-1.0, high=1.0)),
    "BipedalWalker": (box(24), box(4, low=-1.0, high=1.0)),
    "BipedalWalkerHardcore": (box(24), box(4, low=-1.0, high=1.0)),
    "CarRacing": (box(96, 96, 3, low=0, high=255, dtype="uint8"), box(3, low=[-1.0, 0.0, 0.0], high=1.0)),
    # MuJoCo (v1-v4 observations; v5 changes some, below)
    "HalfCheetah": (box(17), box(6, low=-1.0, high=1.0)),
    "Hopper": (box(11), box(3, low=-1.0, high=1.0)),
    "Walker2d": (box(17), box(6, low=-1.0, high=1.0)),
    "Ant": (box(111), box(8, low=-1.0, high=1.0)),
    "Humanoid": (box(376), box(17, low=-0.4, high=0.4)),
    "HumanoidStandup": (box(376), box(17, low=-0.4, high=0.4)),
    "Swimmer": (box(8), box(2, low=-1.0, high=1.0)),
    "Reacher": (box(11), box(2, low=-1.0, high=1.0)),
    "Pusher": (box(23), box(7, low=-2.0, high=2.0)),
    "InvertedPendulum": (box(4), box(1, low=-3.0, high=3.0)),
    "InvertedDoublePendulum": (box(11), box(1, low=-1.0, high=1.0)),
}

VERSIONED: dict[str, tuple[dict, dict]] = {
    "Ant-v4": (box(27), box(8, low=-1.0, high=1.0)),
    "Ant-v5": (box(105), box(8, low=-1.0, high=1.0)),
    "Humanoid-v5": (box(348), box(17, low=-0.4, high=0.4)),
    "HumanoidStandup-v5": (box(348), box(17, low=-0.4, high=0.4)),
    "Reacher-v5": (box(10), box(2, low=-1.0, high=1.0)),
    "InvertedDoublePendulum-v5": (box(9), box(1, low=-1.0, high=1.0)),
}

# Atari games: their minimal action set; the screen is (210, 160, 3) bytes, the RAM variant 128 bytes
ATARI_ACTIONS = {"Pong": 6, "Breakout": 4, "SpaceInvaders": 6, "Seaquest": 18, "BeamRider": 9, "Qbert": 6,
                 "Enduro": 9, "MsPacman": 9, "Asteroids": 14, "Boxing": 18, "Freeway": 3, "Alien": 18,
                 "Assault": 7, "Atlantis": 4, "Gopher": 8, "KungFuMaster": 14, "Riverraid": 18, "RoadRunner": 18}

# "CartPole-v1", "PongNoFrameskip-v4", "Pong-ramDeterministic-v4", "ALE/Breakout-v5"
ENV_ID = re.compile(r"^(?:ALE/)?([A-Za-z][A-Za-z0-9]*?)(-ram)?(NoFrameskip|Deterministic)?(?:-v(\d+))?$")


def spaces_of(env_id: str) -> tuple[dict, dict] | None:
    """(observation space, action space) gym registers for `env_id`, None for an id this table lacks."""
    if not isinstance(env_id, str):
        return None
    if env_id in VERSIONED:
        return VERSIONED[env_id]
    match = ENV_ID.match(env_id.strip())
    if match is None:
        return None
    name, ram, frames, _ = match.groups()
    if name in ATARI_ACTIONS:
        screen = box(128, low=0, high=255, dtype="uint8") if ram else box(210, 160, 3, low=0, high=255, dtype="uint8")
        return screen, discrete(ATARI_ACTIONS[name])
    if frames or ram:
        return None
    return ENVIRONMENTS.get(name)


def space_text(space: dict) -> str:
    """"a Box of shape (4,)", "Discrete(2)"."""
    if space.get("space") == "Discrete":
        return f"Discrete({space['n']})"
    return f"a Box of shape {tuple(space['shape'])}"


def env_summary(env_id: str) -> str:
    """"gym's CartPole-v1: 4 observations, 2 actions" (a Box's sizes when it has more than one axis)."""
    spaces = spaces_of(env_id)
    if spaces is None:
        return ""
    obs, act = spaces
    seen = f"{obs['shape'][0]} observations" if len(obs["shape"]) == 1 else f"observations {tuple(obs['shape'])}"
    acts = f"{act['n']} actions" if act["space"] == "Discrete" else f"{act['shape'][0]} continuous actions" + (
        f" in [{act['low']}, {act['high']}]" if not isinstance(act["low"], list) else "")
    return f"gym's {env_id}: {seen}, {acts}"
