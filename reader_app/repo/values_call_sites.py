"""Constructor values stated at each call of the model in one piece of a repository (`Model(dim=512, **CONFIG)`):
its arguments resolved to literals, loaded files, argparse defaults or the repository's classes."""
from __future__ import annotations

import ast

from reader_app.repo.module_places import calls_of, enclosing_functions, returned_calls
from reader_app.repo.namespaces import bound_otherwise, hands_namespace
from reader_app.repo.values_argparse import argparse_defaults
from reader_app.repo.values_calls import Scope
from reader_app.repo.values_literal import MISSING, dotted_name, literal
from reader_app.repo.values_loaded import loaded_section
from reader_app.repo.values_returned import keyed_where
from reader_app.repo.values_source import Unit


def _target(node) -> str | None:
    return node.id if isinstance(node, ast.Name) else dotted_name(node) if isinstance(node, ast.Attribute) else None


def _is_vars_call(node) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "vars" and \
        len(node.args) == 1 and isinstance(node.args[0], ast.Name)


def call_site_values(unit: Unit, root: str, name: str, params: list[str],
                     skip_factories: bool = False, open_keywords: bool = False,
                     keywords_only: list[ast.Call] | None = None, model_rel: str | None = None) -> list[dict]:
    """For each call of `name` in the unit: {param: (value, "rel:line")} for the arguments it states;
    with `skip_factories`, calls a function returns directly are left out (they are variants); with
    `open_keywords` (the callee takes **kwargs), keywords that name no parameter are stated values too.
    `keywords_only`: these calls instead, their keywords only (`create_model(args.model, num_classes=10)`).
    `model_rel`: the file defining class `name`, whose calls under another name count too (call_aliases.py)."""
    owners = enclosing_functions(unit.tree)
    returned = returned_calls(unit.tree) if skip_factories else set()
    from reader_app.repo.values_bound import class_builders
    builders = class_builders(unit, root, name) if unit.kind == "py" and keywords_only is None else {}
    returned -= set(builders)  # `Model.build(...)` called by a script: what the run builds, not a variant
    from reader_app.repo.values_untaken import untaken_branches
    untaken = untaken_branches(unit, root)  # `if args.arch == 'big': Net(depth=50)` with another default
    argparse = options = None
    sites = []
    calls = list(calls_of(unit.tree, name) if keywords_only is None else keywords_only)
    calls += [c for c in ast.walk(unit.tree) if id(c) in builders and id(c) not in {id(k) for k in calls}]
    if keywords_only is None and unit.kind == "py":  # `Net = importNet('models.net.Net'); Net(**config)`
        from reader_app.repo.dotted_imports import dotted_built_calls
        calls += [c for c in dotted_built_calls(unit, root, name) if id(c) not in {id(k) for k in calls}]
    if keywords_only is None and model_rel is not None:  # `from m import NetCDC as Net` in a branch; `MODELS[key]()`
        from reader_app.repo.call_aliases import alias_calls
        calls += [c for c in alias_calls(unit, root, name, model_rel) if id(c) not in {id(k) for k in calls}]
    for call in calls:  # `cls(args)` in a builder classmethod too
        if id(call) in returned or id(call) in untaken:
            continue
        scope = Scope(unit, root, owners.get(id(call)))
        scope.call = call  # a factory returning it: its parameters are what its callers pass (values_passed.py)
        found: dict = {}
        unstated: dict = {}  # param -> (expression text, where) of an argument only a run knows
        pairs = [(params[i], arg) for i, arg in enumerate(call.args) if i < len(params)
                 and not isinstance(arg, ast.Starred) and keywords_only is None]
        pairs += [(kw.arg, kw.value) for kw in call.keywords if kw.arg in params or (open_keywords and kw.arg)]
        for param, node in pairs:
            scope.where.clear()
            value = literal(node, scope.resolve)
            where = f"{unit.rel}:{getattr(node, 'lineno', call.lineno)}"  # the line that states it
            section = loaded_section(node, unit.tree, owners.get(id(call)), root, unit.rel) \
                if value is MISSING else None
            if section is not None:  # Model(cfg["model"]) with cfg loaded from a config file
                value, where = section, section.section
            elif value is MISSING and isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and not bound_otherwise(node.value.id, unit, owners.get(id(call)), root):
                argparse = argparse if argparse is not None else argparse_defaults(unit.tree)
                if node.attr in argparse:
                    value, line = argparse[node.attr]
                    where = f"{unit.rel}:{line}"
            elif value is not MISSING and isinstance(node, (ast.Name, ast.Attribute)):
                where = scope.where.get(_target(node) or "", where)
            elif value is not MISSING and isinstance(node, ast.Subscript):  # `config['dim']`: the line stating it
                where = keyed_where(node, scope) or where
            if value is MISSING:  # `Net(env.observation_space, env.action_space.n)`: gym's spaces of a stated id
                from reader_app.repo.values_env_spaces import mentions_space, space_value
                value, where = (space_value(node, scope) if mentions_space(node) else None) or (MISSING, where)
            if value is MISSING:  # `Config(data.block_size)` with `data = Dataset(text, block_size)`
                from reader_app.repo.values_handed import handed_value
                scope.where.clear()
                value = handed_value(node, owners.get(id(call)) or unit.tree, scope.resolve)
                where = scope.where.get(getattr(node, "attr", ""), where) if value is not MISSING else where
            if value is MISSING:  # ResNet(Bottleneck, ...), CoCa(img_encoder=vit): the repository's class
                from reader_app.repo.values_refs import reference
                ref = reference(node, unit, root, scope, literal)
                if ref is not None:
                    found[param] = ({"kind": ref[0], **ref[1]}, where)
                else:
                    unstated[param] = (" ".join(ast.unparse(node).split())[:80], where)
                continue
            found[param] = (value, where)
        if unstated:  # `n, d = x.shape; model = Net(d); model(x)`: a run's value, but the input's axis
            from reader_app.repo.values_shape_ties import shape_ties
            found.update(shape_ties(unit.tree, owners.get(id(call)), call, unstated, unit.rel))
            unstated = {k: v for k, v in unstated.items() if k not in found}
        found.update(same_expression_markers(unstated))
        for kw in call.keywords:  # Model(**CONFIG): a dict of stated values
            if kw.arg is None:
                spread = literal(kw.value, scope.resolve)
                if not isinstance(spread, dict) or not spread:  # Model(**json.load(open(path))): the file's keys
                    section = loaded_section(kw.value, unit.tree, owners.get(id(call)), root, unit.rel)
                    for key, value in (section or {}).items():
                        if key in params or open_keywords:
                            found.setdefault(key, (value, section.fields.get(key, section.section)))
                    if not section:  # `**config['generator']['kwargs']` of a file a helper loads
                        from reader_app.repo.values_config_helpers import loaded_spread
                        for key, stated in loaded_spread(scope, kw.value).items():
                            if key in params or open_keywords:
                                found.setdefault(key, stated)
                    if _is_vars_call(kw.value) or hands_namespace(kw.value, unit, owners.get(id(call)), root):
                        # Model(**vars(args)), factory(**args_to_dict(args, keys)): the parser's options by name
                        argparse = argparse if argparse is not None else argparse_defaults(unit.tree)
                        for key, (value, line) in argparse.items():
                            if key in params:
                                found.setdefault(key, (value, f"{unit.rel}:{line}"))
                        if options is None:
                            from reader_app.repo.values_dict_options import dict_options
                            options = dict_options(unit, root)
                        for key, (value, where) in options.items():  # options added from a dict of defaults
                            if key in params and value is not None:
                                found.setdefault(key, (value, where))
                if isinstance(spread, dict):
                    where = scope.where.get(getattr(kw.value, "id", ""), f"{unit.rel}:{call.lineno}")
                    for key, value in spread.items():
                        if (key in params or open_keywords) and key not in found:
                            found[key] = (value, getattr(spread, "lines", {}).get(key, where))  # the key's own line
        if found:
            sites.append(found)
    return sites


def same_expression_markers(unstated: dict) -> dict:
    """{param: (runtime marker, where)} for arguments one call binds from the same unstated expression
    (`MADE(x.size(1), hidden, x.size(1))`): only a run knows the value, but it is one value, so the trace
    guesses it once for all of them. An expression given to one argument alone stays unstated."""
    by_text: dict[str, list[str]] = {}
    for param, (text, _) in unstated.items():
        by_text.setdefault(text, []).append(param)
    out = {}
    for text, names in by_text.items():
        for param in names if len(names) > 1 else []:
            where = unstated[param][1]
            out[param] = ({"kind": "runtime", "text": text, "where": where,
                           "same_as": [n for n in names if n != param]}, where)
    return out
