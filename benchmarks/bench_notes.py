"""Exporting 10,000 annotations on one paper (Markdown, JSON, annotated PDF) and paging the panel's list.

Builds a store with 10,000 annotations on a real paper (the shared Transformer paper when present,
else a 15-page PDF made with PyMuPDF): 6,000 highlights over real words, 2,000 page notes, 1,000
rectangles, 500 code notes, 500 layer notes and links. Prints the median time of each export and,
as its baseline measured in the same run, the bare cost of the same output without the notes
engine: json.dumps of the same dicts written to a file (JSON), writing the same number of text
lines plus rendering as many PNG clips as the export writes (Markdown), and PyMuPDF saving a plain
copy of the PDF (annotated PDF). Target (issue 7): every export under 5 s. Also prints importing
that JSON into an empty store (against json.loads alone) and the time to fetch one window of 100
rows for the panel against fetching all 10,000.
"""
from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("READER_APP_HOME", tempfile.mkdtemp())

import pymupdf  # noqa: E402

from reader_app.notes import Annotation, AnnotationFilter, NotesStore, paper_id_for  # noqa: E402
from reader_app.notes.export_json import export_json  # noqa: E402
from reader_app.notes.export_markdown import export_markdown  # noqa: E402
from reader_app.notes.export_pdf import export_annotated_pdf  # noqa: E402
from reader_app.notes.import_json import import_notes  # noqa: E402
from reader_app.notes.structure import load_outline  # noqa: E402

COUNT = 10_000
RUNS = 3
SHARED = ROOT.parent / "shared" / "papers" / "01_attention_is_all_you_need_1706.03762.pdf"


def paper(folder: Path) -> Path:
    if SHARED.is_file():
        return SHARED
    doc = pymupdf.open()
    for number in range(15):
        page = doc.new_page()
        for line in range(40):
            page.insert_text((72, 72 + 16 * line), f"page {number + 1} line {line}: the encoder maps tokens to "
                             "vectors and attention mixes them with softmax weights", fontsize=9)
    doc.save(folder / "generated.pdf")
    return folder / "generated.pdf"


def word_runs(pdf: Path) -> list[tuple[int, list, str]]:
    """(page, quads, text) for runs of 1-6 consecutive words on one line, over the whole paper."""
    runs = []
    with pymupdf.open(pdf) as doc:
        for page in doc:
            lines: dict[tuple[int, int], list] = {}
            for w in page.get_text("words"):
                lines.setdefault((w[5], w[6]), []).append(w)
            for words in lines.values():
                for start in range(0, len(words), 3):
                    chunk = words[start:start + random.randint(1, 6)]
                    quad = pymupdf.Rect(chunk[0][:4]) | pymupdf.Rect(chunk[-1][:4])
                    runs.append((page.number + 1, [quad.quad], " ".join(w[4] for w in chunk)))
    return runs


def fill(store: NotesStore, pid: str, pdf: Path) -> None:
    rng = random.Random(7)
    runs = word_runs(pdf)
    with pymupdf.open(pdf) as doc:
        pages = doc.page_count
    notes = []
    for i in range(6000):
        page, quads, text = runs[i % len(runs)]
        notes.append(Annotation.highlight(pid, page, quads, text, note=f"thought {i}" if i % 2 else "",
                                          color=rng.choice(["yellow", "green", "blue"]), tags=[f"t{i % 12}"]))
    for i in range(2000):
        notes.append(Annotation.page_note(pid, 1 + i % pages, (rng.uniform(50, 500), rng.uniform(50, 700)),
                                          f"page note {i}"))
    for i in range(1000):
        x, y = rng.uniform(50, 400), rng.uniform(50, 600)
        notes.append(Annotation.rectangle(pid, 1 + i % pages, (x, y, x + 100, y + 80), f"region {i}"))
    for i in range(500):
        notes.append(Annotation.code_note(pid, "repo@1", f"models/m{i % 20}.py", 1 + i, f"code {i}"))
    for i in range(250):
        notes.append(Annotation.layer_note(pid, "repo@1", "Transformer", f"layers.{i}", f"layer {i}"))
        notes.append(Annotation.layer_link(pid, "repo@1", "Transformer", f"layers.{i}",
                                           figure_label="Figure 1" if i % 2 else "", page=1 + i % pages,
                                           rect=(72, 72, 200, 200)))
    store.add_annotations(notes)
    store.save_layer_shapes("repo@1", "Transformer", {f"layers.{i}": "(1, 10, 512)" for i in range(250)})


def median_time(action) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    folder = Path(tempfile.mkdtemp())
    pdf = paper(folder)
    pid = paper_id_for(pdf)
    store = NotesStore.open(folder / "notes.sqlite3")
    store.remember_paper(pid, pdf)
    start = time.perf_counter()
    fill(store, pid, pdf)
    print(f"paper: {pdf.name}; {store.count_annotations(pid)} annotations stored in "
          f"{time.perf_counter() - start:.2f} s")
    outline = load_outline(pdf)
    dicts = [a.to_dict() for a in store.query_annotations(pid)]
    images = export_markdown(store, pid, folder / "n.md", pdf=pdf, outline=outline).images
    with pymupdf.open(pdf) as doc:
        plain_pdf = lambda: doc.save(folder / "plain.pdf", garbage=1, deflate=True)  # noqa: E731

        def plain_markdown():  # the same number of lines, and the same number of PNG clips rendered
            (folder / "base.md").write_text("\n".join(f"> {d['text']}\n{d['note']}" for d in dicts))
            for n in range(len(images)):
                doc[n % doc.page_count].get_pixmap(dpi=150, clip=pymupdf.Rect(72, 72, 300, 250)).save(
                    folder / f"base{n}.png")

        rows = [
            ("JSON", lambda: export_json(store, pid, folder / "n.json"),
             lambda: (folder / "base.json").write_text(json.dumps(dicts, indent=2, ensure_ascii=False))),
            ("Markdown", lambda: export_markdown(store, pid, folder / "n.md", pdf=pdf, outline=outline),
             plain_markdown),
            ("annotated PDF", lambda: export_annotated_pdf(store, pid, pdf, folder / "n.pdf", outline=outline),
             plain_pdf),
        ]
        print(f"{'export':<15}{'engine s':>10}{'baseline s':>12}{'ratio':>8}   target < 5 s")
        met = True
        for name, engine, baseline in rows:
            engine_s, base_s = median_time(engine), median_time(baseline)
            met = met and engine_s < 5
            verdict = "ok" if engine_s < 5 else "TOO SLOW"
            print(f"{name:<15}{engine_s:>10.3f}{base_s:>12.3f}{engine_s / base_s:>8.1f}   {verdict}")
    def import_into_empty():
        target = folder / f"import{time.perf_counter_ns()}.sqlite3"
        with NotesStore.open(target) as empty:
            import_notes(empty, folder / "n.json")

    engine_s = median_time(import_into_empty)
    base_s = median_time(lambda: json.loads((folder / "n.json").read_text(encoding="utf-8")))
    print(f"{'JSON import':<15}{engine_s:>10.3f}{base_s:>12.3f}{engine_s / base_s:>8.1f}   (baseline: json.loads)")
    window = median_time(lambda: store.query_annotations(pid, offset=5000, limit=100))
    filtered = median_time(lambda: store.count_annotations(pid, AnnotationFilter(tags=("t3",), text="thought")))
    everything = median_time(lambda: store.query_annotations(pid))
    print(f"panel: window of 100 at row 5000 {window * 1000:.1f} ms, filtered count {filtered * 1000:.1f} ms, "
          f"all 10,000 rows {everything * 1000:.0f} ms (window / all = {window / everything:.3f})")
    store.close()
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
