"""Bad papers get a clear message in the window, and the paper already open stays open."""
from __future__ import annotations

import pymupdf
import pytest

from reader_app.paths import sample_paper


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


def test_each_broken_file_gets_a_message_and_keeps_the_open_paper(window, tmp_path):
    pane = window.paper_pane
    for label, path in _broken_files(tmp_path).items():
        assert not window.open_paper(path), label
        message = pane.message_bar.text()
        assert path.name in message, (label, message)
        assert "Traceback" not in message
        assert pane.path == sample_paper(), label
        assert pane.view.page_count() > 0


def test_an_encrypted_paper_asks_for_its_password(qtbot, window, tmp_path):
    locked = tmp_path / "locked.pdf"
    with pymupdf.open(sample_paper()) as doc:
        doc.save(locked, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner", user_pw="secret")
    pane = window.paper_pane
    assert not window.open_paper(locked)
    assert pane.message_bar.password.isVisible()
    assert "password" in pane.message_bar.text()

    pane.message_bar.password.setText("wrong")
    pane.message_bar._submit_password()
    assert "not correct" in pane.message_bar.text()
    assert pane.path == sample_paper()

    with qtbot.waitSignal(pane.view.first_page_painted, timeout=15_000):
        pane.message_bar.password.setText("secret")
        pane.message_bar._submit_password()
    assert pane.path == locked
    assert not pane.message_bar.isVisible()
