"""Misspelled heading words read as the word meant ("Experimnets" -> "experiments"), by edit distance
against the few words that name a section. Strict on purpose: a real word such as "confusion" must
never turn into "conclusion"."""
from __future__ import annotations

from functools import lru_cache

# Words that name a section; only words of six letters or more are worth correcting.
VOCABULARY = (
    "abstract", "introduction", "related", "background", "preliminaries", "experiments", "experiment",
    "experimental", "evaluation", "results", "conclusion", "conclusions", "discussion", "methodology",
    "methods", "method", "approach", "acknowledgments", "acknowledgements", "acknowledgment",
    "acknowledgement", "references", "bibliography", "appendix", "analysis", "ablation", "ablations",
    "limitations", "implementation", "keywords", "architecture", "summary", "training",
)


def distance(a: str, b: str, limit: int = 3) -> int:
    """Edit distance counting a swap of neighbours as one edit (optimal string alignment);
    anything above `limit` is reported as limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=2048)
def corrected(word: str) -> str | None:
    """The section word `word` is a misspelling of, or None (also None for a correct spelling).

    One edit for words under ten letters, two from ten on; the first two letters must agree
    (people misspell the middle of a word, rarely its start)."""
    if len(word) < 6 or word in VOCABULARY:
        return None
    allowed = 1 if len(word) < 10 else 2
    best, best_d = None, allowed + 1
    for target in VOCABULARY:
        if target[:2] != word[:2] or len(target) < 6:
            continue
        d = distance(word, target, allowed)
        if d < best_d:
            best, best_d = target, d
    return best


def corrected_title(plain_title: str) -> tuple[str, list[tuple[str, str]]]:
    """The title with misspelled section words replaced, and the (printed, meant) pairs."""
    fixes = []
    words = []
    for w in plain_title.split():
        meant = corrected(w)
        if meant is not None:
            fixes.append((w, meant))
            words.append(meant)
        else:
            words.append(w)
    return " ".join(words), fixes
