"""Classes a run's configuration picks through an `if` on its model key: `if params.model_version ==
"cnn_distill": model = net.Net(params)` / `elif params.model_version == "resnet18": model = resnet.ResNet18()`, where
`params` holds the file the script loads (`params = utils.Params(os.path.join(args.model_dir, 'params.json'))`,
the directory the README's command passes, else the option's default) and that file states the key's value; or
`if args.model == 'DCGAN': model = DCGAN_MODEL(args)` on the parsed command line, the value the README's command
passes, else the option's default. The branch the stated value enters builds the run's model (directly, or
through the constructor of a plain object it builds: a GAN's training harness holding `self.G = Generator(...)`);
the others are alternatives the repository offers.

Only a key named like a model choice counts (model, arch, net, network): a `teacher` or `dataset` key picks
something else. A name -> class table the default name indexes is read elsewhere (self_description._default_names).
Read as ast and JSON/YAML; nothing is run.
"""
from __future__ import annotations

import ast
import re

from reader_app.repo.namespaces import option_dest
from reader_app.repo.values_literal import MISSING, literal
from reader_app.repo.values_loaded import key_chain

MODEL_KEY = re.compile(r"model|arch|net|network", re.IGNORECASE)
# `x.model_version == "..."` / `cfg['arch'] != '...'` / `"cnn" == x.model` as text: a file without one is not
# walked (most are not)
KEY_TEST = re.compile(r"""(\.\w*|\[\s*["']\w*)(model|arch|net)\w*["']?\]?\s*(==|!=)|(==|!=)\s*\w+(\.\w*|\[\s*["']\w*)"""
                      r"(model|arch|net)", re.IGNORECASE)


def loaded_branch_picks(index, builder) -> dict[str, str]:
    """{class qualname: a phrase naming the key, its value, the file stating it and the branch that builds it}."""
    from reader_app.repo.module_places import enclosing_functions
    from reader_app.repo.values_calls import Scope
    from reader_app.repo.values_config_helpers import loaded_object
    from reader_app.repo.values_source import Unit

    out: dict[str, str] = {}
    for pf in index.files:
        if not KEY_TEST.search(pf.source.text or ""):
            continue
        root = str(pf.source.path.parents[pf.source.rel.count("/")])
        unit = Unit(pf.source.rel, pf.tree, "py")
        owners = enclosing_functions(pf.tree)
        for node in ast.walk(pf.tree):
            field = _model_key_test(node.test) if isinstance(node, ast.If) else None
            if field is None:
                continue
            scope = Scope(unit, root, owners.get(id(node)))
            dotted = ".".join(field)
            option = option_dest(dotted, unit, scope.function, root) if len(field) == 2 else None
            if option is None and loaded_object(scope, field[0]) is None:
                continue  # neither a file the script loads nor its command line: a value only a run knows
            taken = literal(node.test, scope.resolve)
            if taken is MISSING:
                continue
            branch = node.body if taken else node.orelse
            if not taken and len(branch) == 1 and isinstance(branch[0], ast.If):
                continue  # an `elif`: its own test decides it
            where = scope.where.get(dotted, "")
            value = literal(_key_node(node.test), scope.resolve)
            stated = f"command line gives --{option}" if option is not None else f"configuration states {field[-1]}"
            for qualname, wrapper in _built(builder, pf, branch).items():
                through = f" through {wrapper}" if wrapper else ""
                out.setdefault(qualname, f"the run's {stated} {value!r} ({where}), and the branch it enters "
                                         f"({pf.rel}:{node.lineno}) builds it{through}")
    return out


def _model_key_test(test) -> tuple[str, ...] | None:
    """("params", "model_version") for `params.model_version == "cnn"` (either side, ==, != or in), when the last
    key names a model choice."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and
            isinstance(test.ops[0], (ast.Eq, ast.NotEq, ast.In, ast.NotIn))):
        return None
    node = _key_node(test)
    if node is None:
        return None
    base, keys = key_chain(node)
    if not isinstance(base, ast.Name) or not keys or not MODEL_KEY.search(keys[-1]):
        return None
    return (base.id, *keys)


def _key_node(test: ast.Compare):
    """The side of a comparison with a string constant that reads a key (`params.model_version`)."""
    left, right = test.left, test.comparators[0]
    for key, other in ((left, right), (right, left)):
        if isinstance(other, ast.Constant) and isinstance(other.value, str) and \
                isinstance(key, (ast.Attribute, ast.Subscript)):
            return key
    return None


def _built(builder, pf, branch: list[ast.stmt], wrapped: bool = True) -> dict[str, str]:
    """{module class: "" or the wrapper it is built through} for the classes the statements of a branch call into
    being (constructors and factories), and one level further those a plain object's constructor builds
    (`model = GanModel(args)` whose __init__ holds `self.G = Generator(args.channels)`: a training harness, not a
    network); not those of an `if` nested in it, which makes its own pick (`if "distill" in key:` around `if key
    == "cnn_distill":`)."""
    found: dict[str, str] = {}
    stack: list[ast.AST] = list(branch)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.If, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Call) and not _by_name(node):
            for qualname in builder.value_classes(pf, node, {}):
                found[qualname] = ""
            wrapper = builder.index.class_at(builder.index.resolve(pf, node.func)) if wrapped else None
            if wrapper is not None and not wrapper.is_module:
                for qualname in _built(builder, wrapper.file, _constructor(wrapper), wrapped=False):
                    found.setdefault(qualname, wrapper.name)
        stack.extend(ast.iter_child_nodes(node))
    return found


def _by_name(call: ast.Call) -> bool:
    """`ARCHS[args.arch](...)`, `getattr(models, args.arch)(...)`: the key picks one entry of many, which the
    registry's own reason credits; the branch holding the call says nothing about which."""
    func = call.func
    return isinstance(func, ast.Subscript) or (isinstance(func, ast.Call) and isinstance(func.func, ast.Name)
                                               and func.func.id == "getattr")


def _constructor(info) -> list[ast.stmt]:
    """The statements of a class's own __init__ (none when it has no __init__ of its own)."""
    init = next((n for n in info.node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
    return init.body if init is not None else []
