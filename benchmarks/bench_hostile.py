"""Hostile models against the sandbox: per case, contained yes/no and the time to a clean end; then the
sandbox's cost, as a ratio to an unconfined trace of the sample measured in the same run.

Run: .venv/bin/python benchmarks/bench_hostile.py [--rounds N] [--backend bwrap|namespaces|landlock|none] [--warm]
--warm runs every case in one warm tracing child, as the window does (reader_app/trace/warm.py).
Exit status 1 when any case was not contained.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from hostile_cases import CASES, Listener, World, build, cleanup  # noqa: E402
from reader_app import sandbox  # noqa: E402
from reader_app.trace import TraceRequest, run_trace  # noqa: E402
from reader_app.trace.warm import WarmTracer  # noqa: E402

SAMPLE = ROOT / "resources" / "sample" / "repo"


def clean_end(result) -> bool:
    """A result, or one sentence: never a traceback."""
    return result.error is None or ("Traceback" not in result.error.message and "\n" not in result.error.message)


def _tree(pid: int | None) -> set[int]:
    found, todo = set(), [pid] if pid else []
    while todo:
        current = todo.pop()
        found.add(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                todo += [int(c) for c in Path(f"/proc/{current}/task/{task}/children").read_text().split()]
        except OSError:
            continue
    return found


def hostile(world: World, warm=None) -> int:
    misses = 0
    if warm is not None:
        assert run_trace(TraceRequest(str(SAMPLE)), warm=warm).ok  # the warm child is up and idle
    print(f"{'case':36} {'contained':>9} {'end':>8}  how it ended")
    for case in CASES:
        repo = build(case, world)
        idle = _tree(warm.pid) if warm is not None else set()  # the warm child's own processes, between traces
        started = time.perf_counter()
        result = run_trace(TraceRequest(str(repo), timeout=case.timeout), warm=warm)
        took = time.perf_counter() - started
        time.sleep(0.5)  # a process that outlived the trace has had time to show itself
        survivors = world.survivors(idle)
        harmed = case.harmed(world, result)
        contained = not harmed and not survivors and clean_end(result)
        misses += not contained
        how = result.error.message if result.error else "traced; " + "; ".join(result.warnings[-1:])
        extra = (" HARM DONE" if harmed else "") + (f" {len(survivors)} processes left" if survivors else "")
        print(f"{case.name:36} {'yes' if contained else 'NO':>9} {took:7.1f}s  {how[:110]}{extra}")
        cleanup(world, idle)
    return misses


def launch_cost(rounds: int) -> None:
    """The fixed cost of starting through the sandbox: `true` contained vs started plainly."""
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as scratch:
        def plain():
            subprocess.run(["true"], check=True)

        def contained():
            sandbox.start(["true"], scratch).wait()

        times = {}
        for name, run in (("plain", plain), ("contained", contained)):
            samples = []
            for _ in range(rounds * 3):
                t = time.perf_counter()
                run()
                samples.append(time.perf_counter() - t)
            times[name] = statistics.median(samples)
    print(f"start of `true`: plain {times['plain'] * 1000:.0f} ms, through the sandbox "
          f"{times['contained'] * 1000:.0f} ms (+{(times['contained'] - times['plain']) * 1000:.0f} ms)")


def trace_cost(backend: str, rounds: int) -> float:
    """Median wall time of the sample's trace, sandboxed vs unconfined, interleaved so that load hits both."""
    samples: dict[str, list[float]] = {backend: [], "none": []}
    for _ in range(rounds):
        for name in samples:
            os.environ["READER_APP_SANDBOX"] = name
            t = time.perf_counter()
            result = run_trace(TraceRequest(str(SAMPLE)))
            samples[name].append(time.perf_counter() - t)
            assert result.ok, result.error
    os.environ["READER_APP_SANDBOX"] = backend
    # The fastest run is the one the machine's load disturbed least (torch's import alone varies 2x here).
    boxed, bare = min(samples[backend]), min(samples["none"])
    medians = f"medians {statistics.median(samples['none']):.2f} / {statistics.median(samples[backend]):.2f} s"
    print(f"trace of the sample, fastest of {rounds}: unconfined {bare:.2f} s, {backend} {boxed:.2f} s: ratio "
          f"{boxed / bare:.2f} ({boxed - bare:+.2f} s; budget +0.3 s; {medians})")
    return boxed - bare


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--backend", choices=sandbox.backends.ORDER, help="default: the best one available")
    parser.add_argument("--warm", action="store_true", help="run the cases in one warm tracing child")
    args = parser.parse_args()
    if args.backend:
        os.environ["READER_APP_SANDBOX"] = args.backend
    backend = sandbox.choose()
    print(f"sandbox: {backend.name} ({backend.summary})")
    with tempfile.TemporaryDirectory(prefix="reader-hostile-") as tmp:
        marker = f"READER_HOSTILE_{uuid.uuid4().hex}"
        os.environ[marker] = "1"  # every process a trace starts inherits it: how survivors are found
        world = World(Path(tmp), Listener(), marker)
        os.environ["HOME"] = str(world.home)  # the decoy home is the one the sandbox must protect
        warm = WarmTracer() if args.warm else None
        try:
            misses = hostile(world, warm)
            if warm is not None:
                print(f"warm children started: {warm.started}; cases they answered: {warm.served - 1}")
        finally:
            if warm is not None:
                warm.close()
            cleanup(world)
    launch_cost(args.rounds)
    trace_cost(backend.name, args.rounds)
    print(f"{len(CASES) - misses}/{len(CASES)} hostile cases contained")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
