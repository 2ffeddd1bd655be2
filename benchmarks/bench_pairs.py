"""Paper and code connected on the real pairs in ../shared: the four figures of issue 12.

For each pair in benchmarks/truth/pairs.json (made by hand from the rendered pages and the code):
  main model   the guide lands on the class that implements the paper (file and class);
  paper values every value reported for a parameter is one the paper states for it;
  tabulated    every architecture value a table prints (by variant) is found, with its variant;
  code values  every code value shown comes from the main model's build path (and says the right number).
Prints each figure against its goal and exits 1 on a miss; skips (exit 0) when ../shared is absent.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("READER_APP_HOME", tempfile.mkdtemp())

from reader_app.paper import analyze_paper  # noqa: E402
from reader_app.repo import scan_repo  # noqa: E402
from reader_app.workflow.hyperparams import check_hyperparams, same  # noqa: E402
from reader_app.workflow.paper_text import read_paper_text  # noqa: E402

SHARED = ROOT.parent.parent / "shared" if (ROOT.parent.parent / "shared").is_dir() else ROOT.parent / "shared"
TRUTH = Path(__file__).resolve().parent / "truth" / "pairs.json"
GOALS = {"main model": 1.0, "paper values": 0.95, "tabulated": 0.90, "code values": 0.95}


def _in(value: float, allowed: list) -> bool:
    return any(same(value, float(a)) for a in allowed)


def measure(pair: dict, verbose: bool) -> dict[str, tuple[int, int]]:
    paper_path = SHARED / "papers" / pair["paper"]
    repo = scan_repo(SHARED / "repos" / pair["repo"])
    text = read_paper_text(paper_path, analyze_paper(paper_path))
    rows = check_hyperparams(text, repo)
    main = repo.main
    want = pair["main_model"]
    main_ok = int(main is not None and main.file == want["file"] and main.name == want["class"])
    if verbose and not main_ok:
        print(f"    main model: got {main and (main.file, main.name)}, want {want}")

    paper_ok = paper_all = 0
    for row in rows:
        for v in row.paper_all:
            paper_all += 1
            if _in(v.value, pair["paper_values"].get(row.key, [])):
                paper_ok += 1
            elif verbose:
                print(f"    paper value not stated: {row.key} = {v.text} (p.{v.page}) {v.snippet[:90]!r}")

    tab_ok = 0
    by_key = {row.key: row for row in rows}
    for item in pair["tabulated"]:
        row = by_key.get(item["key"])
        hit = row is not None and any(
            v.source == "table" and same(v.value, float(item["value"])) and item["variant"].lower() in v.variant.lower()
            for v in row.paper_all)
        tab_ok += hit
        if verbose and not hit:
            print(f"    tabulated value missed: {item}")

    code_ok = code_all = 0
    truth = pair["code"]
    for row in rows:
        for c in row.code:
            code_all += 1
            expected = truth["values"].get(row.key)
            good = c.file in truth["build_files"] and (expected is None or (c.value is not None and _in(c.value, expected)))
            code_ok += good
            if verbose and not good:
                print(f"    code value off the build path or wrong: {row.key} = {c.value_text} ({c.file}:{c.line})")
    return {"main model": (main_ok, 1), "paper values": (paper_ok, paper_all),
            "tabulated": (tab_ok, len(pair["tabulated"])), "code values": (code_ok, code_all)}


def main() -> int:
    if not TRUTH.is_file() or not (SHARED / "papers").is_dir() or not (SHARED / "repos").is_dir():
        print("skipped: ../shared (papers and repositories) is not here")
        return 0
    verbose = "-v" in sys.argv
    totals = {k: [0, 0] for k in GOALS}
    for pair in json.loads(TRUTH.read_text())["pairs"]:
        print(f"{pair['paper']} + {pair['repo']}")
        for key, (ok, n) in measure(pair, verbose).items():
            totals[key][0] += ok
            totals[key][1] += n
            print(f"  {key:13s} {ok}/{n}")
    missed = False
    print()
    for key, goal in GOALS.items():
        ok, n = totals[key]
        share = ok / n if n else 1.0
        met = share >= goal
        missed |= not met
        print(f"{key:13s} {ok}/{n} = {share:.0%}  goal >= {goal:.0%}  {'met' if met else 'MISSED'}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
