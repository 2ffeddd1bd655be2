"""The reading workflow of DESIGN.md (no Qt): its steps, the evidence that ticks them, and the engines
that connect the paper to the code (architecture figure, layer mentions, hyperparameter check,
forward() data flow, notation help, the Markdown reading guide)."""
from reader_app.lazy import lazy_exports

_EXPORTS = {
    "ArchitectureMatch": "reader_app.workflow.architecture",
    "find_architecture_figure": "reader_app.workflow.architecture",
    "DataFlow": "reader_app.workflow.dataflow",
    "FlowNode": "reader_app.workflow.dataflow",
    "build_dataflow": "reader_app.workflow.dataflow",
    "render_text": "reader_app.workflow.dataflow",
    "Evidence": "reader_app.workflow.evidence",
    "Requirements": "reader_app.workflow.evidence",
    "StepTime": "reader_app.workflow.evidence",
    "requirements_for": "reader_app.workflow.evidence",
    "HyperparamRow": "reader_app.workflow.hyperparams",
    "check_hyperparams": "reader_app.workflow.hyperparams",
    "LayerMentions": "reader_app.workflow.mentions",
    "Mention": "reader_app.workflow.mentions",
    "mentions_for": "reader_app.workflow.mentions",
    "suggest_mentions": "reader_app.workflow.mentions",
    "SYMBOLS": "reader_app.workflow.notation",
    "SymbolUse": "reader_app.workflow.notation",
    "find_notation": "reader_app.workflow.notation",
    "symbol_at": "reader_app.workflow.notation",
    "CodeSite": "reader_app.workflow.notation_code",
    "code_sites": "reader_app.workflow.notation_code",
    "Passage": "reader_app.workflow.paper_text",
    "PaperText": "reader_app.workflow.paper_text",
    "read_paper_text": "reader_app.workflow.paper_text",
    "STEPS": "reader_app.workflow.steps",
    "Step": "reader_app.workflow.steps",
    "step_by_id": "reader_app.workflow.steps",
}

__all__ = ['STEPS', 'Step', 'step_by_id', 'Evidence', 'Requirements', 'StepTime', 'read_paper_text', 'PaperText', 'Passage', 'find_architecture_figure', 'ArchitectureMatch', 'suggest_mentions', 'mentions_for', 'LayerMentions', 'Mention', 'check_hyperparams', 'HyperparamRow', 'build_dataflow', 'render_text', 'DataFlow', 'FlowNode', 'find_notation', 'symbol_at', 'SymbolUse', 'SYMBOLS',
           'requirements_for', 'code_sites', 'CodeSite']


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
