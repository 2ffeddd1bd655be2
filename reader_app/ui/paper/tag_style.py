"""One colour and one label per section tag, used by the outline, the page bands and the exports' UI."""
from __future__ import annotations

from PySide6.QtGui import QColor

TAG_COLOURS = {
    "abstract": "#0969da",
    "introduction": "#1f883d",
    "related_work": "#8c959f",
    "method": "#8250df",
    "experiments": "#bf8700",
    "results": "#cf222e",
    "conclusion": "#0a7c86",
    "references": "#57606a",
    "appendix": "#9a6700",
    "other": "#afb8c1",
}

TAG_LABELS = {
    "abstract": "Abstract", "introduction": "Introduction", "related_work": "Related work", "method": "Method",
    "experiments": "Experiments", "results": "Results", "conclusion": "Conclusion", "references": "References",
    "appendix": "Appendix", "other": "Other",
}


def tag_colour(tag: str) -> QColor:
    return QColor(TAG_COLOURS.get(tag, TAG_COLOURS["other"]))


def tag_chip_html(tag: str) -> str:
    colour = TAG_COLOURS.get(tag, TAG_COLOURS["other"])
    return (f"<span style='background:{colour}; color:white; border-radius:3px; padding:0 4px;'>"
            f"&nbsp;{TAG_LABELS.get(tag, tag)}&nbsp;</span>")
