"""Writing export files atomically: a temp file in the target's folder, then os.replace.

A reader never sees half a file, and a failure (disk full, read-only folder) leaves whatever
was at the target before untouched and no temp file behind.
"""
from __future__ import annotations

import errno
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp makes private (0600) files; an export should get the permissions any new file gets.
_FILE_MODE = 0o666 & ~_umask()


class ExportError(Exception):
    """An export that could not be written; `message` is one sentence for the reader.

    Attributes:
        message: what failed and why, in plain words.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def explain(target: Path, exc: OSError) -> ExportError:
    """Turn an OSError while writing `target` into a sentence a reader can act on."""
    name = str(target)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return ExportError(f"There is not enough disk space to write {name}; nothing was written.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportError(f"{name} cannot be written: its folder is read-only or not yours.")
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return ExportError(f"{name} cannot be written: the folder {target.parent} does not exist.")
    if exc.errno == errno.EISDIR:
        return ExportError(f"{name} is a folder; give a file name to export to.")
    return ExportError(f"{name} could not be written: {exc.strerror or exc}.")


def _from_mupdf(target: Path, exc: Exception) -> ExportError:
    """MuPDF reports a failed write as its own error type with the C library's message inside."""
    text = str(exc)
    for message, number in (("No space left", errno.ENOSPC), ("Read-only", errno.EROFS),
                            ("Permission denied", errno.EACCES), ("File too large", errno.EFBIG)):
        if message in text:
            return explain(target, OSError(number, message))
    return ExportError(f"{target} could not be written: {text}.")


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temp path beside `target`; when the block succeeds it replaces `target` in one step."""
    target = Path(target)
    if target.is_dir():
        raise explain(target, IsADirectoryError(errno.EISDIR, "is a directory"))
    try:
        # the real suffix last: writers such as PyMuPDF pick the file format from it
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".part{target.suffix}", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise explain(target, exc) from None
    temp = Path(temp_name)
    try:
        yield temp
        with open(temp, "rb+") as handle:  # the bytes are on disk before the name points at them
            os.fsync(handle.fileno())
        os.chmod(temp, _FILE_MODE)
        os.replace(temp, target)
    except ExportError:
        raise
    except OSError as exc:
        raise explain(target, exc) from None
    except Exception as exc:
        if not type(exc).__module__.startswith("pymupdf"):
            raise
        raise _from_mupdf(target, exc) from None
    finally:
        temp.unlink(missing_ok=True)


def write_atomic(target: str | Path, data: bytes | str) -> None:
    """Write `data` (text is UTF-8) to `target` atomically."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(target) as temp:
        with open(temp, "wb") as handle:
            handle.write(payload)
