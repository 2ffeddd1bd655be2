"""`reader-app trace PATH`: tensor shapes through every layer and forward() line of a model."""
from __future__ import annotations

import json
import os
import sys

from reader_app.cli_errors import fail as _fail
from reader_app.envs.store import python_for
from reader_app.sandbox.launch import announce
from reader_app.trace.request import TraceRequest
from reader_app.trace.result import TraceResult, dims_text
from reader_app.trace.runner import run_trace
from reader_app.trace.specs import SpecError, parse_arg


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "trace", help="run a model on example inputs in a child process and show the shape at every layer and line",
        description="Build the model with zero configuration (on the meta device: no weight memory), make "
                    "example inputs, and print the tensor shapes of every layer call and every forward() line. "
                    "Exit status 2 with one sentence on stderr when the trace cannot finish.")
    p.add_argument("path", help="repository folder or .py file")
    p.add_argument("--class", dest="class_name", metavar="NAME", help="class or factory to trace (default: main model)")
    p.add_argument("--arg", action="append", default=[], metavar="NAME=VALUE",
                   help="constructor or config value, e.g. --arg dim=4096 (repeatable)")
    p.add_argument("--input", action="append", default=[], metavar="SPEC",
                   help='forward() input, e.g. --input "x=2,16:long" (repeatable)')
    p.add_argument("--device", choices=("meta", "cpu"), default="meta", help="meta (default) or cpu")
    p.add_argument("--json", action="store_true", help="print the full result as JSON")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds before the model's code is stopped")
    p.add_argument("--python", dest="interpreter", metavar="INTERPRETER",
                   help="Python with torch that runs the model (default: the repository's environment "
                        "when `reader-app env create` made one, else this one)")
    p.add_argument("--no-lines", action="store_true", help="skip per-line shapes (layers only)")
    p.add_argument("--memory-mb", type=int, default=None, metavar="MB",
                   help="address-space cap for the model's process (default: 8192, or 60%% of RAM if less)")
    p.set_defaults(func=handle)



def handle(args) -> int:
    try:
        overrides = dict(parse_arg(text) for text in args.arg)
    except SpecError as exc:
        return _fail(str(exc))
    request = TraceRequest(path=args.path, class_name=args.class_name, args=overrides, inputs=list(args.input),
                           device=args.device, timeout=args.timeout,
                           interpreter=args.interpreter or python_for(args.path),  # the repository's own env
                           per_line=not args.no_lines)
    if args.memory_mb:
        request.memory_mb = args.memory_mb
    try:
        problem = request.validate()
    except SpecError as exc:
        problem = str(exc)
    if not problem:  # bad input gets its one sentence alone; code that is about to run gets the consent line
        announce("trace")
    result = run_trace(request)
    try:
        if args.json:
            print(json.dumps(result.to_json(), indent=1))
        else:
            print_summary(result)
        sys.stdout.flush()
    except BrokenPipeError:  # `reader-app trace ... | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if result.error is not None:
        where = f" ({result.error.file}:{result.error.line})" if result.error.file and result.error.line else ""
        return _fail(f"{result.error.message}{where}")
    return 0


def print_summary(result: TraceResult, out=sys.stdout) -> None:
    if not result.class_name and result.error is not None:
        return
    device = result.device + (f" (fell back: {result.fallback_reason})" if result.fallback_reason else "")
    print(f"{result.class_name} in {result.file}  device: {device}  {result.elapsed:.1f} s", file=out)
    if result.route:
        print(result.route, file=out)
    if result.args:
        print("args: " + ", ".join(f"{k}={v}" + _source_text(result.arg_sources.get(k))
                                   for k, v in result.args.items()), file=out)
    for tensor in result.inputs:
        print(f"input {tensor.name}: {dims_text(tensor.dims)} {tensor.dtype}"
              + _source_text({"from": tensor.source}), file=out)
    if result.layers:
        print("\nlayers:", file=out)
    for layer in result.layers:
        for call in layer.calls[:1]:
            more = f"  (x{len(layer.calls)})" if len(layer.calls) > 1 else ""
            print(f"  {layer.name or '(model)'} [{layer.type}] line {layer.line}: {call.text()}{more}", file=out)
    current = None
    for entry in result.lines:
        if entry.file != current:
            current = entry.file
            print(f"\n{current}:", file=out)
        print(f"  {entry.line:5d}  # {entry.hint()}", file=out)
    for warning in result.warnings:
        print(f"note: {warning}", file=out)
    for line in result.degraded:
        print(f"degraded: {line}", file=out)


def _source_text(source: dict | None) -> str:
    where = (source or {}).get("from")
    return "" if where in (None, "", "default", "--arg", "--input") else f" ({where})"
