"""`reader-app report`: the Markdown reading guide, and what it says when parts are missing."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest
from ranking_repos import write

from reader_app.cli import main
from reader_app.paths import resources_dir

SAMPLE_PDF = resources_dir() / "sample" / "paper" / "sample_paper.pdf"
SAMPLE_REPO = resources_dir() / "sample" / "repo"
ROOT = Path(__file__).resolve().parents[1]


def report(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reader_app", "report", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def text_only_pdf(path: Path) -> Path:
    """A real PDF with prose only: no figures, no tables, no Method section."""
    doc = pymupdf.open()
    page = doc.new_page()
    y = 72
    for line in ["A Note on Recurrent Models", "", "1 Introduction",
                 "We train a small LSTM with hidden size 64 and dropout 0.2 for 10 epochs.",
                 "The loss is the sum of squared errors over all steps.", "", "2 Discussion",
                 "The model works; a layer normalization would not change much."]:
        page.insert_text((72, y), line, fontsize=14 if line[:1].isdigit() else 10)
        y += 18
    doc.save(path)
    return path


@pytest.mark.slow
def test_report_on_the_sample_pair_is_written_atomically(tmp_path):
    out = tmp_path / "guide.md"
    done = report(str(SAMPLE_PDF), "--repo", str(SAMPLE_REPO), "-o", str(out), "--trace")
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert "- 3 Method (page 2) `method`" in text
    assert "Figure 1, page 2 **(architecture figure)**" in text
    assert "| encoder.lstm | nn.LSTM | model.py:" in text and "(batch, seq_len, 128)" in text
    assert "x (batch, seq_len, 5) -> encoder.lstm (batch, seq_len, 128)" in text
    assert "**encoder.norm** (nn.LayerNorm; layer normalization)" in text
    assert "| hidden size / model width | 128 (page 4) |" in text and "| match |" in text
    assert "⊙ element-wise product" in text
    assert [p.name for p in tmp_path.iterdir()] == ["guide.md"]  # no temp file left behind


def test_report_without_figures_method_or_working_trace_says_what_is_missing(tmp_path, capsys):
    pdf = text_only_pdf(tmp_path / "note.pdf")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "model.py").write_text(
        "import torch.nn as nn\n\n\nclass Broken(nn.Module):\n"
        "    def __init__(self, hidden_size=64, dropout=0.2):\n        super().__init__()\n"
        "        self.lstm = nn.LSTM(3, hidden_size, batch_first=True)\n\n"
        "    def forward(self, x):\n        h, _ = self.lstm(x)\n"
        "        raise ValueError('this model is broken on purpose')\n")
    status = main(["report", str(pdf), "--repo", str(repo), "--trace"])
    text = capsys.readouterr().out
    assert status == 0
    assert "The paper has no numbered figures or tables." in text
    assert "no section tagged Method" in text
    assert "The trace of Broken failed" in text
    assert "x -> lstm" in text  # the data flow is still read from the code
    assert "| dropout | 0.2 (page 1) |" in text and "| match |" in text


def test_report_on_a_model_built_by_a_function_says_so_and_lists_its_container(tmp_path, capsys):
    """The README builds the model with a function returning an nn.Sequential: the guide names the function and
    its layers, and never points to a forward() it does not have."""
    repo = write(tmp_path, "function_model")
    pdf = text_only_pdf(tmp_path / "note.pdf")
    status = main(["report", str(pdf), "--repo", str(repo)])
    text = capsys.readouterr().out
    assert status == 0
    assert "`MixerNet` in `mixer/mixer.py` (line 15); a function returning the model" in text
    assert "forward() at line None" not in text
    assert "| [i] | PreNormResidual | mixer/mixer.py:" in text and "| -1 | nn.Linear | mixer/mixer.py:" in text


def run_in_process(capsys, *args: str) -> tuple[int, str]:
    status = main(["report", *args])
    return status, capsys.readouterr().err


def test_report_bad_input_is_one_sentence_and_status_2(tmp_path, capsys):
    status, err = run_in_process(capsys, str(tmp_path / "nothing.pdf"), "--repo", str(SAMPLE_REPO))
    assert status == 2 and err.startswith("reader-app: ") and "does not exist" in err
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("just text")
    status, err = run_in_process(capsys, str(not_pdf), "--repo", str(SAMPLE_REPO), "--no-trace")
    assert status == 2 and "not a PDF" in err
    status, err = run_in_process(capsys, str(SAMPLE_PDF), "--repo", str(tmp_path / "absent"), "--no-trace")
    assert status == 2 and err.startswith("reader-app: ") and "absent" in err
    target = tmp_path / "no" / "such" / "dir" / "guide.md"
    status, err = run_in_process(capsys, str(SAMPLE_PDF), "--repo", str(SAMPLE_REPO), "--no-trace", "-o", str(target))
    assert status == 2 and err.startswith("reader-app: ") and not target.exists()
    assert err.count("\n") == 1  # one sentence


def test_report_on_a_scanned_paper_says_its_text_cannot_be_searched(tmp_path, capsys):
    source = pymupdf.open(SAMPLE_PDF)
    scanned = pymupdf.open()
    for index in range(2):
        pix = source.load_page(index).get_pixmap(dpi=60)
        page = scanned.new_page(width=pix.width, height=pix.height)
        page.insert_image(page.rect, pixmap=pix)
    scanned.save(tmp_path / "scanned.pdf")
    status = main(["report", str(tmp_path / "scanned.pdf"), "--repo", str(SAMPLE_REPO), "--no-trace"])
    text = capsys.readouterr().out
    assert status == 0
    assert text.count("has no text layer (a scanned PDF)") == 3
    assert "| hidden size / model width | not stated |" in text and "| code only |" in text  # the code side still shows
    assert "No trace: the model's code was not run" in text
