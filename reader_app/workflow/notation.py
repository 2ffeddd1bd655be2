"""Math notation help (step 7): the symbols a paper uses, per section, with what they mean and the
PyTorch/NumPy code that computes them, each occurrence placed on its page for a hover tooltip.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pymupdf

from reader_app.paper import open_pdf
from reader_app.workflow.paper_text import Box, PaperText


@dataclass(frozen=True)
class Symbol:
    """A notation the help knows.

    Attributes:
        key: stable id ("sum").
        name: what it is called.
        meaning: one sentence.
        code: the PyTorch/NumPy that computes it.
        pattern: regex finding it in the PDF's text.
    """

    key: str
    name: str
    meaning: str
    code: str
    pattern: str


SYMBOLS: tuple[Symbol, ...] = (
    Symbol("sum", "Σ sum", "Adds the terms over the index written under or beside it.",
           "torch.sum(x, dim=...)  /  np.sum(x, axis=...)", r"[Σ∑]"),
    Symbol("product", "∏ product", "Multiplies the terms over the index.", "torch.prod(x, dim=...)", r"[∏Π]"),
    Symbol("norm", "‖x‖ norm", "The length of a vector; ‖x‖² is the sum of squares.",
           "torch.linalg.norm(x)  /  (x ** 2).sum()", r"‖|\|\|"),
    # PDFs print accents either combined (x̂) or as a spacing accent before the letter ("ˆy", "¯hs", "˜ht")
    Symbol("hat", "x̂ hat", "A prediction, reconstruction or estimate of x (or a normalized value).",
           "x_hat = model(x)", ".\u0302|[âêîôûŷ]|ˆ\\w"),
    Symbol("bar", "x̄ bar", "A mean of x, or another fixed version of it (h̄ₛ: the source-side states).",
           "x.mean(dim=...)  /  h_s", "\\w\u0304|[āēīōū]|¯\\w"),
    Symbol("tilde", "x̃ tilde", "A modified or intermediate version of x (h̃ₜ: the attentional hidden state).",
           "h_tilde = torch.tanh(self.concat(torch.cat([c, h], -1)))", "\\w\u0303|[ãõñ]|˜\\w"),
    Symbol("partial", "∂ partial derivative", "How much a quantity changes with one parameter; ∂L/∂θ is the gradient.",
           "loss.backward(); w.grad", r"∂"),
    Symbol("gradient", "∇ gradient", "The vector of partial derivatives.", "loss.backward(); [p.grad for p in model.parameters()]",
           r"∇"),
    Symbol("argmax", "argmax", "The index of the largest value.", "torch.argmax(x, dim=...)", r"\barg\s?max\b"),
    Symbol("argmin", "argmin", "The index of the smallest value.", "torch.argmin(x, dim=...)", r"\barg\s?min\b"),
    Symbol("max", "max(a, b)", "The larger of the two, entry by entry; max(0, x) is a ReLU.",
           "torch.maximum(a, b)  /  torch.relu(x)", r"(?<!arg)(?<!arg )\bmax\s?\("),
    Symbol("min", "min(a, b)", "The smaller of the two, entry by entry.", "torch.minimum(a, b)",
           r"(?<!arg)(?<!arg )\bmin\s?\("),
    Symbol("trig", "sin / cos", "Sine and cosine, e.g. the sinusoidal position encodings.",
           "torch.sin(x)  /  torch.cos(x)", r"\b(sin|cos)\s?\("),
    Symbol("dot", "· product", "A scalar times a tensor, or the dot product of two vectors (q · k).",
           "a * b  /  (q * k).sum(-1)", r"(?<=\S)\s?·\s?(?=\S)"),
    Symbol("member", "∈ element of", "x ∈ ℝ^(d×k) says x is a d by k array of real numbers: its shape.",
           "x.shape == (d, k)", r"∈"),
    Symbol("softmax", "softmax", "Exponentiates and normalizes scores so they are positive and sum to one.",
           "F.softmax(x, dim=...)", r"\bsoft-?max\b"),
    Symbol("hadamard", "⊙ element-wise product", "Multiplies two tensors entry by entry.", "a * b", r"[⊙∘]"),
    Symbol("matmul", "matrix product", "Multiplies matrices (also W x, QKᵀ).", "a @ b  /  torch.matmul(a, b)",
           r"[⊤ᵀ]|\bQK\b"),
    Symbol("expectation", "𝔼 expectation", "The average over a distribution; in code, a mean over samples.",
           "x.mean()", r"𝔼|\bE\s?\[|\bE_|\bE[a-z]?∼"),
    Symbol("exp", "exp", "The exponential function.", "torch.exp(x)", r"\bexp\b"),
    Symbol("log", "log", "The natural logarithm.", "torch.log(x)", r"\blog\b"),
    Symbol("sigmoid", "σ sigmoid", "Squashes a value into (0, 1) (σ may also denote a standard deviation).",
           "torch.sigmoid(x)", r"σ"),
    Symbol("tanh", "tanh", "Squashes a value into (-1, 1).", "torch.tanh(x)", r"\btanh\b"),
    Symbol("concat", "[a; b] concatenation", "Joins vectors end to end.", "torch.cat([a, b], dim=-1)",
           r"\[[^\]\s]+;\s?[^\]\s]+\]|\bConcat\s?\("),
    Symbol("real", "ℝ real space", "ℝ^(T×F) says the shape: a T by F array of real numbers.", "x.shape == (T, F)", r"ℝ"),
    Symbol("sqrt", "√ square root", "The square root, e.g. the 1/√d_k scaling of attention.", "torch.sqrt(x)  /  x ** 0.5",
           r"√"),
)


@dataclass
class Occurrence:
    """One place a symbol is printed.

    Attributes:
        page: 1-based page.
        bbox: the symbol's own box, for the hover tooltip.
        context: the sentence it sits in (may be "" for text outside prose).
    """

    page: int
    bbox: Box
    context: str = ""


@dataclass
class SymbolUse:
    """A symbol found in one section.

    Attributes:
        symbol: the notation.
        section: "3.1 Encoder" ("" before the first heading); tag: its tag.
        occurrences: where it is printed in that section.
    """

    symbol: Symbol
    section: str
    tag: str
    occurrences: list[Occurrence] = field(default_factory=list)


def find_notation(text: PaperText, pdf=None) -> list[SymbolUse]:
    """The symbols of every prose/caption sentence, grouped by section; with `pdf` (path or
    pymupdf.Document) each occurrence gets the symbol's own box, else the sentence's box."""
    doc = None
    if pdf is not None:
        doc = pdf if isinstance(pdf, pymupdf.Document) else open_pdf(pdf)
    try:
        return _find(text, doc)
    finally:
        if doc is not None and doc is not pdf:
            doc.close()


def _find(text: PaperText, doc) -> list[SymbolUse]:
    uses: dict[tuple[str, str], SymbolUse] = {}
    for passage in text.passages:
        if passage.kind not in ("prose", "caption") or passage.tag == "references":
            continue
        for symbol in SYMBOLS:
            for nth, m in enumerate(re.finditer(symbol.pattern, passage.text)):
                key = (passage.section_title(), symbol.key)
                use = uses.setdefault(key, SymbolUse(symbol, passage.section_title(), passage.tag))
                box = _symbol_box(doc, passage, m.group(0), nth) if doc is not None else passage.bbox
                use.occurrences.append(Occurrence(passage.page, box, passage.text))
    return list(uses.values())


def _symbol_box(doc, passage, found: str, nth: int) -> Box:
    """The printed box of `found` inside the passage's area (falls back to the passage's box)."""
    try:
        page = doc.load_page(passage.page - 1)
        clip = pymupdf.Rect(passage.bbox) + (-2, -2, 2, 2)
        hits = page.search_for(found.strip(), clip=clip)
    except Exception:  # a damaged page: the sentence box still helps
        return passage.bbox
    return tuple(hits[min(nth, len(hits) - 1)]) if hits else passage.bbox


def symbol_at(uses: list[SymbolUse], page: int, x: float, y: float) -> SymbolUse | None:
    """The symbol under a point of a page (for the tooltip), or None."""
    for use in uses:
        for occ in use.occurrences:
            x0, y0, x1, y1 = occ.bbox
            if occ.page == page and x0 - 1 <= x <= x1 + 1 and y0 - 1 <= y <= y1 + 1:
                return use
    return None

