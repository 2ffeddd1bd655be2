"""TF.js translation benchmark, cold from the command line: `reader-app translate ... --to tfjs -o DIR` of the
6.7B LLaMA-style model on the meta device (architecture only) and of the sample with its weights, each as a
ratio to a plain `reader-app trace` of the same model (same file, class, --arg and device) in the same run.

Run: .venv/bin/python benchmarks/bench_translate.py [--quick]
Every command is a fresh process, as a reader types it; the rounds are interleaved (trace, translation, trace,
translation, ...) so a busy moment weighs on both, and the medians are printed with the whole process tree's
CPU seconds, which a shared machine disturbs less than the wall clock. Targets (issue 13, wall clock):
the 6.7B model under 3 s, the sample under 2 s. The translation is timed with --no-check: the Node check
that the command runs by default is timed once on its own, beside the targets, not in them. reader_app's
bytecode is compiled first (into its __pycache__ folders, as `pip install` does): where
PYTHONDONTWRITEBYTECODE is set, every process would otherwise compile the package from source, a cost an
installed app does not have (it weighs on both commands alike).
Exit 1 when a target is missed or a command fails.
"""
from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader_app.paths import sample_repo  # noqa: E402

LLAMA = ROOT / "tests" / "fixtures" / "repos" / "llama_rotary" / "llama" / "model.py"
SEVEN_B = ["--class", "Transformer", "--arg", "dim=4096", "--arg", "n_layers=32", "--arg", "n_heads=32",
           "--arg", "vocab_size=32000"]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT)] + [p for p in [os.environ.get("PYTHONPATH")] if p])}


class Case:
    """One model: its trace and translation commands, and what each run measured.

    Attributes:
        title, target: what is translated and its wall-clock target in seconds; model: file and options;
        device: the one both commands use; runs: "trace" / "translate" -> [(wall s, CPU s)].
    """

    def __init__(self, title: str, model: list[str], device: str, target: float):
        self.title, self.model, self.device, self.target = title, model, device, target
        self.runs: dict[str, list[tuple[float, float]]] = {"trace": [], "translate": []}
        self.failures: list[str] = []

    def trace(self) -> list[str]:
        return [sys.executable, "-m", "reader_app", "trace", *self.model, "--device", self.device]

    def translate(self, out: str) -> list[str]:
        return [sys.executable, "-m", "reader_app", "translate", *self.model, "--device", self.device,
                "--to", "tfjs", "-o", out, "--no-check"]

    def median(self, kind: str, index: int) -> float:
        return statistics.median(run[index] for run in self.runs[kind])


def timed(cmd: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds, CPU seconds of the whole process tree (every process waited for), and the result."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=ENV, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def run_round(case: Case, out: str) -> None:
    for kind, cmd in (("trace", case.trace()), ("translate", case.translate(out))):
        wall, cpu, done = timed(cmd)
        case.runs[kind].append((wall, cpu))
        if done.returncode != 0:
            case.failures.append(f"{kind} exited {done.returncode}: {done.stderr.strip().splitlines()[-1:]}")
    wanted = ["model.js", "model.json"] + (["weights.bin", "reference.bin"] if case.device == "cpu" else [])
    missing = [name for name in wanted if not (Path(out) / name).is_file()]
    if missing:
        case.failures.append(f"the translation did not write {', '.join(missing)}")


def report(case: Case, repeats: int, torch_s: tuple[float, float]) -> bool:
    trace_wall, trace_cpu = case.median("trace", 0), case.median("trace", 1)
    wall, cpu = case.median("translate", 0), case.median("translate", 1)
    best = min(run[0] for run in case.runs["translate"])
    met = not case.failures and wall < case.target
    print(case.title)
    print(f"    baseline `reader-app trace ... --device {case.device}`: {trace_wall:.2f} s wall, {trace_cpu:.2f} s CPU "
          f"(median of {repeats})")
    print(f"    `reader-app translate ... --to tfjs --no-check`:   {wall:.2f} s wall, {cpu:.2f} s CPU "
          f"(median; best {best:.2f} s)")
    print(f"    ratio to the plain trace: {wall / trace_wall:.2f}x wall, {cpu / trace_cpu:.2f}x CPU;"
          f"  target < {case.target:g} s: {'met' if met else 'MISSED'} ({wall:.2f} s; `import torch` "
          f"alone {torch_s[0]:.2f} s wall, {torch_s[1]:.2f} s CPU)")
    for failure in case.failures:
        print(f"    error: {failure}")
    return met


def node_check(out: str) -> str:
    """The check `reader-app translate` runs by default, on the sample's translation in `out`."""
    from reader_app.translate import check_translation

    start = time.perf_counter()
    check = check_translation(out)
    return f"{time.perf_counter() - start:.2f} s ({'ran' if check.ran else 'skipped'}: {check.message})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two rounds instead of five")
    repeats = 2 if parser.parse_args().quick else 5
    cases = [Case("(1) 6.7B LLaMA-style model (dim 4096, 32 layers, 32 heads, vocab 32000), meta device, "
                  "architecture only", [str(LLAMA), *SEVEN_B], "meta", 3.0),
             Case("(2) the sample's AnomalyAutoencoder with its weights (CPU)", [str(sample_repo())], "cpu", 2.0)]
    compiled = compileall.compile_dir(str(ROOT / "reader_app"), quiet=1)
    print(f"reader_app bytecode: {'compiled' if compiled else 'NOT all compiled'} first, as an installed app has it")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    torch_runs = []
    with tempfile.TemporaryDirectory(prefix="bench-translate-") as scratch:
        outs = [os.path.join(scratch, str(i)) for i in range(len(cases))]
        for _ in range(repeats):  # interleaved rounds
            torch_runs.append(timed([sys.executable, "-c", "import torch"])[:2])
            for case, out in zip(cases, outs):
                run_round(case, out)
        check = node_check(outs[1]) if not cases[1].failures else "not run (the translation failed)"
    torch_s = statistics.median(run[0] for run in torch_runs), statistics.median(run[1] for run in torch_runs)
    met = [report(case, repeats, torch_s) for case in cases]
    print(f"Node check of the sample's translation (run by default, not in the targets): {check}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"\ntargets {'met' if all(met) else 'missed'}")
    return 0 if all(met) else 1


if __name__ == "__main__":
    raise SystemExit(main())
