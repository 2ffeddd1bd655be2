"""Node.js and @tensorflow/tfjs for checking translations: where they are, and running a script in a
child process with a time limit (the model or the reader's code may loop or exhaust memory).

tfjs is installed into reader_app/translate/node/node_modules from the committed lockfile
(`npm ci`, which `make install` runs); nothing is installed globally.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from reader_app import sandbox

NODE_DIR = Path(__file__).resolve().parent / "node"
TFJS_VERSION = "4.22.0"
MEMORY_MB = 2048
POLL_SECONDS = 0.05


@dataclass
class NodeStatus:
    """Whether translations can be run here.

    Attributes:
        available: Node and tfjs are both there; node: the Node executable or None;
        message: one sentence: what is there, or how to enable the check.
    """

    available: bool
    node: str | None
    message: str


@dataclass
class NodeRun:
    """The end of one Node child process.

    Attributes:
        returncode: its exit status (None when it was stopped); stdout, stderr: what it printed;
        timed_out: it ran past its time limit and was stopped; cancelled: the caller stopped it.
    """

    returncode: int | None
    stdout: str
    stderr: str
    timed_out: bool = False
    cancelled: bool = False

    def last_error(self) -> str:
        """The most telling line of stderr (a JavaScript error message)."""
        lines = [l.strip() for l in self.stderr.splitlines() if l.strip()]
        for line in lines:
            if "Error" in line and not line.startswith("at "):
                return line[:300]
        return lines[-1][:300] if lines else f"exit status {self.returncode}"


def node_executable() -> str | None:
    """READER_APP_NODE when set (a Node of the reader's choice), else `node` on the PATH."""
    chosen = os.environ.get("READER_APP_NODE")
    if chosen is not None:
        return chosen if os.access(chosen, os.X_OK) else None
    return shutil.which("node")


def node_status() -> NodeStatus:
    node = node_executable()
    if node is None:
        return NodeStatus(False, None, "Node.js is not installed, so the TF.js model was not run: install Node.js "
                                       "18 or newer, then run `make install` (it runs `npm ci` in "
                                       f"{NODE_DIR.relative_to(NODE_DIR.parents[2])})")
    package = NODE_DIR / "node_modules" / "@tensorflow" / "tfjs" / "package.json"
    try:
        version = json.loads(package.read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        version = None
    if version != TFJS_VERSION:
        return NodeStatus(False, node, f"@tensorflow/tfjs {TFJS_VERSION} is not installed for the check: run "
                                       f"`npm ci` in {NODE_DIR} (or `make install`)")
    return NodeStatus(True, node, f"Node.js with @tensorflow/tfjs {TFJS_VERSION} (CPU backend)")


def run_node(script: str, args: list[str], timeout: float, scratch: str, cancel=None) -> NodeRun:
    """Run one of this folder's scripts contained (writes only under `scratch`, no network); it and every
    process it started are stopped after `timeout` seconds, or as soon as `cancel` (a threading.Event) is set."""
    node = node_executable()
    command = [node, f"--max-old-space-size={MEMORY_MB}", str(NODE_DIR / script), *args]
    _, overrides = sandbox.prepare(scratch)
    env = {**_env(), **overrides}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:  # no pipe to fill up while we poll
        try:
            proc = sandbox.start(command, scratch, cwd=str(NODE_DIR), env=env, stdin=subprocess.DEVNULL,
                                 stdout=out, stderr=err)
        except OSError as exc:
            return NodeRun(None, "", f"Error: could not start {node}: {exc.strerror or exc}")
        deadline = time.monotonic() + timeout
        stopped = None
        try:
            while proc.poll() is None:
                if cancel is not None and cancel.is_set():
                    stopped = "cancelled"
                elif time.monotonic() > deadline:
                    stopped = "timed out"
                if stopped:
                    proc.stop()
                    break
                if cancel is not None:
                    cancel.wait(POLL_SECONDS)
                else:
                    try:
                        proc.wait(POLL_SECONDS)
                    except subprocess.TimeoutExpired:
                        pass
        except BaseException:
            proc.stop()
            raise
        texts = []
        for file in (out, err):
            file.seek(0)
            texts.append(file.read().decode("utf-8", "replace"))
    returncode = None if stopped else proc.returncode
    return NodeRun(returncode, texts[0], texts[1], timed_out=stopped == "timed out", cancelled=stopped == "cancelled")


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NODE_OPTIONS")}
    env["NODE_NO_WARNINGS"] = "1"
    return env
