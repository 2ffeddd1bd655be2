"""reader_app.paper engine (no Qt): PDF -> Paper with sections, tags, figures, tables and links."""
from reader_app.paper.analyze import analyze_paper
from reader_app.paper.document import PaperOpenError, open_pdf
from reader_app.paper.model import Figure, Paper, Section
from reader_app.paper.render import render_region_png
from reader_app.paper.tags import TAGS

__all__ = ["analyze_paper", "open_pdf", "PaperOpenError", "Paper", "Section", "Figure", "render_region_png", "TAGS"]
