"""The Markdown export: the paper, the reader's progress and every note, in one file a person reads.

Layout: YAML front matter (Obsidian properties), title and authors, a link to the PDF, the reading
checklist, the sections with their tags, the notes grouped by section (each highlight quoted with a
link to its page), the figures that carry notes as PNG files in `<name>_figures/` beside the file,
the layer table (type, line, traced shape, where in the paper) and the code notes. Plain Markdown
only, so it also reads well pasted into a Zotero note.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reader_app.notes import markdown_text as md
from reader_app.atomic import write_atomic
from reader_app.notes.figure_images import MAX_REGION_IMAGES, noted_images, write_images
from reader_app.notes.ids import repo_id_for
from reader_app.notes.model import Annotation, sort_y
from reader_app.notes.structure import PaperOutline, load_outline
from reader_app.paper.retag import RETAGGED, apply_overrides
from reader_app.workflow.steps import STEPS


@dataclass
class MarkdownExportReport:
    """What the Markdown export wrote.

    Attributes:
        path: the Markdown file.
        images: the PNG files written beside it.
        problems: one sentence per thing that could not be included.
    """

    path: Path
    images: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class _Writer:
    """Builds the Markdown text for one paper, one part after another.

    Attributes:
        store, paper_id: where the notes come from.
        outline: the paper's title, authors, sections and figures.
        repo: the scanned repository (RepoInfo) for the layer table, or None.
        shapes: {(model, layer): shape} traced for the repositories the notes mention.
        pdf: the paper's file, or None when it is not found; pdf_link: the link to it from the export.
        lines: the Markdown written so far.
    """

    def __init__(self, store, paper_id, out_path: Path, pdf: Path | None, outline: PaperOutline, repo, shapes):
        self.store, self.paper_id, self.outline, self.repo, self.shapes = store, paper_id, outline, repo, shapes
        self.pdf_link = md.link_target(pdf, out_path.parent) if pdf is not None else ""
        self.pdf = pdf
        self.lines: list[str] = []

    def page_link(self, page: int | None) -> str:
        if page is None:
            return ""
        return f"[p. {page}]({self.pdf_link}#page={page})" if self.pdf_link else f"p. {page}"

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def front(self, annotations: list[Annotation]) -> None:
        title = self.outline.title or (self.pdf.stem if self.pdf else self.paper_id[:12])
        tags = sorted({t for a in annotations for t in a.tags})
        self.add("---", f"title: {md.yaml_string(title)}")
        self.add(*(["authors:"] + [f"  - {md.yaml_string(a)}" for a in self.outline.authors]
                   if self.outline.authors else ["authors: []"]))
        cite = self._citation()
        for name in ("venue", "year", "arxiv", "doi"):
            if getattr(cite, name):
                self.add(f"{name}: {md.yaml_string(getattr(cite, name))}")
        self.add(f"paper_id: {self.paper_id}")
        if self.pdf_link:
            self.add(f"pdf: {md.yaml_string(self.pdf_link)}")
        self.add(*(["tags:"] + [f"  - {t}" for t in tags] if tags else ["tags: []"]))
        self.add("---", "", f"# {md.escape(title)}", "")
        if self.outline.authors:
            self.add("**Authors:** " + md.escape(", ".join(self.outline.authors)), "")
        if self.pdf is not None:
            self.add(f"**PDF:** [{md.escape(self.pdf.name)}]({self.pdf_link})", "")
        if cite.title:
            self.add("**Cite as:** " + md.escape(cite.plain()), "", "```bibtex", cite.bibtex(), "```", "")

    def _citation(self):
        from reader_app.paper.citation import Citation

        cite = Citation.from_json(self.outline.citation)
        cite.title = cite.title or self.outline.title
        cite.authors = cite.authors or list(self.outline.authors)
        return cite

    def checklist(self) -> None:
        records = self.store.progress_records(self.paper_id)
        repos = sorted({repo for repo, _ in records}) or [""]
        self.add("## Reading checklist", "")
        for repo in repos:
            if len(repos) > 1 or repo:
                self.add(f"With repository `{repo}`:" if repo else "Paper only:", "")
            progress = self.store.get_progress(self.paper_id, repo)
            for step in STEPS:
                p = progress[step.id]
                spent = f" ({md.duration(p.seconds)})" if p.seconds else ""
                self.add(f"- [{'x' if p.done else ' '}] {step.number}. {step.title}{spent}")
            self.add("")

    def sections(self, counts: dict[int, int]) -> None:
        if not self.outline.sections:
            return
        self.add("## Sections", "")
        for index, s in enumerate(self.outline.sections):
            indent = "  " * max(s.level - 1, 0)
            label = f"{s.number} {s.title}".strip()
            noted = f", {counts[index]} note(s)" if counts.get(index) else ""
            retagged = f" (your tag; the analysis said #{s.also[0]})" if s.level == 1 and s.reasons[:1] == [RETAGGED] \
                and s.also else ""
            self.add(f"{indent}- {md.escape(label)} #{s.tag}{retagged} ({self.page_link(s.page)}{noted})")
        self.add("")

    def section_index(self, a: Annotation) -> int | None:
        found = self.outline.section_at(a.page, sort_y(a) or 0.0)
        return None if found is None else self.outline.sections.index(found)

    def notes(self, page_notes: list[tuple[int | None, Annotation]]) -> None:
        if not page_notes:
            return
        self.add("## Notes", "")
        current: object = object()
        for index, a in page_notes:
            if index != current:
                current = index
                if index is None:
                    self.add("### Before the first section" if self.outline.sections else "### Notes on pages", "")
                else:
                    s = self.outline.sections[index]
                    self.add(f"### {md.escape(f'{s.number} {s.title}'.strip())} #{s.tag}", "")
            self.annotation(a)

    def annotation(self, a: Annotation) -> None:
        tags = f" {md.hashtags(a.tags)}" if a.tags else ""
        if a.kind == "highlight" or (a.kind == "layer_link" and a.target == "passage"):
            self.add(*md.blockquote(a.text or "(no text)"), f"> — {self.page_link(a.page)}{tags}", "")
        elif a.kind == "page_note":
            self.add(f"**Note** on {self.page_link(a.page)}{tags}", "")
        else:
            self.add(f"**Region** on {self.page_link(a.page)}{tags}", "")
        if a.note:
            self.add(a.note, "")

    def figures(self, images, folder: Path, written: set[Path]) -> None:
        if not images:
            return
        self.add("## Figures with notes", "")
        for img in images:
            self.add(f"### {md.escape(img.label)}", "")
            if folder / img.file_name in written:
                image = md.link_target(Path(folder.name) / img.file_name, Path("."))
                self.add(f"![{md.escape(img.label)}]({image})", "")
            if img.caption:
                self.add(f"*{md.escape(img.caption)}* ({self.page_link(img.page)})", "")
            for a in img.notes:
                who = f"Layer `{a.model}.{a.layer}`: " if a.kind == "layer_link" else ""
                tags = f" {md.hashtags(a.tags)}" if a.tags else ""
                self.add(f"- {who}{a.note or '(no note)'}{tags}")
            self.add("")

    def layers(self, annotations: list[Annotation]) -> None:
        """One row per layer of the repository's main model, then layers only the notes mention."""
        rows: dict[tuple[str, str], dict] = {}
        main = self.repo.main if self.repo is not None else None
        pending = list(self.repo.layers) if main is not None else []
        while pending:  # containers' children are rows of their own ("blocks.0")
            layer = pending.pop(0)
            rows[(main.name, layer.name)] = {"type": layer.type, "where": f"{main.file}:{layer.line}", "items": []}
            pending[0:0] = layer.children
        for a in annotations:
            if a.kind in ("layer_note", "layer_link"):
                rows.setdefault((a.model, a.layer), {"type": "", "where": "", "items": []})["items"].append(a)
        if not rows:
            return
        self.add("## Layers", "", "| Layer | Type | Code | Shape | In the paper | Notes |",
                 "|---|---|---|---|---|---|")
        for (model, layer), row in rows.items():
            links = [self.link_text(a) for a in row["items"] if a.kind == "layer_link"]
            notes = [a.note for a in row["items"] if a.note]
            self.add("| " + " | ".join([
                f"`{md.cell(f'{model}.{layer}' if model else layer)}`", md.cell(row["type"]), md.cell(row["where"]),
                md.cell(self.shapes.get((model, layer), "")), "; ".join(links), md.cell("; ".join(notes)),
            ]) + " |")
        self.add("")

    def link_text(self, a: Annotation) -> str:
        if a.target == "figure":
            figure = self.outline.figure(a.figure_label)
            return md.cell(a.figure_label) + (f" ({self.page_link(figure.page)})" if figure else "")
        if a.target == "passage":
            return f"“{md.cell(a.text[:60])}” ({self.page_link(a.page)})"
        return f"region on {self.page_link(a.page)}"

    def code_notes(self, annotations: list[Annotation]) -> None:
        code = sorted((a for a in annotations if a.kind == "code_note"), key=lambda a: (a.file, a.line or 0))
        if not code:
            return
        self.add("## Code notes", "")
        for a in code:
            tags = f" {md.hashtags(a.tags)}" if a.tags else ""
            self.add(f"- `{md.cell(a.file)}:{a.line}` — {' '.join(a.note.split())}{tags}")
        self.add("")


def export_markdown(store, paper_id: str, out_path: str | Path, *, pdf: str | Path | None = None,
                    outline: PaperOutline | None = None, repo=None) -> MarkdownExportReport:
    """Write the paper's notes as Markdown (and its noted figures as PNGs beside it), atomically.

    `pdf` defaults to where the paper was last opened; `repo` (a reader_app.repo RepoInfo) adds the
    main model's layers to the layer table. Raises ExportError when the file cannot be written.
    """
    out_path = Path(out_path)
    pdf = Path(pdf) if pdf is not None else store.paper_path(paper_id)
    pdf = pdf if pdf is not None and pdf.is_file() else None
    outline = outline or load_outline(pdf, store.paper_title(paper_id))
    apply_overrides(outline.sections, store.section_tag_overrides(paper_id))  # the reader's tags win
    annotations = store.query_annotations(paper_id)
    repo_ids = {a.repo_id for a in annotations if a.repo_id}
    if repo is not None:  # the trace view saves shapes under the open repository's id
        repo_ids.add(repo_id_for(repo.root))
    shapes: dict = {}
    for repo_id in sorted(repo_ids):
        shapes.update(store.layer_shapes(repo_id))
    report = MarkdownExportReport(out_path, problems=[outline.problem] if outline.problem else [])
    writer = _Writer(store, paper_id, out_path, pdf, outline, repo, shapes)
    images, pictured, dropped = noted_images(annotations, outline.figures) if pdf else ([], set(), 0)
    if dropped:
        report.problems.append(f"{dropped} noted region(s) beyond the first {MAX_REGION_IMAGES} have no image.")
    on_pages = [a for a in annotations if a.page is not None and a.id not in pictured
                and not (a.kind == "layer_link" and a.target != "passage")]
    placed = [(writer.section_index(a), a) for a in on_pages]
    counts: dict[int, int] = {}
    for index, _ in placed:
        if index is not None:
            counts[index] = counts.get(index, 0) + 1
    placed.sort(key=lambda item: -1 if item[0] is None else item[0])  # stable: page order within a section
    folder = out_path.with_name(out_path.stem + "_figures")
    if pdf is not None:  # images first: the text links only the ones that were really written
        report.images, problems = write_images(images, pdf, folder)
        report.problems += problems
    writer.front(annotations)
    writer.checklist()
    writer.sections(counts)
    writer.notes(placed)
    writer.figures(images, folder, set(report.images))
    writer.layers(annotations)
    writer.code_notes(annotations)
    write_atomic(out_path, "\n".join(writer.lines).rstrip("\n") + "\n")
    return report
