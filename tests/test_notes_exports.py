"""Exports a reader would open elsewhere: the annotated PDF (Zotero, Okular, Acrobat) and Markdown (Obsidian)."""
from __future__ import annotations

import hashlib
import re

import git
import pymupdf
import pytest
from test_notes_support import FIGURE_BOX, make_pdf, word_highlight

from reader_app.notes import Annotation, NotesStore, paper_id_for, repo_id_for
from reader_app.notes.export_markdown import export_markdown
from reader_app.notes.export_pdf import export_annotated_pdf
from reader_app.notes.structure import load_outline
from reader_app.repo import scan_repo

ATTENTION = "01_attention_is_all_you_need_1706.03762.pdf"


@pytest.fixture
def attention(shared_papers):
    """The Transformer paper with notes of every kind on it, in a fresh store."""
    pdf = shared_papers / ATTENTION
    pid = paper_id_for(pdf)
    store = NotesStore.open()
    store.remember_paper(pid, pdf, "Attention Is All You Need")
    notes = store.add_annotations([
        word_highlight(pdf, pid, 1, "dominant sequence transduction models", note="what it replaces",
                       tags=["background"]),
        word_highlight(pdf, pid, 3, "point-wise, fully connected layers", note="the FFN *block* | per token",
                       color="green", tags=["method"]),
        Annotation.page_note(pid, 4, (60, 300), "compare with Luong attention"),
        Annotation.rectangle(pid, 4, (147.8, 72.0, 467.0, 267.3), "the two attention diagrams"),
        Annotation.code_note(pid, "repo@1", "model.py", 7, "scaled dot product here"),
        Annotation.layer_link(pid, "repo@1", "Transformer", "encoder", figure_label="Figure 1", note="left half"),
    ])
    yield store, pid, pdf, notes
    store.close()


def test_annotated_pdf_has_every_highlight_with_its_word_quads_and_note(attention, tmp_path):
    store, pid, pdf, notes = attention
    before = hashlib.sha256(pdf.read_bytes()).hexdigest()
    out = tmp_path / "annotated.pdf"
    report = export_annotated_pdf(store, pid, pdf, out, outline=load_outline(pdf))
    assert report.written == 5 and len(report.left_out) == 1 and "model.py" in report.left_out[0]
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == before  # the original is only read
    with pymupdf.open(out) as doc:
        found = {a.info["id"]: {"page": page.number + 1, "type": a.type[1], "content": a.info["content"],
                                "corners": [pymupdf.Point(p) for p in a.vertices or []],
                                "words": page.get_textbox(a.rect)}
                 for page in doc for a in page.annots()}
    for note in notes:
        if note.kind != "highlight":
            continue
        annot = found[note.id]
        assert annot["page"] == note.page and annot["type"] == "Highlight"
        assert note.note in annot["content"]
        expected = [pymupdf.Point(q[i], q[i + 1]) for q in note.quads for i in (0, 2, 4, 6)]
        assert len(annot["corners"]) == len(expected) >= 4
        assert all(abs(a - b) < 0.01 for a, b in zip(annot["corners"], expected))
        assert note.text.split()[0] in annot["words"]
    assert found[notes[2].id]["type"] == "Text" and found[notes[2].id]["content"] == notes[2].note
    assert found[notes[3].id]["type"] == "Square"
    link = found[notes[5].id]
    assert link["page"] == 3 and link["type"] == "Square" and "Transformer.encoder: left half" in link["content"]


def test_annotated_pdf_keeps_the_annotations_the_paper_already_had(tmp_path):
    pdf = make_pdf(tmp_path / "paper.pdf")
    with pymupdf.open(pdf) as doc:
        doc[0].add_text_annot((20, 20), "somebody else's note")
        doc.save(tmp_path / "with_annot.pdf")
    pdf = tmp_path / "with_annot.pdf"
    pid = paper_id_for(pdf)
    with NotesStore.open() as store:
        store.add_annotation(word_highlight(pdf, pid, 1, "residual connections", note="mine"))
        export_annotated_pdf(store, pid, pdf, tmp_path / "out.pdf")
    with pymupdf.open(tmp_path / "out.pdf") as doc:
        assert sorted(a.info["content"] for a in doc[0].annots()) == ["mine", "somebody else's note"]


def test_annotated_pdf_refuses_another_paper(tmp_path):
    from reader_app.atomic import ExportError

    pdf, other = make_pdf(tmp_path / "a.pdf"), make_pdf(tmp_path / "b.pdf", title="Different")
    with NotesStore.open() as store:
        with pytest.raises(ExportError, match="not the paper these notes belong to"):
            export_annotated_pdf(store, paper_id_for(pdf), other, tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def _repo_with_model(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    (root / "model.py").write_text(
        "import torch.nn as nn\n\n\nclass Transformer(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.encoder = nn.Linear(512, 512)\n"
        "        self.decoder = nn.Linear(512, 512)\n\n    def forward(self, x):\n"
        "        return self.decoder(self.encoder(x))\n")
    repo = git.Repo.init(root)
    repo.index.add(["model.py"])
    repo.index.commit("model")
    return root


def test_markdown_has_the_paper_progress_quotes_figures_and_layer_table(attention, tmp_path):
    store, pid, pdf, notes = attention
    root = _repo_with_model(tmp_path)
    store.set_step_done(pid, "", "abstract_figures", True)
    store.add_step_seconds(pid, "", "abstract_figures", 312)
    store.save_layer_shapes("repo@1", "Transformer", {"encoder": "(1, 10, 512)"})
    store.save_layer_shapes(repo_id_for(root), "Transformer", {"decoder": "(1, 10, 256)"})  # traced, no notes
    out_dir = tmp_path / "vault"
    out_dir.mkdir()
    report = export_markdown(store, pid, out_dir / "attention.md", pdf=pdf, repo=scan_repo(root))
    text = (out_dir / "attention.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: \"Attention Is All You Need\"\nauthors:\n  - \"Ashish Vaswani\"")
    assert "# Attention Is All You Need" in text and f"paper_id: {pid}" in text
    link = pdf.resolve().as_uri()  # the PDF is far from the vault: an absolute link
    assert f"**PDF:** [{ATTENTION.replace('_', chr(92) + '_')}]({link})" in text
    assert "- [x] 1. Read the abstract and look at every figure and table (5 min 12 s)" in text
    assert "- [ ] 2. Read the Method section" in text
    assert "- 3 Model Architecture #method" in text
    assert f"> dominant sequence transduction models\n> — [p. 1]({link}#page=1) #background\n\nwhat it replaces" in text
    assert "> point-wise, fully connected layers\n" in text and "the FFN *block* | per token" in text
    assert "### 3 Model Architecture #method\n\n> point-wise" in text  # above 3.1 on page 3
    assert "![Figure 1](attention_figures/figure-1.png)" in text and "- Layer `Transformer.encoder`: left half" in text
    assert "![Figure 2](attention_figures/figure-2.png)" in text and "- the two attention diagrams" in text
    assert "| `Transformer.encoder` | nn.Linear | model.py:7 | (1, 10, 512) | Figure 1 ([p. 3]" in text
    assert "| `Transformer.decoder` | nn.Linear | model.py:8 | (1, 10, 256) |" in text
    assert "- `model.py:7` — scaled dot product here" in text
    assert [p.name for p in report.images] == ["figure-1.png", "figure-2.png"]
    for image in report.images:
        pixmap = pymupdf.Pixmap(str(image))
        assert pixmap.width > 200 and pixmap.height > 100
    assert report.problems == []


def test_markdown_escapes_quoted_text_and_links_a_nearby_pdf_relatively(tmp_path):
    pdf = make_pdf(tmp_path / "my paper.pdf")
    pid = paper_id_for(pdf)
    with NotesStore.open() as store:
        store.remember_paper(pid, pdf)
        with pymupdf.open(pdf) as doc:
            quads = doc[0].search_for("softmax", quads=True)
        store.add_annotation(Annotation.highlight(pid, 1, quads, "a*b | c_d [x]", note=""))
        store.add_annotation(Annotation.rectangle(pid, 2, (10, 10, 60, 60), "a corner"))
        store.add_annotation(Annotation.rectangle(pid, 1, FIGURE_BOX, "the diagram"))
        (tmp_path / "notes").mkdir()
        report = export_markdown(store, pid, tmp_path / "notes" / "paper.md")
    text = report.path.read_text(encoding="utf-8")
    assert "> a\\*b \\| c\\_d \\[x\\]" in text
    assert "(../my%20paper.pdf#page=1)" in text
    assert "![Region on page 2](paper_figures/region-p2-1.png)" in text
    assert "![Figure 1](paper_figures/figure-1.png)" in text and "- the diagram" in text
    assert sorted(p.name for p in (tmp_path / "notes" / "paper_figures").iterdir()) == [
        "figure-1.png", "region-p2-1.png"]


def test_markdown_still_exports_when_the_pdf_is_gone(tmp_path):
    pdf = make_pdf(tmp_path / "paper.pdf")
    pid = paper_id_for(pdf)
    with NotesStore.open() as store:
        store.remember_paper(pid, pdf, "Remembered Title")
        store.add_annotation(word_highlight(pdf, pid, 1, "softmax", note="still here"))
        pdf.unlink()
        report = export_markdown(store, pid, tmp_path / "out.md")
    text = report.path.read_text(encoding="utf-8")
    assert "# Remembered Title" in text and "> softmax\n> — p. 1" in text and "still here" in text
    assert "not found" in report.problems[0]


def test_repo_id_used_by_the_layer_table_is_the_clone_identity(tmp_path):
    root = _repo_with_model(tmp_path)
    assert re.fullmatch(r".*/repo@[0-9a-f]{40}", repo_id_for(root))


def test_highlights_on_a_rotated_page_cover_their_words(tmp_path):
    pdf = make_pdf(tmp_path / "paper.pdf")
    with pymupdf.open(pdf) as doc:
        doc[1].set_rotation(90)
        doc.save(tmp_path / "rotated.pdf")
    pdf = tmp_path / "rotated.pdf"
    pid = paper_id_for(pdf)
    with NotesStore.open() as store:
        note = store.add_annotation(word_highlight(pdf, pid, 2, "residual connections", note="sideways",
                                                   color="red"))
        export_annotated_pdf(store, pid, pdf, tmp_path / "out.pdf")
    with pymupdf.open(tmp_path / "out.pdf") as doc:
        page = doc[1]
        (annot,) = list(page.annots())
        assert annot.info["content"] == "sideways" and annot.colors["stroke"] == pytest.approx([1, 0.4, 0.4], abs=0.01)
        corners = [pymupdf.Point(p) for p in annot.vertices]
        expected = [pymupdf.Point(note.quads[0][i], note.quads[0][i + 1]) for i in (0, 2, 4, 6)]
        assert all(abs(a - b) < 0.01 for a, b in zip(corners, expected))
        assert "residual connections" in page.get_textbox(annot.rect)


def test_markdown_of_a_paper_that_cannot_be_analysed_keeps_every_note(tmp_path):
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.7\n" + b"\x00" * 2000)  # looks like a PDF, is not one
    pid = paper_id_for(damaged)
    with NotesStore.open() as store:
        store.remember_paper(pid, damaged, "Known Title")
        store.add_annotations([Annotation.rectangle(pid, 2, (10, 10, 90, 90), "a region"),
                               Annotation.page_note(pid, 1, (5, 5), "a pinned note")])
        report = export_markdown(store, pid, tmp_path / "out.md")
    text = report.path.read_text(encoding="utf-8")
    assert "# Known Title" in text and "a pinned note" in text and "a region" in text
    assert any("could not be analysed" in p for p in report.problems)
    assert any("No figure images" in p for p in report.problems) and report.images == []
    assert "![" not in text  # no link to an image that was not written
