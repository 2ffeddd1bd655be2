"""The code pane: a header naming the file (and the class in view) above the CodeView."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from reader_app.ui.code.code_view import CodeView
from reader_app.ui.common.message_bar import MessageBar

MAX_FILE_BYTES = 5_000_000


class CodePane(QWidget):
    """Shows one source file of the open repository.

    Attributes:
        root: the repository folder, or None.
        view: the CodeView.

    Signals:
        file_opened(Path): a file is now shown (absolute path).
    """

    file_opened = Signal(Path)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.root: Path | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = QLabel(self)
        self.header.setObjectName("codeHeader")
        self.header.setStyleSheet("#codeHeader { background: palette(alternate-base); border-bottom:1px solid palette(mid);"
                                  " padding:6px 10px; }")
        layout.addWidget(self.header)
        self.message_bar = MessageBar(self)
        layout.addWidget(self.message_bar)
        self.view = CodeView(self)
        layout.addWidget(self.view, 1)
        self.hint_bar = QLabel(self)
        self.hint_bar.setObjectName("hintBar")
        self.hint_bar.setStyleSheet("#hintBar { background: palette(alternate-base); border-top:1px solid palette(mid); padding:3px 10px;"
                                    " color: palette(placeholder-text); font-family: monospace; }")
        self.hint_bar.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint_bar.setWordWrap(True)  # the whole hint, however narrow the pane
        self.hint_bar.hide()
        layout.addWidget(self.hint_bar)
        self.view.cursorPositionChanged.connect(self._show_line_hint)
        self._set_header(None, "")

    def set_root(self, root: Path | None) -> None:
        self.root = Path(root) if root else None
        self.view.clear_file()
        self._set_header(None, "")

    def open_file(self, path: Path, line: int | None = None, label: str = "") -> bool:
        """Show `path` (absolute, or relative to the root) and scroll to `line`; False when unreadable."""
        path = Path(path)
        if not path.is_absolute() and self.root is not None:
            path = self.root / path
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                self.message_bar.show_message(f"{path.name} is too large to show ({path.stat().st_size // 1_000_000} MB).")
                return False
            text = self._source_text(path)
        except OSError as error:
            self.message_bar.show_message(f"{path.name} cannot be read: {error.strerror or error}.")
            return False
        self.message_bar.hide()
        self.view.show_file(path, text)
        if line:
            self.view.scroll_to_line(line)
        self._set_header(path, label)
        self.file_opened.emit(path)
        return True

    def _source_text(self, path: Path) -> str:
        """A notebook shows its code cells as one Python text, numbered as the repository engine numbers them."""
        if path.suffix == ".ipynb" and self.root is not None and path.is_relative_to(self.root):
            from reader_app.repo import read_source

            source = read_source(self.root, path.relative_to(self.root).as_posix())
            if source:
                return source
        return path.read_text(encoding="utf-8", errors="replace")

    def _show_line_hint(self) -> None:
        """The current line's traced shapes in full (the faint inline hint may run off the right edge)."""
        line = self.view.current_line()
        hint = self.view.line_hints().get(line)
        self.hint_bar.setText(f"line {line}: {hint}" if hint else "")
        self.hint_bar.setVisible(bool(hint))

    def _set_header(self, path: Path | None, label: str) -> None:
        if path is None:
            self.header.setText("<span style='color:#57606a'>No repository open</span>")
            return
        shown = path.relative_to(self.root).as_posix() if self.root and path.is_relative_to(self.root) else str(path)
        repo = f"<span style='color:#57606a'>{self.root.name} /</span> " if self.root else ""
        extra = f" &nbsp;<span style='color:#8250df'>{label}</span>" if label else ""
        self.header.setText(f"{repo}<b>{shown}</b>{extra}")
