"""Regenerate the bundled sample paper: `python -m reader_app.sample [OUT.pdf]`.

The generator itself lives with the resources it makes (resources/sample/make_paper.py); this
module only finds it and runs it, so the package needs no copy of the paper's text.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from reader_app.paths import resources_dir, sample_paper


def generator_module() -> ModuleType:
    """Load resources/sample/make_paper.py as a module."""
    path = resources_dir() / "sample" / "make_paper.py"
    spec = importlib.util.spec_from_file_location("reader_sample_make_paper", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here while it executes
    spec.loader.exec_module(module)
    return module


def build_sample_paper(out: Path | str | None = None) -> Path:
    """Write the sample paper to `out` (default: the bundled sample_paper.pdf) and return its path."""
    target = Path(out) if out else sample_paper()
    generator_module().build_paper(target)
    return target


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = build_sample_paper(args[0] if args else None)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
