"""Base classes of a missing model library that the repository's own model extends, stood in so that the
model's own layers build and trace: transformers' `PreTrainedModel` (a repository that ships its model as a
HuggingFace model). The stand-in is an nn.Module that keeps the config and answers what the model's code
calls on its base while building (`post_init()`, `config_class`, `main_input_name`); `from_pretrained`
builds the architecture only, never a download. The config class beside it (`PretrainedConfig`) is the
generic stand-in that config_objects.over_stand_in builds. Each use is listed in the result's `degraded`.
"""
from __future__ import annotations

import re

from reader_app.trace.child import degrade

# "transformers.PreTrainedModel", "transformers.modeling_utils.PreTrainedModel", "transformers.BertPreTrainedModel"
_PRETRAINED_MODEL = re.compile(r"^transformers(\.[\w.]+)?\.\w*PreTrainedModel$")
_CACHE: dict[str, type] = {}


def known_base(package: str, dotted: str) -> type | None:
    """The stand-in base for a missing library's class `dotted` that the app knows, or None."""
    if package == "transformers" and _PRETRAINED_MODEL.match(dotted):
        if dotted not in _CACHE:
            _CACHE[dotted] = _pretrained_model(dotted)
        return _CACHE[dotted]
    return None


def _pretrained_model(dotted: str) -> type:
    import torch
    import torch.nn as nn

    name = dotted.rsplit(".", 1)[-1]

    def __init__(self, config=None, *args, **kwargs):
        nn.Module.__init__(self)
        self.config = config
        self.name_or_path = ""
        degrade.NOTES.add(f"package 'transformers' missing: {type(self).__name__}'s base class {name} stood in "
                          f"(an nn.Module keeping the config; weights left as the model's layers make them)")

    def post_init(self):
        """The library initialises weights here: their values do not change any shape."""

    def from_pretrained(cls, *args, config=None, **kwargs):
        config = config if config is not None and not isinstance(config, str) else _default_config(cls)
        degrade.NOTES.add(f"{cls.__name__}.from_pretrained built the architecture only (transformers is missing; "
                          f"nothing downloaded)")
        return cls(config)

    def get_extended_attention_mask(self, attention_mask, input_shape=None, device=None, dtype=None):
        mask = attention_mask[:, None, :, :] if attention_mask.dim() == 3 else attention_mask[:, None, None, :]
        dtype = dtype or torch.get_default_dtype()
        return (1.0 - mask.to(dtype)) * torch.finfo(dtype).min

    def invert_attention_mask(self, encoder_attention_mask):
        return get_extended_attention_mask(self, encoder_attention_mask)

    def get_head_mask(self, head_mask, num_hidden_layers, is_attention_chunked=False):
        return [None] * num_hidden_layers if head_mask is None else head_mask

    def parameter(self, kind):
        first = next(iter(self.parameters()), None)
        return getattr(first, kind) if first is not None else getattr(torch.empty(0), kind)

    namespace = {
        "__init__": __init__, "__module__": dotted.rsplit(".", 1)[0], "__reader_missing__": "transformers",
        "__reader_stand_in__": True,
        "config_class": None, "base_model_prefix": "", "main_input_name": "input_ids",
        "supports_gradient_checkpointing": False, "_no_split_modules": None, "_keys_to_ignore_on_load_missing": None,
        "post_init": post_init, "init_weights": post_init, "tie_weights": post_init,
        "gradient_checkpointing_enable": lambda self, *a, **k: None,
        "from_pretrained": classmethod(from_pretrained),
        "from_config": classmethod(lambda cls, config, **kwargs: cls(config)),
        "_from_config": classmethod(lambda cls, config, **kwargs: cls(config)),
        "can_generate": classmethod(lambda cls: False),
        "get_extended_attention_mask": get_extended_attention_mask,
        "invert_attention_mask": invert_attention_mask, "get_head_mask": get_head_mask,
        "device": property(lambda self: parameter(self, "device")),
        "dtype": property(lambda self: parameter(self, "dtype")),
    }
    return type(name, (nn.Module,), namespace)


def _default_config(cls):
    """The model's own config class with its defaults (`config_class`), as from_pretrained's architecture."""
    from reader_app.trace.child import config_objects

    config_class = getattr(cls, "config_class", None)
    if config_class is None:
        raise TypeError(f"{cls.__name__}.from_pretrained needs a config: the class names no config_class")
    try:
        return config_class()
    except ImportError:
        built = config_objects.over_stand_in(config_class, {})
        if built is None:
            raise
        return built
