"""For each layer of the main model, the passages of the paper that talk about its kind or its name.

Step 6 (connect each layer to the paper) goes faster when the reader is shown where the paper
describes an LSTM, the attention, the layer normalization... A passage ranks higher when it uses
the kind's own word (not a loose synonym), sits in the Method section, and reads like a definition
(numbers, "we use", "consists of", an equation) rather than a citation of other work.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from reader_app.repo import RepoInfo
from reader_app.workflow.architecture import find_architecture_figure
from reader_app.workflow.layer_kinds import CONTAINERS, KIND_TERMS, display, kinds_of, term_hits, type_key
from reader_app.workflow.model_tree import ModelLayer, model_layers, traced_name
from reader_app.workflow.paper_text import Box, Passage, PaperText

TAG_NAMES = {"method": "Method section", "experiments": "Experiments section", "appendix": "appendix",
             "abstract": "abstract", "introduction": "introduction", "results": "Results section",
             "conclusion": "conclusion", "related_work": "related work"}
SECTION_WEIGHT = {"method": 2.0, "appendix": 0.8, "experiments": 0.8, "abstract": 0.6, "introduction": 0.3,
                  "results": 0.3, "conclusion": 0.1, "other": 0.3, "related_work": -0.5}
DEFINING = re.compile(r"\b(we (use|employ|apply|adopt|propose|introduce|stack|compute|add)|consists? of|"
                      r"composed of|is (computed|defined|given|applied)|followed by|each (layer|step|block)|"
                      r"dimension(al|ality)?|hidden (size|state|units?)|layers?\b|units\b|=)", re.I)
# Other people's work: "Cho et al. (2014)", "[3, 7]", or several bracketed references. A single "[4]"
# right after a term usually credits its origin inside a defining sentence, so it does not count.
CITATION = re.compile(r"\bet al\.|\(\d{4}[a-z]?\)|\[\d+(,\s*\d+)+\]|\[\d+\][^\[]*\[\d+\]")


@dataclass
class Mention:
    """One passage of the paper that speaks about a layer's kind or name.

    Attributes:
        page: 1-based page.
        bbox: the sentence's box on that page (PDF points).
        snippet: the sentence (or caption sentence, or table row).
        score: ranking score, higher is better.
        kind: the kind it was found for ("lstm", "attention", ...) or "name" for the layer's own name.
        term: the words that matched, as printed.
        section: "3.1 Encoder", or "" before the first heading.
        tag: the section's tag.
        why: why it was suggested, for the reader ("says “dropout”, in the Method section, defines it").
    """

    page: int
    bbox: Box
    snippet: str
    score: float
    kind: str
    term: str
    section: str
    tag: str
    why: str = ""

    def to_json(self) -> dict:
        return {"page": self.page, "bbox": [round(v, 1) for v in self.bbox], "snippet": self.snippet,
                "score": round(self.score, 2), "kind": self.kind, "term": self.term, "section": self.section,
                "tag": self.tag, "why": self.why}


@dataclass
class LayerMentions:
    """The ranked mention suggestions for one layer.

    Attributes:
        name: dotted layer name ("encoder.lstm").
        type: layer type ("nn.LSTM").
        kinds: its kinds, the one suggestions are mostly for first.
        mentions: the best passages, best first (empty when the paper never speaks of it).
        file, line: where the layer is built.
        in_figure: labels printed inside the architecture figure that name the layer's kind ("LSTM",
            "LayerNorm(64) + ReLU"), best first: where to draw its box when connecting it (step 6).
        container: the layer only holds other layers (nn.Sequential, nn.ModuleList, its own parts listed);
            a leaf such as nn.Identity never is.
    """

    name: str
    type: str
    kinds: list[str]
    mentions: list[Mention] = field(default_factory=list)
    file: str = ""
    line: int = 0
    in_figure: list[Mention] = field(default_factory=list)
    container: bool = False

    def kind_text(self) -> str:
        return ", ".join(display(k) for k in self.kinds) or "unknown kind"


def _name_pattern(name: str) -> str | None:
    """A layer name worth searching for as a word (`bottleneck`, `decoder`), not `fc` or `h[i]`."""
    last = name.split(".")[-1]
    if len(last) < 4 or not last.isidentifier() or last in ("norm", "proj", "output", "head", "layer"):
        return None
    return r"\b" + re.escape(last).replace("_", "[ _-]?") + r"s?\b"


@lru_cache(maxsize=16384)
def _defining_cues(text: str) -> int:
    return len(DEFINING.findall(text))


@lru_cache(maxsize=16384)
def _cites(text: str) -> bool:
    return CITATION.search(text) is not None


def _context_pattern(name: str) -> str | None:
    """Words for the parts that hold the layer: `encoder.lstm` -> encoder, `decoder.attention.v` -> decoder|attention."""
    words = [w for w in name.split(".")[:-1] if w.isidentifier() and len(w) >= 4]
    if not words:
        return None
    return r"\b(" + "|".join(re.escape(w).replace("_", "[ _-]?") for w in words) + r")"


# A loose synonym ("regularized" for dropout, "kernels" for a convolution) shared with an unrelated
# sentence is no reason to suggest it: a passage needs at least one wording this strong.
STRONG_TERM = 1.0


def score_passage(passage: Passage, kind: str, kind_rank: int) -> tuple[float, str] | None:
    """How well `passage` speaks about `kind`; None when it does not name it (loose synonyms alone do not)."""
    hits = term_hits(kind, passage.text)
    if not hits:
        return None
    best, match = max(hits, key=lambda h: h[0])
    if best < STRONG_TERM:
        return None
    score = best + 0.25 * min(3, len(hits) - 1)
    score += SECTION_WEIGHT.get(passage.tag, 0.3)
    score += 0.3 * min(3, _defining_cues(passage.text))
    if passage.kind == "caption":
        score += 0.5 if passage.figure.startswith("Figure") else -0.3
    elif passage.kind == "table":
        score -= 0.5
    if _cites(passage.text):
        score -= 0.6  # speaks of others' work
    if len(passage.text) < 25:
        score -= 1.0  # a heading-like fragment says nothing
    score -= 1.5 * kind_rank  # what the name says (attn_score: attention) beats what the type says (Linear)
    return score, match.group(0)


def _candidates(text: PaperText) -> list[Passage]:
    return [p for p in text.passages if p.kind in ("prose", "caption", "table") and p.tag != "references"]


def layer_sizes(trace, name: str) -> set[str]:
    """The sizes a traced layer takes and gives ("128", "64"), batch and sequence dims left out."""
    if trace is None or getattr(trace, "error", None) is not None:
        return set()
    layer = trace.layer(traced_name(name))
    if layer is None or not layer.calls:
        return set()
    call = layer.calls[0]
    return {d for dims in call.in_dims[:1] + call.out_dims[:1] for d in dims if d.isdigit() and d != "1"}


def _match(passage: Passage, kinds: list[str], name_pattern: str | None, context: str | None,
           scorer, sizes: set[str] = frozenset()) -> Mention | None:
    """The best way `passage` speaks of the layer, scored by `scorer(passage, kind, rank)`."""
    found: list[tuple[float, str, str]] = []
    for rank, kind in enumerate(k for k in kinds if k in KIND_TERMS):
        scored = scorer(passage, kind, rank)
        if scored is not None:
            found.append((scored[0], kind, scored[1]))
    if name_pattern:
        m = re.search(name_pattern, passage.text, re.I)
        if m:
            found.append((1.5 + (SECTION_WEIGHT.get(passage.tag, 0.3) if passage.kind != "figure" else 0.0),
                          "name", m.group(0)))
    if not found:
        return None
    score, kind, term = max(found)
    score += 0.5 * (len({k for _, k, _ in found}) - 1)  # speaks of several of the layer's kinds at once
    why = [f"says “{term}”" if kind != "name" else f"names “{term}”"]
    if passage.kind == "prose":
        why.append(f"in the {TAG_NAMES.get(passage.tag, passage.tag)}" if passage.tag in TAG_NAMES else "")
    else:
        why.append("in a caption" if passage.kind == "caption" else "in a table" if passage.kind == "table" else "")
    if len({k for _, k, _ in found}) > 1:
        why.append("speaks of several of its kinds")
    if context and re.search(context, passage.text + " " + passage.section_title(), re.I):
        score += 0.8  # names the part of the model the layer belongs to ("the encoder ... LSTM", "3.1 Encoder")
        why.append("names the part it belongs to")
    if sizes:
        numbers = set(re.findall(r"(?<![\d.])\d+(?![\d.])", passage.text))
        shared = sizes & numbers
        score += 0.3 * min(3, len(shared))  # states the layer's own sizes ("from 128 to 64 units")
        if shared:
            why.append("states its sizes (" + ", ".join(sorted(shared, key=int)[:3]) + ")")
    if passage.kind != "figure" and _defining_cues(passage.text) >= 2:
        why.append("reads like a definition")
    if passage.kind != "figure" and _cites(passage.text):
        why.append("cites other work (ranked lower)")
    return Mention(passage.page, passage.bbox, passage.text, score, kind, term, passage.section_title(), passage.tag,
                   ", ".join(w for w in why if w))


def _label_score(passage: Passage, kind: str, rank: int) -> tuple[float, str] | None:
    """A label inside a diagram: only the wording counts (no sections, no sentence cues)."""
    hits = term_hits(kind, passage.text)
    if not hits:
        return None
    best, match = max(hits, key=lambda h: h[0])
    return best - 1.5 * rank, match.group(0)


def mentions_for(name: str, layer_type: str, text: PaperText, limit: int = 5,
                 kinds: list[str] | None = None, figure: str = "", sizes: set[str] = frozenset()) -> LayerMentions:
    """The passages that mention one layer (by its kinds, then by its own name), best first; with
    `figure` (a label such as "Figure 1"), also the labels inside that figure that name it. `sizes`
    (see layer_sizes) favours passages that state the layer's own sizes."""
    kinds = kinds if kinds is not None else kinds_of(name, layer_type)
    name_pattern = _name_pattern(name)
    context = _context_pattern(name)
    found = LayerMentions(name, layer_type, kinds)
    ranked = []
    for index, passage in enumerate(_candidates(text)):
        mention = _match(passage, kinds, name_pattern, context, score_passage, sizes)
        if mention is not None:
            ranked.append((-mention.score, index, mention))
    found.mentions = [m for _, _, m in sorted(ranked, key=lambda item: item[:2])[:limit]]
    if figure:
        labels = [p for p in text.passages if p.kind == "figure" and p.figure == figure]
        boxed = []
        for index, passage in enumerate(labels):
            mention = _match(passage, kinds, name_pattern, context, _label_score, sizes)
            if mention is not None:
                boxed.append((-mention.score, index, mention))
        found.in_figure = [m for _, _, m in sorted(boxed, key=lambda item: item[:2])[:3]]
    return found


def suggest_mentions(repo: RepoInfo, text: PaperText, limit: int = 5, figure: str | None = None,
                     trace=None) -> list[LayerMentions]:
    """Suggestions for every layer of the main model (and its local submodules), plus the residual
    connections the code makes without a layer of their own. `figure` is the architecture figure's
    label; None picks it with find_architecture_figure, "" skips the labels inside figures. With a
    `trace` (TraceResult), passages stating a layer's traced sizes rank higher."""
    if figure is None:
        chosen = find_architecture_figure(text.paper, text).figure
        figure = chosen.label if chosen is not None else ""
    out = []
    layers = model_layers(repo)
    for item in layers:
        found = mentions_for(item.name, item.type, text, limit, figure=figure, sizes=layer_sizes(trace, item.name))
        found.file, found.line = item.file, item.layer.line
        found.container = type_key(item.type) in CONTAINERS or bool(item.layer.children)
        out.append(found)
    out += _pattern_entries(repo, text, limit, layers, figure)
    return out


def _pattern_entries(repo: RepoInfo, text: PaperText, limit: int, layers: list[ModelLayer],
                     figure: str) -> list[LayerMentions]:
    """Residual connections and functional attention are code patterns, not layers: list them too."""
    files = {item.file for item in layers}
    if repo.main is not None:
        files.add(repo.main.file)
    have = {k for item in layers for k in kinds_of(item.name, item.type)}
    out, done = [], set()
    for pattern in repo.patterns:
        kind = {"residual": "residual", "scaled_dot_product_attention": "attention",
                "multi_head_attention": "attention", "attention": "attention"}.get(pattern.kind)
        if kind is None or pattern.file not in files or kind in have or kind in done:
            continue
        done.add(kind)
        found = mentions_for(kind, f"({pattern.kind.replace('_', ' ')} in code)", text, limit, [kind], figure)
        found.file, found.line = pattern.file, pattern.line
        out.append(found)
    return out
