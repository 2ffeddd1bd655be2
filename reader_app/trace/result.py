"""TraceResult: what a trace found, in the JSON shape the CLI prints and the window shows."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Where an input came from, besides a repository line ("README.md:37"): the reader's --input, or made up.
INPUT_GIVEN = "--input"
INPUT_GUESS = "guess"

# The trace child's sentences for a value or a package it could not get (trace/child/construct.py, loader.py
# and session.py); test_ui_trace_missing traces repositories that produce each, so a rewording fails there.
_NO_VALUE = re.compile(r"cannot guess a value for the argument '([\w.]+)'")
# A part the repository builds and hands to the argument, which cannot be built here (trace/child/stated_parts.py)
_PART = re.compile(r"^\w+ needs a value for the argument '([\w.]+)': ")
_BLIND = re.compile(r"16 was a blind guess for ([\w.]+)")
_PACKAGE = re.compile(r"needs the package '([\w.]+)'")
_LISTED = re.compile(r"the repository lists it in ([^;:]+:\d+)")


def label_inputs(report: dict, given: bool) -> dict:
    """Every input of a child's report says where it came from: an input the child did not place at a
    repository line came from the reader's --input when `given`, else it was generated: a guess."""
    for entry in report.get("inputs") or []:
        entry["from"] = entry.get("from") or (INPUT_GIVEN if given else INPUT_GUESS)
    return report


def dims_text(dims: list[str]) -> str:
    return "(" + ", ".join(dims) + ")"


@dataclass
class TensorInfo:
    """A named tensor: a forward() input or a tensor a line produced.

    Attributes:
        name: argument or variable name ("return" for a returned value).
        shape: sizes in the first run.
        dims: symbolic names per dim ("batch", "seq_len", "64").
        dtype: dtype name for inputs, "" for line tensors.
        source: for inputs, where this shape came from: the repository line that states it ("README.md:37"),
            INPUT_GIVEN ("--input", the reader's) or INPUT_GUESS ("guess", generated from forward()); "" for
            line tensors.
    """

    name: str
    shape: list[int]
    dims: list[str]
    dtype: str = ""
    source: str = ""

    def text(self) -> str:
        return f"{self.name}: {dims_text(self.dims)}"

    def spec(self) -> str:
        """The `--input` text that makes this input again ("x=2,16:int64"), for a pre-filled form."""
        return f"{self.name}={','.join(str(d) for d in self.shape)}:{self.dtype or 'float32'}"


@dataclass
class LayerCall:
    """One call of a layer.

    Attributes:
        file, line: the repository line that made the call (file relative to the repo root).
        inputs, outputs: tensor shapes; in_dims, out_dims: the same, named symbolically.
    """

    file: str | None
    line: int
    inputs: list[list[int]]
    outputs: list[list[int]]
    in_dims: list[list[str]]
    out_dims: list[list[str]]

    def text(self) -> str:
        ins = ", ".join(dims_text(d) for d in self.in_dims) or "()"
        outs = ", ".join(dims_text(d) for d in self.out_dims) or "()"
        return f"in {ins} -> out {outs}"


@dataclass
class Layer:
    """A module of the model with its calls.

    Attributes:
        name: qualified name ("layers.0.attention.wq"; "" is the model itself).
        type: class name.
        file, line: where it is defined (the `self.x = ...` line), relative to the repo root.
        calls: its calls in order (empty when the forward never used it).
    """

    name: str
    type: str
    file: str | None
    line: int
    calls: list[LayerCall] = field(default_factory=list)


@dataclass
class LineShapes:
    """The tensors one line of repository code produced.

    Attributes:
        file, line: where (file relative to the repo root).
        tensors: what the line made, distinct by name and shape.
    """

    file: str
    line: int
    tensors: list[TensorInfo]

    def hint(self) -> str:
        """The comment a careful author would write: `x: (batch, seq_len, 64)`."""
        return "; ".join(t.text() for t in self.tensors)


@dataclass
class Missing:
    """What the model could not be built or imported without: a constructor value or a package.

    Attributes:
        kind: "value" or "package".
        name: the argument ("blk", "encoder.depth") or the top-level package ("timm").
        listed: for a package, where the repository's requirements list it ("requirements.txt:3"), or "".
        blind: for a value, 16 was guessed for it (the build then failed) rather than nothing at all.
        said: the trace's own sentence when it says more than the name can (where the repository builds the
            part handed to the argument, and the package or checkpoint file it lacks), else "".
    """

    kind: str
    name: str
    listed: str = ""
    blind: bool = False
    said: str = ""


@dataclass
class TraceError:
    """Why the trace stopped, placed at a line when one is known.

    Attributes:
        message: one sentence.
        file, line: where (file relative to the repo root; line 0 when unknown).
    """

    message: str
    file: str | None = None
    line: int = 0

    def missing(self) -> Missing | None:
        """The value or package the trace stopped for, when that is why it stopped."""
        found = _PART.search(self.message)
        if found:
            return Missing("value", found.group(1), said=self.message)
        found = _NO_VALUE.search(self.message)
        if found:
            return Missing("value", found.group(1))
        found = _PACKAGE.search(self.message)
        if found:
            listed = _LISTED.search(self.message)
            return Missing("package", found.group(1), listed.group(1).strip() if listed else "")
        found = _BLIND.search(self.message)
        return Missing("value", found.group(1), blind=True) if found else None


@dataclass
class TraceResult:
    """The outcome of one trace, complete or partial.

    Attributes:
        file, class_name: the traced file (relative to root) and class or factory.
        root: the repository folder the relative paths start from.
        device: "meta" or "cpu" (the one actually used).
        args: constructor values used, flat (config fields included).
        arg_sources: name -> {"value", "from"}: where each value came from ("README.md:42", "default",
            "guess", "blind guess", "--arg", "set by x.py:45 from tokenizer.vocab_size(); guessed" for a
            field a script sets from what only a run knows).
        degraded: one line per thing the import had to work around (a missing package stood in, a
            failing module statement skipped, a NumPy alias shimmed).
        inputs: forward() inputs made.
        layers: every module with its calls.
        lines: per-line shapes.
        error: None on success.
        fallback_reason: why meta fell back to the CPU, or None.
        warnings: notes (unused overrides, missing packages that were not needed, factory used).
        reached_output: the model's forward returned.
        route: when forward() is not the model's API, the sentence saying what was traced instead (a method
            its examples call, the networks it holds), else "".
        elapsed: wall seconds, child start to result.
        timings: child phase -> seconds since the session started (import, build, forward, symbolic).
    """

    file: str = ""
    class_name: str = ""
    root: str = ""
    device: str = "meta"
    args: dict = field(default_factory=dict)
    arg_sources: dict = field(default_factory=dict)
    degraded: list[str] = field(default_factory=list)
    inputs: list[TensorInfo] = field(default_factory=list)
    layers: list[Layer] = field(default_factory=list)
    lines: list[LineShapes] = field(default_factory=list)
    error: TraceError | None = None
    fallback_reason: str | None = None
    warnings: list[str] = field(default_factory=list)
    reached_output: bool = False
    route: str = ""
    elapsed: float = 0.0
    timings: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None and self.reached_output

    def layer(self, name: str) -> Layer | None:
        return next((layer for layer in self.layers if layer.name == name), None)

    def lines_for(self, file: str) -> dict[int, LineShapes]:
        """line number -> shapes, for one repository file (relative path)."""
        return {entry.line: entry for entry in self.lines if entry.file == file}

    @classmethod
    def failed(cls, message: str, file: str = "", line: int = 0, **fields) -> "TraceResult":
        return cls(file=file, error=TraceError(message, file or None, line), **fields)

    def to_json(self) -> dict:
        return {
            "file": self.file, "class": self.class_name, "root": self.root, "device": self.device,
            "args": self.args, "arg_sources": self.arg_sources, "degraded": self.degraded,
            "inputs": [{"name": t.name, "shape": t.shape, "dtype": t.dtype, "dims": t.dims,
                        **({"from": t.source} if t.source else {})} for t in self.inputs],
            "layers": [{"name": l.name, "type": l.type, "file": l.file, "line": l.line,
                        "calls": [{"file": c.file, "line": c.line, "in": c.inputs, "out": c.outputs,
                                   "in_dims": c.in_dims, "out_dims": c.out_dims} for c in l.calls]}
                       for l in self.layers],
            "lines": [{"file": e.file, "line": e.line,
                       "tensors": [{"name": t.name, "shape": t.shape, "dims": t.dims} for t in e.tensors]}
                      for e in self.lines],
            "error": None if self.error is None else {"message": self.error.message, "file": self.error.file,
                                                      "line": self.error.line},
            "fallback_reason": self.fallback_reason, "warnings": self.warnings,
            "reached_output": self.reached_output, "elapsed": round(self.elapsed, 3), "timings": self.timings,
            **({"route": self.route} if self.route else {}),
        }

    @classmethod
    def from_json(cls, data: dict) -> "TraceResult":
        error = data.get("error")
        return cls(
            file=data.get("file") or "", class_name=data.get("class") or "", root=data.get("root") or "",
            device=data.get("device") or "meta", args=data.get("args") or {},
            arg_sources=dict(data.get("arg_sources") or {}), degraded=list(data.get("degraded") or []),
            inputs=[TensorInfo(t["name"], t["shape"], t["dims"], t.get("dtype", ""), t.get("from", ""))
                    for t in data.get("inputs", [])],
            layers=[Layer(l["name"], l["type"], l.get("file"), l.get("line") or 0,
                          [LayerCall(c.get("file"), c.get("line") or 0, c["in"], c["out"],
                                     c.get("in_dims") or [[str(d) for d in s] for s in c["in"]],
                                     c.get("out_dims") or [[str(d) for d in s] for s in c["out"]])
                           for c in l.get("calls", [])])
                    for l in data.get("layers", [])],
            lines=[LineShapes(e["file"], e["line"], [TensorInfo(t["name"], t["shape"], t["dims"])
                                                     for t in e["tensors"]]) for e in data.get("lines", [])],
            error=None if not error else TraceError(error["message"], error.get("file"), error.get("line") or 0),
            fallback_reason=data.get("fallback_reason"), warnings=list(data.get("warnings") or []),
            reached_output=bool(data.get("reached_output")), route=data.get("route") or "",
            elapsed=float(data.get("elapsed") or 0.0),
            timings=dict(data.get("timings") or {}),
        )
