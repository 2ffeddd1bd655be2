"""A child process that renders and searches PDF pages for the window.

MuPDF holds Python's GIL while it rasterises, so a render thread inside the GUI process would freeze
the window for the length of each page (80 ms and more at high zoom). Here the work runs in its own
process: the GUI side only waits on a pipe, which releases the GIL.

Protocol: one JSON request per line on stdin; each reply on stdout is a 4-byte big-endian length, a
JSON header of that length, then `header["size"]` bytes of payload (RGB pixels for renders).
Requests: {"op": "open", "path", "password"} (answers the page sizes, or the sentence open_pdf gives), {"op": "render", "page", "scale", ["clip", "key"]},
{"op": "words", "page"} (x0, y0, x1, y1, text in reading order), {"op": "search", "query"},
{"op": "quit"}.
"""
from __future__ import annotations

import json
import struct
import sys

from reader_app.child_process import skip_mupdf_layout

skip_mupdf_layout()  # before PyMuPDF loads
import pymupdf

from reader_app.paper.document import PaperOpenError, open_pdf

# Ligatures expanded ("ﬁ" -> "fi") so that searching for "configs" finds it; hyphenated line ends joined.
TEXT_FLAGS = pymupdf.TEXT_DEHYPHENATE | pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP


def _reply(out, header: dict, payload: bytes = b"") -> None:
    header["size"] = len(payload)
    raw = json.dumps(header).encode("utf-8")
    out.write(struct.pack(">I", len(raw)))
    out.write(raw)
    out.write(payload)
    out.flush()


def serve(stdin=None, stdout=None) -> None:
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    doc = None
    for line in stdin:
        request = json.loads(line)
        op = request.get("op")
        if op == "quit":
            break
        try:
            if op == "open":
                if doc is not None:
                    doc.close()
                    doc = None
                try:
                    doc = open_pdf(request["path"], request.get("password"))
                except PaperOpenError as error:
                    _reply(stdout, {"op": "open", "error": error.message, "needs_password": error.needs_password})
                    continue
                _reply(stdout, {"op": "open", "pages": [[p.rect.width, p.rect.height] for p in doc],
                                "repaired": bool(doc.is_repaired)})
            elif op == "render":
                page = doc.load_page(request["page"])
                scale = request["scale"]
                clip = pymupdf.Rect(request["clip"]) if request.get("clip") else None
                pix = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False, clip=clip)
                _reply(stdout, {"op": "render", "page": request["page"], "scale": scale, "key": request.get("key"),
                                "width": pix.width, "height": pix.height, "stride": pix.stride}, pix.samples)
            elif op == "words":
                words = doc.load_page(request["page"]).get_text("words", sort=False, flags=TEXT_FLAGS & ~pymupdf.TEXT_DEHYPHENATE)
                _reply(stdout, {"op": "words", "page": request["page"],
                                "words": [[round(w[0], 2), round(w[1], 2), round(w[2], 2), round(w[3], 2), w[4]]
                                          for w in words]})
            elif op == "search":
                hits = []
                for page in doc:
                    rects = page.search_for(request["query"], flags=TEXT_FLAGS)
                    if rects:
                        hits.append([page.number, [list(r) for r in rects]])
                _reply(stdout, {"op": "search", "query": request["query"], "hits": hits})
            else:
                _reply(stdout, {"op": op, "error": f"unknown request {op!r}"})
        except Exception as error:  # a damaged page must not end the server
            _reply(stdout, {"op": op, "page": request.get("page"), "error": str(error) or type(error).__name__})


if __name__ == "__main__":
    serve()
