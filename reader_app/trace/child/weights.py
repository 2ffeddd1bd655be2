"""Pretrained weights are never downloaded: shapes do not depend on them.

- A constructor flag `pretrained=True` (its default, or the value the repository builds it with) is
  turned off by construct.py; see `turn_off`.
- A download the code makes anyway (`torch.hub.load_state_dict_from_url`, `torch.utils.model_zoo.load_url`,
  hard-coded `pretrained=True` inside the repository or a library it calls) answers with an empty
  state dict that `load_state_dict` accepts: the model keeps its initial weights, and the note says so.
Both are listed in the result's `degraded`.
"""
from __future__ import annotations

import re

PRETRAINED = re.compile(r"^(use_|load_|with_)?pre_?train(ed)?(_[a-z_]+)?$", re.IGNORECASE)


def turn_off(name: str, value) -> bool:
    """Whether a constructor argument is a 'download pretrained weights' flag set to True."""
    return value is True and bool(PRETRAINED.match(name))


class NotDownloaded(dict):
    """The empty state dict a weights download answers with; edits of its keys are accepted.

    Attributes:
        url: what the code asked for.
    """

    def __init__(self, url: str):
        super().__init__()
        self.url = url

    def __delitem__(self, key):
        return None

    def pop(self, key, *default):
        return default[0] if default else None


def install(notes) -> None:
    """Put the stand-in in place of torch's download helpers; before the repository's code is imported,
    so `from torch.hub import load_state_dict_from_url` binds the stand-in."""
    import torch.hub
    import torch.nn as nn
    import torch.utils.model_zoo as model_zoo

    if getattr(torch.hub.load_state_dict_from_url, "__reader_stand_in__", False):
        return

    def load_state_dict_from_url(url, *args, **kwargs):
        notes.add(f"pretrained weights not downloaded ({str(url).rsplit('/', 1)[-1][:60]}): the model keeps its "
                  f"initial weights; shapes do not depend on them")
        return NotDownloaded(str(url))

    load_state_dict_from_url.__reader_stand_in__ = True
    torch.hub.load_state_dict_from_url = load_state_dict_from_url
    model_zoo.load_url = load_state_dict_from_url
    original = nn.Module.load_state_dict

    def load_state_dict(self, state_dict, *args, **kwargs):
        if isinstance(state_dict, NotDownloaded):
            return nn.modules.module._IncompatibleKeys([], [])
        return original(self, state_dict, *args, **kwargs)

    nn.Module.load_state_dict = load_state_dict
