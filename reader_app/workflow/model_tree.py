"""The main model's layers as one flat list: its own layers, the parts of its containers, and the
layers of the repository's own submodules (an `Encoder` built inside the model), with dotted names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from reader_app.repo import Layer, ModelClass, RepoInfo


@dataclass
class ModelLayer:
    """One layer of the main model, wherever in the model tree it sits.

    Attributes:
        name: dotted name from the main model ("encoder.lstm", "bottleneck.0").
        layer: the repository engine's layer record.
        file: the file that builds it (relative to the repository root).
        owner: the class whose __init__ builds it.
        depth: how deep in the tree: 0 for the main model's own layers, 1 for their parts, ...
    """

    name: str
    layer: Layer
    file: str
    owner: str
    depth: int

    @property
    def type(self) -> str:
        return self.layer.type


def model_layers(repo: RepoInfo, model: ModelClass | None = None, max_depth: int = 3) -> list[ModelLayer]:
    """Every layer of `model` (default: the main model) and of its local submodules, in definition order."""
    model = model or repo.main
    if model is None:
        return []
    out: list[ModelLayer] = []
    _walk(repo, model, repo.layers_of(model), "", 0, max_depth, out, {model.name})
    return out


def _walk(repo: RepoInfo, owner: ModelClass, layers: list[Layer], base: str, depth: int, max_depth: int,
          out: list[ModelLayer], seen: set[str]) -> None:
    """`base` is the dotted path of the owner instance ("" for the main model); children names are
    already dotted from their owner ("bottleneck.0"), so they join the same base."""
    for layer in layers:
        if layer.type in ("nn.Parameter", "Parameter"):
            continue  # a weight, not a layer
        name = f"{base}.{layer.name}" if base else layer.name
        out.append(ModelLayer(name, layer, owner.file, owner.name, name.count(".")))
        if layer.children:
            _walk(repo, owner, layer.children, base, depth, max_depth, out, seen)
        local = repo.local_model(layer)
        if local is not None and depth < max_depth and local.name not in seen:
            _walk(repo, local, repo.layers_of(local), name, depth + 1, max_depth, out, seen | {local.name})


def traced_name(name: str) -> str:
    """The name a trace gives a layer: the first part of a list (`h[i]`) is module `h.0`."""
    return re.sub(r"\[\w+\]", ".0", name)
