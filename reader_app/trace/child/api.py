"""What the trace calls when forward() is not the model's API.

Some models are never called: a GAN wrapper whose forward() is `raise NotImplemented` holds the generator,
the discriminator and an EMA copy that the training loop calls one by one; a trainer-style container's
forward returns its input untouched; a distribution or a normalizing flow refuses forward() ("cannot be
called for a Distribution object") and is used through `log_prob` and `sample`; an autoencoder without a
forward is used through `encode` and `decode`. Failing there tells the reader nothing, so the trace calls
what the repository calls instead: a method its examples call on instances of the class (else one of the
usual API names the class defines), or else each network the model holds, traced as a model of its own.
"""
from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass, field

import torch.nn as nn

from reader_app.trace.child.reach import forward_params, function_tree

# Method names that serve as a model's API when forward() does not, likeliest first: the ones that read
# a tensor (a density, an embedding) before the ones that make one from a count (sampling, generation).
API_NAMES = ("log_prob", "encode", "embed", "embed_image", "embed_text", "project", "predict", "inference",
             "infer", "decode", "generate", "sample")
# nn.Module's own methods: never the repository's API even when an example calls them (`model.eval()`).
MODULE_METHODS = set(dir(nn.Module))


@dataclass
class Route:
    """How to trace a model whose forward() is not its API.

    Attributes:
        why: what forward() does ("raises NotImplementedError", "returns its input unchanged", "is missing").
        method: the method to call instead, or None.
        method_from: where the repository calls it ("README.md:41"), or "" when chosen by its name.
        networks: (attribute path, module) of each network the model holds: traced on its own unless the
            method already ran it.
    """

    why: str
    method: str | None = None
    method_from: str = ""
    networks: list = field(default_factory=list)

    def sentence(self, model_name: str, networks: list[str]) -> str:
        """The note that says plainly what the trace did instead of calling forward(): the method, and the
        `networks` it traced on their own."""
        done = []
        if self.method:
            done.append(f"traced {self.method}()" + (f", which {self.method_from} calls" if self.method_from else ""))
        if networks:
            done.append(f"traced {'its networks' if len(networks) > 1 else 'its network'} {', '.join(networks)}"
                        + (" on their own" if self.method else ""))
        return f"{self.head(model_name)}: {'; '.join(done)}"

    def head(self, model_name: str) -> str:
        return f"{model_name}'s forward() is not its API (it {self.why})"


def refusal(cls) -> str | None:
    """How `cls.forward` is not an API, or None when it is (it does something with its inputs)."""
    forward = getattr(cls, "forward", None)
    if forward is None or getattr(forward, "__name__", "") == "_forward_unimplemented":
        return "is missing"
    if getattr(forward, "__module__", "").startswith("torch."):
        return None  # a torch layer's forward (nn.Sequential's): the API
    tree = function_tree(forward)
    if tree is None:
        return None
    body = [s for s in tree.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if not body:
        return "does nothing"
    if len(body) != 1:
        return None
    stmt = body[0]
    if isinstance(stmt, ast.Raise):
        raised = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
        name = raised.id if isinstance(raised, ast.Name) else raised.attr if isinstance(raised, ast.Attribute) \
            else "an error"
        said = stmt.exc.args[0].value if isinstance(stmt.exc, ast.Call) and stmt.exc.args and \
            isinstance(stmt.exc.args[0], ast.Constant) and isinstance(stmt.exc.args[0].value, str) else ""
        said = said.strip().rstrip(".")[:120]
        return f"raises {name}" + (f": {said}" if said else "")
    if isinstance(stmt, ast.Pass):
        return "does nothing"
    if isinstance(stmt, ast.Assert) and isinstance(stmt.test, ast.Constant) and not stmt.test.value:
        return "asserts False"  # `assert False, "call G and D, not the wrapper"`
    params = {name for name, _ in forward_params(forward)}
    if isinstance(stmt, ast.Return) and (stmt.value is None or isinstance(stmt.value, ast.Name)
                                         and stmt.value.id in params):
        return "returns its input unchanged" if stmt.value is not None else "does nothing"
    return None


def api_methods(cls) -> list[str]:
    """The public methods the class defines beside nn.Module's own, in definition order."""
    found = []
    for klass in reversed(cls.__mro__):
        if klass in (nn.Module, object) or not issubclass(klass, nn.Module):
            continue
        for name, value in vars(klass).items():
            if name.startswith("_") or name in MODULE_METHODS or name in found:
                continue
            if inspect.isfunction(value) and refusal_of_method(value) is None:
                found.append(name)
    return found


def refusal_of_method(func) -> str | None:
    """A method whose body only raises (an abstract `_sample`) is no API either."""
    tree = function_tree(func)
    if tree is None:
        return None
    body = [s for s in tree.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return "raises" if len(body) == 1 and isinstance(body[0], ast.Raise) else None


def choose_method(cls, called: list[tuple[str, str, bool]]) -> tuple[str, str] | None:
    """(method, where) to trace instead of forward(): the first the repository's examples call on an instance
    with a tensor, then the first they call at all, then the usual API names the class defines. `called`
    holds (method, where, passes a tensor) in the order the examples call them."""
    own = api_methods(cls)
    for wants_tensor in (True, False):
        for method, where, tensor in called:  # a call without a tensor counts for an API-like name only
            if method in own and (tensor or not wants_tensor and api_like(method)) and _takes_input(cls, method):
                return method, where
    return next(((name, "") for name in API_NAMES if name in own and _takes_input(cls, name)), None)


def api_like(name: str) -> bool:
    """`encode_image`, `generate_images`, `log_prob`: a name that reads or makes data (not `save`, `fit`)."""
    return name in API_NAMES or name.startswith(("encode", "decode", "embed", "sample", "generate", "predict",
                                                 "infer", "project"))


def _takes_input(cls, method: str) -> bool:
    """A method the trace can feed: it has at least one argument besides self."""
    try:
        return bool(forward_params(getattr(cls, method)))
    except (TypeError, ValueError):
        return False


def held_networks(model: nn.Module, depth: int = 0) -> list[tuple[str, nn.Module]]:
    """The networks a model holds, each with a forward of its own and weights: a GAN's G, D and EMA copy,
    a trainer's `nets['encoder']`, and those of a held wrapper whose forward is no API either (a trainer
    module holding the GAN wrapper). A wrapper of a network already listed (an augmenting wrapper around D)
    adds no weights of its own and is left out."""
    found, seen = [], set()
    for name, child in _children(model):
        if refusal(type(child)) is not None:
            inner = held_networks(child, depth + 1) if depth < 2 else []
            pairs = [(f"{name}.{n}", m) for n, m in inner]
        else:
            pairs = [(name, child)]
        for path, network in pairs:
            weights = {id(p) for p in network.parameters()}
            if not weights or weights <= seen:
                continue
            seen |= weights
            found.append((path, network))
    return found


def _children(model: nn.Module):
    """Direct children, looking through plain containers (ModuleDict, ModuleList) one level."""
    for name, child in model.named_children():
        if isinstance(child, (nn.ModuleDict, nn.ModuleList)):
            for inner, grandchild in child.named_children():
                yield f"{name}.{inner}", grandchild
        else:
            yield name, child


def route(model: nn.Module, called: list[tuple[str, str, bool]]) -> Route | None:
    """How to trace a model whose forward() is not its API; None when forward() is (the usual case) or when
    nothing else can be traced (the forward's own failure then says why)."""
    why = refusal(type(model))
    if why is None:
        return None
    chosen = choose_method(type(model), called)
    networks = held_networks(model)
    if chosen is None and not networks:
        return None
    method, where = chosen or (None, "")
    return Route(why, method=method, method_from=where, networks=networks)
