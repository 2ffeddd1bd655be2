"""Where the repository computes each piece of notation: step 7 says "look at the code instead", so
the notation help points at the lines (model, training and helper files) that do the math.

Element-wise and matrix products are taken from the data flow of forward() when one is given (a
`*` between two tensors cannot be told from a `*` between numbers by text alone); the rest are
found by the calls that compute them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from reader_app.repo import RepoInfo, read_source

SEARCHED_ROLES = ("model", "training", "helpers")
MAX_SITES = 3

# symbol key -> pattern of a source line computing it
CODE_PATTERNS: dict[str, str] = {
    "sum": r"\btorch\.sum\(|\.sum\(",
    "product": r"\btorch\.prod\(|\.prod\(",
    "norm": r"\blinalg\.norm\(|(?<!self)\.norm\(|clip_grad_norm_|\*\*\s?2\b",  # not a layer called norm
    "partial": r"\.backward\(",
    "gradient": r"\.backward\(|\.grad\b|clip_grad_norm_",
    "argmax": r"\bargmax\(",
    "softmax": r"\bsoftmax\(|nn\.Softmax\(",
    "matmul": r"\s@\s|\btorch\.(bmm|matmul|einsum)\(",
    "expectation": r"\.mean\(",
    "exp": r"\btorch\.exp\(|\.exp\(",
    "log": r"\btorch\.log\(|\.log\(",
    "sigmoid": r"\bsigmoid\(|nn\.Sigmoid\(",
    "tanh": r"\btanh\(|nn\.Tanh\(",
    "concat": r"\btorch\.cat\(",
    "sqrt": r"\bsqrt\(|\*\*\s?0\.5",
    "hat": r"\b\w+_hat\b",
}
FLOW_LABELS = {"hadamard": "multiply", "matmul": "matmul", "sum": "sum", "softmax": "softmax"}


@dataclass
class CodeSite:
    """A line of the repository that computes a symbol.

    Attributes:
        file: path relative to the repository root; line: 1-based.
        code: the line as written, stripped.
    """

    file: str
    line: int
    code: str


def code_sites(repo: RepoInfo, flow=None) -> dict[str, list[CodeSite]]:
    """symbol key -> up to three lines computing it, forward() first (flow is a DataFlow or None)."""
    sources: dict[str, list[str]] = {}

    def lines_of(file: str) -> list[str]:
        if file not in sources:
            try:
                sources[file] = read_source(repo.root, file).splitlines()
            except OSError:
                sources[file] = []
        return sources[file]

    sites: dict[str, list[CodeSite]] = {}

    def add(key: str, file: str, line: int) -> None:
        found = sites.setdefault(key, [])
        text = lines_of(file)
        if len(found) < MAX_SITES and 0 < line <= len(text) and all((s.file, s.line) != (file, line) for s in found):
            found.append(CodeSite(file, line, text[line - 1].strip()))

    for node in (flow.nodes if flow is not None else []):
        for key, label in FLOW_LABELS.items():
            if node.label == label:
                add(key, node.file, node.line)
    files = [r.path for r in repo.roles if r.role in SEARCHED_ROLES and r.path.endswith((".py", ".ipynb"))]
    for file in files:
        for number, text in enumerate(lines_of(file), 1):
            code = text.split("#", 1)[0]
            for key, pattern in CODE_PATTERNS.items():
                if re.search(pattern, code):
                    add(key, file, number)
    return {key: found for key, found in sites.items() if found}
