"""Light and dark: follow the system's colour scheme, or the reader's choice (View ▸ Theme).

Widgets take their colours from the palette (stylesheets use palette(...) roles); the few custom-drawn
colours (code highlighting, line tints, the page gutter) come from `colours()` for the current theme.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("system", "light", "dark")

LIGHT = {"pygments": "friendly", "current_line": "#fff8d6", "definition": "#d7ecff", "use": "#e6f4dc",
         "error": "#ffd9d9", "gutter": "#f3f4f6", "gutter_text": "#8c959f", "gutter_current": "#1f2328",
         "hint": "#8c959f", "pdf_background": "#5b5f66"}
DARK = {"pygments": "monokai", "current_line": "#3a3520", "definition": "#1d3b5c", "use": "#23402a",
        "error": "#5c2424", "gutter": "#1f2328", "gutter_text": "#6e7681", "gutter_current": "#e6edf3",
        "hint": "#7d8590", "pdf_background": "#2b2e33"}

_current = "light"


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    return bool(scheme and scheme() == Qt.ColorScheme.Dark)


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#24292f", QPalette.ColorRole.WindowText: "#e6edf3",
        QPalette.ColorRole.Base: "#1b1f24", QPalette.ColorRole.AlternateBase: "#2d333b",
        QPalette.ColorRole.ToolTipBase: "#2d333b", QPalette.ColorRole.ToolTipText: "#e6edf3",
        QPalette.ColorRole.Text: "#e6edf3", QPalette.ColorRole.Button: "#2d333b",
        QPalette.ColorRole.ButtonText: "#e6edf3", QPalette.ColorRole.BrightText: "#ff7b72",
        QPalette.ColorRole.Highlight: "#1f6feb", QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#58a6ff", QPalette.ColorRole.PlaceholderText: "#8b949e",
        QPalette.ColorRole.Mid: "#444c56", QPalette.ColorRole.Dark: "#15181c", QPalette.ColorRole.Light: "#3d444d",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6e7681"))
    return palette


def apply_theme(app: QApplication, choice: str) -> str:
    """Apply "system", "light" or "dark"; returns the theme actually shown ("light" or "dark").

    A style or palette already in place is not set again: each setting re-polishes every widget, which
    was a third of the window's construction when applied twice at start-up."""
    global _current
    if app.style().name().lower() != "fusion":
        app.setStyle(QStyleFactory.create("Fusion"))
    dark = choice == "dark" or (choice == "system" and system_prefers_dark())
    palette = dark_palette() if dark else app.style().standardPalette()
    if app.palette() != palette:
        app.setPalette(palette)
    _current = "dark" if dark else "light"
    return _current


def current() -> str:
    return _current


def colours() -> dict[str, str]:
    return DARK if _current == "dark" else LIGHT
