"""The network an agent acts through: a plain (non-nn.Module) class an entry script builds in the branch its
default options take (`policy = TD3.TD3(**kwargs)` under `if args.policy == "TD3":`) owns several networks
(`self.actor = Actor(...)`, `self.critic = Critic(...)`); the method it acts with runs only one of them and learns
nothing (`def select_action(self, state): return self.actor(state)...`, no `.backward()`). That network is what
the repository's model does at use time; the others serve the training. Read as ast; nothing is run.
"""
from __future__ import annotations

import ast


def acting_networks(index, builder, entries) -> dict[str, str]:
    """{network class qualname: a phrase naming the agent, the method and the script that builds the agent}."""
    out: dict[str, str] = {}
    for pf in entries:
        untaken = builder.untaken(pf)
        for call in pf.deep(pf.tree):
            if not isinstance(call, ast.Call) or id(call) in untaken:
                continue
            agent = _plain_class(index, index.resolve(pf, call.func))
            if agent is None or agent.is_module:
                continue
            owned = _owned_networks(index, builder, agent)
            if len(set(owned.values())) < 2:
                continue  # one network: nothing to choose between
            for method in agent.node.body:
                if not isinstance(method, ast.FunctionDef) or method.name.startswith("__") or _learns(method):
                    continue
                run = {owned[attr] for attr in _returned_runs(method) if attr in owned}
                if len(run) == 1:
                    qualname = run.pop()
                    out.setdefault(qualname, f"the agent {agent.name} ({pf.rel}:{call.lineno} builds it) acts "
                                             f"through it in {method.name}() ({agent.file.rel}:{method.lineno})")
    return out


def _plain_class(index, path: str | None):
    """The top-level class (nn.Module or not) at the dotted path (index.class_at answers nn.Modules only)."""
    found = index.lookup(path) if path else None
    if found is None or found[0] != "class":
        return None
    pf, name = found[1], found[2]
    return index.classes.get(f"{pf.module}.{name}" if pf.module else name)


def _owned_networks(index, builder, agent) -> dict[str, str]:
    """{attribute: network class qualname} of `self.attr = Net(...)` (or `Net(...).to(device)`) in __init__."""
    init = next((n for n in agent.node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
    out: dict[str, str] = {}
    for node in ast.walk(init) if init is not None else ():
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Attribute)
                and isinstance(node.targets[0].value, ast.Name) and node.targets[0].value.id == "self"):
            continue
        value = node.value
        while isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and \
                isinstance(value.func.value, ast.Call):  # `Net(...).to(device)`, `.cuda()`
            value = value.func.value
        if isinstance(value, ast.Call):
            info = builder.class_of_chain(agent.file, value.func)
            if info is not None:
                out[node.targets[0].attr] = info.qualname
    return out


def _learns(method: ast.FunctionDef) -> bool:
    """Whether the method trains: it calls `.backward()` or an optimizer's `.step()`."""
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in ("backward", "step")
               for n in ast.walk(method))


def _returned_runs(method: ast.FunctionDef) -> set[str]:
    """Attributes `self.attr(...)` the method calls inside what it returns (directly or through a name it
    returns)."""
    returned = [n.value for n in ast.walk(method) if isinstance(n, ast.Return) and n.value is not None]
    names = {n.id for r in returned for n in ast.walk(r) if isinstance(n, ast.Name)}
    sources = list(returned) + [n.value for n in ast.walk(method) if isinstance(n, ast.Assign)
                                and any(isinstance(t, ast.Name) and t.id in names for t in n.targets)]
    return {n.func.attr for s in sources for n in ast.walk(s) if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name) and n.func.value.id == "self"}
