"""The reading guide as data (`reader-app report --json`): the same parts as the Markdown guide.

Schema (README, "report --json"): paper, repository, sections, figures, architecture_figure,
main_model, layers, code_variant, hyperparameters (rows with key, label, paper [{value, text, page,
variant, source}], code [{value, text, file, line, where}], check, note).
"""
from __future__ import annotations

import json

from reader_app.workflow.model_tree import model_layers, traced_name
from reader_app.workflow.report import Guide
from reader_app.workflow.variants import code_variant_of


def _shape(guide: Guide, name: str) -> list[str] | None:
    layer = guide.trace.layer(traced_name(name)) if guide.trace is not None else None
    if layer is not None and layer.calls and layer.calls[0].out_dims:
        return list(layer.calls[0].out_dims[0])
    return None


def guide_data(guide: Guide) -> dict:
    """The guide as plain JSON-ready data."""
    chosen = guide.architecture.figure
    main = guide.repo.main
    return {
        "paper": {"file": guide.paper.file, "title": guide.paper.title},
        "repository": str(guide.repo.root),
        "sections": [{"number": s.number, "title": s.title, "page": s.page, "level": s.level, "tag": s.tag}
                     for s in guide.paper.sections],
        "figures": [{"label": f.label, "page": f.page, "caption": f.caption,
                     "architecture": chosen is not None and f.label == chosen.label} for f in guide.paper.figures],
        "architecture_figure": {"label": chosen.label if chosen is not None else None,
                                "reason": guide.architecture.reason},
        "main_model": None if main is None else {"file": main.file, "class": main.name, "line": main.line,
                                                 "reasons": list(main.reasons)},
        "trace_note": guide.trace_note,
        "layers": [{"name": item.name, "type": item.type, "file": item.file, "line": item.layer.line,
                    "shape": _shape(guide, item.name)} for item in model_layers(guide.repo)],
        "code_variant": code_variant_of(guide.hyperparams),
        "hyperparameters": [{
            "key": row.key, "label": row.label,
            "paper": [{"value": v.value, "text": v.text, "page": v.page, "variant": v.variant, "source": v.source}
                      for v in ([row.paper] if row.paper else []) + [v for v in row.paper_all if v is not row.paper]],
            "code": [{"value": c.value, "text": c.value_text, "file": c.file, "line": c.line, "where": c.where}
                     for c in row.code],
            "check": row.status, "note": row.note,
        } for row in guide.hyperparams],
    }


def render_json(guide: Guide) -> str:
    return json.dumps(guide_data(guide), indent=2, ensure_ascii=False) + "\n"
