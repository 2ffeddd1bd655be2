"""Every export and the import in one place, for the UI and scripts:

    from reader_app.notes.exports import export_markdown, export_json, export_annotated_pdf, import_notes

Exports only read the store. From a worker thread, open a second NotesStore on the same file (WAL
lets it read while the GUI thread writes) rather than sharing the GUI thread's store.
"""
from reader_app.atomic import ExportError
from reader_app.notes.export_json import FORMAT_VERSION, export_json, notes_document
from reader_app.notes.export_markdown import MarkdownExportReport, export_markdown
from reader_app.notes.export_pdf import PdfExportReport, export_annotated_pdf
from reader_app.notes.import_json import ImportFailed, ImportReport, import_notes
from reader_app.notes.structure import PaperOutline, load_outline

__all__ = ["ExportError", "FORMAT_VERSION", "ImportFailed", "ImportReport", "MarkdownExportReport", "PaperOutline",
           "PdfExportReport", "export_annotated_pdf", "export_json", "export_markdown", "import_notes",
           "load_outline", "notes_document"]
