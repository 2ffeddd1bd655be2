"""Issue 11 class 4: a model written for a model-parallel layer library (fairscale's `nn.model_parallel`, the
Megatron line's `mpu`) traced on one process. When the library is missing, its layers must build as what
they are on one process (nn.Linear / nn.Embedding with the same parameter shapes, taking the library's own
keyword arguments), its world size must read 1, and the result must list the stand-in; a KV cache moved
with `.cuda()` must land on the trace device. When the library IS installed (a repository environment), it
must be used as it is, its groups set up for one process as the repository's launcher would. Generated here and traced zero-config with the class named."""
from __future__ import annotations

from tree_helpers import APP_ROOT, first_outs, trace_cli, trace_repos, write_tree

# A decoder-only language model in the style of large LM releases: world size read at build time to size
# the heads, column/row-parallel projections, a parallel embedding, KV caches moved with .cuda() both in
# __init__ and in forward.
OUTPUT_ONLY_LIBRARY = {
    "requirements.txt": "torch\nfairscale\n",
    "lm/model.py": """
        from dataclasses import dataclass

        import fairscale.nn.model_parallel.initialize as fs_init
        import torch
        import torch.nn.functional as F
        from fairscale.nn.model_parallel.layers import ColumnParallelLinear, ParallelEmbedding, RowParallelLinear
        from torch import nn


        @dataclass
        class LMArgs:
            dim: int = 48
            n_heads: int = 4
            n_layers: int = 2
            vocab_size: int = 97
            max_batch_size: int = 2
            max_seq_len: int = 32


        class Attention(nn.Module):
            def __init__(self, args: LMArgs):
                super().__init__()
                self.n_local_heads = args.n_heads // fs_init.get_model_parallel_world_size()
                self.head_dim = args.dim // args.n_heads
                self.wq = ColumnParallelLinear(args.dim, args.n_heads * self.head_dim, bias=False,
                                               gather_output=False, init_method=lambda x: x)
                self.wk = ColumnParallelLinear(args.dim, args.n_heads * self.head_dim, bias=False,
                                               gather_output=False, init_method=lambda x: x)
                self.wo = RowParallelLinear(args.n_heads * self.head_dim, args.dim, bias=False,
                                            input_is_parallel=True, init_method=lambda x: x)
                self.cache_k = torch.zeros((args.max_batch_size, args.max_seq_len, self.n_local_heads,
                                            self.head_dim)).cuda()

            def forward(self, x):
                bsz, seqlen, _ = x.shape
                q = self.wq(x).view(bsz, seqlen, self.n_local_heads, self.head_dim)
                k = self.wk(x).view(bsz, seqlen, self.n_local_heads, self.head_dim)
                self.cache_k = self.cache_k.to(q)
                cache_v = torch.zeros_like(self.cache_k).cuda()  # a cache made in forward
                self.cache_k[:bsz, :seqlen] = k
                cache_v[:bsz, :seqlen] = k
                keys = self.cache_k[:bsz, :seqlen].transpose(1, 2)
                scores = F.softmax(q.transpose(1, 2) @ keys.transpose(2, 3), dim=-1)
                out = scores @ cache_v[:bsz, :seqlen].transpose(1, 2)
                return self.wo(out.transpose(1, 2).reshape(bsz, seqlen, -1))


        class Transformer(nn.Module):
            def __init__(self, params: LMArgs):
                super().__init__()
                self.tok_embeddings = ParallelEmbedding(params.vocab_size, params.dim, init_method=lambda x: x)
                self.layers = nn.ModuleList(Attention(params) for _ in range(params.n_layers))
                self.norm = nn.LayerNorm(params.dim)
                self.output = ColumnParallelLinear(params.dim, params.vocab_size, bias=False,
                                                   init_method=lambda x: x)

            def forward(self, tokens: torch.Tensor):
                h = self.tok_embeddings(tokens)
                for layer in self.layers:
                    h = h + layer(h)
                return self.output(self.norm(h)).float()
        """,
}

# The Megatron line: `from <lib> import mpu`, layers read as attributes of the module, linear layers that
# return (output, bias), one of them leaving the bias for the caller to add.
TUPLE_LIBRARY = {
    "requirements.txt": "torch\nmegatron-core\n",
    "gpt/block.py": """
        import torch
        from megatron import mpu
        from torch import nn


        def init_(weight):
            return nn.init.normal_(weight, std=0.02)


        class MLPBlock(nn.Module):
            def __init__(self, hidden=40, vocab=101):
                super().__init__()
                world = mpu.get_tensor_model_parallel_world_size()
                self.local_hidden = mpu.divide(4 * hidden, world)
                self.embed = mpu.VocabParallelEmbedding(vocab, hidden, init_method=init_)
                self.up = mpu.ColumnParallelLinear(hidden, 4 * hidden, gather_output=False,
                                                   init_method=init_, skip_bias_add=True)
                self.down = mpu.RowParallelLinear(self.local_hidden, hidden, input_is_parallel=True,
                                                  init_method=init_)
                self.dropout = nn.Dropout(0.1)

            def forward(self, tokens: torch.Tensor):
                x = self.embed(tokens)
                up, up_bias = self.up(x)
                up = torch.nn.functional.gelu(up + up_bias)
                with mpu.get_cuda_rng_tracker().fork():
                    up = self.dropout(up)
                down, _ = self.down(up)
                return mpu.reduce_from_tensor_model_parallel_region(down)
        """,
}


def test_a_missing_model_parallel_library_builds_its_single_process_layers(tmp_path):
    results = trace_repos(tmp_path, {"fs": OUTPUT_ONLY_LIBRARY, "mega": TUPLE_LIBRARY}, "--no-lines")
    code, data, err = results["fs"]
    assert code == 0, err
    assert data["class"] == "Transformer" and data["reached_output"], data.get("error")
    types = {layer["name"]: layer["type"] for layer in data["layers"]}
    assert types["layers.0.wq"] == "ColumnParallelLinear" and types["tok_embeddings"] == "ParallelEmbedding"
    outs = first_outs(data)
    assert outs["tok_embeddings"][-1] == 48
    assert outs["layers.0.wq"][-1] == 48 and outs["layers.1.wo"][-1] == 48  # world size 1: the whole layer
    assert outs["output"][-1] == 97 and outs[""][-1] == 97
    degraded = " ".join(data["degraded"])
    assert "model-parallel package 'fairscale' missing" in degraded and "single-process" in degraded
    assert ".cuda()" in degraded and "not used by the model" not in degraded
    assert not any("fairscale" in line for line in data["warnings"])  # not "installed but not needed"

    code, data, err = results["mega"]
    assert code == 0, err
    assert data["class"] == "MLPBlock" and data["reached_output"], data.get("error")
    outs = first_outs(data)
    assert outs["embed"][-1] == 40 and outs["up"][-1] == 160 and outs[""][-1] == 40
    assert any("model-parallel package 'megatron' missing" in line for line in data["degraded"])


# The library installed in the repository's environment, with a world size of 2 of its own: the trace uses
# it as it is (half-width column layers), and says nothing of stand-ins.
INSTALLED = {
    "fairscale/__init__.py": "",
    "fairscale/nn/__init__.py": "",
    "fairscale/nn/model_parallel/__init__.py": "",
    "fairscale/nn/model_parallel/initialize.py": """
        def get_model_parallel_world_size():
            return 2
        """,
    "fairscale/nn/model_parallel/layers.py": """
        import torch.nn as nn

        from .initialize import get_model_parallel_world_size


        class ColumnParallelLinear(nn.Linear):
            def __init__(self, in_features, out_features, bias=True, gather_output=True, init_method=None):
                super().__init__(in_features, out_features // get_model_parallel_world_size(), bias=bias)


        class RowParallelLinear(nn.Linear):
            def __init__(self, in_features, out_features, bias=True, input_is_parallel=False, init_method=None):
                super().__init__(in_features // get_model_parallel_world_size(), out_features, bias=bias)


        class ParallelEmbedding(nn.Embedding):
            def __init__(self, num_embeddings, embedding_dim, init_method=None):
                super().__init__(num_embeddings, embedding_dim // get_model_parallel_world_size())
        """,
}


def test_an_installed_model_parallel_library_is_used_as_it_is(tmp_path):
    site = write_tree(tmp_path / "site", INSTALLED)
    root = write_tree(tmp_path / "lm_repo", {
        "net.py": """
            import torch
            from fairscale.nn.model_parallel.layers import ColumnParallelLinear
            from torch import nn


            class Head(nn.Module):
                def __init__(self, dim=16, vocab=30):
                    super().__init__()
                    self.proj = ColumnParallelLinear(dim, vocab, bias=False, gather_output=False)

                def forward(self, x: torch.Tensor):
                    return self.proj(x)
            """})
    code, data, err = trace_cli(root, "--no-lines", "--class", "Head",
                                env={"PYTHONPATH": f"{APP_ROOT}:{site}"})
    assert code == 0, err
    assert first_outs(data)["proj"][-1] == 15  # the installed library's own split
    assert not any("model-parallel" in line for line in data["degraded"])


# The library's usual state module: layers read the world size from a group that the repository's launcher
# sets up (`init_process_group`, then `initialize_model_parallel(n)`); built without it they assert.
INSTALLED_WITH_GROUPS = {
    **{name: text for name, text in INSTALLED.items() if not name.endswith("initialize.py")},
    "fairscale/nn/model_parallel/initialize.py": """
        import torch

        _MODEL_PARALLEL_GROUP = None


        def initialize_model_parallel(model_parallel_size_):
            assert torch.distributed.is_initialized()
            global _MODEL_PARALLEL_GROUP
            print("> initializing model parallel with size", model_parallel_size_)
            _MODEL_PARALLEL_GROUP = torch.distributed.new_group(list(range(model_parallel_size_)))


        def model_parallel_is_initialized():
            return _MODEL_PARALLEL_GROUP is not None


        def get_model_parallel_world_size():
            assert _MODEL_PARALLEL_GROUP is not None, "model parallel group is not initialized"
            return torch.distributed.get_world_size(group=_MODEL_PARALLEL_GROUP)
        """,
}


def test_an_installed_model_parallel_library_gets_its_groups_for_one_process(tmp_path):
    site = write_tree(tmp_path / "site", INSTALLED_WITH_GROUPS)
    root = write_tree(tmp_path / "lm_repo", {
        "net.py": """
            import torch
            from fairscale.nn.model_parallel.layers import ColumnParallelLinear, ParallelEmbedding
            from torch import nn


            class Head(nn.Module):
                def __init__(self, dim=16, vocab=30):
                    super().__init__()
                    self.embed = ParallelEmbedding(vocab, dim)
                    self.proj = ColumnParallelLinear(dim, vocab, bias=False, gather_output=False)

                def forward(self, tokens: torch.Tensor):
                    return self.proj(self.embed(tokens))
            """})
    code, data, err = trace_cli(root, "--no-lines", "--class", "Head",
                                env={"PYTHONPATH": f"{APP_ROOT}:{site}"})
    assert code == 0, err
    outs = first_outs(data)
    assert outs["embed"][-1] == 16 and outs["proj"][-1] == 30  # world size 1: the whole layer
    degraded = " ".join(data["degraded"])
    assert "groups set up for one process" in degraded and "missing" not in degraded


# Older layers (and model-parallel libraries' own) make weights with the old constructor `torch.Tensor(out, in)`,
# which ignores the meta device the model is built on: a large model must still build without its memory
# (10 GB here, over the child's address-space cap).
LEGACY_WIDE = {
    "wide.py": """
        import math

        import torch
        from torch import nn


        class WideProjection(nn.Module):
            def __init__(self, in_features=50000, out_features=50000):
                super().__init__()
                self.weight = nn.Parameter(torch.Tensor(out_features, in_features))
                self.bias = nn.Parameter(torch.Tensor(out_features))
                self.reset_parameters()

            def reset_parameters(self):
                bound = 1.0 / math.sqrt(self.weight.size(1))
                self.weight.data.uniform_(-bound, bound)
                self.bias.data.uniform_(-bound, bound)

            def forward(self, x):
                return torch.relu(x @ self.weight.t() + self.bias)
        """,
}


def test_the_old_tensor_constructor_builds_on_the_trace_device(tmp_path):
    code, data, err = trace_cli(write_tree(tmp_path / "wide_repo", LEGACY_WIDE), "--no-lines",
                                "--class", "WideProjection", "--input", "x=2,50000")
    assert code == 0, err
    assert data["device"] == "meta" and data["reached_output"]
    assert data["layers"][0]["calls"][0]["out"][0][-1] == 50000
