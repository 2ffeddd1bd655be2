"""Which confinement this machine offers, best first, found once per process.

READER_APP_SANDBOX=bwrap|namespaces|landlock|none picks one (tests use it to exercise every fallback on a
machine that has them all); an unavailable choice falls back down the list.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from reader_app.sandbox import landlock

ORDER = ("bwrap", "namespaces", "landlock", "none")
WARDEN = str(Path(__file__).resolve().parent / "warden.py")


@dataclass(frozen=True)
class Backend:
    """One way of running contained code.

    Attributes:
        name: bwrap, namespaces, landlock or none.
        files: the file system outside the scratch folder is read-only to the code.
        network: the code can reach a network (loopback included).
        processes: every process the code starts dies with it.
        summary: one sentence for the reader.
    """

    name: str
    files: bool
    network: bool
    processes: bool
    summary: str

    @property
    def confined(self) -> bool:
        return self.name != "none"


BACKENDS = {
    "bwrap": Backend("bwrap", True, False, True,
                     "bubblewrap sandbox: files read-only outside a scratch folder, no network, "
                     "no process outlives it"),
    "namespaces": Backend("namespaces", True, False, True,
                          "Linux namespace sandbox: files read-only outside a scratch folder, no network, "
                          "no process outlives it"),
    "landlock": Backend("landlock", True, False, True,
                        "Landlock sandbox: no writes outside a scratch folder, no TCP connections, "
                        "no process outlives it"),
    "none": Backend("none", False, True, True,
                    "unconfined: no sandbox is available here (install bubblewrap), so the repository's code "
                    "can write files and use the network; only its processes are still stopped with it"),
}

_chosen: dict[str, Backend] = {}


def warden_command() -> list[str]:
    """The interpreter that runs warden.py: isolated and without site-packages, for a fast start."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--run-module", "reader_app.sandbox.warden"]
    return [sys.executable, "-I", "-S", WARDEN]


def _probe(argv: list[str]) -> bool:
    try:
        return subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def available(name: str) -> bool:
    """Whether `name` works here (a real, tiny run: a kernel or policy can forbid what a binary offers)."""
    if name == "none":
        return True
    if name == "landlock":
        return landlock.abi() >= 1
    with tempfile.TemporaryDirectory(prefix="reader-sandbox-probe-") as scratch:
        if name == "bwrap":
            bwrap = shutil.which("bwrap")
            return bwrap is not None and _probe(bwrap_prefix(bwrap, scratch, scratch) + ["true"])
        return _probe(warden_command() + ["--mode", "namespaces", "--scratch", scratch, "--status",
                                          os.path.join(scratch, "status"), "--", "true"])


# Where a user keeps credentials: hidden from the code (an empty folder or file in their place).
SECRETS = (".ssh", ".gnupg", ".aws", ".azure", ".config/gcloud", ".kube", ".docker", ".netrc", ".pypirc",
           ".git-credentials", ".password-store", ".local/share/keyrings")


def hidden_paths() -> list[str]:
    """The reader's credential files and folders that exist (the file system is otherwise readable)."""
    home = os.path.expanduser("~")
    found = [os.path.join(home, name) for name in SECRETS]
    return [path for path in found if os.path.lexists(path) and not os.path.islink(path)]


def bwrap_prefix(bwrap: str, scratch: str, cwd: str, hide: list[str] = ()) -> list[str]:
    command = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/dev/shm"]
    for path in hide:
        command += ["--tmpfs", path, "--remount-ro", path] if os.path.isdir(path) else \
                   ["--ro-bind", "/dev/null", path]
    return command + ["--bind", scratch, scratch, "--unshare-all", "--die-with-parent", "--new-session",
                      "--cap-drop", "ALL", "--chdir", cwd, "--"]


def choose() -> Backend:
    """The best backend that works here (READER_APP_SANDBOX first, when set)."""
    wanted = os.environ.get("READER_APP_SANDBOX", "").strip().lower()
    if wanted not in _chosen:
        order = ORDER[ORDER.index(wanted):] if wanted in ORDER else ORDER
        _chosen[wanted] = BACKENDS[next(name for name in order if available(name))]
    return _chosen[wanted]
