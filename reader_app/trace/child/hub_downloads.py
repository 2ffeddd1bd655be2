"""Weights the model's code fetches by name after building its architecture, never downloaded.

The usual sequence: a hub helper downloads a file (`hf_hub_download(repo_id, filename=...)`,
`snapshot_download(repo_id)`), a loader reads it (`load_file(path)` of a safetensors file, `torch.load(path)`),
and `load_state_dict` copies it in. Here the helper answers with a path under a folder that does not exist,
a loader given such a path answers with weights.NotDownloaded (the empty state dict that load_state_dict
accepts), and the model keeps its initial weights: shapes do not depend on them. This holds whether the hub
library is installed (its helpers are replaced as its modules load) or missing (its placeholder answers with
the same stand-ins; library_stand_ins.known_value). `torch.hub.load` of a repository on the network fetches
code, not only weights: it stops with a sentence that says so.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys

from reader_app.trace.child.weights import NotDownloaded

NOT_DOWNLOADED = os.path.join(os.sep, "reader-app-not-downloaded")  # never created
DOWNLOADERS = ("hf_hub_download", "snapshot_download", "cached_download")
LOADERS = ("load_file",)  # safetensors' file loader
# Installed hub libraries: the modules that define the helpers above, replaced right after they load.
DEFINED_IN = {"huggingface_hub.file_download": DOWNLOADERS, "huggingface_hub._snapshot_download": DOWNLOADERS,
              "safetensors.torch": LOADERS}
_NOTES: list = []


def not_downloaded(path) -> bool:
    """Whether `path` is (inside) a file a download stand-in answered with."""
    try:
        return os.fspath(path).startswith(NOT_DOWNLOADED)
    except TypeError:
        return False


def _note(text: str) -> None:
    if _NOTES:
        _NOTES[0].add(text)


def download(*args, **kwargs) -> str:
    """A hub download helper's stand-in: the path the file would have, under a folder that does not exist."""
    repo = str(kwargs.get("repo_id") or (args[0] if args else ""))
    filename = str(kwargs.get("filename") or (args[1] if len(args) > 1 else ""))
    _note(f"weights download not made ({'/'.join(p for p in (repo, filename) if p) or 'from a hub'}): the model keeps "
          f"its initial weights; shapes do not depend on them")
    return os.path.join(NOT_DOWNLOADED, repo, filename)


def loader(original, package: str = "", dotted: str = ""):
    """A weights loader that answers NotDownloaded for a file never downloaded, else is `original` (a missing
    package's loader names the package, as its placeholder would)."""

    def load(path, *args, **kwargs):
        if not_downloaded(path):
            return NotDownloaded(os.fspath(path))
        if original is None:
            from reader_app.trace.child.loader import MissingDependency

            raise MissingDependency(package, f"calls {dotted}")
        return original(path, *args, **kwargs)

    load.__reader_stand_in__ = True
    return load


def stand_in(package: str, dotted: str):
    """For a missing package's placeholder: the stand-in of a download helper or loader, else None."""
    name = dotted.rsplit(".", 1)[-1]
    if name in DOWNLOADERS:
        return download
    if name in LOADERS:
        return loader(None, package, dotted)
    return None


class _Loader(importlib.abc.Loader):
    """Runs the module as usual, then replaces its download helpers and loaders."""

    def __init__(self, inner, names):
        self.inner, self.names = inner, names

    def create_module(self, spec):
        return self.inner.create_module(spec)

    def exec_module(self, module):
        self.inner.exec_module(module)
        for name in self.names:
            original = getattr(module, name, None)
            if callable(original):
                setattr(module, name, download if name in DOWNLOADERS else loader(original))


class _Finder(importlib.abc.MetaPathFinder):
    """Wraps the loaders of the modules in DEFINED_IN as the path finds them; every other import passes by."""

    def find_spec(self, name, path=None, target=None):
        if name not in DEFINED_IN:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _Loader(spec.loader, DEFINED_IN[name])
        return spec


def install(notes) -> None:
    """Before the repository's code is imported: torch's loader and hub, and the finder above."""
    import torch
    import torch.hub

    _NOTES[:] = [notes]
    if getattr(torch.load, "__reader_stand_in__", False):
        return
    torch.load = loader(torch.load)
    original_hub_load = torch.hub.load

    def hub_load(repo_or_dir, model, *args, source="github", **kwargs):
        if source == "local":
            return original_hub_load(repo_or_dir, model, *args, source=source, **kwargs)
        raise RuntimeError(f"torch.hub.load('{repo_or_dir}', '{model}') fetches the model's code from the network, "
                           f"which the trace never does")

    torch.hub.load = hub_load
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
