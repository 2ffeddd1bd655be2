"""The code pane's editor: read-only source with Pygments colours, line numbers and line highlights.

Later features mark lines through `highlight_lines` (a layer's definition and uses), `set_gutter_marks`
(pattern badges) and `set_line_hints` (traced shapes shown faintly at the end of a line).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (QColor, QFont, QFontDatabase, QPainter, QSyntaxHighlighter, QTextCharFormat,
                           QTextCursor, QTextFormat)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from reader_app.ui.app import theme

MAX_HIGHLIGHT_BYTES = 2_000_000  # larger files are shown plain: colouring them would stall the window


# Pygments loads with the first file shown, not with the window (it was a tenth of the window's imports);
# always on the main thread, where the highlighter runs.
def _formats_for_style() -> dict:
    from pygments.styles import get_style_by_name

    formats = {}
    for token, style in get_style_by_name(theme.colours()["pygments"]):
        fmt = QTextCharFormat()
        if style["color"]:
            fmt.setForeground(QColor(f"#{style['color']}"))
        if style["bold"]:
            fmt.setFontWeight(QFont.Weight.Bold)
        if style["italic"]:
            fmt.setFontItalic(True)
        formats[token] = fmt
    return formats


class PygmentsHighlighter(QSyntaxHighlighter):
    """Colours each line from a token list Pygments computed once for the whole file."""

    def __init__(self, document):
        super().__init__(document)
        self._formats: dict | None = None  # computed with the first file
        self._plain = None  # pygments' Token.Text, which keeps the default format
        self._lines: list[list[tuple[int, int, object]]] = []

    def refresh_style(self) -> None:
        if self._formats is not None:
            self._formats = _formats_for_style()
            self.rehighlight()

    def set_source(self, text: str, lexer) -> None:
        """Colour `text` with `lexer` (None: leave it plain)."""
        self._lines = [[]]
        if lexer is None:
            self.rehighlight()
            return
        from pygments import lex
        from pygments.token import Token

        if self._formats is None:
            self._formats = _formats_for_style()
        self._plain = Token.Text
        column = 0
        for token, value in lex(text, lexer):
            parts = value.split("\n")
            for number, part in enumerate(parts):
                if number:
                    self._lines.append([])
                    column = 0
                if part:
                    self._lines[-1].append((column, len(part), token))
                    column += len(part)
        self.rehighlight()

    def _format(self, token):
        while token not in self._formats and token.parent is not None:
            token = token.parent
        return self._formats.get(token)

    def highlightBlock(self, text: str) -> None:
        number = self.currentBlock().blockNumber()
        if number >= len(self._lines):
            return
        for start, length, token in self._lines[number]:
            fmt = self._format(token)
            if fmt is not None and token is not self._plain:
                self.setFormat(start, length, fmt)


class _Gutter(QWidget):
    def __init__(self, view: "CodeView"):
        super().__init__(view)
        self.view = view

    def sizeHint(self) -> QSize:
        return QSize(self.view.gutter_width(), 0)

    def paintEvent(self, event) -> None:
        self.view.paint_gutter(event)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            hit = self.view.gutter_mark_at(event.pos().y())
            if hit:
                QToolTip.showText(event.globalPos(), hit[1][1], self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class CodeView(QPlainTextEdit):
    """Read-only source view.

    Attributes:
        path: the file shown, or None.

    Signals:
        line_clicked(int): 1-based line the user clicked.
    """

    line_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("codeView")
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(9.5, font.pointSizeF()))
        self.setFont(font)
        self.path: Path | None = None
        self._highlighter = PygmentsHighlighter(self.document())
        self._ranges: list[tuple[int, int, str]] = []
        self._gutter_marks: dict[int, tuple[str, str]] = {}
        self._note_lines: dict[int, str] = {}
        self._line_hints: dict[int, str] = {}
        self._gutter = _Gutter(self)
        self.blockCountChanged.connect(self._update_margins)
        self.updateRequest.connect(self._on_update_request)
        self.cursorPositionChanged.connect(self._refresh_selections)
        self._update_margins()
        self.setPlaceholderText("Open a repository to read its model code here.")

    # ----- content -------------------------------------------------------------------------------
    def show_file(self, path: Path, text: str | None = None) -> None:
        """Show a file (its text may be given when the caller already read it)."""
        path = Path(path)
        if text is None:
            text = path.read_text(encoding="utf-8", errors="replace")
        self.path = path
        self._ranges = []
        self._gutter_marks = {}
        self.setPlainText(text)
        if len(text.encode("utf-8", "replace")) <= MAX_HIGHLIGHT_BYTES:
            self._highlighter.set_source(text, self._lexer(path, text))
        else:
            self._highlighter.set_source("", None)
        self._refresh_selections()

    def apply_theme(self) -> None:
        """Recolour after a light/dark switch."""
        self._highlighter.refresh_style()
        self._refresh_selections()
        self._gutter.update()

    def clear_file(self) -> None:
        self.path = None
        self._ranges = []
        self._gutter_marks = {}
        self.setPlainText("")

    @staticmethod
    def _lexer(path: Path, text: str):
        from pygments.lexers import get_lexer_for_filename, guess_lexer
        from pygments.lexers.python import PythonLexer
        from pygments.util import ClassNotFound

        if path.suffix in (".py", ".pyi"):  # most of a PyTorch repository: no lookup through every lexer
            return PythonLexer(stripnl=False, ensurenl=False)  # (whose first run scans the installed plugins)
        try:
            return get_lexer_for_filename(path.name, stripnl=False, ensurenl=False)
        except ClassNotFound:
            try:
                return guess_lexer(text[:4000], stripnl=False, ensurenl=False)
            except ClassNotFound:
                return PythonLexer(stripnl=False, ensurenl=False)

    def line_count(self) -> int:
        return self.blockCount()

    def token_format_at(self, line: int, column: int) -> QTextCharFormat:
        """The character format the highlighter gave a position (tests check the colouring)."""
        block = self.document().findBlockByNumber(line - 1)
        for fmt_range in block.layout().formats():
            if fmt_range.start <= column < fmt_range.start + fmt_range.length:
                return QTextCharFormat(fmt_range.format)  # a copy: the list is temporary
        return QTextCharFormat()

    # ----- line highlighting ---------------------------------------------------------------------
    def highlight_lines(self, ranges: list[tuple[int, int, str]], scroll_to: int | None = None) -> None:
        """Tint line ranges [(first, last, kind)], 1-based inclusive; kind picks the colour.

        Scrolls so that `scroll_to` (default: the first range's first line) sits near the top third.
        """
        self._ranges = list(ranges)
        self._refresh_selections()
        target = scroll_to if scroll_to is not None else (ranges[0][0] if ranges else None)
        if target is not None:
            self.scroll_to_line(target)

    def clear_highlights(self) -> None:
        self._ranges = []
        self._refresh_selections()

    def highlighted_ranges(self) -> list[tuple[int, int, str]]:
        return list(self._ranges)

    def scroll_to_line(self, line: int) -> None:
        block = self.document().findBlockByNumber(max(0, line - 1))
        cursor = QTextCursor(block)
        self.setTextCursor(cursor)
        # put the line about a third of the way down rather than at the very edge; the scroll bar counts
        # screen rows when long lines wrap, so bring the line to the top first, then step back in rows
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
        self.ensureCursorVisible()
        if self.firstVisibleBlock().blockNumber() == block.blockNumber():
            bar.setValue(max(0, bar.value() - self._visible_lines() // 3))

    def _visible_lines(self) -> int:
        return max(1, self.viewport().height() // max(1, self.fontMetrics().lineSpacing()))

    def current_line(self) -> int:
        return self.textCursor().blockNumber() + 1

    def _refresh_selections(self) -> None:
        selections = []
        colours = theme.colours()
        current = QTextEdit.ExtraSelection()
        current.format.setBackground(QColor(colours["current_line"]))
        current.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        current.cursor = self.textCursor()
        current.cursor.clearSelection()
        selections.append(current)
        for first, last, kind in self._ranges:
            colour = QColor(colours.get(kind, colours["definition"]))
            for line in range(first, last + 1):
                block = self.document().findBlockByNumber(line - 1)
                if not block.isValid():
                    break
                selection = QTextEdit.ExtraSelection()
                selection.format.setBackground(colour)
                selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                selection.cursor = QTextCursor(block)
                selections.append(selection)
        self.setExtraSelections(selections)
        self._gutter.update()

    # ----- gutter --------------------------------------------------------------------------------
    def set_gutter_marks(self, marks: dict[int, tuple[str, str]]) -> None:
        """Small badges beside lines: {line: (short text, tooltip)}."""
        self._gutter_marks = dict(marks)
        self._update_margins()
        self._gutter.update()

    def set_line_hints(self, hints: dict[int, str]) -> None:
        """Faint text after the end of lines ({line: "h: (batch, seq_len, 128)"}), like a shape comment."""
        self._line_hints = dict(hints)
        self.viewport().update()
        self.cursorPositionChanged.emit()  # the pane's hint bar follows

    def line_hints(self) -> dict[int, str]:
        return dict(self._line_hints)

    def set_wrap(self, on: bool) -> None:
        """Wrap long lines at the pane's edge (a narrow pane then never scrolls sideways)."""
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth if on else QPlainTextEdit.LineWrapMode.NoWrap)

    def hint_at(self, pos) -> str:
        """The traced shapes of the line under a viewport position ('' when it has none)."""
        return self._line_hints.get(self.cursorForPosition(pos).blockNumber() + 1, "")

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip and self._line_hints:
            hint = self.hint_at(event.pos())
            if hint:
                QToolTip.showText(event.globalPos(), hint, self.viewport())
                return True
        return super().viewportEvent(event)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._line_hints:
            return
        painter = QPainter(self.viewport())
        painter.setPen(QColor(theme.colours()["hint"]))
        font = self.font()
        font.setItalic(True)
        painter.setFont(font)
        metrics = self.fontMetrics()
        right = self.viewport().width() - 4
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > event.rect().bottom():
                break
            hint = self._line_hints.get(block.blockNumber() + 1)
            layout = block.layout()
            if hint and layout.lineCount():
                # after the last visual line of the block (a wrapped line ends lower down)
                last = layout.lineAt(layout.lineCount() - 1)
                x = int(geometry.left() + last.x() + last.naturalTextWidth() + metrics.horizontalAdvance("    "))
                top = int(geometry.top() + last.y())
                text = f"# {hint}"
                if x + metrics.horizontalAdvance(text) > right:
                    # too narrow for all of it: as much as fits; the hover tooltip and the details line
                    # under the code give it whole
                    text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0, right - x))
                if len(text) > 3:
                    painter.drawText(x, top, max(0, right - x), int(last.height()),
                                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            block = block.next()
        painter.end()

    def set_note_lines(self, lines: dict[int, str]) -> None:
        """Lines that carry a reader's note ({line: note}): a yellow dot in the gutter, the note as tooltip."""
        self._note_lines = dict(lines)
        self._gutter.update()

    def note_lines(self) -> dict[int, str]:
        return dict(self._note_lines)

    def gutter_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        badge = 14 if self._gutter_marks else 0
        return 14 + badge + self.fontMetrics().horizontalAdvance("9") * max(3, digits)

    def _update_margins(self, *_args) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        area = self.contentsRect()
        self._gutter.setGeometry(QRect(area.left(), area.top(), self.gutter_width(), area.height()))

    def paint_gutter(self, event) -> None:
        painter = QPainter(self._gutter)
        colours = theme.colours()
        painter.fillRect(event.rect(), QColor(colours["gutter"]))
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        current = self.textCursor().blockNumber()
        width = self._gutter.width()
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                number = block.blockNumber()
                painter.setPen(QColor(colours["gutter_current"] if number == current else colours["gutter_text"]))
                painter.drawText(0, top, width - 6, height, Qt.AlignmentFlag.AlignRight, str(number + 1))
                if number + 1 in self._note_lines:
                    painter.setBrush(QColor("#ffd400"))
                    painter.setPen(QColor("#9a6700"))
                    painter.drawEllipse(width - 5, top + height // 2 - 2, 4, 4)
                mark = self._gutter_marks.get(number + 1)
                if mark:
                    painter.setPen(QColor("#8250df"))
                    painter.drawText(2, top, 14, height, Qt.AlignmentFlag.AlignCenter, mark[0])
                self._paint_continuations(painter, block, top, width, height, colours["gutter_text"])
            block = block.next()
            top = bottom
        painter.end()

    @staticmethod
    def _paint_continuations(painter: QPainter, block, top: int, width: int, height: int, colour: str) -> None:
        """A wrapped line's further rows get a ↪ where a number would be: they start at the left edge
        without the line's indentation, and the arrow says they go on from the row above."""
        layout = block.layout()
        if layout is None or layout.lineCount() < 2:
            return
        painter.setPen(QColor(colour))
        for row in range(1, layout.lineCount()):
            y = top + round(layout.lineAt(row).y())
            painter.drawText(0, y, width - 6, height, Qt.AlignmentFlag.AlignRight, "↪")

    def continuation_rows(self, line: int) -> int:
        """How many extra screen rows a (1-based) line wraps onto (0 when it fits)."""
        layout = self.document().findBlockByNumber(line - 1).layout()
        return max(0, layout.lineCount() - 1) if layout is not None else 0

    def gutter_mark_at(self, y: int) -> tuple[int, tuple[str, str]] | None:
        """The badge beside the line at height `y` (gutter and viewport share their top)."""
        line = self.cursorForPosition(QPoint(0, y)).blockNumber() + 1
        mark = self._gutter_marks.get(line)
        note = self._note_lines.get(line)
        if note:
            mark = (mark[0] if mark else "", (mark[1] + "\n\n" if mark else "") + f"Your note: {note}")
        return (line, mark) if mark else None

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            self.line_clicked.emit(self.current_line())
