"""Repository environments: what is read, what is dropped, what pip installs, and that traces use it.

Offline: pip sees only wheels the tests write (PIP_NO_INDEX, PIP_FIND_LINKS).
"""
from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import REPO_ROOT
from env_helpers import build_wheel, offline_pip, repo_needing_widthlib, widthlib_wheels
from reader_app.envs import (EnvCancelled, EnvError, Host, create_env, env_for, list_envs, prepare,
                             python_for, read_requirements, remove_env, this_host)
from reader_app.envs.policy import plan_for
from reader_app.envs.store import envs_dir

SHARED_REPOS = REPO_ROOT.parent / "shared" / "repos"


def _cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "reader_app", *args], capture_output=True, text=True,
                          cwd=REPO_ROOT, env=env, timeout=300)


# ----- reading what the repository says ----------------------------------------------------------------
def test_every_kind_of_dependency_file_is_read_with_where_it_was_said(tmp_path):
    (tmp_path / "requirements.txt").write_text("# base\neinops>=0.7  # layers\n-r extra.txt\n"
                                               "--index-url https://download.pytorch.org/whl/cu118\n-e .\n")
    (tmp_path / "extra.txt").write_text("tqdm\n")
    (tmp_path / "requirements-dev.txt").write_text("pytest\n")
    (tmp_path / "setup.py").write_text("from setuptools import setup\nDEPS = ['scipy', 'einops']\n"
                                       "setup(name='x', install_requires=DEPS)\n")
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\ndependencies=['regex>=2020']\n")
    (tmp_path / "environment.yml").write_text("name: x\nchannels:\n  - nvidia\ndependencies:\n  - python=3.10\n"
                                              "  - cudatoolkit=11.7\n  - pip\n  - pip:\n    - timm==0.9\n")
    found = read_requirements(tmp_path)
    sources = {w.name: w.source for w in found.wanted}
    assert sources == {"einops": "requirements.txt:2", "tqdm": "extra.txt:1", "scipy": "setup.py:3",
                       "regex": "pyproject.toml [project] dependencies", "timm": "environment.yml:9"}
    notes = " ".join(found.notes)
    assert "requirements-dev.txt" in notes  # development files are named as skipped
    assert "--index-url" in notes  # an index that could bring a CUDA torch is ignored, and said so
    assert "cudatoolkit" in notes and "nvidia" not in notes  # conda packages named; channels are not packages


def test_torch_pins_and_cuda_packages_are_dropped_with_a_reason(tmp_path):
    (tmp_path / "requirements.txt").write_text("torch==1.4.0\nnvidia-cudnn-cu12\ntriton\neinops\n"
                                               "torchvision>=0.5\nnvidia-ml-py\n")
    plan = prepare(tmp_path)
    # nvidia-ml-py reads GPU stats (pure Python); the CUDA runtimes are what a CUDA torch brings
    assert [w.text for w in plan.install] == ["einops", "torchvision==0.28.0", "nvidia-ml-py"]
    reasons = {d.wanted.text: d.reason for d in plan.dropped}
    assert set(reasons) == {"torch==1.4.0", "nvidia-cudnn-cu12", "triton"}
    assert f"torch {this_host().torch}" in reasons["torch==1.4.0"]
    assert "CUDA" in reasons["triton"]
    assert any("torchvision 0.28.0" in note for note in plan.notes)  # the pin it asked for is explained
    assert f"torch=={this_host().torch}" in plan.constraints  # nothing pip resolves may replace it


def test_torchvision_is_refused_when_no_release_matches_the_apps_torch(tmp_path):
    (tmp_path / "requirements.txt").write_text("torchvision\n")
    plan = plan_for(read_requirements(tmp_path), Host(torch="1.13.1"))
    assert not plan.install
    assert "no torchvision release is known to match torch 1.13.1" in plan.dropped[0].reason
    plan = plan_for(read_requirements(tmp_path), Host(torch="2.13.0", packages={"torchvision": "0.28.0"}))
    assert not plan.install and "the app's torchvision 0.28.0" in plan.dropped[0].reason


@pytest.mark.skipif(not SHARED_REPOS.is_dir(), reason="../shared/repos is not beside the project")
def test_real_repositories_keep_their_own_packages_and_lose_only_torch():
    for repo in sorted(p for p in SHARED_REPOS.iterdir() if p.is_dir()):
        plan = prepare(repo)
        assert not any(w.name in ("torch", "pytorch") or w.name.startswith("nvidia") for w in plan.install), repo
    dit = prepare(SHARED_REPOS / "facebookresearch+DiT")
    assert [w.name for w in dit.install] == ["timm", "diffusers", "accelerate"]


# ----- making, using and removing an environment ---------------------------------------------------------
@pytest.mark.slow
def test_the_trace_runs_in_the_environment_where_the_models_package_is_installed(tmp_path, monkeypatch):
    from reader_app.trace import TraceRequest, run_trace

    offline_pip(monkeypatch, widthlib_wheels(tmp_path / "wheels"))
    repo = repo_needing_widthlib(tmp_path / "repo")
    lines = []
    env = create_env(repo, prepare(repo), progress=lines.append)
    assert any("widthlib" in line for line in lines)  # pip's progress reached the caller
    assert env_for(repo).python == env.python and python_for(repo / "model.py") == env.python
    assert [e.repo for e in list_envs()] == [str(repo.resolve())]
    assert env.dropped[0][0] == "torch==1.4.0"
    shared = subprocess.run([env.python, "-c", "import torch, widthlib; print(torch.__version__)"],
                            capture_output=True, text=True)
    assert shared.stdout.strip() == this_host().torch, shared.stderr  # the app's torch, not another one

    result = run_trace(TraceRequest(path=str(repo), interpreter=python_for(repo)))
    assert result.error is None, result.error
    assert [layer.calls[0].outputs[0][-1] for layer in result.layers if layer.name == "fc"] == [24]

    done = _cli("trace", str(repo), "--json")  # the CLI picks the environment by itself
    assert done.returncode == 0, done.stderr
    assert '"fc"' in done.stdout

    assert remove_env(repo) and env_for(repo) is None
    assert list(envs_dir().iterdir()) == []


@pytest.mark.slow
def test_cancel_kills_pip_and_keeps_nothing(tmp_path, monkeypatch):
    offline_pip(monkeypatch, widthlib_wheels(tmp_path / "wheels"))
    repo = repo_needing_widthlib(tmp_path / "repo")
    cancel = threading.Event()

    def progress(line):
        if line.startswith("Installing"):  # pip has started
            cancel.set()

    with pytest.raises(EnvCancelled):
        create_env(repo, prepare(repo), cancel=cancel, progress=progress)
    assert list(envs_dir().iterdir()) == [] and env_for(repo) is None


@pytest.mark.slow
def test_a_requirement_pip_cannot_install_is_left_out_with_why_and_the_rest_installed(tmp_path, monkeypatch):
    """Old pins with no release for this Python (relaxed first), packages that need another torch or would
    bring a CUDA build: each costs itself only, never the environment."""
    wheels = widthlib_wheels(tmp_path / "wheels")
    build_wheel(wheels, "oldtorchlib", "1.0", "", requires=("torch<2",))
    build_wheel(wheels, "gpulib", "1.0", "", requires=("nvidia-cublas-cu12",))
    build_wheel(wheels, "nvidia_cublas_cu12", "1.0", "")
    offline_pip(monkeypatch, wheels)
    repo = repo_needing_widthlib(tmp_path / "repo", "oldtorchlib\nwidthlib==0.5\ngpulib\nabsentlib==0.1\n")
    lines = []
    env = create_env(repo, prepare(repo), progress=lines.append)
    assert env.installed == ["widthlib"]
    why = dict(map(tuple, env.dropped))
    assert "needs another torch than the app's" in why["oldtorchlib"] and "depends on torch<2" in why["oldtorchlib"]
    assert "would bring nvidia-cublas-cu12" in why["gpulib"]
    assert "no release" in why["absentlib"]
    # an old pin with no release here: the newest release that installs is taken, and said so
    assert any(note.startswith("widthlib==0.5 (requirements.txt:2) has no release for this Python; widthlib was")
               for note in env.notes)
    assert any(line.startswith("Leaving out gpulib") for line in lines)  # the reader saw it happen
    assert len(env.notes) == 5  # three left out, two pins relaxed
    leftovers = subprocess.run([env.python, "-c", "import widthlib, importlib.util as u; "
                                "print([n for n in ('oldtorchlib', 'gpulib', 'nvidia_cublas_cu12') if u.find_spec(n)])"],
                               capture_output=True, text=True)
    assert leftovers.stdout.strip() == "[]", leftovers.stderr

    only_bad = repo_needing_widthlib(tmp_path / "bad", "oldtorchlib\n")
    with pytest.raises(EnvError, match="none of the requirements could be installed"):
        create_env(only_bad, prepare(only_bad))
    assert env_for(only_bad) is None and [p.name for p in envs_dir().iterdir()] == [Path(env.folder).name]


@pytest.mark.slow
def test_making_it_again_replaces_the_old_one(tmp_path, monkeypatch):
    wheels = widthlib_wheels(tmp_path / "wheels")
    build_wheel(wheels, "widthlib", "2.0", "WIDTH = 48\n")
    offline_pip(monkeypatch, wheels)
    repo = repo_needing_widthlib(tmp_path / "repo")
    first = create_env(repo, prepare(repo))
    (repo / "requirements.txt").write_text("widthlib==2.0\n")
    second = create_env(repo, prepare(repo))
    assert first.folder == second.folder and len(list_envs()) == 1
    out = subprocess.run([second.python, "-c", "import widthlib; print(widthlib.WIDTH)"], capture_output=True,
                         text=True)
    assert out.stdout.strip() == "48"


# ----- the command line ---------------------------------------------------------------------------------
def test_cli_bad_input_is_one_sentence_and_status_2(tmp_path):
    for args, words in ((("env", "create", str(tmp_path / "missing")), "no such folder"),
                        (("env", "create", str(tmp_path)), "found no requirements"),
                        (("env", "remove", str(tmp_path)), "has no environment")):
        done = _cli(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert words in done.stderr and len(done.stderr.strip().splitlines()) == 1
        assert "Traceback" not in done.stderr


def test_cli_dry_run_lists_what_would_be_installed_and_dropped(tmp_path):
    repo = repo_needing_widthlib(tmp_path / "repo")
    done = _cli("env", "create", str(repo), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "install  widthlib==1.0  (requirements.txt:1)" in done.stdout
    assert "drop     torch==1.4.0" in done.stdout
    assert list(envs_dir().iterdir()) == []


@pytest.mark.slow
def test_packages_built_for_another_torch_are_removed_and_said_so(tmp_path, monkeypatch):
    """A package compiled against another torch (the index's CUDA torchvision, an old torchtext) does not
    load: kept, it would stop every trace that imports it with an error; removed, the trace sees a
    missing package it can stand in for. One that fails only because of such a removal is kept."""
    wheels = widthlib_wheels(tmp_path / "wheels")
    build_wheel(wheels, "torchvision", "0.28.0", "raise RuntimeError('operator torchvision::nms does not exist')\n",
                requires=("torch==2.13.0",))
    build_wheel(wheels, "torchaudio", "2.13.0", "LOADED = True\n", requires=("torch==2.13.0",))
    build_wheel(wheels, "textext", "0.18.0", "raise OSError('Could not load this library: libtextext.so')\n",
                requires=("torch>=2.3.0",))
    build_wheel(wheels, "visionlayers", "1.0", "import torchvision\n", requires=("torch", "torchvision"))
    offline_pip(monkeypatch, wheels)
    repo = repo_needing_widthlib(tmp_path / "repo", "widthlib\ntorchvision>=0.9\ntorchaudio\ntextext\nvisionlayers\n")
    env = create_env(repo, prepare(repo))
    notes = " | ".join(env.notes)
    assert "torchvision does not load with the app's torch" in notes and "operator torchvision::nms" in notes
    assert "textext does not load" in notes and "libtextext.so" in notes
    assert "visionlayers needs torchvision, which was removed; it is kept" in notes
    assert "torchaudio" not in notes  # the one that loads is left alone
    probe = subprocess.run([env.python, "-c", "import torchaudio, widthlib, importlib.util as u; "
                            "print([n for n in ('torchvision', 'textext', 'visionlayers') if u.find_spec(n)])"],
                           capture_output=True, text=True)
    assert probe.stdout.strip() == "['visionlayers']", probe.stderr
    assert env_for(repo).notes == env.notes  # remembered with the environment


@pytest.mark.slow
def test_a_library_that_needs_torchvision_is_installed_without_it_when_no_release_exists(tmp_path, monkeypatch):
    """timm-like: the library depends on torchvision, and no torchvision for the app's torch can be had
    (here: the index has none). It is installed with its other dependencies, said so, and the trace in the
    environment stands in for torchvision, which the library only imports."""
    from reader_app.trace import TraceRequest, run_trace

    monkeypatch.setenv("READER_APP_MODEL_LIBRARIES", "")  # no shared torchvision: the environment's own case
    wheels = widthlib_wheels(tmp_path / "wheels")
    build_wheel(wheels, "visionlayers", "1.0", "import torchvision\nfrom widthlib import WIDTH\n",
                requires=("torch", "torchvision>=0.9", "widthlib", "pillowish; extra == 'images'"))
    offline_pip(monkeypatch, wheels)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "requirements.txt").write_text("visionlayers\ntorchvision>=0.9\n")
    (repo / "model.py").write_text("import torch.nn as nn\nimport visionlayers\n\n\nclass Net(nn.Module):\n"
                                   "    def __init__(self):\n        super().__init__()\n"
                                   "        self.fc = nn.Linear(8, visionlayers.WIDTH)\n\n"
                                   "    def forward(self, x):\n        return self.fc(x)\n")
    lines = []
    env = create_env(repo, prepare(repo), progress=lines.append)
    assert sorted(env.installed) == ["visionlayers", "widthlib"]
    assert ["torchvision==0.28.0", "pip found no release of it for the app's torch; a trace stands in for it where "
            "a library only imports it"] in env.dropped
    assert any(note.startswith("visionlayers (requirements.txt:1) was installed without torchvision")
               for note in env.notes)
    assert any(line.startswith("Installing visionlayers without torchvision") for line in lines)
    # said once, not again by the check that packages built on torch load
    assert not any("needs the module 'torchvision'" in note for note in env.notes)
    found = subprocess.run([env.python, "-c", "import widthlib, importlib.util as u; "
                            "print([n for n in ('visionlayers', 'torchvision', 'pillowish') if u.find_spec(n)])"],
                           capture_output=True, text=True)
    assert found.stdout.strip() == "['visionlayers']", found.stderr

    result = run_trace(TraceRequest(path=str(repo), interpreter=env.python))
    assert result.error is None, result.error
    assert [layer.calls[0].outputs[0][-1] for layer in result.layers if layer.name == "fc"] == [24]
    assert "package 'torchvision' missing: stood in where visionlayers imports it; not used by the model" in \
        result.degraded
