"""`reader-app env create|list|remove`: a repository's own environment for tracing its model."""
from __future__ import annotations

import sys
from pathlib import Path

from reader_app.cli_errors import fail as _fail
from reader_app.envs.build import EnvCancelled, EnvError, create_env, prepare
from reader_app.envs.policy import Plan
from reader_app.envs.store import list_envs, remove_env


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "env", help="a repository's own environment (its requirements, sharing the app's torch) for traces",
        description="Create, list or remove the environment traces of a repository run in. It sees the app's "
                    "torch; pins on torch and CUDA packages are dropped with a note, everything else the "
                    "repository requires is installed with pip (PIP_* variables such as PIP_FIND_LINKS apply).")
    sub = p.add_subparsers(dest="action", required=True)
    create = sub.add_parser("create", help="read the repository's requirements and install them")
    create.add_argument("path", help="repository folder")
    create.add_argument("--dry-run", action="store_true", help="only show what would be installed and dropped")
    remove = sub.add_parser("remove", help="delete the repository's environment")
    remove.add_argument("path", help="repository folder")
    sub.add_parser("list", help="every repository that has an environment")
    p.set_defaults(func=handle)


def handle(args) -> int:
    if args.action == "list":
        return _list()
    path = Path(args.path)
    if not path.is_dir():
        return _fail(f"no such folder: {args.path}")
    if args.action == "remove":
        if not remove_env(path):
            return _fail(f"{args.path} has no environment (reader-app env list shows those that do)")
        print(f"removed the environment of {path.resolve()}")
        return 0
    plan = prepare(path)
    print_plan(plan)
    if args.dry_run:
        return 0
    if plan.refused:
        return _fail(plan.refused)
    if not plan.read:
        return _fail(f"found no requirements in {args.path} (no requirements*.txt, setup.py, pyproject.toml "
                     "or environment.yml lists any)")
    if not plan.install:
        return _fail("nothing to install: the repository states no requirements beyond torch")
    try:
        env = create_env(path, plan, progress=lambda line: print(f"  {line}", flush=True))
    except KeyboardInterrupt:
        print("cancelled; nothing was kept", file=sys.stderr)
        return 130
    except EnvCancelled as exc:
        print(str(exc), file=sys.stderr)
        return 130
    except EnvError as exc:
        return _fail(str(exc))
    for note in env.notes:
        print(f"note: {note}")
    print(f"traces of {env.repo} now run in {env.python}")
    return 0


def print_plan(plan: Plan, out=None) -> None:
    out = out or sys.stdout
    if plan.read:
        print("read: " + ", ".join(plan.read), file=out)
    for wanted in plan.install:
        print(f"install  {wanted.text}  ({wanted.source})", file=out)
    for dropped in plan.dropped:
        print(f"drop     {dropped.wanted.text}  ({dropped.wanted.source}): {dropped.reason}", file=out)
    for note in plan.notes:
        print(f"note: {note}", file=out)


def _list() -> int:
    envs = list_envs()
    if not envs:
        print("no repository has an environment (reader-app env create PATH makes one)")
    for env in envs:
        print(f"{env.repo}\t{env.size_bytes() / 1e6:.1f} MB\t{env.created}\t{', '.join(env.installed)}")
    return 0

