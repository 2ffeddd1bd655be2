"""The names in the places a repository builds its model (`Model(dim=512, cfg=CONFIG)` in scripts, notebooks,
README blocks and tests; the calls are read in values_call_sites.py) followed to their literal values: in the
same function, the module, a star-imported `conf.py`, or an argparse default for `args.name`.
"""
from __future__ import annotations

import ast
import os
import re
from contextvars import ContextVar

from reader_app.repo.module_places import module_files
from reader_app.repo.namespaces import option_dest, parsed_elsewhere
from reader_app.repo.values_argparse import add_argument_calls, parser_options
from reader_app.repo.values_guards import (MODULE_LEVEL, TAKEN, UNDECIDED, assignments, branch_state, condition_text,
                                           if_ancestors, owned)
from reader_app.repo.values_literal import MISSING, dotted_name, literal
from reader_app.repo.values_returned import StatedDict, merged_updates, returned_value, with_key_lines
from reader_app.repo.values_source import Unit, parsed, per_tree
from reader_app.repo.values_stdlib import stdlib_constant


class Scope:
    """Resolves names in one unit: assignments in the enclosing function, then the module, then the
    repository modules it imports by name or with `*`.

    Attributes:
        unit: the parsed piece; root: the repository root; where: (rel, line) of the last resolved name.
        built: the name of the model the script built, while reading a part it sets on it (values_replaced).
    """

    def __init__(self, unit: Unit, root: str, function: ast.AST | None):
        self.unit, self.root, self.function = unit, root, function
        self.where: dict[str, str] = {}
        self.options: dict | None = None
        self.call: ast.Call | None = None  # the call whose arguments are being resolved, when one is
        self.built: str | None = None  # the model a script built, whose attributes its later parts read
        self.guarded: dict[str, list] = {}  # name -> [(assignment, its ifs)] the defaults do not decide
        self._before: dict[tuple, int] = {}  # (owner, name) -> line: a guard's test reads the value above it
        self.made = 0  # how many fields of helper objects were read (values_helper_fields.py)

    def lookup_in(self, body_owner, rel: str, name: str, depth: int, seen: set):
        """The value of `name` as `body_owner` (a function, or MODULE_LEVEL) last assigns it, MISSING when it
        states none; `rel:line` in `self.where[name]`."""
        if body_owner is None:
            return MISSING
        assignment = self.assignment_in(body_owner, name, depth, seen)
        if assignment is None:
            return MISSING
        keyed = [node for node, module in assignments(self.unit.tree).get(("[]", name), ())
                 if owned(node, module, body_owner)]  # `model_args['vocab_size'] = ...` after the dict is made
        lookup = lambda n, d: self.resolve(n, d, seen)  # noqa: E731
        made = self.made
        value = with_key_lines(literal(assignment.value, lookup, depth), assignment.value, rel, self.where)
        if value is MISSING and depth <= 6:  # `state_dim = env.observation_space.shape[0]`: gym's size of a stated id
            from reader_app.repo.values_env_spaces import mentions_space, space_value
            found = space_value(assignment.value, self) if mentions_space(assignment.value) else None
            if found is not None:
                value, self.where[name] = found
        if value is MISSING and isinstance(assignment.value, (ast.BinOp, ast.Call)):
            # `dim = len(f.readline().split(' ')) - 1` of `open('glove.6B.100d.txt')`: the file's name states it
            from reader_app.repo.values_embedding_files import embedding_file_width
            read = embedding_file_width(self.unit.tree, assignment, lookup, depth)
            if read is not None:
                self.where.setdefault(name, f"{rel}:{assignment.lineno} (the width {read[1]} states)")
                return read[0]
        if isinstance(value, (list, dict, set)) and _mutated(self.unit.tree, name, assignment, body_owner):
            # `attention_ds = []` then `attention_ds.append(...)` in a loop: not the empty list; a dict merged
            # by unconditional `config.update(model_config)` calls holds the merged keys
            value = merged_updates(self.unit.tree, name, assignment, body_owner, value, lookup, depth, rel)
            if value is MISSING:
                return MISSING
        if isinstance(value, dict):
            for node in sorted(keyed, key=lambda n: n.lineno):
                key = literal(node.targets[0].slice)
                if node.lineno > assignment.lineno and isinstance(key, str):
                    later = literal(node.value, lookup, depth)
                    if later is MISSING:
                        value.pop(key, None)  # set from what only a run knows: the callee's default decides
                    else:
                        value[key] = later
                        if isinstance(value, StatedDict):
                            value.lines[key] = f"{rel}:{node.lineno}"
        if value is not MISSING:
            computed = f" {' '.join(ast.unparse(assignment.value).split())[:80]} = {value!r}"[:120] \
                if self.made != made else ""  # read from a helper object the script builds: say how
            computed = computed or stated_files(assignment.value, self.where)  # `fs = int(options.fs)` of an INI
            self.where.setdefault(name, f"{rel}:{assignment.lineno}{computed}")
        return value

    def assignment_in(self, body_owner, name: str, depth: int, seen: set):
        """The assignment of `name` in `body_owner` a default run makes last (values_guards.py): one inside an
        `if` the defaults decide against is skipped; one the defaults cannot decide is kept in
        `self.guarded[name]` as an alternative, not taken."""
        owner_key = "module" if body_owner == MODULE_LEVEL else "function"
        limit = self._before.get((owner_key, name))
        ancestors = if_ancestors(self.unit.tree)
        for node, module in reversed(assignments(self.unit.tree).get(name, ())):  # the last one a run makes wins
            if not owned(node, module, body_owner) or (limit is not None and node.lineno >= limit):
                continue
            chain = ancestors.get(id(node), ())
            state = branch_state(chain, lambda test: self._decide(test, name, node.lineno, owner_key, depth, seen))
            if state == TAKEN:
                return node
            if state == UNDECIDED:
                self.guarded.setdefault(name, []).append((node, chain))
        return None

    def _decide(self, test: ast.If, name: str, line: int, owner_key: str, depth: int, seen: set):
        """The value of an `if` test guarding an assignment of `name` at `line`; a test that reads `name` itself
        (`if args.dim is None: args.dim = 64`) reads the value it has before that line."""
        key, limit = self._seen_key(name), (owner_key, name)
        held, before, stated = key in seen, self._before.get(limit), self.where.get(name)
        seen.discard(key)
        self._before[limit] = line
        deciding = DECIDING.set(True)
        try:
            return literal(test.test, lambda n, d: self.resolve(n, d, seen), depth + 1)
        finally:
            DECIDING.reset(deciding)
            if stated is None:  # the earlier value the test read is not where `name` gets its value
                self.where.pop(name, None)
            else:
                self.where[name] = stated
            if held:
                seen.add(key)
            if before is None:
                self._before.pop(limit, None)
            else:
                self._before[limit] = before

    def resolve_before(self, node: ast.AST, line: int):
        """The value of `node` as it stands above `line` (MISSING when not stated): in `cfg = Config.load(cfg)`
        the argument is the path the parameter held before the loaded object replaced it."""
        keys = [(owner, n.id) for n in ast.walk(node) if isinstance(n, ast.Name) for owner in ("function", "module")]
        saved = {key: self._before.get(key) for key in keys}
        self._before.update({key: line for key in keys})
        try:
            return literal(node, self.resolve)
        finally:
            for key, before in saved.items():
                if before is None:
                    self._before.pop(key, None)
                else:
                    self._before[key] = before

    def parsed_option(self, name: str):
        """The argparse default of the option `args.X` reads, from the unit's own parser; MISSING when it
        states none (a required option, a default of None)."""
        dest = option_dest(name, self.unit, self.function, self.root)
        if dest is None or self.unit.kind != "py":
            return MISSING
        if self.options is None:
            self.options = parser_options(self.unit, self.root)
        if dest not in self.options:  # `Solver.__init__(self, args)`: the namespace its callers hand it
            handed = self._handed_options(name.split(".")[0]) or \
                parsed_elsewhere(self.unit, self.function, self.root, name.split(".")[0])
            if handed is not None and handed[0].get(dest) is not None:
                self.where.setdefault(name, handed[1].get(dest, ""))
                return handed[0][dest]
        value, where = self.options.get(dest, (None, ""))
        if _absent_file(self.root, self.unit.rel, value):  # `--fname default='configs.yaml'` the repository lacks:
            value = None  # a run must pass the file, as the README's command line does
        if value is None:  # required, or default None: the README's command line running this script
            from reader_app.repo.values_commands import command_options
            passed = per_tree(self.unit.tree, ("command", self.root, self.unit.rel),
                               lambda: command_options(self.unit.tree, self.root, self.unit.rel))
            value, where = passed.get(dest, (None, ""))
            if value is not None:
                self.where.setdefault(name, where)
            elif DECIDING.get() and dest in self.options and dest not in _required_options(self.unit.tree):
                return None  # `if opt.load_checkpoint is not None:` reads the None a default run has
            return MISSING if value is None else value
        self.where.setdefault(name, where)
        return value

    def _handed_options(self, param: str):
        """({dest: value}, {dest: where}) of the parsed namespace the callers of this scope's function (a
        module-level function or a class's __init__) hand it as `param`; None when none is handed."""
        function = self.function
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        from reader_app.repo.values_bound import _owner_class, function_params
        from reader_app.repo.values_parsed import handed_namespace

        params = [p.arg for p in function_params(function)]
        if param not in params:
            return None
        owner = _owner_class(self.unit.tree, function)
        if owner is not None and function.name != "__init__":
            return None
        name = owner.name if owner is not None else function.name
        params = params[1:] if owner is not None else params  # `Solver(args)` hands __init__'s first after self
        return per_tree(self.unit.tree, ("handed options", self.root, self.unit.rel, name, param),
                        lambda: handed_namespace(self.root, self.unit.rel, name, param, params))

    def resolve(self, name: str, depth: int = 0, seen: set | None = None):
        seen = set() if seen is None else seen
        if self._seen_key(name) in seen or depth > 6:
            return MISSING
        seen.add(self._seen_key(name))
        outer = self.guarded.pop(name, None)  # an enclosing lookup of the same name keeps its own alternatives
        try:
            value = self._resolve(name, depth, seen)
            guarded = self.guarded.pop(name, None)
            return self._with_alternative(name, value, guarded, depth, seen) if guarded else value
        finally:  # a guard against cycles, not against a name read twice (`args.a == 'x' or args.a == 'y'`)
            seen.discard(self._seen_key(name))
            if outer is not None:
                self.guarded[name] = outer

    def _seen_key(self, name: str) -> tuple:
        # per function: a wrapper's `__init__(self, dim)` reads `dim` from the caller's own `dim = 64` above it
        return self.unit.rel, getattr(self.function, "lineno", 0), name

    def _with_alternative(self, name: str, value, guarded: list, depth: int, seen: set):
        """The value with the last undecided guarded assignment noted beside its provenance; that assignment's
        value, labelled as waiting for its test, only when nothing else states one; MISSING when it sets what
        only a run knows."""
        node, chain = guarded[0]
        alternative = literal(node.value, lambda n, d: self.resolve(n, d, seen), depth + 1)
        at = f"{self.unit.rel.split(' cell ')[0]}:{node.lineno}"
        if value is MISSING:
            # `if 'w' in state_dict: width = state_dict['w'].shape[0] else: width = 64`: when another undecided
            # branch sets what only a run knows, the run decides, and the placeholder is not stated either
            if alternative is MISSING or any(literal(other.value, lambda n, d: self.resolve(n, d, seen), depth + 1)
                                             is MISSING for other, _ in guarded[1:]):
                return MISSING
            self.where[name] = f"{at} (only {condition_text(chain)}, which the defaults do not decide)"
            return alternative
        if alternative is MISSING:  # `if os.path.exists(meta): vocab = pickle.load(...)`: a run may replace the
            self.where.pop(name, None)  # placeholder with what only it reads, so the value is not stated here
            return MISSING
        if alternative != value:
            stated = self.where.get(name)
            note = f"{at} would set {alternative!r} {condition_text(chain)}"
            self.where[name] = f"{stated}; {note}" if stated else note
        return value

    def _resolve(self, name: str, depth: int, seen: set):
        if name.endswith("()"):  # `get_training_args()`: what a helper of the repository returns
            return returned_value(self, name[:-2], depth, seen)
        if name.endswith("(1)"):  # `str_to_bool(x)`: a converter of the repository, as a callable
            from reader_app.repo.values_converters import converter_of
            return converter_of(self, name[:-3])
        if self.function is not None:
            value = self.lookup_in(self.function, self.unit.rel, name, depth, seen)
            if value is not MISSING:
                return value
            if self._loaded_here(name, depth, seen):
                return MISSING  # `cfg = Config.from_json(cfg)`: the file's object, not the path its callers hand
            from reader_app.repo.values_bound import bound_argument
            value = bound_argument(self, name, depth, seen)  # `def build(max_seq_len)`: what its callers hand it
            if value is not MISSING:
                return value
        value = self.lookup_in(MODULE_LEVEL, self.unit.rel, name, depth, seen)
        if value is not MISSING:
            return value
        value = stdlib_constant(self.unit.tree, name)  # `len(string.printable)`: the same on every Python
        if value is not MISSING:
            return value
        if name.startswith("self.") and name.count(".") == 1 and self.function is not None:
            from reader_app.repo.values_members import member_value
            found = member_value(self.unit, self.root, self.function, name[5:])  # `self.dim = config.dim`
            if found is not MISSING:
                self.where.setdefault(name, found[1])
                return found[0]
        if name.count(".") == 1 and option_dest(name, self.unit, self.function, self.root) is None \
                and not name.startswith("self."):
            from reader_app.repo.values_helper_fields import built_field
            value = built_field(self, name, depth, seen)  # `len(converter.character)`: the helper's own field
            if value is not MISSING:
                return value
        if "." in name:
            value = self.parsed_option(name)
            if value is MISSING:  # `config = vars(parse_args())`: `config['arch']` is the option --arch
                from reader_app.repo.values_vars import vars_option
                value = vars_option(self, name, depth, seen)
            if value is MISSING:  # `task.__config__` of `task = importlib.import_module('task.pose')`
                from reader_app.repo.values_modules import module_attribute
                value = module_attribute(self, name, depth, seen)
            if value is MISSING:  # `args = load_cfg(args.config)`: the configuration file a helper loads
                from reader_app.repo.values_config_helpers import loaded_option
                value = loaded_option(self, name, depth, seen)
            return value
        return self.imported(name, depth, seen)

    def _loaded_here(self, name: str, depth: int, seen: set) -> bool:
        """Whether the function's own assignment of `name` a run takes loads a configuration class from a file."""
        from reader_app.repo.values_config_class import loads_into_object
        loaders = [node for node, module in assignments(self.unit.tree).get(name, ())
                   if owned(node, module, self.function) and isinstance(node.value, ast.Call)
                   and isinstance(node.value.func, ast.Attribute) and loads_into_object(self, node.value)]
        if not loaders:  # most names: no `Class.method(...)` loader assigns them, so no guard is decided
            return False
        return self.assignment_in(self.function, name, depth, seen) in loaders

    def imported(self, name: str, depth: int, seen: set):
        for inner, original in self.importing_scopes(name):
            value = inner.resolve(original, depth + 1, seen)
            if value is not MISSING:
                return value
        return MISSING

    def importing_scopes(self, name: str):
        """(scope of a repository module, the name there) for each `from M import name` (or `*`) of this module,
        first import first; the scopes share this one's provenance."""
        base = os.path.dirname(os.path.join(self.root, self.unit.rel.split(" cell ")[0]))
        for node in self.unit.tree.body:
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            names = {a.asname or a.name: a.name for a in node.names}
            if "*" not in names and name not in names:
                continue
            for candidate in module_files(self.root, base, node.module, node.level):
                tree = parsed(candidate)
                if tree is None:
                    continue
                inner = Scope(Unit(os.path.relpath(candidate, self.root), tree, "py"), self.root, None)
                inner.where = self.where
                yield inner, names.get(name, name)


# Set while an `if` test guarding an assignment is evaluated: an option without a default is None there (what
# argparse gives a run), where as a size it states nothing.
DECIDING: ContextVar[bool] = ContextVar("deciding", default=False)


_FILE_LINE = re.compile(r"[\w./+-]+\.(?:cfg|ini|conf|json|ya?ml|toml):\d+(?: \([^()]*\))?")


def stated_files(node: ast.AST, where: dict) -> str:
    """" from cfg/a.cfg:10, cfg/a.cfg:11" when the names an expression reads got their values from configuration
    files (`wlen = int(fs * cw_len / 1000)`, `fs = int(options.fs)`): the script's line computes, the files state."""
    read = [dotted_name(n) if isinstance(n, ast.Attribute) else n.id for n in ast.walk(node)
            if isinstance(n, (ast.Name, ast.Attribute))]
    found = []
    for key in read:
        for match in _FILE_LINE.findall(where.get(key) or ""):
            if match not in found:
                found.append(match)
    return f" from {', '.join(found)}" if found else ""


def _absent_file(root: str, rel: str, value) -> bool:
    """Whether an option's default names a configuration file that is neither under the root nor beside the script."""
    if not isinstance(value, str) or not value.endswith((".yaml", ".yml", ".json")):
        return False
    script_dir = os.path.dirname(os.path.join(root, rel.split(" cell ")[0]))
    return not any(os.path.isfile(os.path.join(base, value)) for base in (root, script_dir))


def _required_options(tree: ast.Module) -> set[str]:
    """The dests of `add_argument(..., required=True)`: a run always passes them, so they are never None."""
    return per_tree(tree, ("required options",), lambda: {
        dest for _, dest, keywords in add_argument_calls(tree)
        if "required" in keywords and literal(keywords["required"]) is True})


MUTATORS = {"append", "extend", "insert", "update", "add", "pop", "remove", "clear", "setdefault"}


def _mutated(tree: ast.Module, name: str, assignment: ast.stmt, body_owner) -> bool:
    """Whether code after `assignment` in the same body changes the container `name` holds in place
    (`name.append(x)`, `name += [...]`): its literal is then only where it starts."""
    def mutates(node) -> bool:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
            return dotted_name(node.func.value) == name
        return isinstance(node, ast.AugAssign) and dotted_name(node.target) == name

    scope = body_owner if body_owner != MODULE_LEVEL else tree
    after = assignment.end_lineno or assignment.lineno
    return any(mutates(node) and node.lineno > after for node in ast.walk(scope))
