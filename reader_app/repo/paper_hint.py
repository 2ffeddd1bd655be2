"""When a paper is open beside the repository: the model the paper names.

Papers name their model distinctively in the title (`DiT: Scalable Diffusion Models with Transformers`,
`YOLOv4`, `CLIP`), and their code link names the repository (`github.com/facebookresearch/DiT`). A class
called that gets points, with the phrase saying where the paper said it. Works on the plain RepoInfo
(no source parsing), so the window can apply it when the paper's analysis arrives.
"""
from __future__ import annotations

import re

from reader_app.repo.records import ModelClass, RepoInfo
from reader_app.repo.variants import stem

TITLE_POINTS, LINK_POINTS = 15, 12
TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")


def _distinctive(token: str) -> bool:
    """A model name as papers write it: an acronym or CamelCase (`DiT`, `ResNet`, `YOLOv4`, `GPT-2`),
    not a plain word of the title (`Attention`, `learning`)."""
    letters = token.replace("-", "")
    return len(letters) >= 2 and (any(c.isupper() for c in letters[1:]) or
                                  (letters[0].isupper() and any(c.isdigit() for c in letters)))


def _keys(name: str) -> set[str]:
    low = name.lower().replace("-", "").replace("_", "")
    return {low, stem(name).lower().replace("_", "")}


def paper_points(info: RepoInfo, title: str, repo_urls: list[str]) -> dict[int, tuple[float, str]]:
    """id(model) -> (points, phrase) for the classes the paper names."""
    named: dict[str, tuple[float, str]] = {}
    for token in TOKEN.findall(title or ""):
        if _distinctive(token):
            for key in _keys(token):
                named.setdefault(key, (TITLE_POINTS, f"the paper's title names it ({token})"))
    for url in repo_urls or []:
        repo_name = url.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
        for token in [repo_name, *re.split(r"[^A-Za-z0-9]+", repo_name)]:
            if len(token) >= 2:
                for key in _keys(token):
                    named.setdefault(key, (LINK_POINTS, f"the paper's code link names it ({url})"))
    out = {}
    for model in info.models:
        hit = next((named[k] for k in _keys(model.name) if k in named), None)
        if hit is not None:
            out[id(model)] = hit
    return out


def apply_paper_hints(info: RepoInfo, title: str, repo_urls: list[str]) -> ModelClass | None:
    """Add the paper's points to the models it names (once), re-sort, and return the new best model."""
    hints = paper_points(info, title, repo_urls)
    if not hints:
        return info.models[0] if info.models else None
    for model in info.models:
        if id(model) in hints:
            points, phrase = hints[id(model)]
            if phrase not in model.reasons:
                model.score += points
                model.reasons.insert(0, phrase)
    info.models.sort(key=lambda m: -m.score)
    return info.models[0] if info.models else None
