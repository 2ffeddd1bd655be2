"""The reading guide for a paper and its repository, as Markdown: every workflow engine in one place.

Each part works with what there is and says plainly what is missing (no Method section, no
figures, no model, a trace that failed).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reader_app.paper import Paper, analyze_paper
from reader_app.repo import RepoInfo, scan_repo
from reader_app.workflow.architecture import ArchitectureMatch, find_architecture_figure
from reader_app.workflow.dataflow import DataFlow, build_dataflow
from reader_app.workflow.hyperparams import HyperparamRow, check_hyperparams
from reader_app.workflow.mentions import LayerMentions, suggest_mentions
from reader_app.workflow.notation import SymbolUse, find_notation
from reader_app.workflow.notation_code import CodeSite, code_sites
from reader_app.workflow.paper_text import PaperText, read_paper_text


@dataclass
class Guide:
    """Everything the reading guide shows.

    Attributes:
        paper, text: the analysed paper and its placed text.
        repo: the scanned repository.
        trace: the TraceResult, or None when no trace ran.
        trace_note: why there are no shapes, "" when the trace worked.
        architecture, flow, mentions, hyperparams, notation: the engines' results.
        code_sites: symbol key -> the repository lines computing it.
    """

    paper: Paper
    text: PaperText
    repo: RepoInfo
    trace: object | None
    trace_note: str
    architecture: ArchitectureMatch
    flow: DataFlow
    mentions: list[LayerMentions] = field(default_factory=list)
    hyperparams: list[HyperparamRow] = field(default_factory=list)
    notation: list[SymbolUse] = field(default_factory=list)
    code_sites: dict[str, list[CodeSite]] = field(default_factory=dict)


def run_model_trace(repo: RepoInfo, timeout: float = 60.0):
    """(TraceResult or None, sentence saying why there are no shapes or "")."""
    if repo.main is None:
        return None, "No trace: the repository has no model class."
    try:
        from reader_app.trace import TraceRequest, run_trace
    except ImportError:
        return None, "No trace: the tracing engine is not installed with this app."
    # A notebook's model is traced from the notebook itself; a .py model from the repository folder, so
    # that the trace's file names are relative to the same root as the scan's.
    # The scan's own file and class: a lookup by name could pick a same-named class elsewhere (conftest.py).
    notebook = repo.main.file.endswith(".ipynb")
    target = repo.root / repo.main.file if notebook else repo.root
    result = run_trace(TraceRequest(path=str(target), class_name=repo.main.name,
                                    file=None if notebook else repo.main.file, timeout=timeout))
    if result.error is not None:
        return result, f"The trace of {repo.main.name} failed: {result.error.message}"
    return result, ""


def build_guide(paper_path: str | Path, repo_path: str | Path, trace: bool = False) -> Guide:
    """Analyse both sides; raises PaperOpenError / RepoError for input that cannot be read at all."""
    paper = analyze_paper(paper_path)
    text = read_paper_text(paper_path, paper)
    repo = scan_repo(repo_path)
    result, note = run_model_trace(repo) if trace else (None, "No trace: the model's code was not run (add --trace to run it in a sandbox).")
    flow = build_dataflow(repo, result)
    return Guide(paper, text, repo, result, note, find_architecture_figure(paper, text), flow,
                 suggest_mentions(repo, text, trace=result), check_hyperparams(text, repo),
                 find_notation(text, paper_path), code_sites(repo, flow))
