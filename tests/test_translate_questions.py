"""Comprehension questions generated from a model's trace, answers checked against it."""
from __future__ import annotations

import pytest

from reader_app.paths import sample_repo
from reader_app.trace import TraceRequest, run_trace
from reader_app.translate.questions import check_answer, questions_for
from translate_helpers import FIXTURES


@pytest.fixture(scope="module")
def sample_questions():
    return {q.id: q for q in questions_for(run_trace(TraceRequest(str(sample_repo()))))}


def test_the_sample_gets_the_four_kinds_of_question(sample_questions):
    kinds = {q.kind for q in sample_questions.values()}
    assert {"output_shape", "compresses", "init_layers", "returns"} <= kinds
    assert sample_questions["compresses"].text == "Which layer compresses its input to 8 dimensions?"
    assert sample_questions["init_layers"].text == "How many layers does AnomalyAutoencoder.__init__ build?"


def test_answers_are_checked_against_the_trace(sample_questions):
    assert check_answer(sample_questions["compresses"], "bottleneck.0").ok
    assert check_answer(sample_questions["init_layers"], "4 (encoder, bottleneck, decoder, output)").ok
    assert check_answer(sample_questions["returns"], "(B, T, 5)").ok  # symbolic names in the reader's words
    assert check_answer(sample_questions["returns"], "torch.Size([2, 7, 5])").ok  # or the traced sizes
    wrong = check_answer(sample_questions["returns"], "(B, 5)")
    assert not wrong.ok and "(batch, seq_len, 5)" in wrong.message
    assert not check_answer(sample_questions["compresses"], "fc").ok
    shape = sample_questions["output_shape:encoder"]
    assert check_answer(shape, "(batch, 64)").ok and not check_answer(shape, "(batch, 128)").ok


def test_any_repository_gets_questions_and_a_failed_trace_none():
    trace = run_trace(TraceRequest(str(FIXTURES / "autoencoder")))
    found = {q.kind: q for q in questions_for(trace)}
    assert found["compresses"].expected == "encoder" and "16 dimensions" in found["compresses"].text
    failed = run_trace(TraceRequest(str(FIXTURES / "autoencoder"), inputs=["x=2,3"]))
    assert failed.error is not None and questions_for(failed) == []
