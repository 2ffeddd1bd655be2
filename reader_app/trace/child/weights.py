"""Pretrained weights are never downloaded: shapes do not depend on them.

- A constructor flag `pretrained=True` (its default, or the value the repository builds it with) is
  turned off by construct.py, and so is a named set of weights (`encoder_weights="imagenet"`,
  `weights="DEFAULT"`, an enum member) where the argument accepts None; see `off_value`.
- A download the code makes anyway (`torch.hub.load_state_dict_from_url`, `torch.utils.model_zoo.load_url`,
  hard-coded `pretrained=True` inside the repository or a library it calls, a hub helper whose file is then
  loaded: hub_downloads.py) answers with an empty state dict that `load_state_dict` accepts: the model keeps
  its initial weights, and the note says so.
Both are listed in the result's `degraded`.
"""
from __future__ import annotations

import re

PRETRAINED = re.compile(r"^(use_|load_|with_)?pre_?train(ed)?(_[a-z_]+)?$", re.IGNORECASE)


# `encoder_weights`, `weights`, `backbone_weights`, `pretrained`, `pretrained_backbone`: where a name is given
NAMED_WEIGHTS = re.compile(r"^((?!init)\w+_)?weights$|^(\w+_)?pre_?trained(_\w+)?$", re.IGNORECASE)
# Values that already mean "no weights", and file paths (a local checkpoint may be how the model is built)
NO_WEIGHTS = re.compile(r"^(|none|null|false|random|scratch)$|[/\\]|\.(pth?|pt|ckpt|bin|safetensors|h5|npz)$",
                        re.IGNORECASE)
KEEP = object()


def turn_off(name: str, value) -> bool:
    """Whether a constructor argument is a 'download pretrained weights' flag set to True."""
    return value is True and bool(PRETRAINED.match(name))


def off_value(name: str, value, accepts_none: bool):
    """What a constructor argument becomes so that nothing is downloaded: False for a `pretrained=True`
    flag, None for a named set of weights (`encoder_weights="imagenet"`, `weights="IMAGENET1K_V1"`, an enum
    member) when the argument accepts None; KEEP for anything else."""
    import enum

    if turn_off(name, value):
        return False
    if not accepts_none or not NAMED_WEIGHTS.match(name):
        return KEEP
    if isinstance(value, enum.Enum) or (isinstance(value, str) and not NO_WEIGHTS.search(value.strip())):
        return None
    return KEEP


def accepts_none(p, func) -> bool:
    """Whether a parameter takes None: its default, an Optional annotation, or a body that tests it."""
    import typing

    from reader_app.trace.child.source_uses import none_handled

    if p.default is None:
        return True
    annotation = p.annotation
    if annotation is not p.empty:
        if isinstance(annotation, str):
            if "Optional" in annotation or "None" in annotation:
                return True
        elif type(None) in typing.get_args(annotation):
            return True
    return p.name in none_handled(func)


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

    from reader_app.trace.child import hub_downloads

    hub_downloads.install(notes)  # weights fetched by name from a hub, then loaded from the file
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
