"""README code blocks read as the Python a user would type: which of the repository's classes they import
and build, in what order, and which built model they hand to which class.

A block that parses is read with the same name resolution as the repository's own files, so
`from pkg import Unet` follows the package `__init__` re-export to the file that defines that `Unet`,
even when four files define a class of that name. A block that does not parse (shell lines, elisions)
is read line by line with regular expressions, as a fallback.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from reader_app.repo.graph import PASSTHROUGH_METHODS, GraphBuilder
from reader_app.repo.index import ParsedFile, RepoIndex, _read_module_names
from reader_app.repo.walk import SourceFile

FENCE = re.compile(r"^\s*(```|~~~)")
FROM_IMPORT = re.compile(r"from\s+([\w.]+)\s+import\s+(\([^)]*\)|[^\n#]+)")
PLAIN_IMPORT = re.compile(r"^\s*import\s+([\w.]+)(?:\s+as\s+(\w+))?", re.M)
CALL = re.compile(r"(?<![\w.])([A-Za-z_][\w.]*)\s*\(")
# Lines a notebook-style block carries that are not Python (`!pip install`, `$ python train.py`, `%matplotlib`).
NOT_PYTHON = re.compile(r"^\s*[!$%]")


@dataclass
class ReadmeCode:
    """What the README's code says about the repository's classes.

    Attributes:
        usage: class qualname -> the first place a block imports or builds it, with how.
        built: class qualnames in the order the README first builds them (its lead example first).
        handoffs: (class qualname, __init__ parameter) -> the classes whose instances a block hands there
            (`diffusion = GaussianDiffusion(model)` with `model = Unet(...)`).
        functions: (function, its file, README place) for each repository function a block calls to build
            something that is no class of the repository (`MLPMixer(...)` returning an nn.Sequential).
        blocks: (README rel, first line of the block, {class or function model qualname: line it builds it},
            classes it imports) per block, in reading order: what each block shows, for reading its prose.
        variants: class qualname -> phrase, for the classes the README shows only in blocks its prose
            introduces as optional variants (readme_variants.py).
        files: the blocks as parsed files; kept alive because the graph builder caches by object id.
    """

    usage: dict[str, str] = field(default_factory=dict)
    built: list[str] = field(default_factory=list)
    handoffs: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    functions: list[tuple[str, str, str]] = field(default_factory=list)
    blocks: list[tuple[str, int, dict[str, int], set[str]]] = field(default_factory=list)
    variants: dict[str, str] = field(default_factory=dict)
    files: list[ParsedFile] = field(default_factory=list)


def code_blocks(text: str) -> list[tuple[int, str]]:
    """(first line number, code) of fenced blocks and `>>>` lines of a Markdown text."""
    blocks, current, start, inside = [], [], 0, False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            if inside:
                blocks.append((start, "\n".join(current)))
            inside, current, start = not inside, [], number + 1
        elif inside:
            current.append(line)
        elif line.lstrip().startswith(">>> "):
            blocks.append((number, line.lstrip()[4:]))
    return blocks


def read_readmes(index: RepoIndex, builder: GraphBuilder, readmes: list[tuple[SourceFile, str]]) -> ReadmeCode:
    """Every code block of the READMEs (shallowest first), in reading order."""
    found = ReadmeCode()
    for source, text in readmes:
        imports: dict[str, str] = {}  # a later block often relies on an earlier block's imports
        for first, code in code_blocks(text):
            functions_before = len(found.functions)
            pf = _as_file(source, code, imports)
            place = f"{source.rel}:{{}}".format
            hits = (_parsed_usage(index, builder, pf, found, lambda line: place(first + line - 1)) if pf is not None
                    else _text_usage(index, builder, code))
            built: dict[str, int] = {}
            for name, rel, where in found.functions[functions_before:]:  # function models this block builds
                module = index.by_rel[rel].module if rel in index.by_rel else ""
                built.setdefault(f"{module}.{name}" if module else name, int(where.rsplit(":", 1)[1]))
            for qualname, line, how, builds in hits:
                found.usage.setdefault(qualname, f"{source.rel}:{first + line - 1} {how}")
                if builds:
                    built.setdefault(qualname, first + line - 1)
                if builds and qualname not in found.built:
                    found.built.append(qualname)
            found.blocks.append((source.rel, first, built, {q for q, _, _, builds in hits if not builds}))
    return found


def _as_file(source: SourceFile, code: str, imports: dict[str, str]) -> ParsedFile | None:
    """The block as a parsed module of its own, seeing the imports of the blocks above it; None if it
    is not Python."""
    lines = ["" if NOT_PYTHON.match(line) else line for line in code.splitlines()]
    try:
        tree = ast.parse("\n".join(lines))
    except (SyntaxError, ValueError):
        return None
    block = SourceFile(source.rel, Path(source.path), len(code), "python", "\n".join(lines))
    pf = ParsedFile(block, tree, "", lines=lines)
    pf.imports.update(imports)
    _read_module_names(pf)
    imports.update(pf.imports)
    return pf


def _parsed_usage(index: RepoIndex, builder: GraphBuilder, pf: ParsedFile, found: ReadmeCode,
                  place) -> list[tuple[str, int, str, bool]]:
    """(class, line, phrase, builds) for a parsed block; records its hand-offs and the repository functions
    it builds with in `found` (`place(line)` names a block line as README.md:N)."""
    found.files.append(pf)
    bindings = builder.bindings(pf, pf.tree)
    strings = {t.id: n.value.value for n in pf.scope(pf.tree) if isinstance(n, ast.Assign)
               and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
               for t in n.targets if isinstance(t, ast.Name)}
    out = []
    calls = sorted((n for n in pf.deep(pf.tree) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset))
    for node in calls:
        if isinstance(node.func, ast.Attribute) and node.func.attr in PASSTHROUGH_METHODS:
            continue  # `Net(...).cuda()`: the inner call is the one that builds
        picked = _picked_by_name(pf, node.func, strings)
        classes = (_chain_classes(builder, pf, picked) if picked is not None
                   else builder.value_classes(pf, node, bindings) or _by_unique_name(index, pf, node.func))
        how = f"builds it: `{' '.join(pf.segment(node.func).split())}(...)`"
        if picked is not None:
            how += f", picking '{picked.attr}'"
        for qualname in sorted(classes):
            out.append((qualname, node.lineno, how, True))
        if not classes and picked is None:
            function = index.function_at(index.resolve(pf, node.func))
            if function is not None and function[0] is not pf and returned_container(function[0], function[1]) is not None:
                found.functions.append((function[1].name, function[0].rel, place(node.lineno)))
    for node in calls:
        parent = builder.class_of_chain(pf, node.func) or _single(index, _by_unique_name(index, pf, node.func))
        if parent is None:
            continue
        params = _init_params(index, parent)
        handed = [(params[i] if i < len(params) else None, a) for i, a in enumerate(node.args)]
        handed += [(k.arg, k.value) for k in node.keywords]
        for param, arg in handed:
            inner = builder.arg_classes(pf, arg, bindings) - {parent.qualname}
            if param and inner:
                found.handoffs.setdefault((parent.qualname, param), set()).update(inner)
    for node in pf.tree.body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                info = builder.class_of_chain(pf, ast.Name(id=alias.asname or alias.name, ctx=ast.Load()))
                if info is not None:
                    out.append((info.qualname, node.lineno, f"imports it: `from {node.module} import {alias.name}`",
                                False))
    return out


def _picked_by_name(pf: ParsedFile, func: ast.AST, strings: dict[str, str]) -> ast.AST | None:
    """`pkg.name` for a model picked from a package by a name the block spells out:
    `pkg.__dict__[model_name](...)` or `getattr(pkg, model_name)(...)` with `model_name = 'nasnetalarge'`.
    The README picks that one model, not everything the package offers."""
    module = key = None
    if (isinstance(func, ast.Subscript) and isinstance(func.value, ast.Attribute)
            and func.value.attr == "__dict__"):
        module, key = func.value.value, func.slice
    elif (isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "getattr"
          and len(func.args) == 2):
        module, key = func.args
    if module is None:
        return None
    name = key.value if isinstance(key, ast.Constant) else strings.get(key.id) if isinstance(key, ast.Name) else None
    if not isinstance(name, str) or not name.isidentifier():
        return None
    return ast.Attribute(value=module, attr=name, ctx=ast.Load(), lineno=func.lineno, col_offset=func.col_offset,
                         end_lineno=func.end_lineno, end_col_offset=func.end_col_offset)


def _chain_classes(builder: GraphBuilder, pf: ParsedFile, chain: ast.AST) -> set[str]:
    info = builder.class_of_chain(pf, chain)
    return {info.qualname} if info is not None else builder.produced_by(pf, chain)


def returned_container(pf: ParsedFile, func: ast.FunctionDef) -> ast.Call | None:
    """The torch container call the function returns, filled by itself (`return nn.Sequential(...)`): a model
    with no class of its own. None when it returns none."""
    for node in pf.scope(func):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Call):
            called = node.value.func
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            if name in ("Sequential", "ModuleList", "ModuleDict"):
                return node.value
    return None


def _by_unique_name(index: RepoIndex, pf: ParsedFile, func: ast.AST) -> set[str]:
    """A bare name the block never imports (an earlier block or the prose did): the one module class of
    that name, if only one exists."""
    if not isinstance(func, ast.Name) or func.id in pf.imports:
        return set()
    infos = [i for i in index.classes_by_name.get(func.id, []) if i.is_module]
    return {infos[0].qualname} if len(infos) == 1 else set()


def _single(index: RepoIndex, qualnames: set[str]):
    return index.classes.get(next(iter(qualnames))) if len(qualnames) == 1 else None


def _init_params(index: RepoIndex, info) -> list[str]:
    """__init__ parameter names without self, the class's own or its first local base's."""
    for _ in range(5):
        for node in info.node.body:
            if isinstance(node, ast.FunctionDef) and node.name == "__init__":
                args = node.args
                return [a.arg for a in args.posonlyargs + args.args][1:] + [a.arg for a in args.kwonlyargs]
        base = next((index.class_at(index.resolve(info.file, b)) for b in info.node.bases
                     if index.class_at(index.resolve(info.file, b)) not in (None, info)), None)
        if base is None:
            return []
        info = base
    return []


# --- blocks that are not Python: line by line -----------------------------------------------------------
def _text_usage(index: RepoIndex, builder: GraphBuilder, code: str) -> list[tuple[str, int, str, bool]]:
    """(class, line in block, phrase, builds) for what a block imports or builds, read with patterns."""
    names: dict[str, tuple[ParsedFile, str]] = {}  # local name -> (module file, name there)
    modules: dict[str, ParsedFile] = {}  # `import pkg as p` -> p
    for match in FROM_IMPORT.finditer(code):
        pf = index.find_module(match.group(1))
        if pf is None:
            continue
        for part in match.group(2).strip("()").replace("\n", ",").split(","):
            bits = part.split(" as ")
            name = bits[0].strip()
            if name.isidentifier():
                names[bits[-1].strip() if len(bits) > 1 else name] = (pf, name)
    for match in PLAIN_IMPORT.finditer(code):
        pf = index.find_module(match.group(1))
        if pf is not None:
            modules[match.group(2) or match.group(1)] = pf
    out = []
    for match in CALL.finditer(code):
        chain = match.group(1)
        head, _, rest = chain.partition(".")
        line = code.count("\n", 0, match.start()) + 1
        if head in names:
            pf, name = names[head]
            classes = _classes_of(builder, pf, ".".join([name, rest]) if rest else name)
        elif head in modules and rest:
            classes = _classes_of(builder, modules[head], rest)
        else:
            infos = [i for i in index.classes_by_name.get(chain, []) if i.is_module]
            classes = {infos[0].qualname} if len(infos) == 1 else set()
        for qualname in sorted(classes):
            out.append((qualname, line, f"builds it: `{chain}(...)`", True))
    for local, (pf, name) in names.items():
        for qualname in _classes_of(builder, pf, name):
            line = code.count("\n", 0, code.find(name)) + 1
            out.append((qualname, line, f"imports it: `from {pf.module or pf.rel} import {name}`", False))
    return out


def _classes_of(builder: GraphBuilder, pf: ParsedFile, chain: str) -> set[str]:
    """Module classes that `chain`, as written in file `pf`, names or produces."""
    try:
        expr = ast.parse(chain, mode="eval").body
    except SyntaxError:
        return set()
    info = builder.class_of_chain(pf, expr)
    if info is not None:
        return {info.qualname}
    return builder.produced_by(pf, expr)
