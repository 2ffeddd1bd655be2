"""reader_app.paper engine (no Qt): PDF -> Paper with sections, tags, figures, tables and links."""
# Exports load on first use: importing one submodule (the window imports a few) must not pull in
# every dependency of the package (PyMuPDF, GitPython) and slow the start-up.
_EXPORTS = {
    "analyze_paper": "reader_app.paper.analyze",
    "PaperOpenError": "reader_app.paper.document",
    "open_pdf": "reader_app.paper.document",
    "Figure": "reader_app.paper.model",
    "Paper": "reader_app.paper.model",
    "Section": "reader_app.paper.model",
    "render_region_png": "reader_app.paper.render",
    "TAGS": "reader_app.paper.tags",
}

__all__ = ['analyze_paper', 'open_pdf', 'PaperOpenError', 'Paper', 'Section', 'Figure', 'render_region_png', 'TAGS']


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + list(_EXPORTS))
