"""The sentence for a model whose only builder reads its sizes from a checkpoint (`build_model(state_dict)`):
guessed sizes would trace another model, so the trace says which values, and where, instead."""
from __future__ import annotations

import inspect
import os

from reader_app.repo.values_state_dict import state_dict_builders
from reader_app.trace.child.param_classes import parameters


def checkpoint_sentence(target, sources: dict | None, root: str | None) -> tuple[str, tuple[str, int]] | None:
    """(sentence, (file, line) of the builder's call) when the repository builds `target` from a state dict's
    tensors and states none of those sizes elsewhere; `sources` is the direct recipe's name -> where (None
    when it could not be made). None otherwise."""
    if not root or not inspect.isclass(target):
        return None
    try:
        builders = state_dict_builders(root, target.__name__, [p.name for p in parameters(target)])
    except Exception:  # reading the repository is a help: a failure there leaves the guesses
        return None
    for builder in builders:
        unstated = [p for p in builder.params if sources is None  # also "set by x.py:9 from ...; guessed"
                    or "guess" in str(sources.get(p, "guess")).split(":")[0] or str(sources[p]).endswith("guessed")]
        stated = [p for p in builder.params if sources and p in sources and p not in unstated
                  and not builder.holds(sources[p]) and sources[p] not in ("default", "--arg")]
        if unstated and not stated:  # a size the repository states elsewhere: its values, not a checkpoint's
            names = ", ".join(builder.params[:6]) + (", ..." if len(builder.params) > 6 else "")
            file, _, line = builder.where.rpartition(":")
            return (f"{builder.function}() ({builder.where}) reads its sizes ({names}) from the tensors of a "
                    f"checkpoint's state dict, and the repository states them nowhere else; give them with "
                    f"--arg {unstated[0]}=VALUE and the others the same way", (os.path.join(root, file), int(line)))
    return None
