"""The app's shared model-libraries folder: the layer libraries research code builds its models from.

`make install` fills it (pins: packaging/model-libraries.txt) with `pip install --no-deps --target
<venv>/model-libraries`: timm, einops and the like, never torch or torchvision. The tracing child puts it
on sys.path last (trace/child/shared_libraries.py), after the repository's own environment and the app's
site-packages, so either of those wins. Without the folder (a plain `pip install` of the app) a model that
needs such a library is named as before, with the way to an environment of the repository's own.
"""
from __future__ import annotations

import os
import sys

ENV_VAR = "READER_APP_MODEL_LIBRARIES"  # another folder, or "" for none (tests, benchmarks)
FOLDER_NAME = "model-libraries"


def folder() -> str | None:
    """The shared folder when it exists, else None."""
    override = os.environ.get(ENV_VAR)
    if override is not None:
        path = override
    elif getattr(sys, "frozen", False):  # a bundle carries no pip-installed folder beside it
        return None
    else:
        path = os.path.join(sys.prefix, FOLDER_NAME)
    return os.path.realpath(path) if path and os.path.isdir(path) else None
