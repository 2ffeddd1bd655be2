"""Starting the window: choose what to open, and the --screenshot mode used by tests and docs."""
from __future__ import annotations

import sys
from pathlib import Path

import reader_app.ui.app.engines_first  # noqa: F401  (before Qt: see its docstring)
from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from reader_app.notes import NotesStore, NotesStoreError
from reader_app.paths import resources_dir, sample_paper, sample_repo
from reader_app.ui.app.main_window import APP_TITLE, MainWindow
from reader_app.ui.app.single_instance import InstanceServer, hand_over

SCREENSHOT_TIMEOUT_MS = 30_000


def _session_to_open(args, window: MainWindow) -> tuple[Path | None, Path | None]:
    """The paper and repository to open: the command line, else the last session, else the sample."""
    if args.sample:
        return sample_paper(), sample_repo()
    if args.paper or args.repo:
        return (Path(args.paper) if args.paper else None), (Path(args.repo) if args.repo else None)
    last_paper, last_repo = window.settings.last_session()
    if last_paper is not None:
        return last_paper, last_repo
    return sample_paper(), sample_repo()


class ScreenshotTaker:
    """Saves the window once the first page is painted and the repository (if any) is shown, then quits."""

    def __init__(self, app: QApplication, window: MainWindow, out: Path, wait_for_repo: bool):
        self.app, self.window, self.out = app, window, Path(out)
        self.waiting = {"page"} | ({"repo"} if wait_for_repo else set())
        self.status = 1
        window.paper_pane.view.first_page_painted.connect(lambda: self._done("page"))
        window.repo_ready.connect(lambda _info: self._done("repo"))
        window.repo_loader.failed.connect(lambda _msg: self._done("repo"))
        window.paper_pane.open_failed.connect(lambda _path, _msg: self._done("page"))
        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, self._timeout)

    def _done(self, what: str) -> None:
        self.waiting.discard(what)
        if not self.waiting:
            QTimer.singleShot(50, self._save)  # let the last repaint land

    def _timeout(self) -> None:
        if self.waiting:
            print(f"reader-app: still waiting for {', '.join(sorted(self.waiting))}; saving what is shown",
                  file=sys.stderr)
            self._save()

    def _save(self) -> None:
        if self.status == 0:
            return
        self.out.parent.mkdir(parents=True, exist_ok=True)
        ok = self.window.grab().save(str(self.out))
        self.status = 0 if ok else 1
        if not ok:
            print(f"reader-app: could not write {self.out}", file=sys.stderr)
        self.window.close()
        self.app.exit(self.status)


def _open_handed(window: MainWindow, paper: str | None, repo: str | None) -> None:
    """A later launch handed us files: open them here and come to the front."""
    if paper:
        window.open_paper(Path(paper))
    if repo:
        window.open_repository(Path(repo))
    window.showNormal()
    window.raise_()
    window.activateWindow()


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256, 512):
        path = resources_dir() / "icons" / f"reader-app-{size}.png"
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))
    return icon


def show_recovery_notice(window: MainWindow, store: NotesStore) -> None:
    """Say that a damaged notes database was set aside, and where, until the reader dismisses it."""
    if store.recovered_from is not None:
        window.paper_pane.pinned_bar.show_message(
            f"Your notes database was damaged: it was kept as {store.recovered_from} (nothing was deleted) "
            "and a new one was started.", "warning")


def run_gui(args) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_TITLE)
    app.setOrganizationName("reader-app")
    app.setDesktopFileName("reader-app")  # Wayland matches the window to its launcher and icon by this
    app.setWindowIcon(app_icon())
    if not args.screenshot and (args.paper or args.repo) and hand_over(args.paper, args.repo):
        print("reader-app: opened in the window that is already running")
        return 0
    try:
        store = NotesStore.open()
    except NotesStoreError as error:
        print(f"reader-app: {error}", file=sys.stderr)
        return 2
    window = MainWindow(store)  # it applies the reader's theme and preferences itself
    instance = None
    if not args.screenshot:
        instance = InstanceServer(window)
        instance.listen()
        instance.open_requested.connect(lambda paper, repo: _open_handed(window, paper, repo))
    show_recovery_notice(window, store)
    paper, repo = _session_to_open(args, window)
    shooter = ScreenshotTaker(app, window, Path(args.screenshot), repo is not None) if args.screenshot else None
    if args.size:
        window.resize(*args.size)
    window.show()
    if paper is not None:
        window.open_paper(paper)
    elif shooter:
        shooter.waiting.discard("page")
    if repo is not None:
        window.open_repository(repo)
    if shooter and not shooter.waiting:
        QTimer.singleShot(200, shooter._save)
    status = app.exec()
    store.close()
    return shooter.status if shooter else status
