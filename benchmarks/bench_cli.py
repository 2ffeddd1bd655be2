"""Command-line speed: `reader-app analyze PAPER --json` against a bare process that imports PyMuPDF (without
its optional layout and Markdown packages) and reads every page's text, paper by paper, both measured in the
same run, turn about; and `reader-app --version` / `--help` against a bare `python -c pass`.

Both run with compiled bytecode, as an installed app does (pip and the bundle compile it): the project's
modules are compiled once into a scratch cache by the warm-up run even when PYTHONDONTWRITEBYTECODE is set
in the developer's shell (PyMuPDF's own modules are compiled in the venv already; without this the app
alone would be charged ~20 ms a run for compiling its ~25 modules). bench_startup.py does the same.

Targets (issue 15): analyze within 1.5x of the bare process on every paper (the median over papers is
printed too), and --version and --help under 0.2 s (printed as seconds and as a ratio to bare Python).
"""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 3
BARE = ("import sys; sys.modules['pymupdf.layout'] = None; sys.modules['pymupdf4llm'] = None\n"
        "import pymupdf\n"
        "with pymupdf.open(sys.argv[1]) as doc:\n"
        "    [page.get_text('dict', flags=pymupdf.TEXTFLAGS_TEXT) for page in doc]\n")


def papers() -> list[Path]:
    shared = ROOT.parent / "shared" / "papers"
    files = sorted(shared.glob("*.pdf")) if shared.is_dir() else []
    sample = ROOT / "resources" / "sample" / "paper" / "sample_paper.pdf"
    return files + ([sample] if sample.is_file() else [])


def timed(args: list[str], env: dict) -> float:
    return timed_cpu(args, env)[0]


def timed_cpu(args: list[str], env: dict) -> tuple[float, float]:
    """Wall-clock seconds and the child's CPU seconds (user + system): on a shared, loaded machine the
    wall clock includes waiting for a core, the CPU time hardly does."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    env = dict(os.environ, PYTHONPATH=str(ROOT), READER_APP_HOME=tempfile.mkdtemp())
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(env["READER_APP_HOME"]) / "pycache")
    py = sys.executable
    files = [Path(a) for a in sys.argv[1:]] or papers()  # papers given on the command line, else the shared ones
    if not files:
        print("no papers found (../shared/papers or resources/sample/paper)")
        return 1
    timed([py, "-m", "reader_app", "analyze", str(files[0]), "--json"], env)  # warm the file cache
    ratios, cpu_ratios = [], []
    print(f"{'paper':44s} {'bare':>7s} {'analyze':>8s} {'ratio':>6s} {'cpu ratio':>10s}   (median of {RUNS} runs)")
    for f in files:
        bare, ours = [], []
        for _ in range(RUNS):
            bare.append(timed_cpu([py, "-c", BARE, str(f)], env))
            ours.append(timed_cpu([py, "-m", "reader_app", "analyze", str(f), "--json"], env))
        b, o = statistics.median(r[0] for r in bare), statistics.median(r[0] for r in ours)
        cpu = statistics.median(r[1] for r in ours) / statistics.median(r[1] for r in bare)
        ratios.append(o / b)
        cpu_ratios.append(cpu)
        print(f"{f.name[:44]:44s} {b:6.2f}s {o:7.2f}s {o / b:5.2f}x {cpu:9.2f}x")
    startup = {}
    for flag in ("--version", "--help"):
        runs = [(timed([py, "-c", "pass"], env), timed([py, "-m", "reader_app", flag], env)) for _ in range(5)]
        startup[flag] = (statistics.median(r[1] for r in runs), statistics.median(r[0] for r in runs))
    worst, median = max(ratios), statistics.median(ratios)
    print(f"analyze / bare process: median {median:.2f}x, worst {worst:.2f}x   (target <= 1.5x on every paper; "
          f"load average {os.getloadavg()[0]:.2f})")
    print(f"the same in CPU time (less sensitive to a loaded machine): median {statistics.median(cpu_ratios):.2f}x, "
          f"worst {max(cpu_ratios):.2f}x")
    for flag, (ours, bare) in startup.items():
        print(f"reader-app {flag}: {ours:.3f} s, {ours / bare:.1f}x bare python   (target < 0.2 s)")
    met = worst <= 1.5 and all(ours < 0.2 for ours, _ in startup.values())
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
