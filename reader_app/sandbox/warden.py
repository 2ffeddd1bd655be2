"""The process that stands between the app and the repository's code: `python -I -S warden.py OPTIONS -- ARGV`.

Runs as a plain script (no imports from reader_app, no site-packages) so that it starts in a few
milliseconds. It confines itself (namespaces or Landlock, by --mode), forks the target, waits for it,
writes how it ended to --status, and kills every process the target left behind. Modes:
  namespaces  new user, mount, network, pid, ipc and uts namespaces; the file system remounted read-only
              except --scratch; capabilities dropped before the target runs.
  landlock    Landlock: writes only under --scratch (and devices), no TCP; a sweep of descendants.
  none        no confinement; a sweep of descendants (child subreaper).
"""
from __future__ import annotations

import ctypes
import errno
import os
import resource
import signal
import sys

LIBC = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 1, 36, 38
PR_CAPBSET_DROP, PR_SET_SECUREBITS = 24, 28
SECURE_NOROOT_ALL = 0x01 | 0x02 | 0x04 | 0x08 | 0x20  # noroot, no-setuid-fixup, keep-caps: all locked
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_NOATIME, MS_NODIRATIME, MS_BIND, MS_REC, MS_PRIVATE = 1024, 2048, 4096, 16384, 1 << 18
MS_RELATIME, MS_STRICTATIME = 1 << 21, 1 << 24
LOCKED_FLAGS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
                "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME, "strictatime": MS_STRICTATIME}


def _prctl(option: int, value: int) -> None:
    LIBC.prctl(option, ctypes.c_ulong(value), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))


def _check(result: int, what: str) -> None:
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {os.strerror(code)}")


def _mount(source, target, fstype, flags: int, data=None) -> None:
    enc = lambda text: None if text is None else os.fsencode(text)  # noqa: E731
    _check(LIBC.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)), f"mount {target}")


def _unescape(field: str) -> str:
    """mountinfo writes space, tab, newline and backslash as \\ooo."""
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and field[i + 1:i + 4].isdigit():
            out.append(chr(int(field[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def _mounts() -> list[tuple[str, int]]:
    """(mount point, flags that must be kept on a remount) for every mount, parents first."""
    found = []
    with open("/proc/self/mountinfo", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            flags = 0
            for option in parts[5].split(","):
                flags |= LOCKED_FLAGS.get(option, 0)
            found.append((_unescape(parts[4]), flags))
    return found


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _read_only_world(scratch: str, hide: list[str]) -> None:
    """Everything read-only except the scratch folder and a private /dev/shm, the reader's credentials
    hidden (run as root of the new namespaces, before the target exists)."""
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    for path in hide:
        try:
            if os.path.isdir(path):
                _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, "size=4k,mode=700")
            else:
                _mount("/dev/null", path, None, MS_BIND)
        except OSError:
            pass
    try:
        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)  # this pid namespace's processes
    except OSError:
        pass
    _mount(scratch, scratch, None, MS_BIND | MS_REC)
    try:
        _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=256m")
    except OSError:
        pass
    for point, flags in _mounts():
        if _within(point, scratch) or point == "/dev/shm":
            continue
        try:
            _mount(None, point, None, MS_BIND | MS_REMOUNT | MS_RDONLY | flags)
        except OSError as exc:
            if point == "/" or exc.errno not in (errno.EACCES, errno.EPERM, errno.ENOENT, errno.EINVAL):
                raise


def _drop_privileges() -> None:
    """No capability survives the exec of the target, and no setuid program can give one back."""
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    for cap in range(64):
        if LIBC.prctl(PR_CAPBSET_DROP, ctypes.c_ulong(cap), 0, 0, 0) != 0:
            break
    _prctl(PR_SET_SECUREBITS, SECURE_NOROOT_ALL)


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def sweep(own_pid_namespace: bool) -> None:
    """Kill every process the target started, however it detached (new session, double fork). In our own
    pid namespace that is everyone but us (kill -1); outside one, every descendant (we are their
    subreaper, so orphans are ours too). Never kill -1 outside a namespace of our own."""
    for _ in range(500):
        if own_pid_namespace:
            try:
                os.kill(-1, signal.SIGKILL)
            except ProcessLookupError:
                pass
            left = []
        else:
            left = _descendants(os.getpid())
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            if not left:
                return
            continue
        if pid == 0 and not own_pid_namespace and not left:
            return
        _reap()
        if pid == 0:
            os.sched_yield()


def run_target(argv: list[str], cwd: str, status_path: str, own_pid_namespace: bool, drop: bool) -> int:
    _prctl(PR_SET_CHILD_SUBREAPER, 1)  # orphans of the target come to us, whatever session they start
    pid = os.fork()
    if pid == 0:
        try:
            _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
            if drop:
                _drop_privileges()
            os.chdir(cwd)
            os.execvp(argv[0], argv)
        except BaseException as exc:  # noqa: BLE001 - report and leave without running Python cleanup
            os.write(2, f"could not start {argv[0]}: {exc}\n".encode())
        os._exit(127)

    def stop(signum, frame):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        sweep(own_pid_namespace)
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
    ended = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"
    try:
        with open(status_path, "w", encoding="utf-8") as fh:
            fh.write(ended)
    except OSError:
        pass
    sweep(own_pid_namespace)
    return 128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def _loopback_up() -> None:
    """Bring up the new network namespace's own loopback (as bubblewrap does): code that talks to itself over
    127.0.0.1 (a one-process torch.distributed group, a local server) works; nothing outside is reachable. We
    hold CAP_NET_ADMIN over the namespace we just made; without it the loopback stays down, as before."""
    import fcntl
    import socket
    import struct

    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            request = struct.pack("16sH14s", b"lo", 0, b"")
            flags = struct.unpack("16sH14s", fcntl.ioctl(sock, siocgifflags, request))[1]
            fcntl.ioctl(sock, siocsifflags, struct.pack("16sH14s", b"lo", flags | iff_up, b""))
    except OSError:
        pass


def enter_namespaces(scratch: str) -> None:
    """unshare, map our own user, fork the namespace's first process; the parent waits and passes its
    status on (and takes the whole namespace down with it when stopped)."""
    uid, gid = os.getuid(), os.getgid()
    _check(LIBC.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS),
           "unshare")
    for path, text in (("/proc/self/setgroups", "deny"), ("/proc/self/uid_map", f"{uid} {uid} 1"),
                       ("/proc/self/gid_map", f"{gid} {gid} 1")):
        with open(path, "w", encoding="ascii") as fh:
            fh.write(text)
    _loopback_up()
    first = os.fork()
    if first == 0:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        return
    signal.signal(signal.SIGTERM, lambda *_: os.kill(first, signal.SIGKILL))
    signal.signal(signal.SIGINT, lambda *_: os.kill(first, signal.SIGKILL))
    while True:
        try:
            _, status = os.waitpid(first, 0)
            break
        except InterruptedError:
            continue
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))


def main(args: list[str]) -> int:
    split = args.index("--")
    options = dict(zip(args[:split:2], args[1:split:2]))
    argv = args[split + 1:]
    mode, scratch, status = options["--mode"], os.path.realpath(options["--scratch"]), options["--status"]
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # the app died: so do we
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a segfaulting model leaves no core file behind
    if mode == "namespaces":
        enter_namespaces(scratch)
        try:
            _read_only_world(scratch, [path for path in options.get("--hide", "").split(os.pathsep) if path])
        except OSError as exc:
            os.write(2, f"sandbox setup failed: {exc}\n".encode())
            return 125
    elif mode == "landlock":
        try:  # a bundle runs us as a module; from source we run as a script with -I -S
            from reader_app.sandbox import landlock
        except ImportError:
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            import landlock  # noqa: PLC0415 - the sibling file

        landlock.restrict(scratch, [path for path in options.get("--hide", "").split(os.pathsep) if path])
    own_ns = mode == "namespaces" and os.getpid() == 1
    return run_target(argv, options.get("--cwd", scratch), status, own_ns, drop=mode == "namespaces")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
