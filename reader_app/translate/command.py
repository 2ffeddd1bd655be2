"""`reader-app translate FILE --to tfjs -o DIR`: the model as TF.js code, a Layers model and its weights."""
from __future__ import annotations

import importlib
import shutil
import tempfile
import threading
import time

from reader_app.cli_errors import fail as _fail
from reader_app.trace.specs import SpecError, parse_arg


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "translate", help="translate the model to TensorFlow.js (model.js, model.json + weights) and check it in Node",
        description="Build the model and run forward() once in a child process, then write it as TF.js: "
                    "model.js (readable, a comment per PyTorch line), model.json + weights.bin "
                    "(tf.loadLayersModel), layers.js (custom layers). When Node.js and tfjs are installed, the "
                    "TF.js model is run on the same input and compared with PyTorch. Exit status 2 with one "
                    "sentence when the model cannot be translated.")
    p.add_argument("path", help="repository folder or .py file")
    p.add_argument("--class", dest="class_name", metavar="NAME", help="class or factory (default: main model)")
    p.add_argument("--arg", action="append", default=[], metavar="NAME=VALUE",
                   help="constructor or config value, e.g. --arg hidden_size=64 (repeatable)")
    p.add_argument("--input", action="append", default=[], metavar="SPEC",
                   help='forward() input, e.g. --input "x=1,50,5" (repeatable; fixes the TF.js input shape)')
    p.add_argument("--checkpoint", metavar="STATE_DICT.pt", help="weights to export (default: the initial ones)")
    p.add_argument("--to", choices=("tfjs",), required=True, help="target framework (tfjs)")
    p.add_argument("-o", "--out", required=True, metavar="DIR", help="folder for the files")
    p.add_argument("--device", choices=("cpu", "meta"), default="cpu",
                   help="cpu (default: weights exported) or meta (architecture only, no weights)")
    p.add_argument("--no-check", action="store_true", help="do not run the TF.js model in Node")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds before the model's code is stopped")
    p.add_argument("--python", dest="interpreter", metavar="INTERPRETER", help="Python with torch that runs the model")
    p.set_defaults(func=handle)


class _Preload:
    """A module imported on a thread of its own once `start` is called, so that the command line loads the
    translator (numpy and the lowering, about a fifth of a second) while the model's child process runs
    rather than before it. Started from the child's first progress line: the model's child has then imported
    torch, and this process parses nothing else until it asks for the module (issue 16: imports and
    ast.parse must not overlap across threads). Command line only: the window imports the engine on its
    main thread (ui/translate/translate_controller.py).
    """

    def __init__(self, name: str):
        self.name, self._thread = name, None

    def start(self, _message: str = "") -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=importlib.import_module, args=(self.name,), daemon=True)
            self._thread.start()

    def module(self):
        if self._thread is not None:
            self._thread.join()
        return importlib.import_module(self.name)


def _translate(request, out_dir: str):
    """translate(request, out_dir), with the translator loaded while the model's child runs."""
    from reader_app.trace.describe import run_describe

    started, engine = time.perf_counter(), _Preload("reader_app.translate.engine")
    scratch = tempfile.mkdtemp(prefix="reader-translate-")
    try:
        description = run_describe(request, scratch, progress=engine.start)
        return engine.module().from_description(description, out_dir, started)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def handle(args) -> int:
    from reader_app.sandbox.launch import announce
    from reader_app.translate.request import TranslateRequest

    try:
        overrides = dict(parse_arg(text) for text in args.arg)
    except SpecError as exc:
        return _fail(str(exc))
    announce("translate")
    request = TranslateRequest(path=args.path, class_name=args.class_name, args=overrides, inputs=list(args.input),
                               device=args.device, timeout=args.timeout, interpreter=args.interpreter,
                               checkpoint=args.checkpoint, symbolic=False)
    result = _translate(request, args.out)
    if result.error:
        return _fail(result.error)
    print(f"{result.summary()}  ({result.class_name} in {result.file})")
    for name, path in result.files.items():
        print(f"  wrote {path}")
    for note in result.notes:
        print(f"note: {note}")
    if result.problems:
        for problem in result.problems:
            print(f"not translated: {problem.text()}")
        first = result.problems[0]
        return _fail(f"{len(result.problems)} part(s) of {result.class_name} have no faithful TF.js translation "
                     f"(first: {first.text()}); model.js lists them and model.json was not written")
    if not result.with_weights:
        print("architecture only (meta device): model.json lists the weights but no weights.bin was written")
        return 0
    if args.no_check:
        return 0
    from reader_app.translate.check import check_translation

    check = check_translation(args.out)
    print(("check: " if check.ran else "check skipped: ") + check.message)
    return 1 if check.ran and not check.ok else 0
