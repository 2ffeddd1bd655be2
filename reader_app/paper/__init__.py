"""reader_app.paper engine (no Qt): PDF -> Paper with sections, tags, figures, tables and links."""
from reader_app.lazy import lazy_exports

_EXPORTS = {
    "analyze_paper": "reader_app.paper.analyze",
    "PaperOpenError": "reader_app.paper.document",
    "open_pdf": "reader_app.paper.document",
    "Figure": "reader_app.paper.model",
    "Paper": "reader_app.paper.model",
    "Section": "reader_app.paper.model",
    "render_region_png": "reader_app.paper.render",
    "TAGS": "reader_app.paper.model",
}

__all__ = ['analyze_paper', 'open_pdf', 'PaperOpenError', 'Paper', 'Section', 'Figure', 'render_region_png', 'TAGS']


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
