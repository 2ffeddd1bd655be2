"""Runs reader_app.paper.analysis_worker in a child process and rebuilds the Paper it reports."""
from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path
from typing import Callable

from reader_app.child_process import child_env, module_command
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
                          implicit=bool(s.get("implicit", False)))
                  for s in data.get("sections", [])],
        figures=[Figure(label=f["label"], kind=f["kind"], number=number, page=f["page"], bbox=tuple(f["bbox"]),
                        caption=f["caption"], caption_bbox=tuple(f.get("caption_bbox", f["bbox"])))
                 for f, number in zip(data.get("figures", []), numbers)],
        repo_urls=list(data.get("repo_urls", [])),
        has_text_layer=data.get("has_text_layer", True),
        page_sizes=[tuple(size) for size in data.get("page_sizes", [])],
    )


def _kill_on_cancel(child: subprocess.Popen, cancel: threading.Event) -> None:
    while child.poll() is None:
        if cancel.wait(0.1):
            child.kill()
            return


def analyze_in_child(path: Path, password: str | None = None,
                     progress: Callable[[int, int], None] | None = None,
                     cancel: threading.Event | None = None, timeout: float = 600) -> Paper:
    """Analyse `path` in a child process; raises AnalysisFailed with one sentence on any failure."""
    child = subprocess.Popen(module_command(WORKER), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, env=child_env(), text=True)
    watchdog = threading.Timer(timeout, child.kill)
    watchdog.start()
    if cancel is not None:
        threading.Thread(target=_kill_on_cancel, args=(child, cancel), daemon=True).start()
    try:
        child.stdin.write(json.dumps({"path": str(path), "password": password}) + "\n")
        child.stdin.close()
        result = None
        for line in child.stdout:
            message = json.loads(line)
            if "progress" in message and progress is not None:
                progress(*message["progress"])
            elif "paper" in message or "error" in message:
                result = message
        child.wait()
    finally:
        watchdog.cancel()
    if cancel is not None and cancel.is_set():
        raise AnalysisFailed("The analysis was cancelled.")
    if result is None:
        raise AnalysisFailed(f"Analysing {Path(path).name} stopped unexpectedly (the PDF may be damaged).")
    if "error" in result:
        raise AnalysisFailed(result["error"])
    return paper_from_json(result["paper"])
