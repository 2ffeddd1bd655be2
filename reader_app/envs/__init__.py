"""reader_app.envs engine (no Qt, no torch): a virtual environment per repository for tracing.

The environment sees the app's torch (a .pth pointing at the app's site-packages) and gets the
repository's other requirements from pip; torch pins and CUDA packages are dropped with a note.
"""
from reader_app.envs.build import EnvCancelled, EnvError, create_env, prepare, this_host
from reader_app.envs.policy import Dropped, Host, Plan
from reader_app.envs.requirements import Wanted, read_requirements
from reader_app.envs.store import RepoEnv, env_for, list_envs, python_for, remove_env

__all__ = ["EnvCancelled", "EnvError", "create_env", "prepare", "this_host", "Dropped", "Host", "Plan",
           "Wanted", "read_requirements", "RepoEnv", "env_for", "list_envs", "python_for", "remove_env"]
