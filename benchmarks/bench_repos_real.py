"""Real repositories: does the reader land on the right main model, and does the zero-config trace give
the layer shapes the repository's own model has?

Truth: benchmarks/truth/repos_real.json (hand-written; every layer shape verified by building the model
with torch). Repositories: ../shared/repos (public, nine) and the project's own fixtures, plus the
ranking fixtures tests/ranking_repos.py generates (one per kind of ranking difficulty).

    python benchmarks/bench_repos_real.py              # rank and trace
    python benchmarks/bench_repos_real.py --only rank  # the ranking only (seconds)
    python benchmarks/bench_repos_real.py --json       # the same as JSON
    python benchmarks/bench_repos_real.py --truth FILE --root DIR   # another set (e.g. held-out repositories)

Rank uses the engine `reader-app repo` uses (scan_repo); trace runs `reader-app trace --json --no-lines`
on the repository folder with no option at all, as a new user would: zero-config includes the app's shared
model-libraries folder that `make install` fills (<venv>/model-libraries, or READER_APP_MODEL_LIBRARIES;
the bench prints which). `--site DIR` adds a folder as a repository's own environment would. Prints every
miss with its reason.
Exit 1 when a goal of issue 11 is missed (main model right >= 95% over all, trace right >= 90% over the
public repositories), 0 otherwise; exit 0 with a note when ../shared/repos is absent.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("READER_APP_HOME", tempfile.mkdtemp())

from reader_app.repo import scan_repo  # noqa: E402
from reader_app.trace import libraries  # noqa: E402

TRUTH = ROOT / "benchmarks" / "truth" / "repos_real.json"
SHARED = ROOT.parent / "shared" / "repos"
if not SHARED.is_dir():  # a worktree sits beside main, not beside shared
    SHARED = Path("/work/shared/repos")
FIXTURES = ROOT / "tests" / "fixtures" / "repos"
RANK_GOAL, TRACE_GOAL = 0.95, 0.90


def rank_one(root: Path, file: str, cls: str) -> dict:
    """The app's pick for `root` against the truth, with the reason for a miss."""
    try:
        info = scan_repo(root)
    except Exception as exc:  # noqa: BLE001 - a crash is a miss with its reason, not the end of the bench
        return {"right": False, "pick": None, "reason": f"scan failed: {exc}"}
    main = info.main
    pick = f"{main.file}:{main.name}" if main else None
    right = main is not None and main.file == file and main.name == cls
    out = {"right": right, "pick": pick}
    if not right:
        truth = next((m for m in info.models if m.file == file and m.name == cls), None)
        if truth is None:
            out["reason"] = f"{file}:{cls} is not among the {len(info.models)} model classes found"
        else:
            place = info.models.index(truth) + 1
            out["reason"] = (f"picked {pick} ({main.score:.1f}: {'; '.join(main.reasons[:4])}) over the truth, "
                             f"ranked #{place} ({truth.score:.1f}: {'; '.join(truth.reasons[:4])})")
    elif len(info.models) > 1:
        runner = info.models[1]
        out["runner_up"] = f"{runner.file}:{runner.name} ({runner.score:.1f} vs {main.score:.1f})"
    return out


def _bind(expected, got, names: dict) -> str | None:
    """None when shape `got` matches `expected` (strings are free dims bound in `names`), else why not."""
    if not isinstance(got, list) or len(got) != len(expected):
        return f"{got} where {expected} was expected"
    for want, have in zip(expected, got):
        if isinstance(want, str):
            if names.setdefault(want, have) != have:
                return f"{got} where {expected} was expected ({want} was {names[want]} elsewhere)"
        elif want != have:
            return f"{got} where {expected} was expected"
    return None


def trace_one(root: Path, entry: dict, timeout: float, site: list[str] = ()) -> dict:
    """Zero-config `reader-app trace --json` of the repository, checked against the truth's layer shapes."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), *site]))
    cmd = [sys.executable, "-m", "reader_app", "trace", "--json", "--no-lines", "--timeout", str(timeout), str(root)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 60, env=env, cwd=str(ROOT))
    except subprocess.TimeoutExpired:
        return {"right": False, "reason": f"the trace command did not return within {timeout + 60:.0f} s"}
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        return {"right": False, "reason": (proc.stderr.strip().splitlines() or ["no output"])[-1]}
    traced = f"{data.get('file')}:{data.get('class')}"
    out = {"traced": traced}
    if data.get("error"):
        err = data["error"]
        where = f" ({err.get('file')}:{err.get('line')})" if err.get("file") else ""
        out.update(right=False, reason=f"traced {traced}: {err.get('message')}{where}")
        return out
    first = {}
    for layer in data.get("layers", []):
        if layer.get("calls") and layer["name"] not in first:
            outs = layer["calls"][0].get("out") or [None]
            first[layer["name"]] = outs[0]
    names: dict = {}
    problems = []
    for name, expected in entry["layers"].items():
        if name not in first:
            problems.append(f"no call of layer '{name}'")
            continue
        why = _bind(expected, first[name], names)
        if why:
            problems.append(f"'{name}' gave {why}")
    out["right"] = not problems
    if problems:
        out["reason"] = f"traced {traced} with args {_short(data.get('args'))}: " + "; ".join(problems)
    return out


def _short(value, limit: int = 160) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= limit else text[:limit] + "..."


def generated_fixtures() -> list[tuple[str, Path, str, str]]:
    """(name, root, file, class) for the ranking fixtures the tests generate, written to a temp folder."""
    try:
        sys.path.insert(0, str(ROOT / "tests"))
        import ranking_repos  # noqa: PLC0415 - tests/ is not a package
    except ImportError:
        return []
    base = Path(tempfile.mkdtemp(prefix="ranking_repos_"))
    return [(name, root, file, cls) for name, (root, file, cls) in ranking_repos.write_all(base).items()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["rank", "trace"], help="measure one of the two")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per trace")
    parser.add_argument("--jobs", type=int, default=2, help="traces at once")
    parser.add_argument("--truth", type=Path, default=TRUTH, help="truth file of the same format (default: %(default)s)")
    parser.add_argument("--root", type=Path, default=SHARED, help="folder holding the truth's repositories (default: %(default)s)")
    parser.add_argument("--site", action="append", default=[], metavar="DIR",
                        help="extra folder of installed packages the traces see, as a repository's environment "
                             "would (e.g. `pip install --no-deps --target DIR timm`); repeatable")
    args = parser.parse_args(argv)
    truth = json.loads(args.truth.read_text())
    if not args.root.is_dir():
        print(f"{args.root} is absent: nothing to measure on public repositories.")
        return 0
    public = [(e["repo"], args.root / e["repo"], e) for e in truth["repos"]]
    fixtures = [(f"fixture {e['repo']}", FIXTURES / e["repo"], e["file"], e["class"]) for e in truth["fixtures"]]
    if args.truth == TRUTH:  # the project's generated ranking fixtures belong to the default set only
        fixtures += [(f"generated {n}", root, file, cls) for n, root, file, cls in generated_fixtures()]
    report: dict = {"rank": {}, "trace": {}, "model_libraries": libraries.folder()}
    if args.only != "trace":
        for name, root, entry in public:
            report["rank"][name] = dict(rank_one(root, entry["file"], entry["class"]), public=True)
        for name, root, file, cls in fixtures:
            report["rank"][name] = dict(rank_one(root, file, cls), public=False)
    if args.only != "rank":
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = {name: pool.submit(trace_one, root, entry, args.timeout, args.site) for name, root, entry in public}
            report["trace"] = {name: f.result() for name, f in futures.items()}
    return _print(report, truth, args.json)


def _ratio(rows: list[dict]) -> tuple[int, int]:
    return sum(1 for r in rows if r["right"]), len(rows)


def _print(report: dict, truth: dict, as_json: bool) -> int:
    ok = True
    summary = {}
    if report["rank"]:
        pub = _ratio([r for r in report["rank"].values() if r["public"]])
        every = _ratio(list(report["rank"].values()))
        summary["rank_public"], summary["rank_all"] = pub, every
        ok &= every[0] >= RANK_GOAL * every[1] and pub[0] >= RANK_GOAL * pub[1]
    if report["trace"]:
        tr = _ratio(list(report["trace"].values()))
        summary["trace_public"] = tr
        ok &= tr[0] >= TRACE_GOAL * tr[1]
    if as_json:
        print(json.dumps({"summary": summary, **report}, indent=1))
        return 0 if ok else 1
    if report["rank"]:
        print("main model (file and class):")
        for name, row in report["rank"].items():
            mark = "ok  " if row["right"] else "MISS"
            extra = row.get("reason") or (f"runner-up {row['runner_up']}" if row.get("runner_up") else "")
            print(f"  {mark} {name:38s} {row['pick']}  {extra}")
    if report["trace"]:
        print("zero-config trace (runs, checked layers have the verified shapes):")
        for name, row in report["trace"].items():
            mark = "ok  " if row["right"] else "MISS"
            print(f"  {mark} {name:38s} {row.get('traced', '')}  {row.get('reason', '')}")
    if report["trace"]:
        shared = report["model_libraries"] or "none (make install puts them in <venv>/model-libraries)"
        print(f"model libraries: {shared}")
    for key, (right, total) in summary.items():
        goal = TRACE_GOAL if key.startswith("trace") else RANK_GOAL
        print(f"{key:13s} {right}/{total} = {100 * right / max(total, 1):.0f}%  (goal >= {goal:.0%})")
    print("goals met" if ok else "goals missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
