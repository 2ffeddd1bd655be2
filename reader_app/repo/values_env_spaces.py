"""Constructor values a script reads off a reinforcement-learning environment's spaces.

`env = gym.make(args.env)` then `ActorCritic(env.observation_space, env.action_space)` or
`state_dim = env.observation_space.shape[0]; Net(state_dim, env.action_space.n)`: the environment id is
stated (an argparse default, a constant, a literal) and gym registers its spaces, so the values are known
without running gym (repo/gym_spaces.py). A space handed over whole is a space dict the tracing child stands
in for; a size read off it (`.shape[0]`, `.n`, `float(.high[0])`, `np.prod(.shape)`) is a plain number.
Provenance names where the id is stated and what gym registers for it.
"""
from __future__ import annotations

import ast
import math
import os
import re

from reader_app.repo.gym_spaces import env_summary, spaces_of
from reader_app.repo.values_guards import MODULE_LEVEL
from reader_app.repo.values_literal import dotted_name, literal
from reader_app.repo.values_source import read

SPACES = {"observation_space": 0, "action_space": 1,  # a vector env's per-copy spaces read the same
          "single_observation_space": 0, "single_action_space": 1}
MAKERS = {"make", "make_vec"}  # gym.make(id), gymnasium.make(id), gym.vector.make(id, num_envs)
PASS_THROUGH = {"unwrapped", "env"}  # env.unwrapped.observation_space: the same spaces
# wrappers that leave both spaces as they are (a frame stack, a resize or a flattening does not)
KEEPING = {"Monitor", "RecordEpisodeStatistics", "RecordVideo", "TimeLimit", "OrderEnforcing", "ClipAction",
           "PassiveEnvChecker", "AutoResetWrapper", "Autoreset"}
# make() keywords that leave the registered spaces alone; any other (`continuous=True`, `obs_type='ram'`) may not
PLAIN_KEYWORDS = {"render_mode", "max_episode_steps", "disable_env_checker", "apply_api_compatibility",
                  "new_step_api", "autoreset", "num_envs", "asynchronous", "vectorization_mode"}
PRODUCTS = {"prod", "product"}  # np.prod(env.observation_space.shape)


def mentions_space(node: ast.AST) -> bool:
    """Whether an expression reads an environment's space (`env.action_space`, `obs_space.shape`): the cheap test
    before any name is followed, asked of every expression the miner could not read otherwise."""
    return any(isinstance(n, ast.Attribute) and n.attr in SPACES or isinstance(n, ast.Name) and "space" in n.id
               for n in ast.walk(node))


def space_value(node: ast.AST, scope, depth: int = 0):
    """(value, "rel:line ...") for an expression a script reads off an environment gym registers: a space
    dict for `env.observation_space`, a number for a size of it; None when it is no such expression or the
    environment id is not stated or not known."""
    if depth > 6:
        return None
    if isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords:
        func = node.func.id if isinstance(node.func, ast.Name) else \
            node.func.attr if isinstance(node.func, ast.Attribute) else ""
        if func in ("int", "float") or func in PRODUCTS:
            inner = space_value(node.args[0], scope, depth + 1)
            if inner is None:
                return None
            value, where = inner
            if func in PRODUCTS and isinstance(value, list) and all(isinstance(v, int) for v in value):
                return math.prod(value), where
            if func in ("int", "float") and isinstance(value, (int, float)) and not isinstance(value, bool):
                return (int(value) if func == "int" else float(value)), where
        return None
    if isinstance(node, ast.Subscript):  # `.shape[0]`, `.high[0]`
        inner = space_value(node.value, scope, depth + 1)
        index = literal(node.slice)
        if inner is None or not isinstance(inner[0], list) or not isinstance(index, int):
            return None
        try:
            return inner[0][index], inner[1]
        except IndexError:
            return None
    if isinstance(node, ast.Attribute) and node.attr in SPACES:
        made = environment(node.value, scope, depth + 1)
        if made is None or made[2] and not node.attr.startswith("single_"):  # a vector env's spaces are batched
            return None
        env_id, where, _ = made
        return dict(spaces_of(env_id)[SPACES[node.attr]]), where
    if isinstance(node, ast.Attribute) and node.attr in ("shape", "n", "high", "low"):
        inner = space_value(node.value, scope, depth + 1)
        field = _field(inner[0], node.attr) if inner is not None and isinstance(inner[0], dict) else None
        return (field, inner[1]) if field is not None else None  # a Box has no .n: not stated, never None
    if isinstance(node, ast.Name):  # `obs_space = env.observation_space` above
        assigned = _assigned(node.id, scope, depth)
        return space_value(assigned, scope, depth + 1) if assigned is not None else None
    return None


def _field(space: dict, attr: str):
    """What gym's Box/Discrete answers for `attr`: .shape a list, .n a count, .high/.low one bound per axis."""
    if space.get("space") == "Discrete":
        return {"n": space["n"], "shape": []}.get(attr)
    if attr == "shape":
        return list(space["shape"])
    if attr == "n":
        return None
    bound = space.get(attr)  # one bound for every axis, or one per axis (CarRacing's gas and brake start at 0)
    if isinstance(bound, list):
        return list(bound)
    return [bound] * space["shape"][0] if bound is not None and len(space["shape"]) == 1 else None


def environment(node: ast.AST, scope, depth: int = 0) -> tuple[str, str, bool] | None:
    """(environment id, provenance, whether it is a vector of copies) for an expression that is an environment
    gym makes from a stated id, as it is or through a wrapper that keeps its spaces."""
    while isinstance(node, ast.Attribute) and node.attr in PASS_THROUGH:
        node = node.value
    if isinstance(node, ast.Name) and depth <= 6:
        assigned = _assigned(node.id, scope, depth)
        return environment(assigned, scope, depth + 1) if assigned is not None else None
    if not isinstance(node, ast.Call):
        return None
    func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    if func in KEEPING and node.args and depth <= 6:  # `Monitor(gym.make(id), dir)`
        return environment(node.args[0], scope, depth + 1)
    if func not in MAKERS or any(k.arg not in PLAIN_KEYWORDS | {"id", "env_id"} for k in node.keywords):
        return _helper_made(node, scope, depth) if isinstance(node.func, ast.Name) else None
    vector = func == "make_vec" or ".vector." in f".{ast.unparse(node.func)}."
    id_node = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg in ("id", "env_id")),
                                                  None)
    if id_node is None:
        return None
    before = dict(scope.where)  # the id's own provenance is read here, not left for the caller's names
    env_id = literal(id_node, scope.resolve)
    made_at = f"{scope.unit.rel}:{node.lineno}"
    stated = scope.where.get(dotted_name(id_node) or "", made_at)
    scope.where.clear()
    scope.where.update(before)
    if not isinstance(env_id, str) or spaces_of(env_id) is None:
        return None
    if stated == made_at:  # `gym.make('CartPole-v1')`: the id and the environment on one line
        return env_id, f"{made_at} {' '.join(ast.unparse(node).split())[:80]} ({env_summary(env_id)})", vector
    return env_id, f"{stated} {_label(id_node, stated, scope)}{env_id!r} ({env_summary(env_id)}; made at " \
                   f"{made_at})", vector


def _helper_made(call: ast.Call, scope, depth: int):
    """`env = make_env(args.env)` with the module's `def make_env(name): return gym.make(name)`: the helper's
    environment, its id the argument the call hands it; None when the helper does more (wraps, resizes)."""
    helper = next((f for f in scope.unit.tree.body if isinstance(f, ast.FunctionDef) and f.name == call.func.id),
                  None)
    if helper is None or depth > 4:
        return None
    returns = [n.value for n in ast.walk(helper) if isinstance(n, ast.Return) and n.value is not None]
    if len(returns) != 1:
        return None
    made = returns[0]
    if isinstance(made, ast.Name):  # `env = gym.make(name); return env`, assigned once
        assigned = [n for n in ast.walk(helper) if isinstance(n, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == made.id for t in n.targets)]
        made = assigned[0].value if len(assigned) == 1 else None
    if not (isinstance(made, ast.Call) and made.args and isinstance(made.args[0], ast.Name)):
        return None
    func = made.func.attr if isinstance(made.func, ast.Attribute) else getattr(made.func, "id", "")
    params = [a.arg for a in helper.args.args]
    if func not in MAKERS or made.keywords or made.args[0].id not in params:
        return None
    index = params.index(made.args[0].id)
    handed = call.args[index] if index < len(call.args) else next(
        (k.value for k in call.keywords if k.arg == made.args[0].id), None)
    if handed is None:
        return None
    # the helper's make() of the handed id, at the caller's line
    stand_in = ast.Call(func=made.func, args=[handed], keywords=[], lineno=call.lineno, col_offset=0)
    return environment(stand_in, scope, depth + 1)


def _label(id_node: ast.AST, stated: str, scope) -> str:
    """"--env " when the id is an option's default (the option as the parser names it), else the name."""
    if isinstance(id_node, ast.Constant):
        return ""
    rel, _, line = stated.partition(" ")[0].rpartition(":")
    lines = read(os.path.join(scope.root, rel)).splitlines() if rel and line.isdigit() and \
        rel.endswith(".py") else []
    text = lines[int(line) - 1] if lines and 0 < int(line) <= len(lines) else ""
    option = re.search(r"""["'](--[\w-]+)["']""", text) if "add_argument" in text else None
    return f"{option.group(1)} " if option else f"{ast.unparse(id_node)} = "


def _assigned(name: str, scope, depth: int):
    """The expression the enclosing function (else the module) last assigns to `name`, None when neither does."""
    for owner in ([scope.function] if scope.function is not None else []) + [MODULE_LEVEL]:
        node = scope.assignment_in(owner, name, depth, set())
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            return node.value
        if isinstance(node, (ast.AnnAssign,)) and node.value is not None:
            return node.value
        if node is not None:
            return None
    return None
