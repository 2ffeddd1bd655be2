"""Child process computing what connects a paper to its code, for the window: layer-to-paper mention
suggestions, the hyperparameter check and the notation found. It reads the PDF with MuPDF (which
holds the GIL) and the repository's source (never running it).

Reads {"pdf", "password", "paper": Paper JSON, "repo": folder or null} on stdin; writes one JSON line:
{"mentions": [...], "hyperparams": [...], "notation": [...]} or {"error": "one sentence"}.
"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict

from reader_app.child_process import skip_mupdf_layout

skip_mupdf_layout()  # before PyMuPDF loads
from reader_app.paper.analysis_client import paper_from_json
from reader_app.paper.document import PaperOpenError, open_pdf
from reader_app.repo import RepoError, scan_repo
from reader_app.workflow.hyperparams import check_hyperparams
from reader_app.workflow.mentions import suggest_mentions
from reader_app.workflow.notation import find_notation
from reader_app.workflow.paper_text import read_paper_text


def insights(request: dict) -> dict:
    paper = paper_from_json(request["paper"])
    doc = open_pdf(request["pdf"], request.get("password"))
    try:
        text = read_paper_text(doc, paper)
        notation = find_notation(text, doc)
    finally:
        doc.close()
    repo = None
    problems = []
    if request.get("repo"):
        try:
            repo = scan_repo(request["repo"])
        except RepoError as error:
            problems.append(str(error))
    return {
        "mentions": [asdict(entry) for entry in suggest_mentions(repo, text)] if repo and repo.main else [],
        "hyperparams": [asdict(row) for row in check_hyperparams(text, repo)],
        "notation": [asdict(use) for use in notation],
        "problems": problems,
    }


def main() -> int:
    request = json.loads(sys.stdin.readline())
    try:
        answer = insights(request)
    except PaperOpenError as error:
        answer = {"error": error.message}
    except Exception as error:  # say what broke rather than die silently
        answer = {"error": f"The paper could not be connected to its code ({type(error).__name__}: {error})."}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
    return 0 if "error" not in answer else 1


if __name__ == "__main__":
    raise SystemExit(main())
