"""The child process that reads the repository's Python source for the window, and connects it to the
paper. The window never parses Python itself (CPython 3.11 shares the AST builder's state between
threads, so a parse on a worker thread can break one on the main thread): every syntax tree is built
here and only plain JSON goes back.

Reads one JSON request on stdin and writes one JSON line on stdout, `{"error": "one sentence"}` when it
cannot answer. Requests, by "op":
- "scan": {"root"} -> {"repo": RepoInfo JSON with every model's layers, "flow": the main model's data flow,
  "repo_id": its notes id (origin@commit, or the folder)}
- "dataflow": {"repo": RepoInfo JSON, "model": {"file", "name"} or null (the main model), "trace":
  TraceResult JSON or null} -> {"flow": DataFlow JSON}
- "insights": {"pdf", "password", "paper": Paper JSON, "repo": RepoInfo JSON or null} ->
  {"architecture": {"label", "reason"}, "mentions", "hyperparams", "notation", "problems"}: the
  architecture figure is picked with the paper's text, and the passage suggestions use that pick
"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict

from reader_app.child_process import skip_mupdf_layout

skip_mupdf_layout()  # before PyMuPDF loads
from reader_app.repo import RepoError, RepoInfo, scan_repo
from reader_app.repo.identity import repo_identity
from reader_app.workflow.dataflow import build_dataflow


def scan(request: dict) -> dict:
    info = scan_repo(request["root"])
    return {"repo": info.to_json(with_layer_table=True), "flow": build_dataflow(info).to_json(),
            "repo_id": repo_identity(request["root"])}


def dataflow(request: dict) -> dict:
    from reader_app.trace.result import TraceResult

    info = RepoInfo.from_json(request["repo"])
    wanted = request.get("model")
    model = info.model_named(wanted["name"], wanted["file"]) if wanted else info.main
    trace = TraceResult.from_json(request["trace"]) if request.get("trace") else None
    return {"flow": build_dataflow(info, trace, model).to_json()}


def insights(request: dict) -> dict:
    from reader_app.paper.analysis_client import paper_from_json
    from reader_app.paper.document import PaperOpenError, open_pdf
    from reader_app.workflow.architecture import find_architecture_figure
    from reader_app.workflow.hyperparams import check_hyperparams
    from reader_app.workflow.mentions import suggest_mentions
    from reader_app.workflow.notation import find_notation
    from reader_app.workflow.paper_text import read_paper_text

    paper = paper_from_json(request["paper"])
    try:
        doc = open_pdf(request["pdf"], request.get("password"))
    except PaperOpenError as error:
        return {"error": error.message}
    try:
        text = read_paper_text(doc, paper)
        notation = find_notation(text, doc)
    finally:
        doc.close()
    repo = RepoInfo.from_json(request["repo"]) if request.get("repo") else None
    architecture = find_architecture_figure(paper, text)
    label = architecture.figure.label if architecture.figure else ""
    return {
        "architecture": {"label": label, "reason": architecture.reason},
        "mentions": [asdict(entry) for entry in suggest_mentions(repo, text, figure=label)]
        if repo and repo.main else [],
        "hyperparams": [asdict(row) for row in check_hyperparams(text, repo)],
        "notation": [asdict(use) for use in notation],
        "problems": [],
    }


# op -> (what answers it, what the reader is told when it breaks)
OPS = {"scan": (scan, "The repository could not be read"),
       "dataflow": (dataflow, "The data flow of forward() could not be read"),
       "insights": (insights, "The paper could not be connected to its code")}


def answer(request: dict) -> dict:
    op, failure = OPS.get(request.get("op"), (None, ""))
    if op is None:
        return {"error": f"Unknown request {request.get('op')!r}."}
    try:
        return op(request)
    except RepoError as error:
        return {"error": str(error)}
    except Exception as error:  # say what broke rather than die silently
        return {"error": f"{failure} ({type(error).__name__}: {error})."}


def main() -> int:
    reply = answer(json.loads(sys.stdin.readline()))
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
    return 0 if "error" not in reply else 1


if __name__ == "__main__":
    raise SystemExit(main())
