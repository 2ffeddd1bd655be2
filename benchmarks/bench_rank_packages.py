"""Main model of public model packages no one here wrote: does the reader land on the right file and class?

Truth: benchmarks/truth/rank_packages.json (judged by hand from each package's README usage and its
`__init__` exports, with the reason). The packages are not part of the project: fetch their source
distributions into one folder first, for example

    pip download --no-deps --no-binary :all: vit-pytorch==1.26.14 -d /tmp/ext && tar xzf ... -C /tmp/ext
    python benchmarks/bench_rank_packages.py /tmp/ext [/tmp/ext2 ...]

Every listed package found in one of the folders is scanned (as `reader-app repo` does) and compared;
each miss is printed with the pick's reasons. Packages marked held_out were judged and measured only
after the ranking was changed; ambiguous ones are counted apart. Exit 0 always (a measurement, not a gate).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader_app.repo import scan_repo  # noqa: E402

TRUTH = ROOT / "benchmarks" / "truth" / "rank_packages.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", help="folders holding the unpacked source distributions")
    args = parser.parse_args(argv)
    truth = json.loads(TRUTH.read_text())["packages"]
    tally: dict[str, list[int]] = {"tuned on": [0, 0], "held out": [0, 0], "ambiguous": [0, 0]}
    for entry in truth:
        root = next((Path(f) / entry["dir"] for f in args.folders if (Path(f) / entry["dir"]).is_dir()), None)
        if root is None:
            print(f"  --   {entry['dir']:40s} not found (fetch it with pip download)")
            continue
        main_model = scan_repo(root).main
        got = (main_model.file, main_model.name) if main_model else ("", "")
        right = got == (entry["file"], entry["class"])
        kind = "ambiguous" if entry.get("ambiguous") else "held out" if entry.get("held_out") else "tuned on"
        tally[kind][0] += right
        tally[kind][1] += 1
        print(f"  {'ok  ' if right else 'MISS'} {entry['dir']:40s} {got[0]}:{got[1]}")
        if not right:
            print(f"       expected {entry['file']}:{entry['class']} ({entry['why']})")
            print(f"       picked because: {'; '.join(main_model.reasons[:3]) if main_model else 'no model'}")
    for kind, (right, total) in tally.items():
        if total:
            print(f"rank_packages {kind:10s} {right}/{total} = {100 * right / total:.0f}%")
    right = sum(r for r, _ in tally.values())
    total = sum(t for _, t in tally.values())
    if total:
        print(f"rank_packages all        {right}/{total} = {100 * right / total:.0f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
