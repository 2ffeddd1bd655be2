"""Opening a PDF safely: every way a file can fail becomes one human sentence."""
from __future__ import annotations

from pathlib import Path

import pymupdf

# MuPDF prints its own errors ("format error: non-page object in page tree") on stdout, where the CLI and
# the child processes write JSON; every damage it meets is reported as a sentence instead. (pymupdf4llm
# did this on import; the app no longer loads it.)
pymupdf.TOOLS.mupdf_display_errors(False)


class PaperOpenError(Exception):
    """A PDF that cannot be shown.

    Attributes:
        message: one sentence for the reader.
        needs_password: True when the file is encrypted and a (different) password may open it.
    """

    def __init__(self, message: str, needs_password: bool = False):
        super().__init__(message)
        self.message = message
        self.needs_password = needs_password


def open_pdf(path: str | Path, password: str | None = None) -> pymupdf.Document:
    """Open `path` as a PDF with at least one page, or raise PaperOpenError saying why not."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise PaperOpenError(f"{name} does not exist or is not a file.")
    if path.stat().st_size == 0:
        raise PaperOpenError(f"{name} is empty (0 bytes).")
    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF" not in head:
        raise PaperOpenError(f"{name} is not a PDF file.")
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception:  # MuPDF raises several types for broken files
        raise PaperOpenError(f"{name} is damaged and cannot be read as a PDF.") from None
    if doc.needs_pass:
        if password is None:
            doc.close()
            raise PaperOpenError(f"{name} is encrypted: enter its password to open it.", needs_password=True)
        if not doc.authenticate(password):
            doc.close()
            raise PaperOpenError(f"The password for {name} is not correct.", needs_password=True)
    try:
        page_count = doc.page_count
    except Exception:  # MuPDF cannot even count the pages of some broken files
        doc.close()
        raise PaperOpenError(f"{name} is damaged and cannot be read as a PDF.") from None
    if page_count == 0:
        doc.close()
        raise PaperOpenError(f"{name} has no pages.")
    try:
        doc.load_page(0)
    except Exception:
        doc.close()
        raise PaperOpenError(f"{name} is damaged: its first page cannot be read.") from None
    if doc.is_repaired and not any(_has_content(doc, i) for i in range(min(3, doc.page_count))):
        # MuPDF "repairs" a truncated file into empty pages: showing blank pages would only confuse
        doc.close()
        raise PaperOpenError(f"{name} is damaged (truncated or corrupt): its pages cannot be read.")
    return doc


def _has_content(doc: pymupdf.Document, index: int) -> bool:
    try:
        page = doc.load_page(index)
        return bool(page.get_text("text").strip() or page.get_images() or page.get_drawings())
    except Exception:
        return False
