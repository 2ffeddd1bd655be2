"""Bad input to the paper engine and `reader-app analyze`: one clear sentence, exit 2, no traceback, no hang.

Every broken PDF is made here at test time with PyMuPDF (or by cutting a real PDF's bytes).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from reader_app.paper import PaperOpenError, analyze_paper

ZERO_PAGES = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj
trailer << /Root 1 0 R >>
%%EOF
"""


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reader_app", "analyze", *args],
                          capture_output=True, text=True, timeout=120)


def assert_clean_failure(proc: subprocess.CompletedProcess, *words: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    first = proc.stderr.strip().splitlines()[0]
    assert first.startswith("reader-app: ")
    for word in words:
        assert word in first.lower(), first


def text_pdf(path: Path, pages: int = 2, **save_options) -> Path:
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page()
        page.insert_text((72, 72), f"{n + 1} Introduction", fontname="hebo", fontsize=13)
        page.insert_textbox(pymupdf.Rect(72, 90, 520, 700), "Plain body text of a paper. " * 60, fontsize=10)
    doc.save(path, **save_options)
    doc.close()
    return path


@pytest.fixture
def encrypted(tmp_path) -> Path:
    return text_pdf(tmp_path / "locked.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256,
                    owner_pw="owner-secret", user_pw="reader-secret")


def test_encrypted_pdf_asks_for_its_password(encrypted):
    with pytest.raises(PaperOpenError) as err:
        analyze_paper(encrypted)
    assert err.value.needs_password
    assert_clean_failure(run_cli(str(encrypted), "--json"), "encrypted", "password")


def test_wrong_password_is_refused_and_right_one_opens(encrypted):
    assert_clean_failure(run_cli(str(encrypted), "--password", "guess"), "password")
    proc = run_cli(str(encrypted), "--password", "reader-secret", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert [s["title"] for s in out["sections"] if s["level"] == 1][-1] == "Introduction"
    assert analyze_paper(encrypted, password="reader-secret").page_count == 2


def test_open_encrypted_document_object_needs_the_password_too(encrypted):
    doc = pymupdf.open(encrypted)
    with pytest.raises(PaperOpenError) as err:
        analyze_paper(doc)
    assert err.value.needs_password
    assert analyze_paper(doc, password="reader-secret").page_count == 2


def test_truncated_pdf_reports_the_pages_it_lost(tmp_path):
    whole = text_pdf(tmp_path / "whole.pdf", pages=6).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole[: len(whole) // 3])
    proc = run_cli(str(cut), "--json")
    assert_clean_failure(proc, "damaged")
    if proc.stdout:  # MuPDF repaired what it could: that part is printed, the rest reported missing
        assert "could not be read" in proc.stderr
        assert json.loads(proc.stdout)["pages"] >= 1


def test_header_only_file_is_damaged(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    assert_clean_failure(run_cli(str(bad)), "damaged")


def test_zero_pages(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(ZERO_PAGES)
    with pytest.raises(PaperOpenError):
        analyze_paper(empty)
    assert_clean_failure(run_cli(str(empty), "--json"), "no pages")


def test_not_a_pdf_and_missing_file(tmp_path):
    notes = tmp_path / "notes.pdf"
    notes.write_text("just some notes, not a PDF")
    assert_clean_failure(run_cli(str(notes)), "not a pdf")
    assert_clean_failure(run_cli(str(tmp_path / "nowhere.pdf")), "does not exist")


def test_scanned_paper_says_so_and_lists_its_images(tmp_path):
    scan = tmp_path / "scan.pdf"
    doc = pymupdf.open()
    for _ in range(2):
        page = doc.new_page()
        pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 300, 400), False)
        pix.set_rect(pix.irect, (235, 235, 225))
        page.insert_image(pymupdf.Rect(40, 40, 560, 760), pixmap=pix)
    doc.save(scan)
    paper = analyze_paper(scan)
    assert not paper.has_text_layer
    assert [f.page for f in paper.figures] == [1, 2]
    assert paper.sections == []
    proc = run_cli(str(scan), "--json")
    assert_clean_failure(proc, "no text layer")
    assert len(json.loads(proc.stdout)["figures"]) == 2


@pytest.mark.slow
def test_long_document_reports_progress_page_by_page(tmp_path):
    long_pdf = text_pdf(tmp_path / "long.pdf", pages=520)
    seen: list[tuple[int, int]] = []
    paper = analyze_paper(long_pdf, progress=lambda done, total: seen.append((done, total)))
    assert paper.page_count == 520
    assert seen[0] == (1, 520) and seen[-1] == (520, 520)
    assert [d for d, _ in seen] == list(range(1, 521))
    proc = run_cli(str(long_pdf), "--progress", "--json")
    assert proc.returncode == 0
    assert "520/520" in proc.stderr
