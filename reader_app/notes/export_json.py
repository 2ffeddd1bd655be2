"""The JSON export: every field of a paper's notes, lossless and re-importable.

Shape (FORMAT_VERSION 1):
    {"format": "reader-app-notes", "format_version": 1,
     "paper": {"paper_id", "title", "path"},
     "progress": [{"repo_id", "step_id", "done", "manual", "seconds", "done_at"}, ...],
     "layer_shapes": [{"repo_id", "model", "layer", "shape"}, ...],
     "section_tags": [{"section_key", "tag", "title", "page", "updated_at"}, ...],   # the reader's retags
     "annotations": [Annotation.to_dict(), ...]}   # in page order
("section_tags" came later; a file without it imports as before, an older app ignores it.)
Nothing in it depends on when it was written, so the same notes always give the same bytes.
"""
from __future__ import annotations

import json
from pathlib import Path

from reader_app.atomic import write_atomic

FORMAT = "reader-app-notes"
FORMAT_VERSION = 1


def notes_document(store, paper_id: str) -> dict:
    """The paper's notes as the JSON document (a dict)."""
    annotations = store.query_annotations(paper_id)
    progress = store.progress_records(paper_id)
    repo_ids = sorted({repo for repo, _ in progress} | {a.repo_id for a in annotations} - {""})
    path = store.paper_path(paper_id)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "paper": {"paper_id": paper_id, "title": store.paper_title(paper_id), "path": str(path) if path else ""},
        "progress": [{"repo_id": repo, "step_id": p.step_id, "done": p.done, "manual": p.manual,
                      "seconds": p.seconds, "done_at": p.done_at} for repo, p in progress],
        "layer_shapes": [{"repo_id": repo, "model": model, "layer": layer, "shape": shape}
                         for repo in repo_ids for (model, layer), shape in store.layer_shapes(repo).items()],
        "section_tags": [t.to_dict() for t in store.section_tags(paper_id)],
        "annotations": [a.to_dict() for a in annotations],
    }


def notes_json(store, paper_id: str) -> str:
    return json.dumps(notes_document(store, paper_id), ensure_ascii=False, indent=2) + "\n"


def export_json(store, paper_id: str, out_path: str | Path) -> Path:
    """Write the paper's notes as JSON to `out_path` atomically; raises ExportError when it cannot."""
    write_atomic(out_path, notes_json(store, paper_id))
    return Path(out_path)
