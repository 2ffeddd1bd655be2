"""Helpers for driving the real window in tests."""
from __future__ import annotations

from pathlib import Path

from reader_app.notes import NotesStore
from reader_app.ui.app.main_window import MainWindow


def make_window(qtbot, store: NotesStore | None = None) -> MainWindow:
    window = MainWindow(store or NotesStore.open())
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    return window


def open_and_paint(qtbot, window: MainWindow, path: Path) -> None:
    with qtbot.waitSignal(window.paper_pane.view.first_page_painted, timeout=15_000):
        window.open_paper(path)


def open_and_fail(qtbot, window: MainWindow, path: Path) -> str:
    """Open a file the window cannot show; the sentence it said."""
    with qtbot.waitSignal(window.paper_pane.open_failed, timeout=40_000) as blocker:
        window.open_paper(path)
    assert blocker.args[0] == Path(path)
    return blocker.args[1]


def open_repo(qtbot, window: MainWindow, root: Path):
    with qtbot.waitSignal(window.repo_ready, timeout=15_000) as blocker:
        window.open_repository(root)
    return blocker.args[0]


def non_white_fraction(image) -> float:
    """Share of sampled pixels that are not white: a blank page gives 0."""
    step = 7
    total = dark = 0
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            total += 1
            colour = image.pixelColor(x, y)
            if colour.red() + colour.green() + colour.blue() < 700:
                dark += 1
    return dark / max(1, total)
