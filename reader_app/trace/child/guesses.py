"""Values for constructor arguments that have no default, chosen from their names and annotations.

The numbers fit together: widths are multiples of the head count (64 = 4 heads x 16), channel counts are
multiples of common group counts, images are divisible by patch sizes and by 2**5 for pooling towers.
"""
from __future__ import annotations

import re

HEADS = 4
WIDTH = 64

# (pattern on the lower-cased name, value); the first match wins, so specific names come first.
NAME_RULES: list[tuple[str, object]] = [
    (r"^(is_|use_|with_|has_|do_|enable_)|pretrained|bidirectional|causal|residual|affine|batch_first|"
     r"(^|_)bias$|^train(ing)?$|verbose|debug", False),
    (r"(^|_)n?_?gpus?$|world_size", 1),
    (r"(^|_)(local_)?rank$|seed", 0),
    (r"(^|_)(n_?)?kv_?heads?$|num_key_value_heads", 2),
    (r"(^|_)(n_|num_)?heads?$|^nhead$|^n_head$|attention_heads", HEADS),
    (r"head_?dim|dim_?head|d_?head|d_k$|d_v$", 16),
    (r"(pad|sos|eos|bos|unk|start|end)_?(idx|id|index|token_?id)$", 1),
    (r"vocab|voc_?size|n_?tokens?$|num_tokens|n_?words|num_embeddings|ntoken", 100),
    (r"num_?classes|n_?classes|^classes$|num_?labels|n_?labels|out_?classes|n_?class$", 10),
    (r"patch", 8),
    (r"image_?size|img_?size|resolution|^height$|^width$", 32),
    (r"(^|_)(block_size|max_?len|max_?seq_?len|seq_?len|context_?len(gth)?|n_?ctx|max_?position\w*|max_?length)$", 32),
    (r"(^|_)(n_?layers?|num_?layers|depth|n_?blocks?|num_?blocks|layers)$", 2),
    (r"^(in_?chans?|in_?channels|input_?channels|n_?channels|num_?channels|channels|c_?in|img_?channels|"
     r"image_?channels|n_?input|num_?inputs?)$", 3),
    (r"n_?mels|n_?mfcc|freq_?bins", 40),
    (r"n_?nodes|num_?nodes", 6),
    (r"ratio|expansion|mult", 4),
    (r"(ff|ffn|mlp|feedforward|dim_?feedforward|intermediate)(_?(dim|size|hidden))?$", 128),
    (r"latent|z_?dim|bottleneck|code_?(dim|size)", 8),
    (r"out_?(dim|features|size|channels)|output_?(dim|size|features|channels)|n_?out", 8),
    (r"in_?(dim|features|size)|input_?(dim|size|features)|n_?in$|n_?features|num_?features|feature_?dim|n_?inputs", 16),
    (r"(^|_)(dim|d_?model|hidden\w*|emb\w*|n_?embd|width|d_?hidden|channels?|n_?hid|nhid|units|planes|features)$", WIDTH),
    (r"groups?$", 4),
    (r"kernel", 3),
    (r"stride|dilation", 1),
    (r"padding", 1),
    (r"drop|dropout|(^|_)p$", 0.0),
    (r"eps|epsilon", 1e-5),
    (r"^(n|k|num|size|dim)_?\w*", 16),
]

HEAD_NAME = re.compile(r"(^|_)(n_|num_)?heads?$|^nhead$|^n_head$|attention_heads")
WIDTH_NAME = re.compile(r"(^|_)(dim|d_?model|hidden_?(dim|size)?|emb\w*|n_?embd|width|d_?hidden)$")
CONFIG_NAME = re.compile(r"^(config|cfg|conf|args|params|hparams|hps|opt|opts|options|model_?args|settings|hp)$")


def guess_by_name(name: str):
    """A value for a parameter called `name`, or None when the name says nothing."""
    low = name.lower()
    for pattern, value in NAME_RULES:
        if re.search(pattern, low):
            return value
    return None


def guess_by_annotation(annotation):
    """A value from a plain annotation (int, float, bool, str, list[int], tuple[int, ...])."""
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
    text = str(text).lower()
    if text in {"int"}:
        return 16
    if text in {"float"}:
        return 0.0
    if text in {"bool"}:
        return False
    if text in {"str"}:
        return ""
    if "list" in text or "tuple" in text or "sequence" in text:
        return [16, 32]
    return None


def make_consistent(values: dict, filled: set[str]) -> None:
    """Widths we filled in become multiples of the head count, whatever the repository's default heads."""
    heads = next((v for k, v in values.items() if HEAD_NAME.search(k.lower()) and isinstance(v, int) and v > 0), None)
    if heads is None:
        return
    for key in filled:
        value = values[key]
        if isinstance(value, int) and not isinstance(value, bool) and WIDTH_NAME.search(key.lower()):
            if value % heads:
                values[key] = heads * 16
