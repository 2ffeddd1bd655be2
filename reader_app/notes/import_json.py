"""Importing a JSON export: take what can be taken, report the rest, overwrite nothing.

An annotation whose id is already in the store, progress the reader already has for a step, and
a paper already known keep the store's version. Entries that cannot be read (missing or wrong
fields, unknown steps) are skipped and each one is named in the report.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from reader_app.notes import rows
from reader_app.notes.clock import now_iso
from reader_app.notes.events import NotesChanged
from reader_app.notes.export_json import FORMAT, FORMAT_VERSION
from reader_app.notes.model import FIELD_NAMES, Annotation, InvalidAnnotation, validate
from reader_app.notes.progress import STEP_IDS
from reader_app.paper.model import TAGS


class ImportFailed(Exception):
    """The file cannot be imported at all; `message` says why in one sentence.

    Attributes:
        message: for the reader.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ImportReport:
    """What an import did.

    Attributes:
        annotations: how many annotations were added.
        progress: how many progress entries were added.
        skipped: one sentence per entry left out, saying why.
        warnings: sentences about the file as a whole (its version, fields this app ignores).
        paper_ids: the papers the imported notes belong to.
        section_tags: how many of the reader's section tags were added.
    """

    annotations: int = 0
    progress: int = 0
    section_tags: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    paper_ids: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"Imported {self.annotations} annotation(s) and {self.progress} progress entr(ies)"
        if self.section_tags:
            text += f" and {self.section_tags} section tag(s)"
        return text + (f"; {len(self.skipped)} left out." if self.skipped else ".")


def _load(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ImportFailed(f"{path} cannot be read: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise ImportFailed(f"{path} is not a text file.") from None
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"{path} is not valid JSON (line {exc.lineno}: {exc.msg}).") from None
    if not isinstance(data, dict) or data.get("format", FORMAT) != FORMAT:
        raise ImportFailed(f"{path} is not a reader-app notes file.")
    if not isinstance(data.get("annotations", []), list) or not isinstance(data.get("progress", []), list):
        raise ImportFailed(f"{path} is not a reader-app notes file: 'annotations' and 'progress' must be lists.")
    if "annotations" not in data and "progress" not in data:
        raise ImportFailed(f"{path} holds no annotations and no progress.")
    return data


def _version_warnings(data: dict) -> list[str]:
    version = data.get("format_version")
    if version is None:
        return ["The file has no format version; it was read as version 1."]
    if not isinstance(version, int) or version > FORMAT_VERSION:
        return [f"The file is format version {version}, newer than this app's {FORMAT_VERSION}: "
                "fields this app does not know were ignored."]
    return []


def _annotation(item, paper_id: str, report: ImportReport, unknown: set[str]) -> Annotation | None:
    where = f"annotation {item.get('id', '?')}" if isinstance(item, dict) else "an annotation"
    if not isinstance(item, dict):
        report.skipped.append(f"{where}: not an object.")
        return None
    unknown.update(set(item) - set(FIELD_NAMES))
    values = {k: v for k, v in item.items() if k in FIELD_NAMES and v is not None}
    values.setdefault("paper_id", paper_id)
    if not values.get("id"):
        values["id"] = uuid.uuid4().hex
        report.warnings.append(f"An annotation without an id was given the new id {values['id']}.")
    stamp = now_iso()
    values.setdefault("created_at", stamp)
    values.setdefault("updated_at", values["created_at"])
    try:
        for key in ("quads", "tags"):
            if key in values:
                values[key] = tuple(values[key]) if isinstance(values[key], list) else values[key]
        return validate(Annotation(**values))
    except (InvalidAnnotation, TypeError, ValueError, AttributeError) as exc:
        reason = str(exc) if isinstance(exc, InvalidAnnotation) else "a field has the wrong type"
        report.skipped.append(f"{where}: {reason}.")
        return None


def import_notes(store, path: str | Path) -> ImportReport:
    """Import a JSON export into `store` (one transaction); raises ImportFailed when nothing can be read."""
    path = Path(path)
    data = _load(path)
    report = ImportReport(warnings=_version_warnings(data))
    paper = data.get("paper") if isinstance(data.get("paper"), dict) else {}
    paper_id = str(paper.get("paper_id") or "")
    unknown: set[str] = set()
    annotations = [a for a in (_annotation(item, paper_id, report, unknown) for item in data.get("annotations", []))
                   if a is not None]
    if unknown:
        report.warnings.append(f"Fields this app does not know were ignored: {', '.join(sorted(unknown))}.")
    imported: set[str] = set()
    with store._write() as conn:
        if paper_id and paper.get("path"):
            conn.execute("INSERT OR IGNORE INTO papers (paper_id, path, title, seen_at) VALUES (?,?,?,?)",
                         (paper_id, str(paper["path"]), str(paper.get("title") or ""), now_iso()))
        for a in annotations:
            if rows.fetch(conn, a.id) is not None:
                report.skipped.append(f"annotation {a.id}: already in your notes, yours was kept.")
                continue
            rows.put_many(conn, [a])
            imported.add(a.id)
            report.annotations += 1
            report.paper_ids.append(a.paper_id)
        _import_progress(conn, data.get("progress", []), paper_id, report)
        _import_shapes(conn, data.get("layer_shapes", []))
        if paper_id:
            _import_section_tags(conn, data.get("section_tags", []), paper_id, report)
    report.paper_ids = sorted(set(report.paper_ids) | ({paper_id} if paper_id else set()))
    for pid in report.paper_ids:
        added = tuple(a.id for a in annotations if a.paper_id == pid and a.id in imported)
        store._emit(NotesChanged(pid, added=added, progress=report.progress > 0,
                                 section_tags=report.section_tags > 0 and pid == paper_id))
    return report


def _import_progress(conn, entries: list, paper_id: str, report: ImportReport) -> None:
    for entry in entries:
        step = entry.get("step_id") if isinstance(entry, dict) else None
        if step not in STEP_IDS:
            report.skipped.append(f"progress for step {step!r}: not a step of this app's workflow.")
            continue
        owner = str(entry.get("paper_id") or paper_id)
        if not owner:
            report.skipped.append(f"progress for step {step}: the file does not say which paper it is for.")
            continue
        try:
            done_at = entry.get("done_at")
            if done_at is not None and not isinstance(done_at, str):
                raise TypeError("done_at")
            values = (owner, str(entry.get("repo_id") or ""), step, int(bool(entry.get("done", False))),
                      int(bool(entry.get("manual", False))), float(entry.get("seconds", 0.0)), done_at)
        except (TypeError, ValueError):
            report.skipped.append(f"progress for step {step}: a field has the wrong type.")
            continue
        added = conn.execute(
            "INSERT OR IGNORE INTO progress (paper_id, repo_id, step_id, done, manual, seconds, done_at) "
            "VALUES (?,?,?,?,?,?,?)", values).rowcount
        if added:
            report.progress += 1
        else:
            report.skipped.append(f"progress for step {step}: you already have progress there, yours was kept.")


def _import_shapes(conn, entries: list) -> None:
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and all(isinstance(entry.get(k), str) for k in ("repo_id", "model", "layer", "shape")):
            conn.execute("INSERT OR IGNORE INTO layer_shapes (repo_id, model, layer, shape) VALUES (?,?,?,?)",
                         (entry["repo_id"], entry["model"], entry["layer"], entry["shape"]))


def _import_section_tags(conn, entries, paper_id: str, report: ImportReport) -> None:
    """The reader's retags; a section the store already has a tag for keeps the store's."""
    for entry in entries if isinstance(entries, list) else []:
        ok = isinstance(entry, dict) and isinstance(entry.get("section_key"), str) and entry.get("tag") in TAGS
        if not ok:
            report.skipped.append(f"section tag {entry.get('section_key', '?') if isinstance(entry, dict) else '?'}: "
                                  f"not a section and one of the tags {', '.join(TAGS)}.")
            continue
        page = entry.get("page")
        added = conn.execute(
            "INSERT OR IGNORE INTO section_tags (paper_id, section_key, tag, title, page, updated_at) VALUES (?,?,?,?,?,?)",
            (paper_id, entry["section_key"], entry["tag"], str(entry.get("title") or ""),
             page if isinstance(page, int) else None, str(entry.get("updated_at") or now_iso()))).rowcount
        if added:
            report.section_tags += 1
        else:
            report.skipped.append(f"section tag {entry['section_key']}: you already retagged it, yours was kept.")
