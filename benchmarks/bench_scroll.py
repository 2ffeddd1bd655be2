"""Scrolling a 40-page paper never blocks the GUI thread for more than 50 ms.

A 1 ms timer records the gaps between event-loop ticks while the view scrolls from the first page to
the last in wheel-sized steps (one every 16 ms, like a fast trackpad); the longest gap is compared with
the same loop idling on an empty window in the same run.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("READER_APP_HOME", tempfile.mkdtemp())

import pymupdf  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from reader_app.notes import NotesStore  # noqa: E402
from reader_app.paths import sample_paper  # noqa: E402
from reader_app.ui.app.main_window import MainWindow  # noqa: E402

SHARED = ROOT.parent / "shared" / "papers"
PAGES = 40


def build_40_pages(out: Path) -> Path:
    """Real papers joined to 40 pages (the shared ones when present, else the sample repeated)."""
    sources = sorted(SHARED.glob("*.pdf")) if SHARED.is_dir() else []
    sources = sources or [sample_paper()]
    joined = pymupdf.open()
    while joined.page_count < PAGES:
        for source in sources:
            with pymupdf.open(source) as doc:
                joined.insert_pdf(doc, to_page=min(doc.page_count, PAGES - joined.page_count) - 1)
            if joined.page_count >= PAGES:
                break
    joined.save(out)
    return out


class GapMeter:
    def __init__(self):
        self.last = time.perf_counter()
        self.longest = 0.0
        self.timer = QTimer(interval=1)
        self.timer.timeout.connect(self.tick)

    def tick(self):
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def start(self):
        self.last = time.perf_counter()
        self.longest = 0.0
        self.timer.start()


def run_for(app: QApplication, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.0005)


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = MainWindow(NotesStore.open())
    window.resize(1440, 900)
    window.show()
    meter = GapMeter()
    meter.start()
    run_for(app, 1.5)
    idle = meter.longest

    with tempfile.TemporaryDirectory() as folder:
        paper = build_40_pages(Path(folder) / "forty.pdf")
        window.open_paper(paper)
        run_for(app, 1.0)
        view = window.paper_pane.view
        bar = view.verticalScrollBar()
        step = 120
        meter.start()
        scrolled = QTimer(interval=16)
        scrolled.timeout.connect(lambda: bar.setValue(bar.value() + step))
        scrolled.start()
        start = time.perf_counter()
        while bar.value() < bar.maximum() and time.perf_counter() - start < 120:
            app.processEvents()
            time.sleep(0.0005)
        scrolled.stop()
        run_for(app, 0.5)
        busy = meter.longest
        pages = view.page_count()
        rendered = len(view._cache)
        window.close()
    print(f"paper: {pages} pages, scrolled top to bottom in {time.perf_counter() - start:.1f} s "
          f"({rendered} pages in the bounded cache at the end)")
    print(f"longest event-loop gap while scrolling: {busy * 1000:.1f} ms (budget 50 ms)")
    print(f"longest gap idle, same run: {idle * 1000:.1f} ms; ratio scrolling / idle: {busy / max(idle, 1e-4):.1f}x")
    return 0 if busy < 0.050 else 1


if __name__ == "__main__":
    raise SystemExit(main())
