"""A damaged notes database: set aside byte for byte, and the window says where until the reader dismisses it
(opening a paper, or a routine error, does not hide the message)."""
from __future__ import annotations

from reader_app.notes import NotesStore
from reader_app.notes.store import DB_NAME
from reader_app.paths import data_dir, sample_paper
from reader_app.ui.app.app import show_recovery_notice
from ui_helpers import make_window, open_and_fail, open_and_paint

DAMAGED = b"SQLite format 3\x00" + bytes(range(256)) * 40


def test_damaged_database_message_stays_until_dismissed(qtbot, tmp_path):
    (data_dir() / DB_NAME).write_bytes(DAMAGED)
    store = NotesStore.open()
    assert store.recovered_from is not None and store.recovered_from.read_bytes() == DAMAGED
    window = make_window(qtbot, store)
    show_recovery_notice(window, store)
    bar = window.paper_pane.pinned_bar
    assert str(store.recovered_from) in bar.text() and "damaged" in bar.text()
    not_pdf = tmp_path / "broken.pdf"
    not_pdf.write_bytes(b"this is not a PDF")
    open_and_fail(qtbot, window, not_pdf)  # a routine error shows in its own bar
    open_and_paint(qtbot, window, sample_paper())  # and a successful open clears only that one
    assert window.paper_pane.message_bar.text() == ""
    assert str(store.recovered_from) in bar.text()
    bar._close.click()  # the reader dismisses it
    assert bar.text() == ""
    window.close()
