"""Warm tracing child benchmark: what the window gains by importing torch once (reader_app/trace/warm.py).

Run: .venv/bin/python benchmarks/bench_warm.py [--quick]
Prints, each as a ratio to a bare `python -c "import torch"` measured in the same run (interleaved):
  (1) a cold trace of the sample (a fresh contained child, as the command line runs it);
  (2) a warm re-trace of the sample after a Trace Settings change (target < 0.5 s);
  (3) the 6.7B LLaMA-style model (dim 4096, 32 layers, 32 heads, vocab 32000): cold from the command line
      (target < 5 s, < 1.5 GB for the whole process tree) and warm;
  (4) translations in the warm child: the sample with its weights (target < 2 s) and the 6.7B model on
      the meta device (target < 3 s), each also as a ratio to a plain cold `reader-app trace` of the same
      model with the same arguments and device (the sample's `--device cpu` trace is measured for this).
Exit 1 when a target is missed.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_trace import LLAMA, SEVEN_B, _timed, _tree_rss_kb  # noqa: E402
from reader_app.paths import sample_repo  # noqa: E402
from reader_app.trace import TraceRequest, run_trace  # noqa: E402
from reader_app.trace.warm import WarmTracer  # noqa: E402
from reader_app.translate import TranslateRequest, translate  # noqa: E402

SEVEN_B_ARGS = {item.split("=")[0]: int(item.split("=")[1]) for item in SEVEN_B[1::2]}


def _sample(embed_dim: int = 64) -> TraceRequest:
    return TraceRequest(str(sample_repo()), class_name="AnomalyAutoencoder", file="model.py",
                        args={"embed_dim": embed_dim})


def _clock(func):
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def _peak_during(pid_of, func):
    """Seconds, value and peak resident MB of the warm child's tree while `func` runs."""
    peak, done = [0], threading.Event()

    def sample():
        while not done.is_set():
            pid = pid_of()
            if pid:
                peak[0] = max(peak[0], _tree_rss_kb(pid))
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    seconds, value = _clock(func)
    done.set()
    sampler.join()
    return seconds, value, peak[0] / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repetition instead of three")
    repeats = 1 if parser.parse_args().quick else 3
    warm = WarmTracer()
    try:
        first, result = _clock(lambda: run_trace(_sample(), warm=warm))
        assert result.ok, result.error
        warm.wait_warmed(120)
        rows = {"torch": [], "cold": [], "warm": [], "7b cold": [], "7b warm": [], "sample cli": [], "tr sample": [],
                "tr 7b": []}
        peaks, errors = {"7b cold": 0.0, "7b warm": 0.0, "torch": 0.0}, []
        cli = [sys.executable, "-m", "reader_app.trace", str(LLAMA), "--class", "Transformer", *SEVEN_B, "--json"]
        sample_cli = [sys.executable, "-m", "reader_app.trace", str(sample_repo()), "--device", "cpu"]
        for i in range(repeats):  # interleaved, so a busy moment weighs on all alike
            wall, peak, _ = _timed([sys.executable, "-c", "import torch"])
            rows["torch"].append(wall)
            peaks["torch"] = max(peaks["torch"], peak)
            seconds, cold = _clock(lambda: run_trace(_sample(48)))
            rows["cold"].append(seconds)
            seconds, again = _clock(lambda: run_trace(_sample(32 + i), warm=warm))  # a settings change
            rows["warm"].append(seconds)
            errors += [r.error.message for r in (cold, again) if r.error]
            wall, peak, done = _timed(cli)
            rows["7b cold"].append(wall)
            peaks["7b cold"] = max(peaks["7b cold"], peak)
            errors += [done.stderr.decode()[-300:]] if done.returncode else []
            seconds, big, peak = _peak_during(lambda: warm.pid, lambda: run_trace(
                TraceRequest(str(LLAMA), class_name="Transformer", args=SEVEN_B_ARGS), warm=warm))
            rows["7b warm"].append(seconds)
            peaks["7b warm"] = max(peaks["7b warm"], peak)
            errors += [big.error.message] if big.error else []
            wall, _, done = _timed(sample_cli)  # the translation's baseline: the same model, args and device
            rows["sample cli"].append(wall)
            errors += [done.stderr.decode()[-300:]] if done.returncode else []
            with tempfile.TemporaryDirectory(prefix="bench-warm-") as out:
                seconds, tr = _clock(lambda: translate(TranslateRequest(str(sample_repo()), symbolic=False), out,
                                                       warm=warm))
                rows["tr sample"].append(seconds)
                errors += [tr.error] if tr.error else []
                seconds, tr = _clock(lambda: translate(TranslateRequest(
                    str(LLAMA), class_name="Transformer", args=SEVEN_B_ARGS, device="meta", symbolic=False), out,
                    warm=warm))
                rows["tr 7b"].append(seconds)
                errors += [tr.error] if tr.error else []
        served, started = warm.served, warm.started
    finally:
        warm.close()
    med = {name: statistics.median(values) for name, values in rows.items()}
    base = med["torch"]
    targets = {"warm": 0.5, "7b cold": 5.0, "tr sample": 2.0, "tr 7b": 3.0}
    labels = {"cold": "(1) cold trace of the sample (fresh contained child)",
              "warm": "(2) warm re-trace of the sample after a settings change",
              "7b cold": "(3) 6.7B LLaMA-style trace, cold, `python -m reader_app.trace`",
              "7b warm": "    6.7B LLaMA-style trace, warm child",
              "sample cli": "    the sample, cold, `python -m reader_app.trace SAMPLE --device cpu`",
              "tr sample": "(4) translation of the sample with its weights, warm",
              "tr 7b": "    translation of the 6.7B model, meta device, warm"}
    same_model = {"tr sample": "sample cli", "tr 7b": "7b cold"}  # the plain cold trace of the same model
    print(f"baseline `python -c 'import torch'`: {base:.2f} s median of {repeats} ({peaks['torch']:.0f} MB)")
    print(f"first trace in the window (starts the warm child, imports torch): {first:.2f} s")
    for name, label in labels.items():
        target = f" (target < {targets[name]:g} s)" if name in targets else ""
        traced = f"; ratio to the cold trace of the same model {med[name] / med[same_model[name]]:.2f}x" \
            if name in same_model else ""
        print(f"{label}: {med[name]:.2f} s median, {min(rows[name]):.2f} s best{target}; "
              f"ratio to import torch {med[name] / base:.2f}x{traced}")
    print(f"    peak memory, 6.7B cold (CLI + child): {peaks['7b cold']:.0f} MB (target < 1536 MB); "
          f"warm child tree during the 6.7B trace: {peaks['7b warm']:.0f} MB")
    print(f"warm children started: {started}; requests they answered: {served}")
    missed = [name for name, limit in targets.items() if med[name] >= limit]
    if peaks["7b cold"] >= 1536:
        missed.append("7b cold memory")
    for error in errors:
        print(f"error: {error}")
    print(f"targets {'met' if not missed and not errors else 'missed: ' + ', '.join(missed + ['errors'] * bool(errors))}")
    return 0 if not missed and not errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
