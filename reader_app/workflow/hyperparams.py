"""The hyperparameter check: the numbers the paper states for the model beside the values in the code.

Paper side: a parameter's wording governing a number ("hidden size 128", "30 epochs", "a warmup of 10k
steps"; numbers as numbers.py reads them) in prose, sentences about baselines left out; a table row
"hidden size | 128"; and every variant of a table of model sizes (table_columns.py). Code side: the
values on the main model's build path only (build_path.py). Rows pair them by parameter, compare the
code with the paper variant it builds (variants.py) and say "match", "differ", "paper only" or
"code only" (with "set at run time (...)" when the code has no number).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader_app.repo import RepoInfo
from reader_app.workflow.build_path import build_path
from reader_app.workflow.code_values import CodeValue
from reader_app.workflow.paper_text import Box, PaperText
from reader_app.workflow.numbers import NUMBER, NUMBER_WORDS, parse_number, same
from reader_app.workflow.table_columns import table_values
from reader_app.workflow.variants import code_variant, headline


@dataclass(frozen=True)
class ParamSpec:
    """One hyperparameter the check knows.

    Attributes:
        key: stable id ("hidden_size").
        label: what the table shows.
        words: regex for how a paper says it.
        names: normalised identifiers the code uses for it.
        before: True when the number may come before the words ("30 epochs", "8 heads").
        needs: a word the sentence must also have ("steps" count training only in a sentence about training).
    """

    key: str
    label: str
    words: str
    names: frozenset
    before: bool = False
    needs: str = ""


def _spec(key, label, words, names, before=False, needs="") -> ParamSpec:
    return ParamSpec(key, label, words, frozenset(names.split()), before, needs)


PARAMS: tuple[ParamSpec, ...] = (
    _spec("hidden_size", "hidden size / model width",
          r"hidden (size|dimension|units|state size)|d_?model|model (dimension|width)|dimensionality of|cells\b",
          "hidden_size hidden hidden_dim d_model n_embd nhid d_hidden hid_dim enc_hid_dim dec_hid_dim width",
          before=True),
    _spec("embed_dim", "embedding size", r"embedding (size|dimension)|dimensional embedding",
          "embed_dim embed embedding_dim emb_dim embed_size embedding_size", before=True),
    _spec("num_layers", "layers", r"(LSTM |encoder |recurrent |stacked |identical )?layers?\b|\bN(?=\s*=)",
          "num_layers n_layers n_layer nlayers layers depth num_encoder_layers", before=True),
    _spec("num_heads", "attention heads", r"(attention )?heads\b|(?<![/\w])h(?=\s*=)", "num_heads n_head nhead n_heads heads",
          before=True),
    _spec("ffn_size", "feed-forward size", r"d_?ff|inner[- ]layer (has )?dimensionality( d_?ff)?|MLP size|feed-?forward size",
          "ffn_hidden d_ff dim_feedforward ffn_dim mlp_dim intermediate_size d_inner"),
    _spec("dropout", "dropout", r"dropout( rate| probability)?|P_?drop", "dropout dropout_rate p_drop drop_rate dropout_p drop_prob"),
    _spec("lr", "learning rate", r"learning rate", "lr learning_rate base_lr init_lr"),
    _spec("batch_size", "batch size", r"(mini-?)?batch size|mini-?batch(es)? of", "batch_size batch bs"),
    _spec("epochs", "epochs", r"epochs\b", "epochs epoch num_epochs n_epochs max_epochs", before=True),
    _spec("kernel_size", "kernel size", r"kernel size|filter size|[×x]\s?\d+\s+(conv(olution)?(al)?s?|filters?|kernels?)",
          "kernel_size kernel ksize", before=True),
    _spec("window", "window / sequence length", r"window length( T)?|window size|length T|sequence length|"
          r"windows of length|context length", "window window_size seq_len block_size max_len seq_length context_length"),
    _spec("n_features", "input features", r"input features( F)?|features\b", "n_features input_dim in_features "
          "input_size num_features in_channels", before=True),
    _spec("bottleneck", "bottleneck size", r"bottleneck( size)?( of)?", "bottleneck bottleneck_dim", before=True),
    _spec("stride", "stride", r"(window )?stride", "stride"),
    _spec("weight_decay", "weight decay", r"weight decay", "weight_decay wd"),
    _spec("clip", "gradient clipping", r"gradient clipping( max norm)?|clip(ped)? the gradient norm to|clipped to",
          "clip grad_clip clip_grad max_grad_norm clip_norm"),
    _spec("warmup", "warm-up steps", r"warm-?up(_?steps)?(\s+of)?", "warmup warmup_steps warmup_iters", before=True),
    _spec("train_steps", "training steps", r"(?<!time )(training )?(steps|iterations)\b", "max_steps max_iters "
          "train_steps num_steps total_steps", before=True, needs=r"\btrain(ed|ing)? (for|the)\b|\bterminate"),
    _spec("momentum", "momentum", r"momentum( of)?", "momentum"),
    _spec("label_smoothing", "label smoothing", r"label smoothing( of value)?|ϵ_?ls", "label_smoothing smoothing"),
    _spec("seed", "random seed", r"\bseed", "seed"),
    _spec("percentile", "threshold percentile", r"percentile", "percentile", before=True),
)

# The model's own values are stated in the Method and training sections and in the appendix; results
# sections often describe variants (a bigger model, another task).
TAG_WEIGHT = {"method": 2.5, "experiments": 1.5, "appendix": 2.0, "results": 0.8, "abstract": 1.0}


@dataclass
class PaperValue:
    """A value the paper states.

    Attributes:
        value: the number (float).
        text: as printed ("1e-3", "two").
        page: 1-based page; bbox: the sentence or table row on it.
        snippet: the sentence or row.
        weight: how much to trust it (table rows and method text count more).
        variant: the model variant a table gives it for ("base", "18-layer"), "" in prose.
        source: "table" or "prose".
    """

    value: float
    text: str
    page: int
    bbox: Box
    snippet: str
    weight: float
    variant: str = ""
    source: str = "prose"


@dataclass
class HyperparamRow:
    """One parameter, paper beside code.

    Attributes:
        key, label: the parameter.
        status: "match", "differ", "paper only" or "code only".
        paper: the value the paper states most often/strongly, or None.
        paper_all: every stated value, strongest first.
        code: every value found on the main model's build path (file + line each).
        note: what the code side says when it has no number ("set at run time (...)"), else "".
    """

    key: str
    label: str
    status: str
    paper: PaperValue | None = None
    paper_all: list[PaperValue] = field(default_factory=list)
    code: list[CodeValue] = field(default_factory=list)
    note: str = ""

    def code_text(self) -> str:
        return "; ".join(f"{c.value_text} ({c.file}:{c.line})" for c in self.code)


def _row_values(spec: ParamSpec, row: str) -> list[str]:
    """A table row "hidden size | 128 | --hidden": the first cell names it, the next holds the value."""
    cells = [c.strip() for c in row.split("|")]
    if len(cells) < 2 or not re.fullmatch(rf"({spec.words})(\s+\w)?", cells[0], re.I):
        return []
    if sum(bool(re.fullmatch(NUMBER, c)) for c in cells[1:]) > 1:
        return []  # a value per variant: read by table_columns with the variant it belongs to
    m = re.search(NUMBER, cells[1])
    return [m.group(1)] if m else []


# A sentence about somebody else's model: its numbers are not this paper's settings.
OTHER_MODEL = re.compile(r"\bbaselines?\b|\b(prior|previous) (work|models?)\b|\bcompared (to|with)\b", re.I)
OTHER_SECTION = re.compile(r"baseline|related|comparison|prior work", re.I)
NOT_COUNT_AFTER = r"(?<!every )(?<!after )(?<!first )(?<!last )(?<![/\w.,×])"
# "a 3-layer bottleneck block": the count of a part, not of the model
PART_AFTER = r"(?![\w\s-]{0,16}\b(?:blocks?|bottlenecks?|modules?|units?|branch(?:es)?|stages?)\b)"
# "a residual function F that has two or three layers": a sentence about a part of the network; its small
# layer counts (a few layers) are the part's depth, not the model's
PART_SENTENCE = re.compile(r"\b(residual )?functions?\b|\bblocks?\b|\bbottlenecks?\b|\bbranch(es)?\b", re.I)


def _sentence_values(spec: ParamSpec, text: str, claimed: list[tuple[int, int]], before: bool) -> list[str]:
    """Numbers governed by the parameter's words: right after them ("dropout rate of 0.1", "warmup of 10k
    steps") or, for counts, right before them ("6 identical layers", "30 epochs"). A number already read
    for another parameter is not read again ("h = 8 parallel attention layers" is heads, not layers); a
    number word before the noun must be at least two ("one hidden layer" describes, it does not set)."""
    found = []
    if spec.needs and not re.search(spec.needs, text, re.I):
        return found
    if not before:
        # a symbol may name it between the words and the value ("the window size D = 10", "rate α = 0.1")
        pattern = re.compile(rf"\b(?:{spec.words})(?:\s+[A-Za-zα-ω](?=\s*=))?\s*"
                             rf"(?:of|=|:|is|was|set to|to|from|rate of|with probability(?: of)?)?\s*"
                             rf"(?:max norm\s*)?{NUMBER}(?![\w.]?\d)(?!\s*[×x]\s*\d)", re.I)
    elif spec.before:
        pattern = re.compile(rf"{NOT_COUNT_AFTER}\b{NUMBER}(?:th|-th)?"
                             rf"(?:\s+(?:identical|stacked|parallel|hidden|attention|training))?[\s-]*(?:{spec.words}){PART_AFTER}",
                             re.I)
    else:
        return found
    for m in pattern.finditer(text):
        group = m.lastindex if not before else 1
        span = m.span(group)
        if any(a < span[1] and span[0] < b for a, b in claimed):
            continue
        word = m.group(group).lower() in NUMBER_WORDS
        if word and (not before or m.group(group).lower() in ("one", "single")):
            continue
        if before and spec.key == "num_layers" and (parse_number(m.group(group)) or 0) <= 3 \
                and PART_SENTENCE.search(text):
            continue
        claimed.append(span)
        found.append(m.group(group))
    return found


def paper_values(text: PaperText) -> dict[str, list[PaperValue]]:
    """Every value each parameter is stated with, by parameter key."""
    out: dict[str, list[PaperValue]] = {}
    for passage in text.passages:
        if passage.kind not in ("prose", "table") or passage.tag in ("references", "related_work"):
            continue
        if OTHER_MODEL.search(passage.text) or OTHER_SECTION.search(passage.section_title()):
            continue
        claimed: list[tuple[int, int]] = []
        for before in (False, True):  # "the parameter = value" readings first, then "N things" counts
            for spec in PARAMS:
                if passage.kind == "table":
                    raw = [] if before else _row_values(spec, passage.text)
                else:
                    raw = _sentence_values(spec, passage.text, claimed, before)
                for item in raw:
                    value = parse_number(item)
                    if value is None:
                        continue
                    weight = 3.0 if passage.kind == "table" else TAG_WEIGHT.get(passage.tag, 0.5)
                    out.setdefault(spec.key, []).append(PaperValue(
                        value, item, passage.page, passage.bbox, passage.text, weight,
                        source="table" if passage.kind == "table" else "prose"))
    for found in table_values(text):
        value = parse_number(found.text)
        row = found.row
        out.setdefault(found.key, []).append(PaperValue(value, found.text, row.page, row.bbox, row.text, 3.0,
                                                        variant=found.variant, source="table"))
    return out


def _strongest(values: list[PaperValue]) -> list[PaperValue]:
    """Values ordered by total support: a number stated in a table and in the text twice wins."""
    support: dict[float, float] = {}
    for v in values:
        key = next((k for k in support if same(k, v.value)), v.value)
        support[key] = support.get(key, 0.0) + v.weight
    return sorted(values, key=lambda v: (-max(s for k, s in support.items() if same(k, v.value)), -v.weight))


def check_hyperparams(text: PaperText | None, repo: RepoInfo | None) -> list[HyperparamRow]:
    """One row per parameter found on either side, paper-stated parameters first. Each row compares the
    code with the paper variant the code builds (see variants.py)."""
    stated = paper_values(text) if text is not None else {}
    in_code, runtime = build_path(repo) if repo is not None else ([], {})
    by_key = {spec.key: _unique([c for c in in_code if c.name in spec.names]) for spec in PARAMS}
    variant = code_variant({k: v for k, v in stated.items()}, by_key)
    rows = []
    for spec in PARAMS:
        papers = _strongest(stated.get(spec.key, []))
        codes = by_key[spec.key]
        note = ""
        if not codes:
            note = next((text for arg, text in runtime.items() if arg in spec.names), "")
        if not papers and not codes:
            continue
        paper = headline(papers, variant)
        if paper is not None and not paper.variant and codes:
            # a paper stating several settings (ImageNet and CIFAR) is compared on the one the code uses
            agrees = [p for p in papers if any(c.value is not None and same(c.value, p.value) for c in codes)]
            # the prose setting the code uses, else the one named variant it builds (`resnet32`: "ResNet 32");
            # an ablation row ("(C)", "row 3") agreeing on one number is a coincidence
            named = [p for p in agrees if p.variant and not re.fullmatch(r"\(\w+\)|row \d+", p.variant)]
            paper = next((p for p in agrees if not p.variant), named[0] if named else paper)
        if paper and codes:
            status = "match" if any(c.value is not None and same(c.value, paper.value) for c in codes) else "differ"
        else:
            status = "paper only" if paper else "code only"
        rows.append(HyperparamRow(spec.key, spec.label, status, paper, papers, codes, note))
    rows.sort(key=lambda r: (r.paper is None, PARAMS.index(next(s for s in PARAMS if s.key == r.key))))
    return rows


def _unique(codes: list[CodeValue]) -> list[CodeValue]:
    """One entry per place in the code (a setting read under two names is one value)."""
    seen, out = set(), []
    for c in codes:
        if (c.file, c.line, c.value_text) not in seen:
            seen.add((c.file, c.line, c.value_text))
            out.append(c)
    return out
