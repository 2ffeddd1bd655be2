"""Damaged PDFs made by flipping, cutting and repeating bytes of the sample paper (seeded, so a failure
repeats): `reader-app analyze` ends each with a result or one sentence, never a crash or a traceback."""
from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from reader_app.paths import sample_paper

ROOT = Path(__file__).resolve().parents[1]


def mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    kind = rng.choice(["flip", "cut", "splice", "zero"])
    if kind == "flip":
        for _ in range(rng.randint(1, 200)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == "cut":
        data = data[:rng.randrange(len(data))]
    elif kind == "splice":
        start = rng.randrange(len(data))
        data[start:start] = data[rng.randrange(len(data)):][:rng.randint(1, 5000)]
    else:
        start = rng.randrange(len(data))
        data[start:start + rng.randint(1, 20000)] = bytes(rng.randint(1, 20000))
    return bytes(data)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(12))
def test_a_damaged_pdf_is_a_result_or_one_sentence(seed, tmp_path):
    pdf = tmp_path / f"fuzzed-{seed}.pdf"
    pdf.write_bytes(mutate(sample_paper().read_bytes(), random.Random(seed)))
    done = subprocess.run([sys.executable, "-m", "reader_app", "analyze", str(pdf), "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 2), done.stderr
    assert "Traceback" not in done.stderr
    if done.returncode == 2:
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
