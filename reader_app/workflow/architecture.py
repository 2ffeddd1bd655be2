"""Which figure is the paper's architecture diagram: the one step 2 centres on and step 6 connects to.

A figure earns points for what its caption says (architecture, overview, model, framework, network)
and for where it sits (referred to from the Method section, printed among its pages, early in the
paper); results plots lose points. The reason names what counted, so the reader can judge the pick.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from typing import TYPE_CHECKING

from reader_app.paper.model import Figure, Paper

if TYPE_CHECKING:  # only a type here: the window picks the figure without loading PyMuPDF
    from reader_app.workflow.paper_text import PaperText

# (pattern, weight, what to tell the reader)
CAPTION_CUES: tuple[tuple[str, float, str], ...] = (
    (r"\barchitectures?\b", 3.0, "architecture"),
    (r"\boverview\b", 2.0, "overview"),
    (r"\bframework\b", 2.0, "framework"),
    (r"\b(our|the|proposed) (model|method|approach|network)\b|\bmodel\b", 1.5, "model"),
    (r"\bnetworks?\b", 1.0, "network"),
    (r"\b(pipeline|diagram|schematic|illustration|structure)\b", 1.0, "diagram"),
    (r"\b(encoder|decoder|block|module|layers?)\b", 0.5, "building blocks"),
)
RESULT_CUES = re.compile(r"\b(accuracy|errors?|error rates?|curves?|results?|comparison|performance|"
                         r"samples|visuali[sz]ation|loss|over time|histogram|ablation|F1|BLEU|perplexity|"
                         r"(training|test|validation) (error|loss|accuracy|cost))\b", re.I)
NO_DIAGRAM = ("No figure is an architecture diagram (no caption says architecture, model, overview or network "
              "without reading like a result); pick one yourself if a figure shows the model.")


@dataclass
class ArchitectureMatch:
    """The figure picked as the architecture diagram, and why.

    Attributes:
        figure: the chosen figure, or None when the paper has no figure to choose.
        reason: one sentence saying what counted (or what is missing).
        score: the winning score (0 when nothing fits).
        ranking: every figure with its score, best first.
    """

    figure: Figure | None
    reason: str
    score: float = 0.0
    ranking: list[tuple[Figure, float]] = field(default_factory=list)


def method_pages(paper: Paper) -> set[int]:
    """Pages from the first Method heading up to the next top-level section that is not Method."""
    pages: set[int] = set()
    inside, start = False, 0
    for section in paper.sections:
        if section.tag == "method" or "method" in section.also:
            if not inside:
                inside, start = True, section.page
        elif section.level == 1 and inside:
            pages.update(range(start, section.page + 1))
            inside = False
    if inside:
        pages.update(range(start, paper.page_count + 1))
    return pages


def _referenced_from_method(figure: Figure, text: PaperText | None) -> bool:
    if text is None:
        return False
    number = re.escape(figure.number)
    word = r"(Figure|Fig\.?)" if figure.kind == "figure" else r"Table"
    pattern = re.compile(rf"\b{word}\s*{number}\b")
    return any(p.kind == "prose" and p.tag == "method" and pattern.search(p.text) for p in text.passages)


def _score(figure: Figure, paper: Paper, text: PaperText | None, pages: set[int]) -> tuple[float, list[str]]:
    """(score, reasons); a figure whose caption names no diagram, or reads more like a result than a
    diagram, scores 0 whatever its place: position alone never makes a results plot the architecture."""
    caption = re.sub(r"^\s*(Figure|Fig\.?)\s*\S+?[:.]", "", figure.caption, flags=re.I)
    first_sentence = caption.split(". ")[0]
    cue = sum(w if re.search(p, first_sentence, re.I) else w / 2
              for p, w, _ in CAPTION_CUES if re.search(p, caption, re.I))
    if cue <= 1.5 * len(RESULT_CUES.findall(first_sentence)) or cue == 0:
        return 0.0, ["caption reads like a result" if cue else "caption names no diagram"]
    score, why = 0.0, []
    for pattern, weight, name in CAPTION_CUES:
        if re.search(pattern, caption, re.I):
            # The caption's first sentence says what the figure is; later sentences only describe it.
            score += weight if re.search(pattern, first_sentence, re.I) else weight / 2
            why.append(f"caption says '{name}'")
    misses = len(RESULT_CUES.findall(first_sentence))
    if misses:
        score -= 1.5 * misses
        why.append("caption reads like a result")
    if _referenced_from_method(figure, text):
        score += 1.5
        why.append("the Method section refers to it")
    if figure.page in pages:
        score += 1.0
        why.append("printed in the Method section")
    if figure.number in ("1", "2"):
        score += 0.5 if figure.number == "1" else 0.25
        why.append("an early figure")
    return score, why


def find_architecture_figure(paper: Paper, text: PaperText | None = None) -> ArchitectureMatch:
    """The figure whose caption or place best fits an architecture diagram (tables never qualify)."""
    figures = [f for f in paper.figures if f.kind == "figure"]
    if not figures:
        return ArchitectureMatch(None, "The paper has no figures, so there is no architecture diagram to centre on.")
    pages = method_pages(paper)
    scored = []
    for figure in figures:
        score, why = _score(figure, paper, text, pages)
        scored.append((figure, score, why))
    scored.sort(key=lambda item: (-item[1], paper.figures.index(item[0])))
    best, score, why = scored[0]
    ranking = [(f, s) for f, s, _ in scored]
    if score <= 0:
        return ArchitectureMatch(None, NO_DIAGRAM, 0.0, ranking)
    reason = f"{best.label}: " + ", ".join(why) + "."
    if not pages:
        reason += " The paper has no Method section, so the pick rests on the caption alone."
    return ArchitectureMatch(best, reason, score, ranking)


def chosen_by_reader(paper: Paper, label: str) -> ArchitectureMatch | None:
    """The reader's own pick of the architecture figure (None when the label is not a figure of the paper)."""
    figure = next((f for f in paper.figures if f.label == label), None)
    if figure is None:
        return None
    return ArchitectureMatch(figure, f"{figure.label}: chosen by you as the architecture figure.", 0.0)
