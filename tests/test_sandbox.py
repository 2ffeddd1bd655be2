"""The sandbox every child that runs the repository's code goes through, on each backend this machine has
(bubblewrap, namespaces, Landlock, and the unconfined fallback that still stops every process)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid

import pytest

from reader_app import sandbox
from reader_app.sandbox import backends
from reader_app.sandbox.launch import start

CONFINED = ("bwrap", "namespaces", "landlock")


def _backend(request, monkeypatch, name):
    if not backends.available(name):
        if name == "bwrap" and os.environ.get("CI"):
            pytest.fail("bubblewrap should be installed on CI (.ci/run installs it)")
        pytest.skip(f"{name} is not available on this machine")
    monkeypatch.setenv("READER_APP_SANDBOX", name)
    assert sandbox.choose().name == name
    return name


@pytest.fixture(params=CONFINED + ("none",))
def backend(request, monkeypatch):
    return _backend(request, monkeypatch, request.param)


@pytest.fixture(params=CONFINED)
def confined(request, monkeypatch):
    return _backend(request, monkeypatch, request.param)


def run_python(code: str, scratch, **env) -> tuple[int, str]:
    cwd, overrides = sandbox.prepare(str(scratch))
    child_env = {**os.environ, **overrides, **env}
    proc = start([sys.executable, "-c", code], str(scratch), cwd=cwd, env=child_env,
                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out, _ = proc.communicate(timeout=120)
    return proc.returncode, out.decode()


def alive_with(marker: str) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                environ = open(f"/proc/{name}/environ", "rb").read()
                state = open(f"/proc/{name}/stat").read().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if marker.encode() in environ and state != "Z":
                found.append(int(name))
    return found


def test_confined_code_writes_only_in_its_scratch_folder(confined, tmp_path):
    outside, scratch = tmp_path / "outside", tmp_path / "scratch"
    outside.mkdir()
    scratch.mkdir()
    code = (f"import os\nopen('made_here.txt', 'w').write('ok')\nopen(os.path.expanduser('~/x'), 'w').write('ok')\n"
            f"try:\n    open({str(outside / 'pwned')!r}, 'w')\n    print('WROTE')\nexcept OSError as e:\n"
            f"    print('refused', e.errno)\n")
    status, out = run_python(code, scratch)
    assert status == 0, out
    assert "refused" in out and not (outside / "pwned").exists()
    assert (scratch / "work" / "made_here.txt").read_text() == "ok"  # relative writes land in scratch
    assert (scratch / "home" / "x").exists()  # and so does its home


def test_confined_code_reaches_no_network_not_even_loopback(confined, tmp_path):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.5)
    port = server.getsockname()[1]
    code = (f"import socket\ntry:\n    socket.create_connection(('127.0.0.1', {port}), timeout=3)\n"
            f"    print('CONNECTED')\nexcept OSError as e:\n    print('refused')\n")
    status, out = run_python(code, tmp_path)
    assert "refused" in out, out
    with pytest.raises(socket.timeout):
        server.accept()
    server.close()


@pytest.mark.parametrize("name", ("bwrap", "namespaces"))
def test_confined_code_talks_to_itself_over_its_own_loopback(name, request, monkeypatch, tmp_path):
    # a one-process torch.distributed group (gloo) needs 127.0.0.1 inside the sandbox's own network
    _backend(request, monkeypatch, name)
    code = ("import socket\nserver = socket.socket()\nserver.bind(('127.0.0.1', 0))\nserver.listen(1)\n"
            "client = socket.create_connection(server.getsockname(), timeout=3)\n"
            "peer, _ = server.accept()\nclient.sendall(b'ping')\nprint(peer.recv(4).decode())\n")
    status, out = run_python(code, tmp_path)
    assert status == 0 and "ping" in out, out


def test_reader_credentials_are_hidden(confined, tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text("SECRET")
    (home / ".netrc").write_text("machine x password SECRET")
    (home / "paper-notes.txt").write_text("readable")
    monkeypatch.setenv("HOME", str(home))
    (tmp_path / "scratch").mkdir()
    code = (f"for path in ({str(home / '.ssh' / 'id_rsa')!r}, {str(home / '.netrc')!r}, "
            f"{str(home / 'paper-notes.txt')!r}):\n"
            "    try:\n        print(open(path).read())\n    except OSError as e:\n        print('refused')\n")
    status, out = run_python(code, tmp_path / "scratch")
    assert status == 0 and "SECRET" not in out and "readable" in out, out


def test_no_process_outlives_the_code_however_it_detaches(backend, tmp_path):
    marker = f"READER_SANDBOX_TEST_{uuid.uuid4().hex}"
    code = ("import os, time\nfor _ in range(20):\n    if os.fork() == 0:\n        os.setsid()\n"
            "        if os.fork() == 0:\n            time.sleep(300)\n        os._exit(0)\n    os.wait()\n"
            "print('spawned')\n")
    status, out = run_python(code, tmp_path, **{marker: "1"})
    assert status == 0 and "spawned" in out, out
    deadline = time.monotonic() + 10
    while alive_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert alive_with(marker) == []


def test_stop_kills_a_running_tree(backend, tmp_path):
    marker = f"READER_SANDBOX_TEST_{uuid.uuid4().hex}"
    cwd, overrides = sandbox.prepare(str(tmp_path))
    code = "import os, time\nfor _ in range(5):\n    if os.fork() == 0:\n        os.setsid()\n        break\ntime.sleep(300)\n"
    proc = start([sys.executable, "-c", code], str(tmp_path), cwd=cwd, env={**os.environ, **overrides, marker: "1"})
    deadline = time.monotonic() + 60
    while len(alive_with(marker)) < 6 and time.monotonic() < deadline:
        time.sleep(0.1)
    proc.stop()
    deadline = time.monotonic() + 10
    while alive_with(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert alive_with(marker) == []


def test_a_crash_is_reported_as_the_signal_that_ended_it(backend, tmp_path):
    status, _ = run_python("import ctypes\nctypes.string_at(0)", tmp_path)
    assert status == -11
    status, _ = run_python("import os\nos._exit(7)", tmp_path)
    assert status == 7


def test_unconfined_fallback_says_so_once(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("READER_APP_SANDBOX", "none")
    monkeypatch.setattr("reader_app.sandbox.launch._warned", False)
    for _ in range(2):
        start(["true"], str(tmp_path)).wait()
    err = capsys.readouterr().err
    assert err.count("unconfined") == 1 and "install bubblewrap" in err


def test_best_backend_is_chosen_without_being_asked(monkeypatch):
    monkeypatch.delenv("READER_APP_SANDBOX", raising=False)
    chosen = sandbox.choose()
    order = [name for name in backends.ORDER if backends.available(name)]
    assert chosen.name == order[0]
