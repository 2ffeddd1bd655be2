"""Session: what one window has open, filled by the engines' results and read by every view."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reader_app.notes.ids import paper_id_for, repo_id_for
from reader_app.repo.paper_hint import apply_paper_hints
from reader_app.session.events import Event
from reader_app.session.navigation import Navigation
from reader_app.trace.shapes import layer_shape_text, model_shapes
from reader_app.workflow.architecture import ArchitectureMatch, find_architecture_figure
from reader_app.workflow.evidence import Requirements


@dataclass(frozen=True)
class OpenPaper:
    """The PDF on screen.

    Attributes:
        path: the file; password: the one that opened it (None when not encrypted);
        id: its notes id (a hash of its bytes: a renamed PDF keeps its notes).
    """

    path: Path
    password: str | None
    id: str


class Session:
    """The open paper and repository of one window, and the answers derived from them.

    Attributes:
        paper: OpenPaper, or None before a paper is open.
        analysis: the paper's analysis (reader_app.paper.Paper), None while it runs.
        architecture: the ArchitectureMatch for the paper's architecture figure, None without analysis.
        repo: the scanned repository (RepoInfo), or None; repo_json: the same scan as JSON (what the
            source worker child is given back); repo_id: its notes id.
        model, layers: the model class on screen and its layers (the main model once a repository opens).
        trace: the last TraceResult for the repository, or None.
        flow: the data flow of the main model's forward() (with shapes once traced), or None.
        insights: the paper-to-code connections (mentions, hyperparams, notation) as JSON data, or None.
        navigate: where the reader asked to go (reader_app.session.Navigation).

    Events (each emits the new value): paper_changed, analysis_changed, architecture_changed,
        repo_changed, model_changed, main_changed (the reader switched the main model), trace_changed,
        flow_changed, insights_changed.
    """

    def __init__(self):
        self.paper: OpenPaper | None = None
        self.analysis = None
        self.architecture: ArchitectureMatch | None = None
        self.repo = None
        self.repo_json: dict | None = None
        self.repo_id = ""
        self.model = None
        self.layers: list = []
        self.trace = None
        self.flow = None
        self.insights: dict | None = None
        self.navigate = Navigation()
        self._reader_chose_main = False
        for name in ("paper_changed", "analysis_changed", "architecture_changed", "repo_changed",
                     "model_changed", "main_changed", "trace_changed", "flow_changed", "insights_changed"):
            setattr(self, name, Event(name))

    # ----- what is open ------------------------------------------------------------------------------
    @property
    def paper_id(self) -> str:
        return self.paper.id if self.paper else ""

    @property
    def repo_root(self) -> Path | None:
        return Path(self.repo.root) if self.repo is not None else None

    def open_paper(self, path: Path, password: str | None = None) -> OpenPaper:
        """A new paper is on screen: its analysis, architecture figure and insights start over."""
        path = Path(path)
        self.paper = OpenPaper(path, password, paper_id_for(path))
        self.analysis, self.architecture, self.insights = None, None, None
        self.paper_changed.emit(self.paper)
        return self.paper

    def set_analysis(self, paper) -> None:
        self.analysis = paper
        self.analysis_changed.emit(paper)
        # picked from captions and places at once; the insights child refines it with the paper's text
        self._set_architecture(find_architecture_figure(paper) if paper is not None else None)
        self._rank_with_paper()

    def open_repo(self, info, repo_json: dict | None = None, flow=None) -> None:
        """A scanned repository is on screen, at its main model; the last trace no longer applies."""
        self.repo, self.repo_json = info, repo_json
        self.repo_id = repo_id_for(info.root)
        self.trace, self.flow, self.insights = None, flow, None
        self.model, self.layers = info.main, list(info.layers) if info.main else []
        self._reader_chose_main = False
        self.repo_changed.emit(info)
        self.model_changed.emit(self.model)
        if flow is not None:
            self.flow_changed.emit(flow)
        self._rank_with_paper()

    def _rank_with_paper(self) -> None:
        """With both open, the model the paper names (title, code link) counts in the ranking; the main
        model follows unless the reader picked one."""
        if self.analysis is None or self.repo is None or self._reader_chose_main:
            return
        best = apply_paper_hints(self.repo, getattr(self.analysis, "title", "") or "",
                                 list(getattr(self.analysis, "repo_urls", None) or []))
        if best is not None and best is not self.repo.main:
            self.choose_main(best, by_reader=False)

    def choose_main(self, model, by_reader: bool = True) -> None:
        """Another candidate becomes the main model (the reader's pick, or the paper's): layers, data flow,
        trace and the worker's copy of the scan all follow it (the last trace and flow were of the other)."""
        info = self.repo
        if info is None or model is None or model is info.main:
            return
        self._reader_chose_main = self._reader_chose_main or by_reader
        for candidate in info.models:
            candidate.main = candidate is model
        info.main, info.layers = model, list(info.layers_of(model))
        if self.repo_json is not None:
            for entry in self.repo_json.get("models", []):
                entry["main"] = entry["file"] == model.file and entry["name"] == model.name
            self.repo_json["main"] = model.to_json()
            self.repo_json["layers"] = [layer.to_json() for layer in info.layers]
        self.trace, self.flow = None, None
        self.model, self.layers = model, list(info.layers)
        self.main_changed.emit(model)
        self.model_changed.emit(model)
        self.trace_changed.emit(None)

    def show_model(self, model, layers: list) -> None:
        self.model, self.layers = model, list(layers)
        self.model_changed.emit(model)

    def set_trace(self, result) -> None:
        self.trace = result
        self.trace_changed.emit(result)

    def set_flow(self, flow) -> None:
        self.flow = flow
        self.flow_changed.emit(flow)

    def set_insights(self, data: dict | None) -> None:
        """The insights child's answer; its architecture pick (made with the paper's text, the same one
        its passage suggestions used) replaces the quick one."""
        self.insights = data
        self.insights_changed.emit(data)
        label = (data or {}).get("architecture", {}).get("label") if data else None
        if data and "architecture" in data and self.analysis is not None:
            figure = next((f for f in self.analysis.figures if f.label == label), None)
            self._set_architecture(ArchitectureMatch(figure, data["architecture"].get("reason", "")))

    def _set_architecture(self, match: ArchitectureMatch | None) -> None:
        before = self.architecture.figure.label if self.architecture and self.architecture.figure else None
        self.architecture = match
        after = match.figure.label if match and match.figure else None
        if before != after or match is None:
            self.architecture_changed.emit(match)

    # ----- answers ---------------------------------------------------------------------------------
    @property
    def model_name(self) -> str:
        return self.model.name if self.model is not None else ""

    def layer_shapes(self, layer_name: str) -> str:
        """The traced shapes of a layer of the model on screen, "" when unknown."""
        return layer_shape_text(self.trace, self.model_name, layer_name)

    def shapes_of_model(self) -> dict[str, str]:
        """{layer: shapes} of the model on screen: what the Layers panel shows and the notes keep."""
        return model_shapes(self.trace, self.model_name, [layer.name for layer in self.layers])

    def traced_lines(self, file: str) -> dict[int, str]:
        """{line: hint} of traced shapes for a repository file (relative path)."""
        if self.trace is None:
            return {}
        return {line: shapes.hint() for line, shapes in self.trace.lines_for(file).items()}

    def relative(self, path: Path | None) -> str | None:
        """A path inside the open repository, relative to its root (None outside it)."""
        root = self.repo_root
        if path is None or root is None or not Path(path).is_relative_to(root):
            return None
        return Path(path).relative_to(root).as_posix()

    def requirements(self) -> Requirements:
        """What the checklist's evidence rules need to know about the open pair."""
        needs = Requirements()
        paper = self.analysis
        if paper is not None:
            needs.figures = [figure.label for figure in paper.figures]
            figure = self.architecture.figure if self.architecture else None
            needs.architecture_figure = figure.label if figure else ""
            needs.has_method = any(s.tag == "method" or "method" in s.also for s in paper.sections)
        info = self.repo
        if info is not None and info.main is not None:
            needs.model_file = info.main.file
            needs.layers = [layer.name for layer in info.layers]
            needs.forward_end_line = info.main.forward_end_line or 0
        return needs
