"""The reading workflow of DESIGN.md (no Qt): its steps, the evidence that ticks them, and the engines
that connect the paper to the code (architecture figure, layer mentions, hyperparameter check,
forward() data flow, notation help, the Markdown reading guide)."""
from reader_app.workflow.architecture import ArchitectureMatch, find_architecture_figure
from reader_app.workflow.dataflow import DataFlow, FlowNode, build_dataflow, render_text
from reader_app.workflow.evidence import Evidence, Requirements, StepTime
from reader_app.workflow.hyperparams import HyperparamRow, check_hyperparams
from reader_app.workflow.mentions import LayerMentions, Mention, mentions_for, suggest_mentions
from reader_app.workflow.notation import SYMBOLS, SymbolUse, find_notation, symbol_at
from reader_app.workflow.paper_text import Passage, PaperText, read_paper_text
from reader_app.workflow.steps import STEPS, Step, step_by_id

__all__ = [
    "STEPS", "Step", "step_by_id", "Evidence", "Requirements", "StepTime",
    "read_paper_text", "PaperText", "Passage", "find_architecture_figure", "ArchitectureMatch",
    "suggest_mentions", "mentions_for", "LayerMentions", "Mention", "check_hyperparams", "HyperparamRow",
    "build_dataflow", "render_text", "DataFlow", "FlowNode", "find_notation", "symbol_at", "SymbolUse", "SYMBOLS",
]
