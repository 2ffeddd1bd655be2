"""The reading guide rendered as Markdown (`reader-app report`)."""
from __future__ import annotations

from reader_app.workflow.dataflow import render_text
from reader_app.workflow.model_tree import model_layers, traced_name
from reader_app.workflow.report import Guide
from reader_app.workflow.steps import STEPS
from reader_app.workflow.variants import code_variant_of, summary


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _sections(guide: Guide) -> list[str]:
    out = ["## Sections", ""]
    if not guide.paper.sections:
        return out + ["No section headings were found in the paper.", ""]
    for s in guide.paper.sections:
        indent = "  " * (s.level - 1)
        out.append(f"{indent}- {s.number + ' ' if s.number else ''}{s.title} (page {s.page}) `{s.tag}`")
    if not any(s.tag == "method" for s in guide.paper.sections):
        out.append("\nThe paper has no section tagged Method; step 2 has to rely on the figures and the abstract.")
    return out + [""]


def _figures(guide: Guide) -> list[str]:
    out = ["## Figures and tables", ""]
    if not guide.paper.figures:
        return out + ["The paper has no numbered figures or tables.", ""]
    chosen = guide.architecture.figure
    for f in guide.paper.figures:
        mark = " **(architecture figure)**" if chosen is not None and f.label == chosen.label else ""
        out.append(f"- {f.label}, page {f.page}{mark}: {_cell(f.caption)[:160]}")
    return out + ["", f"Architecture figure: {guide.architecture.reason}", ""]


def _layers(guide: Guide) -> list[str]:
    main = guide.repo.main
    out = ["## Main model and its layers", ""]
    if main is None:
        said = [p for p in guide.repo.problems if "model" in p.lower() or "python" in p.lower()][:2]
        return out + [" ".join(said) or "The repository has no nn.Module model class.", ""]
    flow = f"forward() at line {main.forward_line}" if main.forward_line else (
        "a function returning the model: its container calls the layers in order" if main.kind == "function"
        else "no forward() of its own")
    out.append(f"`{main.name}` in `{main.file}` (line {main.line}); {flow}.")
    out.append("")
    if guide.trace_note:
        out += [guide.trace_note, ""]
    out += ["| layer | type | line | output shape |", "|---|---|---|---|"]
    for item in model_layers(guide.repo):
        shape = ""
        layer = guide.trace.layer(traced_name(item.name)) if guide.trace is not None else None
        if layer is not None and layer.calls and layer.calls[0].out_dims:
            shape = "(" + ", ".join(layer.calls[0].out_dims[0]) + ")"
        out.append(f"| {item.name} | {item.type} | {item.file}:{item.layer.line} | {shape or '-'} |")
    return out + [""]


def _flow(guide: Guide) -> list[str]:
    return ["## Data flow of forward()", "", "```", render_text(guide.flow), "```", ""]


NO_TEXT = ("The paper has no text layer (a scanned PDF), so its text cannot be searched; "
           "run OCR on it to get {what}.")


def _mentions(guide: Guide) -> list[str]:
    out = ["## Where the paper speaks of each layer", ""]
    if not guide.paper.has_text_layer:
        return out + [NO_TEXT.format(what="mention suggestions"), ""]
    if not guide.mentions:
        return out + ["No layers to connect (no model class was found).", ""]
    for lm in guide.mentions:
        out.append(f"- **{lm.name}** ({lm.type}; {lm.kind_text()})")
        if not lm.mentions:
            out.append("  - the paper never mentions this kind of layer or its name")
        for m in lm.mentions[:3]:
            out.append(f"  - page {m.page}, {m.section or 'before the first heading'}: \"{_cell(m.snippet)[:200]}\"")
        if lm.in_figure and guide.architecture.figure is not None:
            labels = ", ".join(f"\"{_cell(m.snippet)}\"" for m in lm.in_figure[:2])
            out.append(f"  - in {guide.architecture.figure.label}, the box labelled {labels}")
    return out + [""]


def _hyperparams(guide: Guide) -> list[str]:
    out = ["## Hyperparameters: paper beside code", ""]
    if not guide.paper.has_text_layer:
        out += [NO_TEXT.format(what="the values it states") + " The code's values follow.", ""]
    if not guide.hyperparams:
        return out + ["Neither the paper nor the code states a known hyperparameter.", ""]
    variant = code_variant_of(guide.hyperparams)
    said = summary(guide.hyperparams, variant)
    if said:
        out += [f"The code builds the paper's {variant!r} variant ({said}).", ""]
    out += ["| parameter | paper | code | check |", "|---|---|---|---|"]
    for row in guide.hyperparams:
        paper = "not stated"
        if row.paper:
            where = f"{row.paper.variant}, " if row.paper.variant else ""
            paper = f"{row.paper.text} ({where}page {row.paper.page})"
            others = sorted({f"{v.variant} {v.text}" for v in row.paper_all if v.variant and v.variant != row.paper.variant})
            if others:
                paper += "; other variants: " + ", ".join(others[:6])
        code = _cell(row.code_text()) or row.note or "not in the code"
        out.append(f"| {row.label} | {_cell(paper)} | {code} | {row.status} |")
    return out + [""]


def _notation(guide: Guide) -> list[str]:
    out = ["## Notation", ""]
    if not guide.paper.has_text_layer:
        return out + [NO_TEXT.format(what="its notation"), ""]
    if not guide.notation:
        return out + ["No math symbols from the notation help were found in the paper's text.", ""]
    section = None
    for use in guide.notation:
        if use.section != section:
            section = use.section
            out.append(f"- {section or 'Before the first heading'}")
        pages = sorted({o.page for o in use.occurrences})
        out.append(f"  - {use.symbol.name}: {use.symbol.meaning} Code: `{use.symbol.code}` "
                   f"(page {', '.join(map(str, pages))})")
        for site in guide.code_sites.get(use.symbol.key, [])[:2]:
            out.append(f"    - in this repository: {site.file}:{site.line} `{site.code}`")
    return out + [""]


def render_markdown(guide: Guide) -> str:
    title = guide.paper.title or guide.paper.file
    lines = [f"# Reading guide: {title}", "", f"Paper: `{guide.paper.file}`  ", f"Repository: `{guide.repo.root}`", "",
             "## Workflow", ""]
    lines += [f"{s.number}. {s.title}" + (f" ({s.budget_minutes} min)" if s.budget_minutes else "") for s in STEPS]
    lines.append("")
    for part in (_sections, _figures, _layers, _flow, _mentions, _hyperparams, _notation):
        lines += part(guide)
    return "\n".join(lines).rstrip() + "\n"
