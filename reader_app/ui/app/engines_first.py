"""The Qt-free engine modules the window uses, imported before Qt is (app.py imports this module first).

Once PySide6 is loaded, shiboken reads the source of every module imported after it (its `__feature__`
check calls inspect.getsource on each): about 70 engine modules, 25-50 ms of the window's start, spent
on modules that never use Qt. Imported here first, on the main thread as every engine import of the
window is (issue 16), they are read once. A module missing from this list is only imported later,
never lost; keep it to the engine modules the window's ui/ imports at start-up (none that load PyMuPDF,
torch or git: test_architecture checks the window never does).
"""
import reader_app.atomic  # noqa: F401
import reader_app.child_process  # noqa: F401
import reader_app.envs  # noqa: F401
import reader_app.notes  # noqa: F401
import reader_app.notes.ids  # noqa: F401
import reader_app.notes.label_layout  # noqa: F401
import reader_app.notes.model  # noqa: F401
import reader_app.notes.pdf_annotations  # noqa: F401
import reader_app.notes.query  # noqa: F401
import reader_app.paper.analysis_client  # noqa: F401
import reader_app.paper.citation  # noqa: F401
import reader_app.paper.model  # noqa: F401
import reader_app.paper.render_client  # noqa: F401
import reader_app.paper.retag  # noqa: F401
import reader_app.paths  # noqa: F401
import reader_app.repo.candidates  # noqa: F401
import reader_app.repo.records  # noqa: F401
import reader_app.session  # noqa: F401
import reader_app.trace  # noqa: F401
import reader_app.trace.specs  # noqa: F401
import reader_app.translate  # noqa: F401
import reader_app.translate.save  # noqa: F401
import reader_app.workflow.evidence  # noqa: F401
import reader_app.workflow.flow_layout  # noqa: F401
import reader_app.workflow.flow_model  # noqa: F401
import reader_app.workflow.steps  # noqa: F401
