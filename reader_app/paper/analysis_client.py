"""Runs reader_app.paper.analysis_worker in a child process and rebuilds the Paper it reports."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from reader_app.child_process import WorkerFailed, run_json_worker
from reader_app.paper.model import Figure, Paper, Section

WORKER = "reader_app.paper.analysis_worker"


class AnalysisFailed(Exception):
    """The analysis did not finish; the message is one sentence for the reader."""


def paper_from_json(data: dict) -> Paper:
    """The inverse of Paper.to_json (plus the worker's page_sizes and figure_numbers)."""
    numbers = data.get("figure_numbers") or [f["label"].split()[-1] for f in data.get("figures", [])]
    return Paper(
        file=data["file"], page_count=data["pages"], title=data.get("title", ""),
        authors=list(data.get("authors", [])),
        sections=[Section(title=s["title"], number=s["number"], level=s["level"], page=s["page"],
                          bbox=tuple(s.get("bbox", (0, 0, 0, 0))), tag=s["tag"], also=list(s.get("also", [])),
                          implicit=bool(s.get("implicit", False)), reasons=list(s.get("reasons", [])))
                  for s in data.get("sections", [])],
        figures=[Figure(label=f["label"], kind=f["kind"], number=number, page=f["page"], bbox=tuple(f["bbox"]),
                        caption=f["caption"], caption_bbox=tuple(f.get("caption_bbox", f["bbox"])))
                 for f, number in zip(data.get("figures", []), numbers)],
        repo_urls=list(data.get("repo_urls", [])),
        has_text_layer=data.get("has_text_layer", True),
        page_sizes=[tuple(size) for size in data.get("page_sizes", [])],
        warnings=list(data.get("warnings", [])),
        columns=[list(starts) for starts in data.get("columns", [])],
        citation=dict(data.get("citation", {})),
    )


def analyze_in_child(path: Path, password: str | None = None,
                     progress: Callable[[int, int], None] | None = None,
                     cancel: threading.Event | None = None, timeout: float = 600) -> Paper:
    """Analyse `path` in a child process; raises AnalysisFailed with one sentence on any failure."""
    def on_message(message: dict) -> None:
        if "progress" in message and progress is not None:
            progress(*message["progress"])

    try:
        result = run_json_worker(WORKER, {"path": str(path), "password": password}, on_message, cancel, timeout)
    except WorkerFailed:
        raise AnalysisFailed("The analysis was cancelled.") from None
    if result is None or not ("paper" in result or "error" in result):
        raise AnalysisFailed(f"Analysing {Path(path).name} stopped unexpectedly (the PDF may be damaged).")
    if "error" in result:
        raise AnalysisFailed(result["error"])
    return paper_from_json(result["paper"])
