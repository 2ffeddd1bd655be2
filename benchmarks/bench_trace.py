"""Shape-tracing benchmark: zero-config success on the fixture repositories, a 7B LLaMA-style trace from
the command line (wall time and peak memory, child included), and the cost of per-line capture.

Run: .venv/bin/python benchmarks/bench_trace.py [--quick]
Every time is printed beside a baseline measured in the same run (`python -c "import torch"` for the
CLI, a plain meta forward for the capture), so a slow machine shows in both.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader_app.trace import TraceRequest, run_trace  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "repos"
LLAMA = FIXTURES / "llama_rotary" / "llama" / "model.py"
SEVEN_B = ["--arg", "dim=4096", "--arg", "n_layers=32", "--arg", "n_heads=32", "--arg", "vocab_size=32000"]


def zero_config() -> bool:
    repos = sorted(p.parent for p in FIXTURES.glob("*/EXPECTED.json"))
    ok = 0
    print(f"(1) zero-config traces of {len(repos)} fixture repositories (folder in, no options)")
    for repo in repos:
        expected = json.loads((repo / "EXPECTED.json").read_text())
        result = run_trace(TraceRequest(str(repo)))
        success = result.ok
        ok += success
        note = "" if success else f"  <- {result.error.message if result.error else 'no output'}"
        main = "" if result.class_name == expected["main"] else f" (expected main {expected['main']})"
        print(f"    {'ok ' if success else 'FAIL'} {repo.name:24s} {result.class_name}{main} on {result.device}, "
              f"{len(result.layers)} layers, {len(result.lines)} lines, {result.elapsed:.1f} s{note}")
    print(f"    zero-config success: {ok} of {len(repos)} (target: at least 14 of 15)\n")
    return ok >= len(repos) * 14 / 15


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as fh:
                    stack += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def _timed(cmd: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds and peak resident MB of the whole process tree (sampled every 10 ms)."""
    peak = [0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    return wall, peak[0] / 1024, subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def seven_b(repeats: int) -> bool:
    print("(2) ~7B LLaMA-style model (dim 4096, 32 layers, 32 heads, vocab 32000), per-layer and per-line, "
          "from the command line")
    args = [str(LLAMA), "--class", "Transformer", *SEVEN_B, "--json"]
    baseline, dispatcher, runs = [], [], []
    for _ in range(repeats):  # interleaved, so a busy moment weighs on all three alike
        baseline.append(_timed([sys.executable, "-c", "import torch"]))
        runs.append(_timed([sys.executable, "-m", "reader_app.trace", *args]))
        dispatcher.append(_timed([sys.executable, "-m", "reader_app", "trace", *args]))
    result = json.loads(runs[-1][2].stdout)
    params = _llama_params(result["args"])
    wall = statistics.median(r[0] for r in runs)
    peak = max(r[1] for r in runs + dispatcher)
    base_wall = statistics.median(r[0] for r in baseline)
    print(f"    model: {params / 1e9:.2f} B parameters; {len(result['layers'])} modules, "
          f"{sum(len(l['calls']) for l in result['layers'])} module calls, {len(result['lines'])} forward() lines, "
          f"error: {result['error']}")
    best, base_best = min(r[0] for r in runs), min(r[0] for r in baseline)
    print(f"    wall, `python -m reader_app.trace`: {wall:.2f} s median, {best:.2f} s best of {repeats} "
          f"(target < 5 s); baseline `python -c 'import torch'`: {base_wall:.2f} s median, {base_best:.2f} s best; "
          f"ratio {wall / base_wall:.2f}x")
    print(f"    wall, `reader-app trace`: "
          f"{statistics.median(r[0] for r in dispatcher):.2f} s")
    print(f"    peak memory, CLI + child: {peak:.0f} MB (target < 1536 MB); baseline import torch: "
          f"{max(r[1] for r in baseline):.0f} MB")
    print(f"    child phases (s since start of session): {result.get('timings')}\n")
    return result["error"] is None and wall < 5.0 and peak < 1536


def _llama_params(args: dict) -> float:
    dim, layers, vocab = args["dim"], args["n_layers"], args["vocab_size"]
    hidden = int(2 * 4 * dim / 3)
    hidden = args["multiple_of"] * ((hidden + args["multiple_of"] - 1) // args["multiple_of"])
    return 2 * vocab * dim + layers * (4 * dim * dim + 3 * dim * hidden + 2 * dim) + dim


def capture_cost(repeats: int) -> bool:
    """Per-line capture (hooks + line probes) against a plain meta forward of the same 7B model; the plain
    forward runs the same instrumented code with nobody listening, as the probes cost nothing then."""
    import torch

    from reader_app.trace.child.capture import Recorder, RepoFiles
    from reader_app.trace.child.loader import import_model_file
    from reader_app.trace.child.metainit import no_meta_init, skip_dynamo_import
    from reader_app.trace.child.probes import install

    skip_dynamo_import()
    root = str(LLAMA.parents[1])
    files = RepoFiles([root])
    install(files)  # the repository's files compile with line probes, as in the tracing child
    module = import_model_file(str(LLAMA), root)
    with torch.device("meta"), no_meta_init():
        model = module.Transformer(module.ModelArgs(dim=4096, n_layers=32, n_heads=32, vocab_size=32000)).eval()
    tokens = torch.empty(2, 7, dtype=torch.long, device="meta")

    def plain():
        with torch.no_grad(), torch.device("meta"):
            model(tokens)

    def layers_only():
        with Recorder(model, files, per_line=False) as rec, torch.no_grad(), torch.device("meta"):
            rec.run({"tokens": tokens})

    def per_line():
        with Recorder(model, files, per_line=True) as rec, torch.no_grad(), torch.device("meta"):
            rec.run({"tokens": tokens})
        return rec

    for warm in (plain, layers_only, per_line):
        warm()
    samples = {"plain": [], "layers": [], "lines": []}
    for _ in range(repeats):  # interleaved, so a busy moment weighs on all three alike
        for name, func in (("plain", plain), ("layers", layers_only), ("lines", per_line)):
            start = time.perf_counter()
            func()
            samples[name].append(time.perf_counter() - start)
    times = {name: statistics.median(values) for name, values in samples.items()}
    rec = per_line()
    print("(3) capture cost on the same 7B model, meta device, in one process")
    print(f"    plain meta forward: {times['plain'] * 1000:.0f} ms (baseline)")
    print(f"    + per-layer hooks: {times['layers'] * 1000:.0f} ms, ratio {times['layers'] / times['plain']:.2f}x")
    print(f"    + per-line capture ({len(rec.lines)} line records, {len(rec.calls)} module calls): "
          f"{times['lines'] * 1000:.0f} ms, ratio {times['lines'] / times['plain']:.2f}x (target <= 2x)\n")
    return times["lines"] / times["plain"] <= 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repetition instead of three")
    parser.add_argument("--skip-fixtures", action="store_true", help="only the 7B figures")
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    met = zero_config() if not args.skip_fixtures else True
    met = seven_b(repeats) and met
    met = capture_cost(15 if not args.quick else 5) and met
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
