"""TF.js translation benchmark: translation plus weight export of the 6.7B LLaMA-style model on the meta
device (architecture only) and of the sample with its weights, each beside a plain trace of the same model.

Run: .venv/bin/python benchmarks/bench_translate.py [--quick]
Each figure is printed as a ratio to the plain trace (`run_trace`, default settings) measured in the same
run, interleaved, so a busy machine weighs on both. Targets: 7B under 3 s, the sample under 2 s.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader_app.paths import sample_repo  # noqa: E402
from reader_app.trace import TraceRequest, run_trace  # noqa: E402
from reader_app.translate import TranslateRequest, check_translation, translate  # noqa: E402

LLAMA = ROOT / "tests" / "fixtures" / "repos" / "llama_rotary" / "llama" / "model.py"
SEVEN_B = {"dim": 4096, "n_layers": 32, "n_heads": 32, "vocab_size": 32000}


def _timed(func):
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def compare(title: str, trace_request: TraceRequest, translate_request: TranslateRequest, target: float,
            repeats: int) -> tuple[bool, str]:
    traces, translations, result = [], [], None
    with tempfile.TemporaryDirectory(prefix="bench-translate-") as out:
        for _ in range(repeats):  # interleaved
            seconds, trace = _timed(lambda: run_trace(trace_request))
            traces.append(seconds)
            seconds, result = _timed(lambda: translate(translate_request, out))
            translations.append(seconds)
        check = check_translation(out) if result.with_weights and not result.problems else None
    trace_s, translate_s = statistics.median(traces), statistics.median(translations)
    print(title)
    print(f"    {result.summary()}; trace error: {trace.error.message if trace.error else None}")
    print(f"    plain trace (baseline): {trace_s:.2f} s median of {repeats}")
    print(f"    translation + weight export: {translate_s:.2f} s median, {min(translations):.2f} s best "
          f"(target < {target:g} s); ratio to the trace {translate_s / trace_s:.2f}x")
    print(f"    phases (s since the child started, then in the parent): {result.timings}")
    if check is not None:
        print(f"    Node check (not timed against the target): {check.message}")
    met = result.error is None and not result.problems and translate_s < target
    return met, f"{translate_s:.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repetition instead of three")
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    met_7b, _ = compare("(1) 6.7B LLaMA-style model (dim 4096, 32 layers, 32 heads, vocab 32000), meta device, "
                        "architecture only",
                        TraceRequest(str(LLAMA), class_name="Transformer", args=SEVEN_B),
                        TranslateRequest(str(LLAMA), class_name="Transformer", args=SEVEN_B, device="meta",
                                         symbolic=False), 3.0, repeats)
    print()
    met_sample, _ = compare("(2) the sample's AnomalyAutoencoder with its weights (CPU)",
                            TraceRequest(str(sample_repo())),
                            TranslateRequest(str(sample_repo()), symbolic=False), 2.0, repeats)
    print(f"\ntargets {'met' if met_7b and met_sample else 'missed'}")
    return 0 if met_7b and met_sample else 1


if __name__ == "__main__":
    raise SystemExit(main())
