"""Bad papers get a clear message in the window, and the paper already open stays open."""
from __future__ import annotations

import pymupdf
import pytest
from PySide6.QtCore import Qt

from reader_app.paths import sample_paper
from ui_helpers import open_and_fail


@pytest.fixture
def window(sample_window):
    return sample_window


def _broken_files(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    text = tmp_path / "notes.pdf"
    text.write_text("this is a text file with a .pdf name\n")
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(sample_paper().read_bytes()[:900])
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    return {"empty": empty, "not a PDF": text, "truncated": truncated, "garbage": garbage}


def test_each_broken_file_gets_a_message_and_keeps_the_open_paper(qtbot, window, tmp_path):
    pane = window.paper_pane
    for label, path in _broken_files(tmp_path).items():
        said = open_and_fail(qtbot, window, path)
        message = pane.message_bar.text()
        assert said == message and path.name in message, (label, message)
        assert "Traceback" not in message
        assert pane.path == sample_paper(), label
        assert pane.view.page_count() > 0


def test_an_encrypted_paper_asks_for_its_password(qtbot, window, tmp_path):
    locked = tmp_path / "locked.pdf"
    with pymupdf.open(sample_paper()) as doc:
        doc.save(locked, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner", user_pw="secret")
    pane = window.paper_pane
    open_and_fail(qtbot, window, locked)
    assert pane.message_bar.password.isVisible()
    assert "password" in pane.message_bar.text()

    pane.message_bar.password.setText("wrong")
    with qtbot.waitSignal(pane.open_failed, timeout=15_000):
        pane.message_bar._submit_password()
    assert "not correct" in pane.message_bar.text()
    assert pane.path == sample_paper()

    with qtbot.waitSignal(pane.view.first_page_painted, timeout=15_000):
        pane.message_bar.password.setText("secret")
        pane.message_bar._submit_password()
    assert pane.path == locked
    assert not pane.message_bar.isVisible()


def test_a_pdf_reader_that_hangs_is_stopped_and_the_window_stays_responsive(qtbot, window, monkeypatch):
    """A render server that never answers (here: frozen with SIGSTOP, as MuPDF looping on a hostile file
    would be) costs the reader a bounded wait with one sentence, never a frozen window."""
    import os
    import signal

    from reader_app.paper import render_client
    from reader_app.ui.paper import paper_pane

    monkeypatch.setattr(paper_pane, "OPEN_TIMEOUT_S", 1.5)
    render_client.prestart()
    frozen = render_client._spare
    os.kill(frozen.process.pid, signal.SIGSTOP)
    try:
        pane = window.paper_pane
        with qtbot.waitSignal(pane.open_failed, timeout=20_000) as blocker:
            window.open_paper(sample_paper())
            assert pane.opening()  # open_paper came back while the server is frozen: nothing waited on it
            qtbot.keyClick(window.paper_pane.view, "+", Qt.KeyboardModifier.ControlModifier)
        assert "took too long to open" in blocker.args[1]
        assert blocker.args[1] in pane.message_bar.text()
        assert frozen.process.poll() is not None, "the hung server was not stopped"
        assert pane.path == sample_paper() and pane.view.page_count() > 0  # the paper open before stays
    finally:
        if frozen.process.poll() is None:
            frozen.process.kill()
