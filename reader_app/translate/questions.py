"""Comprehension questions generated from the trace of any model, with answers checked against the trace.

  - What is the output shape of `fc`?             (a layer's traced output, symbolic dims accepted)
  - Which layer compresses its input to 8 dimensions?   (the narrowest layer that narrows its input)
  - How many layers does __init__ build?          (the modules the model's own __init__ assigns)
  - What does forward() return?                   (the model's traced output shape)
  - What shape does forward() take?               (the traced input)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader_app.trace.result import TraceResult, dims_text

ALIASES = {"batch": {"b", "n", "bs", "batch", "batch_size", "bsz"},
           "seq_len": {"t", "l", "s", "seq", "seq_len", "seqlen", "time", "steps", "length", "sequence"},
           "height": {"h", "height"}, "width": {"w", "width"}, "length": {"l", "length", "t"}}
SKIP_TYPES = {"Dropout", "Identity", "Sequential", "ModuleList", "ModuleDict"}


@dataclass
class Question:
    """One question about the traced model.

    Attributes:
        id: stable key ("output_shape:fc"); kind: output_shape, compresses, init_layers, returns, input_shape;
        text: the question; answer: the expected answer as text; expected: the same as plain data
        (dims list, a layer name, a count); choices: layer names to pick from (for "which layer" questions);
        where: (file, line) the answer can be read at; explanation: why that is the answer.
    """

    id: str
    kind: str
    text: str
    answer: str
    expected: object
    choices: list = field(default_factory=list)
    where: tuple = (None, 0)
    explanation: str = ""


@dataclass
class Verdict:
    """A checked answer.

    Attributes:
        ok: it matches the trace; message: one sentence (the right answer and where to read it when wrong).
    """

    ok: bool
    message: str


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[\s,()\[\]x×*]+", text.lower().replace("torch.size", "")) if t]


def _dims_match(expected: list[str], shape: list[int], text: str) -> bool:
    tokens = _tokens(text)
    if len(tokens) != len(expected):
        return False
    for token, dim, size in zip(tokens, expected, shape):
        if dim.isdigit():
            if token != dim:
                return False
        elif not (token in ALIASES.get(dim, {dim}) or token == dim.lower() or token == str(size)
                  or (dim.isidentifier() and token.isdigit() and int(token) > 0)):  # a free size: any run's
            return False
    return True


def _main_calls(trace: TraceResult):
    model = trace.layer("")
    return model.calls[0] if model and model.calls else None


def _shape_questions(trace: TraceResult, limit: int) -> list[Question]:
    found = []
    for layer in trace.layers:
        if not layer.name or layer.type in SKIP_TYPES or not layer.calls or not layer.calls[0].out_dims:
            continue
        call = layer.calls[0]
        dims = call.out_dims[0]
        found.append(Question(f"output_shape:{layer.name}", "output_shape",
                              f"What is the output shape of `{layer.name}` ({layer.type})?", dims_text(dims),
                              {"dims": dims, "shape": call.outputs[0]}, where=(layer.file, layer.line),
                              explanation=f"{layer.name} is called at {call.file}:{call.line}: {call.text()}"))
    # spread over the model: the first, the last and some between
    if len(found) > limit:
        step = (len(found) - 1) / (limit - 1)
        found = [found[round(i * step)] for i in range(limit)]
    return found


def _features(shape: list) -> int:
    """The feature size of a tensor: channels for images (N, C, H, W), else the last dimension."""
    return shape[1] if len(shape) >= 4 else shape[-1]


def _compressing(trace: TraceResult) -> Question | None:
    """The bottleneck: the narrowest layer that narrows its input (to 2 or more features; a 1-unit score is
    not a compression), not counting the last layer, whose width is the output's."""
    called = [l for l in trace.layers if l.name and l.calls and l.type not in SKIP_TYPES]
    last = max(called, key=lambda l: (l.calls[-1].line, trace.layers.index(l)), default=None)
    best = None
    for layer in called:
        call = layer.calls[0]
        if layer is last or not call.inputs or not call.outputs or not call.inputs[0] or not call.outputs[0]:
            continue
        into, out = _features(call.inputs[0]), _features(call.outputs[0])
        if 2 <= out < into and (best is None or out < best[1] or (out == best[1] and layer.name.count(".") <
                                                                    best[0].name.count("."))):
            best = (layer, out, into)
    if best is None:
        return None
    layer, out, into = best
    choices = [l.name for l in called][:12]
    return Question("compresses", "compresses", f"Which layer compresses its input to {out} dimensions?",
                    layer.name, layer.name, choices, (layer.file, layer.line),
                    f"{layer.name} ({layer.type}, line {layer.line}) maps {into} features to {out}")


def _init_layers(trace: TraceResult) -> Question | None:
    top = [l for l in trace.layers if l.name and "." not in l.name]
    if not top:
        return None
    model = trace.layer("")
    return Question("init_layers", "init_layers", f"How many layers does {trace.class_name}.__init__ build?",
                    str(len(top)), len(top), where=(model.file if model else trace.file, model.line if model else 0),
                    explanation=f"__init__ assigns {len(top)} modules: {', '.join(l.name for l in top)}")


def _returns(trace: TraceResult) -> list[Question]:
    call = _main_calls(trace)
    found = []
    if call is not None and call.out_dims:
        answer = " and ".join(dims_text(d) for d in call.out_dims)
        found.append(Question("returns", "returns", "What does forward() return (its shape)?",
                              ("a tuple: " if len(call.out_dims) > 1 else "a tensor of shape ") + answer,
                              {"dims": call.out_dims[0], "shape": call.outputs[0]}, where=(trace.file, 0),
                              explanation=f"the model returns {answer}"))
    if trace.inputs:
        first = trace.inputs[0]
        found.append(Question("input_shape", "input_shape", f"What shape does forward() take for `{first.name}`?",
                              dims_text(first.dims), {"dims": first.dims, "shape": first.shape}, where=(trace.file, 0),
                              explanation=f"the trace ran forward() with {first.text()}"))
    return found


def questions_for(trace: TraceResult, shape_questions: int = 3) -> list[Question]:
    """Questions answerable from this trace (none when the trace failed)."""
    if trace.error is not None or not trace.layers:
        return []
    found = _shape_questions(trace, shape_questions)
    for extra in (_compressing(trace), _init_layers(trace)):
        if extra is not None:
            found.append(extra)
    return found + _returns(trace)


def check_answer(question: Question, text: str) -> Verdict:
    """Check a typed (or picked) answer against the trace."""
    given = text.strip()
    where = f" ({question.where[0]}:{question.where[1]})" if question.where[0] and question.where[1] else ""
    wrong = Verdict(False, f"Not quite: {question.answer}; {question.explanation}{where}")
    if not given:
        return Verdict(False, "Type an answer first")
    if question.kind in ("output_shape", "returns", "input_shape"):
        text = re.sub(r"^(a )?(tensor|tuple)( of shape)?:?\s*", "", given.lower())
        ok = _dims_match(question.expected["dims"], question.expected["shape"], text)
    elif question.kind == "compresses":
        name = given.strip("`'\" ").removeprefix("self.")
        ok = name == question.expected or (question.expected.endswith("." + name) and
                                           sum(c.endswith("." + name) or c == name for c in question.choices) == 1)
    else:
        numbers = re.findall(r"\d+", given)
        ok = len(numbers) == 1 and int(numbers[0]) == question.expected
    return Verdict(True, f"Right: {question.explanation}") if ok else wrong
