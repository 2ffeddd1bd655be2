"""Cloning a repository URL into the user's cache, with progress and cancel, leaving nothing behind on failure."""
from __future__ import annotations

import errno
import hashlib
import os
import re
import threading
import time
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse

import git

from reader_app.paths import data_dir
from reader_app.repo import clone_cache

# Phases git reports, with the share of the whole clone each one stands for.
PHASES = {  # op code -> (first percent, width, label)
    git.RemoteProgress.COUNTING: (0.0, 5.0, "counting objects"),
    git.RemoteProgress.COMPRESSING: (5.0, 5.0, "compressing objects"),
    git.RemoteProgress.RECEIVING: (10.0, 70.0, "receiving objects"),
    git.RemoteProgress.RESOLVING: (80.0, 10.0, "resolving deltas"),
    git.RemoteProgress.CHECKING_OUT: (90.0, 10.0, "checking out files"),
}
URL_FORM = re.compile(r"^(https?|ssh|git|file)://|^[\w.-]+@[\w.-]+:")


class CloneError(Exception):
    """A clone that did not happen; the message is one sentence saying why (bad URL, network, ...)."""


FORGES = re.compile(r"^(?:https?://)?(?:www\.)?(github\.com|gitlab\.com|bitbucket\.org)/([^/\s]+)/([^/\s#?]+)",
                    re.IGNORECASE)


def normalize_repo_url(text: str) -> str:
    """The clonable address for what a paper or a user wrote.

    `github.com/o/r`, `https://github.com/o/r/tree/main/src` and `https://github.com/o/r.` (a sentence's
    full stop) all become `https://github.com/o/r`; other addresses are only trimmed.
    """
    url = text.strip().rstrip(".,;:)]}>\"'")
    forge = FORGES.match(url)
    if forge:
        host, owner, repo = forge.groups()
        repo = repo[:-4] if repo.lower().endswith(".git") else repo
        return f"https://{host.lower()}/{owner}/{repo}"
    return url


def is_repo_url(text: str) -> bool:
    """True for what looks like a remote address (https://, ssh://, git@host:, file://, github.com/o/r)."""
    text = text.strip()
    return bool(URL_FORM.match(text) or FORGES.match(text))


def clone_folder_name(url: str) -> str:
    """A readable, safe folder name for a URL: its last path part plus a short hash of the whole URL."""
    normal = url.strip().rstrip("/")
    normal = normal[:-4] if normal.endswith(".git") else normal
    tail = re.split(r"[/:]", normal)[-1] or "repo"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", tail).strip("._") or "repo"
    digest = hashlib.sha1(normal.lower().encode("utf-8")).hexdigest()[:10]
    return f"{safe[:60]}-{digest}"


def _check_url(url: str) -> str:
    url = url.strip()
    if not url:
        raise CloneError("The repository address is empty.")
    if "://" not in url and not re.match(r"^[\w.-]+@[\w.-]+:", url):
        if Path(url).expanduser().is_dir():  # a local repository: git needs file:// for a shallow clone
            return Path(url).expanduser().resolve().as_uri()
        raise CloneError(f"{url} is not a repository address (expected https://..., git@host:... or file://...).")
    scheme = urlparse(url).scheme if "://" in url else "ssh"
    if scheme not in ("http", "https", "ssh", "git", "file"):
        raise CloneError(f"{url} uses {scheme}://, which cannot be cloned (use https://, ssh:// or file://).")
    if scheme in ("http", "https") and not urlparse(url).netloc:
        raise CloneError(f"{url} has no host name.")
    return url


def _explain(url: str, lines: list[str], code: int | None) -> str:
    """One sentence for git's error output."""
    # the address itself is taken out first: a path like /tmp/pytest-403/ must not read as HTTP 403
    text = "\n".join(lines).lower().replace(url.lower(), "")
    if url.startswith("file://"):
        text = text.replace(url[len("file://"):].lower(), "")
    if "no space left" in text or "disk quota" in text:
        return "The disk is full: there is no room to clone the repository."
    if any(s in text for s in ("authentication failed", "could not read username", "permission denied",
                               "terminal prompts disabled", "invalid username or password", "returned error: 403")):
        return f"{url} needs a login (authentication failed or the repository is private)."
    if any(s in text for s in ("not found", "does not appear to be a git repository", "does not exist",
                               "returned error: 404", "not a git repository")):
        return f"No repository was found at {url}: check the address."
    if any(s in text for s in ("could not resolve host", "unable to access", "connection timed out",
                               "failed to connect", "network is unreachable", "connection refused",
                               "early eof", "the remote end hung up", "operation timed out")):
        return f"The network failed while cloning {url}: check the connection and try again."
    detail = next((line for line in reversed(lines) if line.strip()), f"git exited with status {code}")
    return f"Cloning {url} failed: {detail.strip().removeprefix('fatal: ')}"


class _Progress(git.RemoteProgress):
    """Turns git's progress lines into (overall percent, phase) calls.

    Attributes:
        report: the caller's progress(percent, phase) callback.
        error_lines, other_lines: git's non-progress output (from RemoteProgress), for the error sentence.
    """

    def __init__(self, report: Callable[[float, str], None]):
        super().__init__()
        self.report = report
        self.percent = 0.0

    def update(self, op_code, cur_count, max_count=None, message=""):
        first, width, label = PHASES.get(op_code & self.OP_MASK, (None, 0.0, ""))
        if first is None:
            return
        fraction = (float(cur_count) / float(max_count)) if max_count else 0.0
        # never step back: a progress bar that shrinks looks broken
        self.percent = max(self.percent, min(100.0, first + width * fraction))
        self.report(self.percent, label)


def _run_clone(url: str, target: Path, shallow: bool, progress: _Progress, cancel: threading.Event | None,
               on_start: Callable = lambda process: None) -> None:
    """Run `git clone` into target, feeding progress; kill it when cancel is set."""
    env = {"GIT_TERMINAL_PROMPT": "0", "GCM_INTERACTIVE": "never", "GIT_ASKPASS": "",
           "GIT_SSH_COMMAND": os.environ.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")}
    options = ["--progress", "--no-tags"] + (["--depth", "1", "--single-branch"] if shallow else [])
    with clone_cache.sigterm_held():  # git started and registered as one step
        proc = git.Git().execute(["git", "clone", *options, "--", url, str(target)], as_process=True,
                                 env=env, universal_newlines=False, preexec_fn=clone_cache.die_with_parent)
        popen = proc.proc
        on_start(popen)
    reader = threading.Thread(target=_pump, args=(popen.stderr, progress), daemon=True)
    reader.start()
    try:
        while popen.poll() is None or (cancel is not None and cancel.is_set()):
            if cancel is not None and cancel.is_set():  # also when git was quicker than the poll
                raise CloneError("The clone was cancelled.")
            time.sleep(0.05)
    except BaseException:  # cancel, Ctrl-C: stop git before the partial folder is removed
        popen.kill()
        popen.wait()
        reader.join(timeout=2)
        raise
    reader.join(timeout=5)
    if popen.stdout:
        popen.stdout.close()
    if popen.returncode != 0:
        raise CloneError(_explain(url, progress.error_lines + progress.other_lines, popen.returncode))


def _pump(stream, progress: _Progress) -> None:
    """Split git's stderr on CR and LF (progress lines are rewritten in place with CR)."""
    buffer = b""
    for chunk in iter(lambda: stream.read1(4096) if hasattr(stream, "read1") else stream.read(4096), b""):
        buffer += chunk
        parts = re.split(rb"[\r\n]", buffer)
        buffer = parts.pop()
        for part in parts:
            if part.strip():
                progress._parse_progress_line(part.decode("utf-8", "replace").rstrip())
    if buffer.strip():
        progress._parse_progress_line(buffer.decode("utf-8", "replace").rstrip())


def clone_repo(url: str, cache_dir: str | Path | None = None, shallow: bool = True,
               progress: Callable[[float, str], None] | None = None,
               cancel: threading.Event | None = None) -> Path:
    """Clone `url` into the clone cache (reused when already there) and return the folder.

    The clone goes to a temporary folder beside the target and is renamed only when it succeeded, so a
    failed or cancelled clone leaves nothing behind. Raises CloneError with one sentence saying why.
    """
    report = progress or (lambda percent, phase: None)
    url = normalize_repo_url(url)
    clone_url = _check_url(url)
    cache = Path(cache_dir) if cache_dir is not None else data_dir() / "clones"
    target = cache / clone_folder_name(url)
    if cache.is_dir():
        clone_cache.sweep_stale(cache)  # what a killed run left behind
    if (target / ".git").exists():
        report(100.0, "already cloned")
        return target
    clone_cache.install_sigterm_cleanup()
    try:
        cache.mkdir(parents=True, exist_ok=True)
        temp = clone_cache.make_partial(cache, target.name)
    except OSError as err:
        raise CloneError(_disk_sentence(err, cache)) from None
    try:
        report(0.0, "connecting")
        _run_clone(clone_url, temp / "repo", shallow, _Progress(report), cancel,
                   lambda process: clone_cache.attach(temp, process))
        try:
            os.replace(temp / "repo", target)
        except OSError:
            if not (target / ".git").exists():  # not a concurrent clone of the same URL: a real error
                raise
        report(100.0, "done")
        return target
    except OSError as err:
        raise CloneError(_disk_sentence(err, cache)) from None
    except git.GitCommandNotFound:
        raise CloneError("git is not installed, so repositories cannot be cloned.") from None
    finally:
        clone_cache.release(temp)


def _disk_sentence(err: OSError, cache: Path) -> str:
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return "The disk is full: there is no room to clone the repository."
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"The clone folder {cache} cannot be written to."
    return f"The clone could not be saved in {cache} ({err.strerror or err})."
