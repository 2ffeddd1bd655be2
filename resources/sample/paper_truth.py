"""Ground truth of the sample paper, in the format of ../shared/eval/FORMAT.md.

Written by the generator from where the layout actually put each heading and caption, so it cannot
drift from the PDF. Paper engines can score themselves against it like against the shared papers.
"""
from __future__ import annotations

import re

# Tag of each top-level section title (DESIGN.md's paper anatomy); sections after References are appendix.
SECTION_TAGS = {
    "Abstract": "abstract",
    "Introduction": "introduction",
    "Related Work": "related_work",
    "Method": "method",
    "Experiments": "experiments",
    "Results": "results",
    "Conclusion": "conclusion",
    "References": "references",
}

# Placeholder id -> (printed label, kind); every float of the paper has one.
FLOAT_LABELS = {
    "figure1": ("Figure 1", "figure"),
    "figure2": ("Figure 2", "figure"),
    "figure3": ("Figure 3", "figure"),
    "table1": ("Table 1", "table"),
    "table2": ("Table 2", "table"),
    "table3": ("Table 3", "table"),
    "table4": ("Table 4", "table"),
}

NUMBERED = re.compile(r"^(\d+|[A-Z])\s+(.+)$")


def truth_record(file_name: str, page_count: int, headings: list[tuple[int, int, str]],
                 slots: dict[str, tuple[int, object]]) -> dict:
    """The truth JSON: headings are (zero-based page, level, text); slots map float ids to (page, rect)."""
    sections = []
    after_references = False
    for page_no, level, heading in headings:
        if level != 1:
            continue  # subsections are not part of the truth format
        match = NUMBERED.match(heading)
        number, title = (match.group(1), match.group(2)) if match else ("", heading)
        tag = "appendix" if after_references else SECTION_TAGS.get(title, "other")
        after_references = after_references or tag == "references"
        sections.append({"title": title, "number": number, "page": page_no + 1, "tag": tag})
    floats = sorted(slots.items(), key=lambda item: (item[1][0], FLOAT_LABELS[item[0]][0]))
    figures = [{"label": FLOAT_LABELS[slot_id][0], "kind": FLOAT_LABELS[slot_id][1], "page": page_no + 1}
               for slot_id, (page_no, _) in floats]
    return {"file": file_name, "pages": page_count, "sections": sections, "figures": figures}
