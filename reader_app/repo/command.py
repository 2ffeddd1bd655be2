"""`reader-app repo PATH_OR_URL [--json]`: the repository engine from the command line."""
from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

from reader_app.cli_errors import fail as _fail
from reader_app.repo.candidates import candidates, describe_choice, member_names
from reader_app.repo.clone import CloneError, clone_repo, is_repo_url
from reader_app.repo.records import RepoInfo
from reader_app.repo.scan import RepoError, scan_repo


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "repo", help="map a repository: file roles, the main model, its layers and code patterns",
        description="Read a repository folder (or clone a URL into the cache) and find its main model. "
                    "The code is read, never run.")
    p.add_argument("target", metavar="PATH_OR_URL", help="a repository folder, or a git URL to clone")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--full-clone", action="store_true", help="clone the whole history instead of the last commit")
    p.set_defaults(func=run)



def _progress_printer():
    """Clone progress on stderr, one line per phase change or 10 % step, only for a person watching."""
    state = {"phase": None, "step": -1}
    interactive = sys.stderr.isatty()

    def report(percent: float, phase: str) -> None:
        step = int(percent // 10)
        if interactive and (phase != state["phase"] or step != state["step"]):
            state["phase"], state["step"] = phase, step
            print(f"cloning: {percent:5.1f}% {phase}", file=sys.stderr)
    return report


def summary(info: RepoInfo) -> str:
    """The readable form of a scan: anatomy counts, models, the main model's layers, patterns, problems."""
    out = [f"Repository: {info.root}"]
    counts: dict[str, int] = {}
    for role in info.roles:
        counts[role.role] = counts.get(role.role, 0) + 1
    out.append("Files: " + (", ".join(f"{n} {role}" for role, n in sorted(counts.items())) or "none"))
    if info.main is not None:
        m = info.main
        made_by = "a function returning the model, " if m.kind == "function" else ""
        out.append(f"Main model: {m.name} ({made_by}{m.file}, line {m.line})")
        out.extend(f"  {line}" for line in describe_choice(info))
        if m.forward_line:
            out.append(f"  forward(): lines {m.forward_line}-{m.forward_end_line}")
        others = [c.label + (f" ({member_names(c)})" if c.group else "") for c in candidates(info)[1:8]]
        if others:
            out.append("Other candidates: " + ", ".join(others) + (" ..." if len(info.models) > 8 else ""))
        out.append(f"Layers of {m.name}:")
        for layer in info.layers:
            uses = "used at " + (", ".join(str(n) for n in layer.uses) or "not used in forward()") \
                if m.kind == "class" else "called in the container's order"
            out.append(f"  {layer.name:<20} {layer.type:<22} line {layer.line:<5} {uses}")
            for child in layer.children:
                out.append(f"    {child.name:<18} {child.type}")
    else:
        out.append("Main model: none found")
    if info.patterns:
        out.append("Patterns:")
        for p in info.patterns[:40]:
            out.append(f"  {p.kind:<28} {p.file}:{p.line}")
        if len(info.patterns) > 40:
            out.append(f"  ... and {len(info.patterns) - 40} more (see --json)")
    if info.problems:
        out.append("Problems:")
        out.extend(f"  {problem}" for problem in info.problems)
    return "\n".join(out)


def run(args) -> int:
    target = args.target
    if ("://" in target or is_repo_url(target)) and not Path(target).exists():
        cancel = threading.Event()
        try:
            folder = clone_repo(target, shallow=not args.full_clone, progress=_progress_printer(), cancel=cancel)
        except CloneError as err:
            return _fail(str(err))
        except KeyboardInterrupt:
            cancel.set()
            return _fail("the clone was cancelled.")
    else:
        folder = Path(target)
    try:
        info = scan_repo(folder)
    except RepoError as err:
        return _fail(str(err))
    try:
        print(json.dumps(info.to_json(), indent=2) if args.json else summary(info))
        sys.stdout.flush()
    except BrokenPipeError:  # `reader-app repo . --json | head`: the reader stopped listening
        sys.stdout = open(os.devnull, "w")
    return 0
