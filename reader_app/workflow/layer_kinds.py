"""What kind of building block a layer is (LSTM, attention, layer normalization, ...) and the words a
paper uses for each kind. Shared by the mention finder and the report.
"""
from __future__ import annotations

import re
from functools import lru_cache

# kind -> (display name, [(regex, weight)]): the strongest wording first; weaker synonyms count less.
KIND_TERMS: dict[str, tuple[str, list[tuple[str, float]]]] = {
    "lstm": ("LSTM", [(r"\bLSTMs?\b", 2.0), (r"long short[- ]term memory", 2.0), (r"\brecurrent\b", 0.8),
                      (r"\bRNNs?\b", 0.8)]),
    "gru": ("GRU", [(r"\bGRUs?\b", 2.0), (r"gated recurrent", 2.0), (r"\brecurrent\b", 0.8)]),
    "rnn": ("recurrent layer", [(r"\bRNNs?\b", 2.0), (r"\brecurrent\b", 1.5), (r"\bLSTMs?\b", 0.8)]),
    "attention": ("attention", [(r"\b(self-|multi-head |additive |global |local )?attention(al)?\b", 2.0),
                                (r"\balign(ment|ed)?\b", 0.8), (r"\bcontext vector\b", 0.8)]),
    # no bare "normalization" here: papers use it for other things (a partition function's normalization factor)
    "layernorm": ("layer normalization", [(r"\blayer[- ]?norm(ali[sz]ation)?\b", 2.0), (r"\bLayerNorm\b", 2.0)]),
    "batchnorm": ("batch normalization", [(r"\bbatch[- ]?norm(ali[sz]ation)?\b", 2.0), (r"\bBN\b", 1.5)]),
    "normalization": ("normalization", [(r"\bnormali[sz](ation|ed)\b", 1.5), (r"\bLayerNorm\b|\bnorm\b", 1.0)]),
    "conv": ("convolution", [(r"\bconvolution(al|s)?\b", 2.0), (r"\bconv\b", 1.5), (r"\bconvnets?\b", 1.5),
                             (r"\bfilters?\b", 0.8), (r"\bkernels?\b", 0.6)]),
    "linear": ("linear layer", [(r"\blinear (layer|projection|transformation|map|unit)s?\b", 2.0),
                                (r"\bfully[- ]connected\b", 2.0), (r"\bprojections?\b", 1.0),
                                (r"\b(concatenation|projection|affine) layers?\b", 1.5),
                                (r"\b(Linear|dense)\b", 1.0), (r"\bfeed[- ]forward\b", 0.8)]),
    "feedforward": ("feed-forward network", [(r"\bfeed[- ]forward\b", 2.0), (r"\bMLP\b", 1.5),
                                             (r"\bfully[- ]connected\b", 1.0)]),
    "embedding": ("embedding", [(r"\bembeddings?\b", 2.0), (r"\bembedded\b", 1.0), (r"\blookup\b", 0.5)]),
    "positional": ("positional encoding", [(r"\bpositional (encoding|embedding)s?\b", 2.5),
                                           (r"\bposition(al)?\b", 1.0), (r"\bsinusoid", 1.0)]),
    "residual": ("residual connection", [(r"\bresidual\b", 2.0), (r"\bshortcuts?\b", 2.0),
                                         (r"\bskip connections?\b", 2.0), (r"\bidentity mapping", 1.0)]),
    "dropout": ("dropout", [(r"\bdropout\b", 2.0), (r"\bP_?drop\b", 1.5), (r"\bregulari[sz]", 0.5)]),
    "softmax": ("softmax", [(r"\bsoft-?max\b", 2.0)]),
    "activation": ("activation", [(r"\bReLUs?\b", 2.0), (r"\brectified linear\b", 2.0), (r"\bGELU\b", 2.0),
                                  (r"\btanh\b", 1.5), (r"\bsigmoid\b", 1.5), (r"\bnon-?linearit(y|ies)\b", 1.5),
                                  (r"\bactivations?\b", 1.0)]),
    "pooling": ("pooling", [(r"\b(max|average|mean|global)[- ]pool(ing)?\b", 2.0), (r"\bpool(ing|ed)?\b", 1.5)]),
    "transformer": ("Transformer", [(r"\bTransformer\b", 2.0), (r"\bencoder (layer|stack)s?\b", 1.5),
                                    (r"\bself-attention\b", 1.5), (r"\bstack of\b", 0.8)]),
    "encoder": ("encoder", [(r"\bencoders?\b", 2.0), (r"\bencod(es|ing)\b", 0.8)]),
    "decoder": ("decoder", [(r"\bdecoders?\b", 2.0), (r"\bdecod(es|ing)\b", 0.8)]),
    "bottleneck": ("bottleneck", [(r"\bbottlenecks?\b", 2.0), (r"\bcompress(es|ed)?\b", 0.8)]),
    "output": ("output layer", [(r"\boutput (layer|projection)\b", 2.0), (r"\bclassifier\b", 1.5),
                                (r"\bsoftmax\b", 0.8), (r"\bpredict", 0.6)]),
}

# Layer class (lowercase, without "nn.") -> kinds, most specific first.
TYPE_KINDS: dict[str, list[str]] = {
    "lstm": ["lstm"], "lstmcell": ["lstm"], "gru": ["gru"], "grucell": ["gru"], "rnn": ["rnn"],
    "multiheadattention": ["attention"], "layernorm": ["layernorm"], "rmsnorm": ["normalization"],
    "groupnorm": ["normalization"], "batchnorm1d": ["batchnorm"], "batchnorm2d": ["batchnorm"],
    "batchnorm3d": ["batchnorm"], "conv1d": ["conv"], "conv2d": ["conv"], "conv3d": ["conv"],
    "convtranspose1d": ["conv"], "convtranspose2d": ["conv"], "linear": ["linear"], "embedding": ["embedding"],
    "dropout": ["dropout"], "relu": ["activation"], "gelu": ["activation"], "tanh": ["activation"],
    "sigmoid": ["activation"], "silu": ["activation"], "leakyrelu": ["activation"], "softmax": ["softmax"],
    "maxpool1d": ["pooling"], "maxpool2d": ["pooling"], "avgpool2d": ["pooling"], "adaptiveavgpool2d": ["pooling"],
    "adaptiveavgpool1d": ["pooling"], "transformerencoder": ["transformer"], "transformer": ["transformer"],
    "transformerencoderlayer": ["transformer"], "transformerdecoder": ["transformer"],
}

# Words in a layer's name or a local class's name -> kind.
NAME_KINDS: tuple[tuple[str, str], ...] = (
    (r"attn|attention", "attention"), (r"lstm", "lstm"), (r"gru", "gru"), (r"rnn", "rnn"),
    (r"layernorm|^ln(_|\d|$)", "layernorm"), (r"batchnorm|^bn\d*$", "batchnorm"), (r"norm", "normalization"),
    (r"conv", "conv"), (r"pos(itional)?_?(enc|emb)|wpe", "positional"), (r"emb|wte", "embedding"),
    (r"drop", "dropout"), (r"mlp|ffn|feed_?forward", "feedforward"), (r"residual|resblock|basicblock", "residual"),
    (r"pool", "pooling"), (r"encoder", "encoder"), (r"decoder", "decoder"), (r"bottleneck", "bottleneck"),
    (r"softmax", "softmax"), (r"relu|gelu|tanh|act$", "activation"), (r"transformer", "transformer"),
)
CONTAINERS = {"sequential", "modulelist", "moduledict"}


def type_key(layer_type: str) -> str:
    return layer_type.split(".")[-1].lower()


def kinds_of(name: str, layer_type: str) -> list[str]:
    """The kinds a layer is, name-given first (an nn.Linear called attn_score is attention first)."""
    kinds: list[str] = []
    last = name.split(".")[-1].lower()
    key = type_key(layer_type)
    for word, kind in NAME_KINDS:
        if re.search(word, last) and kind not in kinds:
            kinds.append(kind)
    for kind in TYPE_KINDS.get(key, []):
        if kind not in kinds:
            kinds.append(kind)
    if key not in TYPE_KINDS and key not in CONTAINERS:  # a repository's own class: its name tells
        for word, kind in NAME_KINDS:
            if re.search(word, key) and kind not in kinds:
                kinds.append(kind)
    if "rnn" in kinds and ("lstm" in kinds or "gru" in kinds):
        kinds.remove("rnn")  # a layer called rnn that is an LSTM: the specific word is the better search
    if "normalization" in kinds and ("layernorm" in kinds or "batchnorm" in kinds):
        kinds.remove("normalization")
    return kinds


def display(kind: str) -> str:
    return KIND_TERMS[kind][0] if kind in KIND_TERMS else kind


@lru_cache(maxsize=65536)
def term_hits(kind: str, text: str) -> tuple[tuple[float, re.Match], ...]:
    """Every wording of `kind` in `text`, with its weight (cached: every layer of a kind asks again)."""
    hits = []
    for pattern, weight in KIND_TERMS.get(kind, ("", []))[1]:
        for m in re.finditer(pattern, text, flags=re.I if not pattern.startswith(r"\bBN") else 0):
            hits.append((weight, m))
    return tuple(hits)
