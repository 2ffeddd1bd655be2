"""Create a repository's environment: a venv that sees the app's torch, plus the repository's requirements.

Built in a `.building-*` folder and renamed into place only when pip succeeded, so a cancel, a failure or
a killed app never leaves a half-made environment that traces would pick up. Runs child processes only
(no Python is compiled here), so it may run on a worker thread.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import deque
from datetime import datetime, timezone
from pathlib import Path

from reader_app.envs.loadable import broken_and_notes, parse_probe, probe_command
from reader_app.envs.pip_errors import NO_RELEASE, culprit, failure_sentence, fetched_name, unpinned
from reader_app.envs.policy import CPU_INDEX, Dropped, Host, Plan, forbidden_download, plan_for
from reader_app.envs.requirements import Wanted, normalize, read_requirements
from reader_app.envs.store import BUILDING, REMOVING, RepoEnv, clean_leftovers, env_key, envs_dir, python_in
from reader_app.envs.without_companions import note as without_note, other_dependencies, unavailable_companion

PTH_NAME = "reader_app_host.pth"
PROBE_TIMEOUT = 300  # seconds for importing every package built on torch once
MAX_LEFT_OUT = 8  # requirements left out one by one before giving up (each costs a pip run)


class EnvError(Exception):
    """The environment could not be made; the message is one sentence for the reader."""


class EnvCancelled(EnvError):
    """The reader cancelled; nothing was kept."""


def this_host() -> Host:
    """The app's own Python: its torch version and every distribution it sees (metadata only, no import).

    importlib.metadata is imported here, not at start-up (20 ms of the window's start): the window reaches
    this through `prepare` on the GUI thread before any environment is built."""
    import importlib.metadata

    packages = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"] if dist.metadata else None
        if name:
            packages.setdefault(normalize(name), dist.version)
    return Host(torch=packages.get("torch", ""), packages=packages)


def prepare(repo: str | Path, host: Host | None = None) -> Plan:
    """What creating the environment of the repository at `repo` would install and drop.

    Parses setup.py: call it on the GUI thread (or in a CLI), not on a worker.
    """
    return plan_for(read_requirements(Path(repo)), host or this_host())


def host_site_dirs() -> list[str]:
    """The site-packages folders the app's Python imports from (its venv's, and any it inherits)."""
    return [p for p in sys.path if os.path.basename(p) in ("site-packages", "dist-packages") and os.path.isdir(p)]


def _site_packages(folder: Path) -> Path:
    if sys.platform == "win32":
        return folder / "Lib" / "site-packages"
    return folder / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"


def _stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


class _Step:
    """One child process (venv or pip) with its output streamed as progress, stopped on cancel or on a
    download that must never happen."""

    def __init__(self, command: list[str], cancel: threading.Event | None, progress, timeout: float | None = None):
        self.command, self.cancel, self.progress = command, cancel, progress
        self.deadline = time.monotonic() + timeout if timeout else None
        self.tail: deque[str] = deque(maxlen=400)  # enough to find which requirement brought a failing one
        self.forbidden = ""

    def run(self) -> int:
        env = dict(os.environ, PYTHONUNBUFFERED="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
        try:
            proc = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, start_new_session=True, env=env)
        except OSError as exc:
            raise EnvError(f"could not start {self.command[0]}: {exc.strerror or exc}") from None
        reader = threading.Thread(target=self._read, args=(proc,), daemon=True)
        reader.start()
        try:
            while proc.poll() is None:
                late = self.deadline is not None and time.monotonic() > self.deadline
                if (self.cancel is not None and self.cancel.wait(0.1)) or self.forbidden or late:
                    _stop(proc)
                    break
                if self.cancel is None:
                    time.sleep(0.1)
        except BaseException:  # Ctrl-C in the CLI: never leave pip running
            _stop(proc)
            raise
        finally:
            reader.join(timeout=5)
        return proc.returncode

    def _read(self, proc: subprocess.Popen) -> None:
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip()
            if not line.strip():
                continue
            self.tail.append(line)
            name = fetched_name(line)
            if name and forbidden_download(name):
                self.forbidden = name
                _stop(proc)
            if self.progress is not None:
                self.progress(line)


def _fix_paths(old: Path, new: Path) -> None:
    """A venv's scripts and pyvenv.cfg name the folder they were made in; point them at the final one."""
    scripts = python_in(new).parent
    for path in [new / "pyvenv.cfg", *scripts.iterdir()]:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 1_000_000:
            continue
        data = path.read_bytes()
        if str(old).encode() in data:
            path.write_bytes(data.replace(str(old).encode(), str(new).encode()))


def create_env(repo: str | Path, plan: Plan, cancel: threading.Event | None = None, progress=None,
               host: Host | None = None) -> RepoEnv:
    """Make the environment for `repo` following `plan` (from `prepare`); replaces an older one.

    Raises EnvCancelled when `cancel` is set, EnvError with one sentence when it cannot be made; in both
    cases nothing is left behind.
    """
    if getattr(sys, "frozen", False):
        raise EnvError("the bundled app cannot make environments; choose a Python with torch as the trace "
                       "interpreter in Settings instead")
    if plan.refused:
        raise EnvError(plan.refused)
    if not plan.install:
        raise EnvError("nothing to install: the repository states no requirements beyond torch")
    host = host or this_host()
    repo = Path(repo).resolve()
    clean_leftovers()
    final = envs_dir() / env_key(repo)
    # unique per build: a cancelled build may still be clearing its folder when the next one starts
    work = Path(tempfile.mkdtemp(prefix=f"{BUILDING}{env_key(repo)}-{os.getpid()}-", dir=envs_dir()))
    report = progress or (lambda line: None)
    try:
        installed, left_out, notes = _build(work, plan, cancel, report, host)
        notes = [note.replace(str(work), str(final)) for note in notes]  # messages name the final folder
        if cancel is not None and cancel.is_set():
            raise EnvCancelled("cancelled; nothing was kept")
        env = RepoEnv(repo=str(repo), folder=str(final), torch=host.torch,
                      created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                      installed=[w.text for w in installed],
                      dropped=[[d.wanted.text, d.reason] for d in plan.dropped + left_out],
                      notes=[f"{d.wanted.text} ({d.wanted.source}) was left out: {d.reason}" for d in left_out]
                      + notes)
        env.write_manifest(work)
        if final.exists():
            doomed = envs_dir() / f"{REMOVING}{final.name}-{os.getpid()}"
            os.replace(final, doomed)
            shutil.rmtree(doomed, ignore_errors=True)
        os.replace(work, final)
        _fix_paths(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    report(f"Environment ready: {final}")
    return env


def _build(work: Path, plan: Plan, cancel, report, host: Host) -> tuple[list[Wanted], list[Dropped], list[str]]:
    """Make the venv in `work` and install; returns (installed, left out with why, notes)."""
    shutil.rmtree(work)  # venv makes the folder itself
    report("Creating the environment (it shares the app's torch " + host.torch + ")")
    step = _Step([sys.executable, "-m", "venv", "--without-pip", str(work)], cancel, report)
    if step.run() != 0:
        _raise_unless_cancelled(cancel, failure_sentence(list(step.tail), "creating the venv", host.torch))
    site = _site_packages(work)
    site.mkdir(parents=True, exist_ok=True)
    dirs = host_site_dirs()
    # `import` lines in a .pth run at start-up; addsitedir also reads the app's own .pth files, and
    # appends, so what the environment installs comes first
    (site / PTH_NAME).write_text(f"import site; list(map(site.addsitedir, {dirs!r}))\n", encoding="utf-8")
    (work / "constraints.txt").write_text("\n".join(plan.constraints) + "\n", encoding="utf-8")
    if cancel is not None and cancel.is_set():
        raise EnvCancelled("cancelled; nothing was kept")
    command = [sys.executable, "-m", "pip", "--python", str(python_in(work)), "install", "--progress-bar", "off",
               "-c", str(work / "constraints.txt"), "-r", str(work / "requirements.txt")]
    cpu_index = plan.cpu_index and _reachable(CPU_INDEX)  # an unreachable index costs minutes of retries
    if cpu_index:
        command += ["--extra-index-url", CPU_INDEX]
    install, left_out, relaxed = list(plan.install), [], []
    without: list[tuple[Wanted, str]] = []  # installed with --no-deps: no release of this companion exists here
    for attempt in range(MAX_LEFT_OUT + 1):
        if not install:  # all that is left goes in without its dependencies (below)
            break
        (work / "requirements.txt").write_text("\n".join(w.text for w in install) + "\n", encoding="utf-8")
        report(f"Installing {len(install)} requirement(s) with pip")
        step = _Step(command, cancel, report)
        status = step.run()
        if cancel is not None and cancel.is_set():
            raise EnvCancelled("cancelled; nothing was kept")
        if status == 0 and not step.forbidden:
            break
        found = culprit(list(step.tail), install, step.forbidden, host.torch) if attempt < MAX_LEFT_OUT else None
        if found is None:
            if step.forbidden:
                raise EnvError(f"pip was about to download {step.forbidden}, which would bring another torch or "
                               "a CUDA build; nothing was installed")
            raise EnvError(failure_sentence(list(step.tail), "installing the requirements", host.torch))
        wanted = install[found[0]]
        companion = unavailable_companion(list(step.tail))
        if companion and _install_without(companion, wanted, install, without, left_out, str(python_in(work)),
                                          report):
            continue
        bare = unpinned(wanted)
        if found[1].startswith(NO_RELEASE) and bare.text != wanted.text:
            # an old pin (numpy==1.19 on Python 3.11): the newest release that installs is worth more than none
            install[found[0]] = bare
            relaxed.append(f"{wanted.text} ({wanted.source}) has no release for this Python; {bare.text} was "
                           "installed instead")
            report(f"Trying {bare.text} instead of {wanted.text}: {found[1]}")
            continue
        install.pop(found[0])
        left_out.append(Dropped(wanted, found[1]))
        report(f"Leaving out {wanted.text} ({wanted.source}): {found[1]}")
        if not install and not without:
            raise EnvError(f"none of the requirements could be installed ({wanted.text}: {found[1]})")
    if not install and not without:  # the only requirements were companions no release of exists here
        raise EnvError(f"none of the requirements could be installed ({left_out[-1].wanted.text}: "
                       f"{left_out[-1].reason})")
    if without:
        step = _Step(command[:command.index("-r")] + ["--no-deps", *(w.text for w, _ in without)], cancel, report)
        if step.run() != 0:
            _raise_unless_cancelled(cancel, failure_sentence(list(step.tail), "installing without torchvision",
                                                             host.torch))
        install += [w for w, _ in without]
        relaxed += [without_note(w, companion, host.torch) for w, companion in without]
    missed = "" if cpu_index or not plan.cpu_index else f"; the CPU build at {CPU_INDEX} could not be reached"
    loadable = _keep_loadable(work, host, cancel, report, missed)
    said = {f"{w.name} needs the module '{companion}'" for w, companion in without}  # the note above says it
    return install, left_out, relaxed + [note for note in loadable if not note.startswith(tuple(said))]


def _install_without(companion: str, wanted: Wanted, install: list[Wanted], without: list, left_out: list,
                     python: str, report) -> bool:
    """No release of `companion` (torchvision) exists here: leave out its own pin, or take `wanted`, which
    brings it, out of pip's resolution to install it with --no-deps after its other dependencies. False
    when pip cannot tell those dependencies (then `wanted` is left out as any other failure)."""
    if wanted.name == companion:
        install.remove(wanted)
        left_out.append(Dropped(wanted, f"pip found no release of it for the app's torch; a trace stands in for "
                                        f"it where a library only imports it"))
        report(f"Leaving out {wanted.text} ({wanted.source}): no release of it for the app's torch")
        return True
    others = other_dependencies(python, wanted)
    if others is None:
        return False
    install.remove(wanted)
    present = {w.name for w in install} | {w.name for w, _ in without}
    install.extend(w for w in others if w.name not in present)
    without.append((wanted, companion))
    report(f"Installing {wanted.text} without {companion} (no release of it for the app's torch), "
           "its other dependencies first")
    return True


def _reachable(url: str) -> bool:
    """Whether pip could reach the index at `url` (never when pip is told to stay offline)."""
    if os.environ.get("PIP_NO_INDEX", "").lower() in ("1", "true", "yes", "on"):
        return False
    host = urllib.parse.urlparse(url).hostname
    try:
        socket.create_connection((host, 443), timeout=4).close()
    except OSError:
        return False
    return True


def _keep_loadable(work: Path, host: Host, cancel, report, missed: str) -> list[str]:
    """Uninstall what pip put in that is built on torch but does not load with the app's torch (see
    loadable.py); returns the sentences for the reader."""
    python, site = str(python_in(work)), _site_packages(work)
    report("Checking that the packages built on torch load with the app's torch")
    first = _probe(python, site, cancel)
    removed: set[str] = set()
    notes = []
    for family in (True, False):
        answers = first if family or not removed else _probe(python, site, cancel)
        uninstall, said = broken_and_notes(answers, family, removed, host.torch, missed)
        if uninstall:
            _Step([sys.executable, "-m", "pip", "--python", python, "uninstall", "-y", *uninstall], cancel,
                  report).run()
        removed |= {normalize(name) for name in uninstall}
        notes += said
    for note in notes:
        report(note)
    return notes


def _probe(python: str, site: Path, cancel) -> dict:
    step = _Step(probe_command(python, site), cancel, None, timeout=PROBE_TIMEOUT)
    step.run()
    if cancel is not None and cancel.is_set():
        raise EnvCancelled("cancelled; nothing was kept")
    return parse_probe("\n".join(step.tail))


def _raise_unless_cancelled(cancel, sentence: str) -> None:
    if cancel is not None and cancel.is_set():
        raise EnvCancelled("cancelled; nothing was kept")
    raise EnvError(sentence)
