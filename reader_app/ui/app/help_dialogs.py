"""Help (the reading workflow and every shortcut) and About (the versions the app runs on)."""
from __future__ import annotations

import html

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from reader_app import __version__
from reader_app.workflow.steps import STEPS


def package_version(name: str) -> str:
    """A package's installed version, read from its metadata (torch is never imported by the window)."""
    from importlib import metadata  # with the About box, not with the window (it pulls in the email package)

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def versions() -> dict[str, str]:
    return {"Paper & Repo Reader": __version__, "Qt": qVersion(), "PySide6": pyside_version,
            "PyMuPDF": package_version("PyMuPDF"), "torch (tracing)": package_version("torch")}


def shortcuts_html(actions) -> str:
    rows = []
    for action in actions:
        keys = [key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts()]
        if keys and action.text():
            rows.append(f"<tr><td>{html.escape(action.text().replace('&', ''))}</td>"
                        f"<td><b>{html.escape(', '.join(keys))}</b></td></tr>")
    return "<table cellspacing=4>" + "".join(sorted(rows)) + "</table>"


def help_html(actions) -> str:
    steps = "".join(f"<li><b>{html.escape(s.title)}</b>"
                    f"{f' (about {s.budget_minutes} min)' if s.budget_minutes else ''}<br>{html.escape(s.hint)}</li>"
                    for s in STEPS)
    return ("<h2>Reading a paper with its code</h2>"
            "<p>Open a paper (Ctrl+O) and its repository (Ctrl+Shift+O, or Clone when the paper links one). "
            "The checklist on the left walks you through the workflow; each step ticks itself when the app sees "
            "you did it, and you can tick it by hand.</p>"
            f"<ol>{steps}</ol>"
            "<h3>Notes</h3><p>Select text on a page to highlight it; Draw Region (Ctrl+2) boxes a figure or an "
            "equation; Pin Note (Ctrl+3) pins a note to a point. Every note is saved as you make it; File ▸ Export "
            "writes Markdown, JSON or an annotated PDF.</p>"
            "<h3>Shapes</h3><p>With your consent the model's code runs in a separate process with a time and memory "
            "limit to find the tensor shapes: they appear in the Layers panel and faintly after each line of "
            "forward().</p>"
            f"<h3>Keyboard shortcuts</h3>{shortcuts_html(actions)}")


def about_html() -> str:
    rows = "".join(f"<tr><td>{html.escape(k)}</td><td><b>{html.escape(v)}</b></td></tr>" for k, v in versions().items())
    return ("<h2>Paper &amp; Repo Reader</h2><p>Read a machine-learning paper beside the PyTorch repository "
            f"that implements it.</p><table cellspacing=4>{rows}</table>")


class TextDialog(QDialog):
    def __init__(self, title: str, body: str, parent: QWidget | None = None, size=(620, 640)):
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setHtml(body)
        self.browser.setOpenExternalLinks(True)
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(*size)
