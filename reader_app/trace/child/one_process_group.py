"""A one-process group for a forward() written for distributed training: MoCo-like code gathers keys from every
GPU (`torch.distributed.all_gather`, `broadcast`, `get_world_size()`), which fails outright when no process group
exists. A gloo group of world size 1, met through a file in the scratch folder (no network), makes every
collective the identity: the shapes are those of one process. An installed model-parallel library whose groups
the model's layers read at build time gets them set up the same way, for one process.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import tempfile

import torch.nn as nn

_USES = re.compile(r"\btorch\.distributed\b|\bfrom\s+torch\s+import\s+distributed\b|\bimport\s+torch\.distributed\b")


def uses_distributed(model: nn.Module, files) -> bool:
    """Whether a module of the repository that defines one of the model's classes names torch.distributed."""
    seen = set()
    for module in model.modules():
        source = getattr(sys.modules.get(type(module).__module__), "__file__", None)
        if not source or source in seen:
            continue
        seen.add(source)
        if source not in files:
            continue
        try:
            with open(source, encoding="utf-8", errors="replace") as handle:
                if _USES.search(handle.read()):
                    return True
        except OSError:
            continue
    return False


def ensure(model: nn.Module, files) -> str | None:
    """Start the group when the model's code needs one and none exists; the degraded note, else None."""
    try:
        import torch.distributed as dist
    except ImportError:
        return None
    if not dist.is_available() or dist.is_initialized() or not uses_distributed(model, files):
        return None
    if not _start(dist):  # no gloo in this build: the forward's own error will say what it needed
        return None
    return "the model's code uses torch.distributed: a one-process gloo group (world size 1) was started, " \
           "so its collectives (all_gather, broadcast) return their input"


def _start(dist) -> bool:
    """A gloo group of one process, met through a file in a fresh scratch folder (no network)."""
    meeting = os.path.join(tempfile.mkdtemp(prefix="pg-"), "store")
    try:
        dist.init_process_group("gloo", init_method=f"file://{meeting}", rank=0, world_size=1)
    except Exception:
        return False
    return True


# The state module of an installed model-parallel library (fairscale.nn.model_parallel.initialize,
# megatron.core.parallel_state, megatron.mpu): it holds the groups its layers read their world size from.
_PARALLEL_STATE = re.compile(r"(^|\.)(model_parallel|tensor_parallel|mpu|parallel_state)(\.|$)")


def initialize_model_parallel() -> str | None:
    """An installed model-parallel library the model's code imported whose groups nobody set up (its layers
    assert "model parallel group is not initialized"): set them up for one process, as the repository's
    launcher does on one GPU (`init_process_group`, then `initialize_model_parallel(1)`). The library itself
    is used as it is. The degraded note, else None."""
    try:
        import torch.distributed as dist
    except ImportError:
        return None
    for name, module in list(sys.modules.items()):
        # a missing library's placeholder has no file: its stand-ins need no group (model_parallel.py)
        if not _PARALLEL_STATE.search(name) or not isinstance(getattr(module, "__file__", None), str):
            continue
        setup = getattr(module, "initialize_model_parallel", None)
        ready = getattr(module, "model_parallel_is_initialized", None)
        if not callable(setup) or not callable(ready) or not dist.is_available():
            continue
        try:
            if ready() or not (dist.is_initialized() or _start(dist)):
                return None
            with contextlib.redirect_stdout(io.StringIO()):  # it prints the sizes it sets up
                setup(1)
        except Exception:  # its own error shows where the model needs the group, as it would have
            return None
        return f"model-parallel package '{name.split('.')[0]}': its groups set up for one process " \
               f"(initialize_model_parallel(1) in a one-process gloo group), as its launcher would on one GPU"
    return None

