"""A one-process group for a forward() written for distributed training: MoCo-like code gathers keys from every
GPU (`torch.distributed.all_gather`, `broadcast`, `get_world_size()`), which fails outright when no process group
exists. A gloo group of world size 1, met through a file in the scratch folder (no network), makes every
collective the identity: the shapes are those of one process.
"""
from __future__ import annotations

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
    meeting = os.path.join(tempfile.mkdtemp(prefix="pg-"), "store")
    try:
        dist.init_process_group("gloo", init_method=f"file://{meeting}", rank=0, world_size=1)
    except Exception:  # no gloo in this build: the forward's own error will say what it needed
        return None
    return "the model's code uses torch.distributed: a one-process gloo group (world size 1) was started, " \
           "so its collectives (all_gather, broadcast) return their input"

