"""Shared by the translation tests: translate a model, make a checkpoint with every weight and statistic
changed, and skip cleanly where Node or ../shared is missing.

torch is only ever imported in subprocesses: the test process must stay torch-free.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reader_app.translate import TranslateRequest, check_translation, node_status, translate

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "repos"
SHARED_REPOS = ROOT.parent / "shared" / "repos"

# Builds the model the way the trace child does (the same zero-config rules), then changes every
# parameter and buffer so that a translation that ignored a weight, a bias or a running statistic shows.
CHECKPOINT_SCRIPT = textwrap.dedent('''
    import json, sys, torch
    sys.path.insert(0, sys.argv[1])
    from reader_app.trace.child.model_file import import_model_file, guess_main_class
    from reader_app.trace.child.build_plan import plan
    import inspect
    from reader_app.repo.stated_names import stated_names
    from reader_app.repo.values import mine
    file, root, name, args, out = sys.argv[2], sys.argv[3], sys.argv[4], json.loads(sys.argv[5]), sys.argv[6]
    module = import_model_file(file, root)
    target = getattr(module, name) if name else guess_main_class(module, torch.nn.Module)
    # built as the app builds it: with the values the repository states (its scripts' defaults, configs)
    def miner(func, params, required):
        return mine(root, inspect.getsourcefile(func) or file, func.__name__, list(params), set(required))
    first, others = plan(target, module, args, miner, root, lambda names: stated_names(root, names))
    for recipe in [first] + others:
        try:
            model = recipe.build("cpu")
            break
        except Exception:
            continue
    torch.manual_seed(7)
    params = dict(model.named_parameters(remove_duplicate=False))
    state = {}
    for key, value in model.state_dict().items():
        if key in params:
            state[key] = value + 0.2 * torch.randn_like(value)
        elif key.endswith("running_mean"):
            state[key] = 0.3 * torch.randn_like(value)
        elif key.endswith("running_var"):
            state[key] = torch.empty_like(value).uniform_(0.5, 2.0)
        else:
            state[key] = value  # other buffers (a causal mask, a step counter) stay as they are
    torch.save(state, out)
''')


def require_node() -> None:
    """Skip where Node.js is not installed (a user's machine); fail where tfjs should be there but is not."""
    status = node_status()
    if status.node is None:
        pytest.skip(status.message)
    assert status.available, status.message


def shared_repo(name: str) -> Path:
    folder = SHARED_REPOS / name
    if not folder.is_dir():
        pytest.skip(f"../shared/repos/{name} is not beside the project")
    return folder


def make_checkpoint(file: Path, out: Path, class_name: str = "", args: dict | None = None) -> Path:
    """A state_dict for the model in `file` with every weight and statistic moved away from its initial value."""
    import json

    from reader_app.trace.request import repository_root

    root = repository_root(file.resolve())
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-c", CHECKPOINT_SCRIPT, str(ROOT), str(file.resolve()), str(root),
                           class_name, json.dumps(args or {}), str(out)], capture_output=True, text=True,
                          timeout=120, cwd=str(root), env=env)
    assert done.returncode == 0, done.stderr
    return out


def translate_checked(path, out: Path, **request):
    """Translate into `out`, run the result in Node, and return (translation, check)."""
    result = translate(TranslateRequest(str(path), symbolic=False, **request), str(out))
    assert result.error is None, result.error
    assert not result.problems, [p.text() for p in result.problems]
    return result, check_translation(str(out))


def write_repo(folder: Path, source: str, name: str = "model.py") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "requirements.txt").write_text("torch\n")
    path = folder / name
    path.write_text(textwrap.dedent(source))
    return path
