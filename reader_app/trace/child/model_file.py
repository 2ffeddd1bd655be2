"""Import the user's model file (a module the way the repository's scripts import it, or a notebook's
definitions) and guess the class to trace in it."""
from __future__ import annotations

import ast
import importlib
import inspect
import sys
import types

from reader_app.trace.child.module_names import package_root, script_roots


def import_model_file(file: str, repo_root: str) -> types.ModuleType:
    """Import `file` the way the repository's own scripts would (repo root, the folder its absolute imports of
    the repository are rooted at, and package parent on sys.path)."""
    notebook = file.endswith(".ipynb")
    folder, dotted = package_root(file, None if notebook else repo_root)
    roots = [] if notebook else script_roots(file, repo_root)  # `import models.x` run from codes/
    for entry in (repo_root, *roots, folder):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    if notebook:
        return _import_notebook(file)
    return importlib.import_module(dotted)


def notebook_text(file: str) -> str:
    """A notebook's code cells as one text, numbered the way the repository view shows it: a
    `# %% [cell N]` line before each cell, IPython-only lines (%, !, obj?) kept as comments."""
    import json

    with open(file, encoding="utf-8") as fh:
        data = json.load(fh)
    cells = data.get("cells")
    if cells is None:
        cells = [c for sheet in data.get("worksheets", []) for c in sheet.get("cells", [])]
    out, number = [], 0
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        number += 1
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        lines = [f"# {line}" if line.lstrip().startswith(("%", "!")) or line.rstrip().endswith("?") else line
                 for line in text.splitlines()]
        try:
            ast.parse("\n".join(lines))
        except (SyntaxError, ValueError):
            lines = [f"# {line}" for line in lines]
        out.append(f"# %% [cell {number}]")
        out.extend(lines)
        out.append("")
    return "\n".join(out) + "\n"


# Top-level statements worth running from a notebook: definitions, not the training loop.
_DEFINITIONS = (ast.Import, ast.ImportFrom, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _import_notebook(file: str) -> types.ModuleType:
    """Run a notebook's imports, definitions and constant assignments as one module."""
    import linecache

    text = notebook_text(file)
    linecache.cache[file] = (len(text), None, text.splitlines(True), file)  # inspect.getsource reads this
    tree = ast.parse(text, file)
    tree.body = [node for node in tree.body if isinstance(node, _DEFINITIONS) or (
        isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant))]
    module = types.ModuleType("notebook_model")
    module.__file__ = file
    sys.modules[module.__name__] = module
    from reader_app.trace.child.degrade import lenient
    from reader_app.trace.child.probes import instrument

    exec(compile(instrument(lenient(tree), file), file, "exec"), module.__dict__)
    return module


def module_classes(module: types.ModuleType, base: type) -> list[type]:
    """Subclasses of `base` defined in `module` itself, in source order."""
    found = [obj for obj in vars(module).values()
             if inspect.isclass(obj) and issubclass(obj, base) and obj.__module__ == module.__name__]
    return sorted(found, key=lambda c: _first_line(c))


def _first_line(obj) -> int:
    try:
        return inspect.getsourcelines(obj)[1]
    except (OSError, TypeError):
        return 0


def guess_main_class(module: types.ModuleType, base: type) -> type | None:
    """The module class no other module class in the file uses: the top of the composition tree."""
    classes = module_classes(module, base)
    if not classes:
        return None
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError, SyntaxError):
        return classes[-1]
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for sub in ast.walk(node):
                if isinstance(sub, ast.Name) and sub.id != node.name:
                    used.add(sub.id)
    roots = [c for c in classes if c.__name__ not in used]
    pool = roots or classes
    # The largest class (most source lines) is the likeliest whole model among several roots.
    return max(pool, key=lambda c: (len(inspect.getsource(c).splitlines()), _first_line(c)))
