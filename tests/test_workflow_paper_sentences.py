"""The paper text the workflow engines read: sentences end where the paper's sentences end, and
powers printed as superscripts keep their exponent ("10⁻⁴" is 10^-4, not the number 104)."""
from __future__ import annotations

import pymupdf
import pytest
from typesetter import Typesetter

from reader_app.paper import analyze_paper
from reader_app.workflow.hyperparams import paper_values
from reader_app.workflow.paper_text import read_paper_text
from reader_app.workflow.sentences import split_sentences
from reader_app.workflow.span_text import line_text


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize("text, expected", [
    # a number before the stop ends the sentence like a word does
    ("We set the window size D = 5. The next layer pools.", ["We set the window size D = 5.", "The next layer pools."]),
    ("Results are in Table 2. They show gains.", ["Results are in Table 2.", "They show gains."]),
    ("Accuracy reaches 93.5. Training is stable.", ["Accuracy reaches 93.5.", "Training is stable."]),
    ("The loss is the sum of two terms (Eq. 4). We minimise it.", ["The loss is the sum of two terms (Eq. 4).", "We minimise it."]),
])
def test_a_sentence_ending_in_a_number_is_split(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("text", [
    "As shown in Fig. 2 the encoder is deep.",
    "As shown in Fig. 2, the encoder is deep.",
    "The loss of Eq. (3) is convex.",
    "We use optimisers, e.g. Adam or SGD.",
    "We use optimisers, e.g. Adam, with defaults.",
    "Prior work by Vaswani et al. Transformers changed the field.",
    "A residual block, i.e. The identity plus a correction, is used.",
    "The rate is 0.1 and the decay 0.99 in all runs.",
    "Written by J. Smith and A. B. Jones in 2019.",
    "See Sec. 3.1 for details and cf. Appendix A.",
    "The curves of FIG. 3 agree.",
])
def test_no_split_inside_abbreviations_references_and_decimals(text):
    assert sentences(text) == [text]


def test_superscript_spans_become_powers():
    base = {"text": "rate 10", "flags": 4, "size": 10.0, "origin": (72.0, 100.0)}
    exp = {"text": "−4", "flags": 5, "size": 7.0, "origin": (110.0, 96.0)}
    tail = {"text": " with Adam", "flags": 4, "size": 10.0, "origin": (118.0, 100.0)}
    assert line_text([base, exp, tail]) == "rate 10^−4 with Adam"
    assert line_text([base, dict(exp, text="4 "), dict(tail, text="iterations")]) == "rate 10^4 iterations"
    # raised and smaller without the flag (MuPDF does not always set it) reads the same
    assert line_text([base, dict(exp, flags=4), tail]) == "rate 10^−4 with Adam"
    # a footnote mark after a word, or after a number that is no base, stays as printed
    word = {"text": "model", "flags": 4, "size": 10.0, "origin": (72.0, 100.0)}
    mark = {"text": "2", "flags": 5, "size": 7.0, "origin": (100.0, 96.0)}
    assert line_text([word, mark]) == "model2"
    assert line_text([dict(word, text="in 2017"), mark]) == "in 20172"


@pytest.fixture(scope="module")
def powers_paper(tmp_path_factory):
    """Training details with powers set as superscripts, as LaTeX prints $10^{-4}$."""
    doc = pymupdf.open()
    ts = Typesetter(doc, [(72, 540)])
    ts.heading("Powers in Print", size=16, align=1)
    ts.heading("1 Introduction")
    ts.paragraphs(1, 3)
    ts.heading("2 Training")
    ts.paragraphs(1, 2)
    rect = pymupdf.Rect(ts.x0, ts.y, ts.x1, ts.y + 60)
    ts.page.insert_htmlbox(rect, "<p style='font-size:10px'>We train for 10<sup>5</sup> steps. The learning "
                                 "rate is 3 × 10<sup>−4</sup> and the weight decay is 10<sup>−5</sup>. "
                                 "We set the window size D = 5. The batch size is 256.</p>")
    ts.y += 60
    ts.heading("3 Results")
    ts.paragraphs(1, 3)
    path = tmp_path_factory.mktemp("powers") / "powers.pdf"
    doc.save(path)
    return read_paper_text(path, analyze_paper(path))


def test_powers_in_print_are_read_as_powers(powers_paper):
    prose = " ".join(p.text for p in powers_paper.of_kind("prose"))
    assert "10^5 steps" in prose and "3 × 10^−4" in prose and "105" not in prose
    values = {k: [v.value for v in vs] for k, vs in paper_values(powers_paper).items()}
    assert values["lr"] == [pytest.approx(3e-4)]
    assert values["weight_decay"] == [pytest.approx(1e-5)]
    assert values["train_steps"] == [pytest.approx(1e5)]
    assert values["window"] == [5] and values["batch_size"] == [256]


def test_sentences_of_the_paper_end_after_a_number(powers_paper):
    texts = [p.text for p in powers_paper.of_kind("prose")]
    assert "We set the window size D = 5." in texts
    assert "The batch size is 256." in texts


def test_caption_labels_legal_cases_and_equation_numbers_stay_in_their_sentence():
    assert sentences("Figure 1. Training error on CIFAR-10.") == ["Figure 1. Training error on CIFAR-10."]
    assert sentences("Table 3.2. Results. Ours is best.") == ["Table 3.2. Results.", "Ours is best."]
    assert sentences("The case EEOC v. Ford Motor Company settled.") == ["The case EEOC v. Ford Motor Company settled."]
    assert sentences("We define y = F(x) + x. (1) Here x is the input.") == ["We define y = F(x) + x. (1)",
                                                                          "Here x is the input."]
    assert sentences("We did three things. (1) We scoped the task. (2) We used BART.") == [
        "We did three things.", "(1) We scoped the task.", "(2) We used BART."]


def test_a_prose_line_split_by_inline_math_is_joined_in_order():
    """"deep model of over 1000 layers. We set n = 200 that": the italic n makes the second piece's
    box taller, and the other column's line at the same height sorts between the two pieces."""
    from reader_app.workflow.paper_text import _merge_baselines
    first = ((50.1, 608.5, 186.5, 617.44), "deep model of over 1000 layers.", 10.0)
    other = ((308.9, 608.6, 545.1, 617.46), "an unrelated line of the right-hand column", 10.0)
    second = ((194.5, 607.8, 286.4, 617.78), "We set n = 200 that", 10.0)
    texts = [text for _, text, _ in _merge_baselines([second, other, first])]
    assert "deep model of over 1000 layers. We set n = 200 that" in texts
    assert "an unrelated line of the right-hand column" in texts


def test_superscript_characters_become_powers():
    span = {"text": "a rate of 10⁻⁴ over 2¹⁶ tokens, x² and 10³-layer", "flags": 4, "size": 10.0, "origin": (72, 100)}
    assert line_text([span]) == "a rate of 10^−4 over 2^16 tokens, x² and 10^3-layer"


def test_rebuilt_powers_parse_as_their_value():
    from reader_app.workflow.numbers import parse_number
    assert parse_number("10^−4") == pytest.approx(1e-4)
    assert parse_number("3 × 10^−4") == pytest.approx(3e-4)
    assert parse_number("2^16") == 65536
    assert parse_number("10^3") == 1000


def test_et_al_and_etc_end_a_sentence_when_the_next_word_opens_one():
    assert sentences("This follows Vaswani et al. We then add a gate.") == ["This follows Vaswani et al.",
                                                                           "We then add a gate."]
    assert sentences("We tried dropout, noise, etc. The gate helped most.") == [
        "We tried dropout, noise, etc.", "The gate helped most."]
    assert sentences("As Vaswani et al. (2017) showed, it works.") == ["As Vaswani et al. (2017) showed, it works."]
