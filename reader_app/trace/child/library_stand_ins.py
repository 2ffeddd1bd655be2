"""Base classes of a missing model library that the repository's own model extends, stood in so that the
model's own layers build and trace: transformers' `PreTrainedModel` (a repository that ships its model as a
HuggingFace model) and Lightning's `LightningModule` (lightning_base.py). The PreTrainedModel stand-in is an
nn.Module that keeps the config and answers what the model's code calls on its base while building
(`post_init()`, `config_class`, `main_input_name`); `from_pretrained` builds the architecture only, never a
download. The config class beside it (`PretrainedConfig`) is the generic stand-in that
config_objects.over_stand_in builds. Each use is listed in the result's `degraded`.
"""
from __future__ import annotations

import collections
import dataclasses
import re

from reader_app.trace.child import degrade

# "transformers.PreTrainedModel", "transformers.modeling_utils.PreTrainedModel", "transformers.BertPreTrainedModel"
_PRETRAINED_MODEL = re.compile(r"^transformers(\.[\w.]+)?\.\w*PreTrainedModel$")
# What a model's forward returns (`BaseModelOutput(last_hidden_state=x)`) and subclasses as a dataclass.
_MODEL_OUTPUT = re.compile(r"^transformers(\.modeling_outputs|\.utils|\.file_utils)?\.\w*Output\w*$")
_CACHE: dict[str, object] = {}


def known_base(package: str, dotted: str) -> type | None:
    """The stand-in base for a missing library's class `dotted` that the app knows, or None."""
    from reader_app.trace.child import lightning_base

    lightning = lightning_base.known(package, dotted, _cached)
    if lightning is not None or package != "transformers":
        return lightning
    if _PRETRAINED_MODEL.match(dotted):
        return _cached(dotted, lambda: _pretrained_model(dotted))
    if _MODEL_OUTPUT.match(dotted):
        return _cached(dotted, lambda: type(dotted.rsplit(".", 1)[-1], (ModelOutput,), {"__module__": dotted}))
    return None


def bases_of(model) -> set[str]:
    """The missing packages whose stand-in base classes `model`'s class extends."""
    return {vars(c).get("__reader_missing__") or vars(c).get("__reader_lightning__")
            for c in type(model).__mro__ if vars(c).get("__reader_stand_in__")} - {None}


def known_value(package: str, dotted: str):
    """What the model's code takes from a missing library and uses while building or in forward, when the
    app knows it (`ACT2FN["gelu"]`, `BaseModelOutput`), or None."""
    from reader_app.trace.child import model_parallel
    from reader_app.trace.child.hub_downloads import stand_in

    download = stand_in(package, dotted)  # a hub's weight download helpers: nothing is downloaded
    if download is not None:
        return download
    single = model_parallel.stand_in(package, dotted)  # a model-parallel layer as its one-process layer
    if single is not None:
        return single
    name = dotted.rsplit(".", 1)[-1]
    if package == "transformers" and name in ("ACT2FN", "ACT2CLS", "get_activation"):
        degrade.NOTES.add(f"package 'transformers' missing: its {name} stood in with torch's activation modules")
        table = _cached("ACT2FN", lambda: _Activations(_activations()))
        return table if name != "get_activation" else table.__getitem__
    known = known_base(package, dotted)
    if known is not None and _MODEL_OUTPUT.match(dotted):
        degrade.NOTES.add(f"package 'transformers' missing: {name} stood in (a dict of the outputs by name)")
    return known


def _cached(key: str, make):
    if key not in _CACHE:
        _CACHE[key] = make()
    return _CACHE[key]


class ModelOutput(collections.OrderedDict):
    """transformers' ModelOutput: the fields given (or a dataclass subclass's non-None fields) read by name,
    by attribute or by position."""

    def __post_init__(self):
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if value is not None:
                self[field.name] = value

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key):
        return self.to_tuple()[key] if isinstance(key, (int, slice)) else super().__getitem__(key)

    def to_tuple(self):
        return tuple(self[k] for k in self.keys())


class _Activations(dict):
    """ACT2FN: a fresh activation module per lookup, as the library's own table gives."""

    def __getitem__(self, name):
        return super().__getitem__(name)()


def _activations() -> dict:
    import torch.nn as nn

    tanh_gelu = lambda: nn.GELU(approximate="tanh")  # noqa: E731
    return {"gelu": nn.GELU, "relu": nn.ReLU, "silu": nn.SiLU, "swish": nn.SiLU, "gelu_new": tanh_gelu,
            "gelu_fast": tanh_gelu, "gelu_pytorch_tanh": tanh_gelu, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid,
            "mish": nn.Mish, "relu6": nn.ReLU6, "leaky_relu": nn.LeakyReLU, "linear": nn.Identity,
            "elu": nn.ELU, "selu": nn.SELU, "softplus": nn.Softplus}


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
