"""Paper analysis speed: analyze_paper over all shared papers (and the sample paper) against two
baselines measured in the same run on the same files:

  text pass    one bare `page.get_text("dict", flags=pymupdf.TEXTFLAGS_TEXT)` over every page
  markdown     `pymupdf4llm.to_markdown` of every file

Prints the median of RUNS runs (text pass and analysis taken in turn) and the ratios. Targets (issue 3): analysis within 3x the
text pass, and at least 5x faster than pymupdf4llm.
"""
from __future__ import annotations

import contextlib
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("READER_APP_HOME", tempfile.mkdtemp())

import pymupdf  # noqa: E402

from reader_app.paper import analyze_paper  # noqa: E402

RUNS = 7


def papers() -> list[Path]:
    shared = ROOT.parent / "shared" / "papers"
    files = sorted(shared.glob("*.pdf")) if shared.is_dir() else []
    sample = ROOT / "resources" / "sample" / "paper" / "sample_paper.pdf"
    if sample.is_file():
        files.append(sample)
    return files


def text_pass(files: list[Path]) -> None:
    for f in files:
        with pymupdf.open(f) as doc:
            for page in doc:
                page.get_text("dict", flags=pymupdf.TEXTFLAGS_TEXT)


def analysis(files: list[Path]) -> None:
    for f in files:
        analyze_paper(f)


def markdown(files: list[Path]) -> None:
    import pymupdf4llm

    pymupdf.set_messages(stream=io.StringIO())  # it reports a missing OCR engine for every file
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            for f in files:
                pymupdf4llm.to_markdown(str(f), show_progress=False)
    finally:
        pymupdf.set_messages(stream=sys.stdout)


def timed(fn, files: list[Path]) -> float:
    t0 = time.perf_counter()
    fn(files)
    return time.perf_counter() - t0


def interleaved(files: list[Path], runs: int) -> tuple[float, float]:
    """Median times of the text pass and of the analysis, run turn about so that load from other
    processes on the machine falls on both alike."""
    base, ours = [], []
    for _ in range(runs):
        base.append(timed(text_pass, files))
        ours.append(timed(analysis, files))
    return statistics.median(base), statistics.median(ours)


def main() -> int:
    files = papers()
    if not files:
        print("no papers found (../shared/papers or resources/sample/paper)")
        return 1
    pages = 0
    for f in files:
        with pymupdf.open(f) as doc:
            pages += doc.page_count
    analysis(files[:1])  # warm-up: imports and font caches
    base, ours = interleaved(files, RUNS)
    md = timed(markdown, files)
    print(f"papers: {len(files)} files, {pages} pages, median of {RUNS} runs")
    print(f"text pass (get_text dict):   {base:7.3f} s")
    print(f"analyze_paper:               {ours:7.3f} s   ({1000 * ours / pages:.1f} ms/page)")
    print(f"pymupdf4llm.to_markdown:     {md:7.3f} s   (1 run)")
    print(f"analysis / text pass:        {ours / base:5.2f}x   (target <= 3x)")
    print(f"pymupdf4llm / analysis:      {md / ours:5.1f}x faster (target >= 5x)")
    return 0 if ours / base <= 3 and md / ours >= 5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
