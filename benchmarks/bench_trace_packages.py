"""Zero-config trace of public model packages no one here wrote: does it run to the end?

The class traced is the hand-judged main model of benchmarks/truth/rank_packages.json (file and class given,
so a ranking miss does not hide a trace problem; bench_rank_packages.py measures the ranking). Nothing else is
given: constructor values and inputs are whatever the app mines or guesses, as for a new user. The packages
are not part of the project: unpack their source distributions first (see bench_rank_packages.py).

    python benchmarks/bench_trace_packages.py                 # folders /tmp/ext*
    python benchmarks/bench_trace_packages.py /tmp/ext --only vit_pytorch

Prints per package: ran to the end or not, the inputs used, and the first sentence of the error. Packages not
found are skipped. Exit 0 always (a measurement, not a gate).
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("READER_APP_HOME", tempfile.mkdtemp())

from reader_app.trace.request import TraceRequest  # noqa: E402
from reader_app.trace.runner import run_trace  # noqa: E402

TRUTH = ROOT / "benchmarks" / "truth" / "rank_packages.json"


def first_sentence(text: str, limit: int = 150) -> str:
    text = " ".join((text or "").split())
    cut = text.find(". ")
    text = text if cut < 0 else text[:cut + 1]
    return text if len(text) <= limit else text[:limit] + "..."


def trace_package(root: Path, entry: dict, timeout: float) -> dict:
    request = TraceRequest(path=str(root), file=entry["file"], class_name=entry["class"], timeout=timeout,
                           per_line=False, symbolic=False)
    result = run_trace(request)
    inputs = ", ".join(f"{t.name}={tuple(t.shape)}:{t.dtype}" for t in result.inputs) or "-"
    error = None
    if result.error is not None:
        where = f" ({result.error.file}:{result.error.line})" if result.error.file else ""
        error = first_sentence(result.error.message) + where
    return {"package": entry["dir"], "ran": result.error is None and result.reached_output, "inputs": inputs,
            "error": error, "seconds": round(result.elapsed, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", help="folders holding the unpacked source distributions "
                                                   "(default: /tmp/ext*)")
    parser.add_argument("--only", action="append", default=[], help="package folder name prefix; repeatable")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds per trace")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    folders = args.folders or sorted(glob.glob("/tmp/ext*"))
    truth = json.loads(TRUTH.read_text())["packages"]
    rows = []
    for entry in truth:
        if args.only and not any(entry["dir"].startswith(p) for p in args.only):
            continue
        root = next((Path(f) / entry["dir"] for f in folders if (Path(f) / entry["dir"]).is_dir()), None)
        if root is None:
            continue
        row = trace_package(root, entry, args.timeout)
        rows.append(row)
        if not args.json:
            print(f"  {'ran ' if row['ran'] else 'FAIL'} {row['package']:38s} {entry['class']:22s} in: {row['inputs']}")
            if row["error"]:
                print(f"       {row['error']}")
            sys.stdout.flush()
    ran = sum(r["ran"] for r in rows)
    if args.json:
        print(json.dumps({"rows": rows, "ran": ran, "total": len(rows)}, indent=1))
    elif rows:
        print(f"trace_packages ran {ran}/{len(rows)} = {100 * ran / len(rows):.0f}%")
    else:
        print("no package of the truth file found in " + ", ".join(folders))
    return 0


if __name__ == "__main__":
    sys.exit(main())
