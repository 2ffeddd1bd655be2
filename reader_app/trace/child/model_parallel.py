"""A missing model-parallel layer library, stood in as what its layers are on one process.

Large language models split their layers over GPUs with a model-parallel library (fairscale's
`nn.model_parallel`, Megatron's `mpu` / `core.tensor_parallel`, the same family elsewhere): a
ColumnParallelLinear keeps a slice of an nn.Linear's output features, a RowParallelLinear a slice of its input
features, a (Vocab)ParallelEmbedding a slice of an nn.Embedding, and the model reads the world size to size
its heads. With one process each slice is the whole layer, so when the library is missing its layers stand in
as nn.Linear / nn.Embedding with the same parameter shapes (taking the library's own keyword arguments), the
world size is 1, the rank 0, and the region mappings between ranks are the identity. An installed library is
never touched: the stand-ins come only through the missing package's placeholder (loader._PlaceholderModule).
The trace lists the stand-in in its `degraded` (note()).
"""
from __future__ import annotations

import re

# The modules of such a library: fairscale.nn.model_parallel.layers, megatron.mpu, megatron.core.parallel_state,
# megatron.core.tensor_parallel, apex.transformer.tensor_parallel.
_PARALLEL_MODULE = re.compile(r"(^|\.)(model_parallel|tensor_parallel|mpu|parallel_state)(\.|$)")
_LINEARS = ("ColumnParallelLinear", "RowParallelLinear")
_EMBEDDINGS = ("ParallelEmbedding", "VocabParallelEmbedding")
_SIZE = re.compile(r"^get_\w*parallel_world_size$")
_RANK = re.compile(r"^get_\w*parallel(_src)?_rank$")
_REGION = re.compile(r"^(copy_to|gather_from|reduce_from|scatter_to|reduce_scatter_to)_\w*region\w*$")
# Libraries whose parallel linear layers return the output alone; the Megatron line returns (output, bias).
_OUTPUT_ONLY = {"fairscale"}
USED: set[str] = set()  # missing packages whose model-parallel stand-ins the model's code used
BUILT: set[str] = set()  # those of them whose layers were built
_CLASSES: dict[tuple[str, str], type] = {}


def stand_in(package: str, dotted: str):
    """The single-process stand-in for `dotted` of a missing model-parallel library, or None."""
    module, _, name = dotted.rpartition(".")
    if not _PARALLEL_MODULE.search(module) and not (name in _LINEARS + _EMBEDDINGS and "parallel" in module):
        return None
    if name in _LINEARS or name in _EMBEDDINGS:
        key = (package, name)
        if key not in _CLASSES:
            _CLASSES[key] = _layer(package, module, name)
        return _CLASSES[key]
    if _SIZE.match(name):
        return _used(package, lambda *args, **kwargs: 1)
    if _RANK.match(name):
        return _used(package, lambda *args, **kwargs: 0)
    if _REGION.match(name):
        return _used(package, lambda tensor, *args, **kwargs: tensor)
    if name == "model_parallel_is_initialized":
        return _used(package, lambda *args, **kwargs: True)
    if name in _SETUP or _GROUP.match(name):  # setup calls; the group of one process is the default group
        return _used(package, lambda *args, **kwargs: None)
    if name == "get_cuda_rng_tracker":  # `with get_cuda_rng_tracker().fork(): x = self.dropout(x)`
        return _used(package, lambda: _RngTracker())
    if name in ("divide", "ensure_divisibility", "divide_and_check_no_remainder"):
        return _used(package, _divide)
    if name == "split_tensor_along_last_dim":
        return _used(package, lambda tensor, partitions, *args, **kwargs: tensor.chunk(partitions, dim=-1))
    return None


_SETUP = {"initialize_model_parallel", "destroy_model_parallel", "model_parallel_cuda_manual_seed"}
_GROUP = re.compile(r"^get_\w*parallel_group$")


def _divide(numerator, denominator):
    """The library's exact division of a size among ranks: with one rank, the size itself."""
    if numerator % denominator:
        raise ValueError(f"{numerator} is not divisible by {denominator}")
    return numerator // denominator


class _RngTracker:
    """The library's per-rank random state: with one process, torch's own; `fork()` changes nothing."""

    def fork(self, *args, **kwargs):
        import contextlib

        return contextlib.nullcontext()

    def add(self, *args, **kwargs):
        return None


def _used(package: str, answer):
    def call(*args, **kwargs):
        USED.add(package)
        return answer(*args, **kwargs)

    return call


def _layer(package: str, module: str, name: str) -> type:
    import torch.nn as nn

    if name in _EMBEDDINGS:
        def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0,
                     scale_grad_by_freq=False, sparse=False, *args, **kwargs):
            USED.add(package)
            BUILT.add(package)
            nn.Embedding.__init__(self, num_embeddings, embedding_dim, padding_idx=padding_idx, max_norm=max_norm,
                                  norm_type=norm_type, scale_grad_by_freq=scale_grad_by_freq, sparse=sparse,
                                  **_placement(kwargs))

        return type(name, (nn.Embedding,), {"__init__": __init__, "__module__": module})

    def __init__(self, in_features=None, out_features=None, bias=True, *args, input_size=None, output_size=None,
                 skip_bias_add=False, **kwargs):
        USED.add(package)
        BUILT.add(package)
        nn.Linear.__init__(self, in_features if in_features is not None else input_size,
                           out_features if out_features is not None else output_size, bias=bool(bias),
                           **_placement(kwargs))
        self.skip_bias_add = skip_bias_add

    def forward(self, x, *args, **kwargs):  # Megatron's takes an optional weight to use instead: not on one process
        if package in _OUTPUT_ONLY:
            return nn.Linear.forward(self, x)
        # Megatron's layers give (output, bias): the bias is added here unless the caller fuses it later.
        if self.skip_bias_add:
            return nn.functional.linear(x, self.weight), self.bias
        return nn.Linear.forward(self, x), None

    return type(name, (nn.Linear,), {"__init__": __init__, "forward": forward, "__module__": module})


def _placement(kwargs: dict) -> dict:
    """The keyword arguments nn.Linear / nn.Embedding take from the library's (device, and its params_dtype)."""
    placed = {"device": kwargs["device"]} if kwargs.get("device") is not None else {}
    dtype = kwargs.get("dtype", kwargs.get("params_dtype"))
    return {**placed, "dtype": dtype} if dtype is not None else placed


def note(package: str) -> str | None:
    """The degraded line for a missing package whose model-parallel stand-ins were used, else None."""
    if package in BUILT:
        return f"model-parallel package '{package}' missing: its layers stood in as single-process ones " \
               f"(nn.Linear / nn.Embedding with the same shapes, world size 1)"
    if package in USED:
        return f"model-parallel package '{package}' missing: its helpers answered as on one process " \
               f"(world size 1, rank 0)"
    return None
