"""save_translation(): copy a translation's files to the folder the reader chose, all or nothing.

The files are copied into a hidden folder beside the target, then renamed into place: the reader never
finds half a translation, and a failure (disk full, read-only folder) leaves what was there before.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from reader_app.atomic import ExportError, explain

# what a reader needs to use the model (the reference input and output only serve the Node check)
SAVED = ("model.js", "layers.js", "model.json", "weights.bin", "package.json")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_DIR_MODE = 0o777 & ~_umask()  # read once: umask() is process-wide, never toggle it while threads write files


def save_translation(source_dir: str, target: str | Path) -> list[Path]:
    """Copy the translation in `source_dir` to the folder `target` (created, or replaced when it holds an
    earlier translation). Returns the files written; raises ExportError with one sentence."""
    source, target = Path(source_dir), Path(target)
    names = [name for name in SAVED if (source / name).is_file()]
    if "model.js" not in names:
        raise ExportError("There is no translation to save yet.")
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target} is a file; give the name of a folder to save the translation in.")
    if target.is_dir() and any(target.iterdir()) and not (target / "model.js").is_file():
        raise ExportError(f"{target} already holds other files; choose a new or empty folder.")
    if not target.parent.is_dir():
        raise ExportError(f"{target} cannot be written: the folder {target.parent} does not exist.")
    staging = None
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
        for name in names:
            shutil.copyfile(source / name, staging / name)
        os.chmod(staging, _DIR_MODE)  # mkdtemp makes it private
        if target.is_dir():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.replace(target, old / "previous")  # the earlier translation goes aside, then the new one in
            os.replace(staging, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, target)
        staging = None
    except OSError as exc:
        raise explain(target, exc) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return [target / name for name in names]

