"""Landlock (Linux 5.13+, no privileges needed): after `restrict(scratch)` this process and everything it
starts may write only under `scratch` (and to device files such as /dev/null), may read everything but
the reader's credentials, and, on kernels with Landlock ABI 4 or newer, may not bind or connect TCP sockets.

Imported by the warden as a plain file (no package imports) and by the app to ask `abi()`.
"""
from __future__ import annotations

import ctypes
import os

_LIBC = ctypes.CDLL(None, use_errno=True)
_CREATE, _ADD_RULE, _RESTRICT = 444, 445, 446  # the same numbers on every architecture
_VERSION_FLAG = 1
_PATH_BENEATH = 1
PR_SET_NO_NEW_PRIVS = 38

# Filesystem rights that change something (reading and executing are not handled, so stay allowed).
_EXECUTE, _WRITE_FILE, _READ_FILE, _READ_DIR, _REMOVE_DIR, _REMOVE_FILE = 1, 1 << 1, 1 << 2, 1 << 3, 1 << 4, 1 << 5
_MAKE_ALL = sum(1 << bit for bit in range(6, 13))  # char, dir, reg, sock, fifo, block, sym
_REFER, _TRUNCATE = 1 << 13, 1 << 14
_BIND_TCP, _CONNECT_TCP = 1, 2
_SCOPE_ABSTRACT_UNIX, _SCOPE_SIGNAL = 1, 2


class _Ruleset(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def abi() -> int:
    """The kernel's Landlock ABI version, 0 when Landlock is missing or disabled."""
    version = _LIBC.syscall(ctypes.c_long(_CREATE), None, ctypes.c_size_t(0), ctypes.c_uint32(_VERSION_FLAG))
    return max(int(version), 0)


def _fs_rights(version: int) -> int:
    rights = _WRITE_FILE | _REMOVE_DIR | _REMOVE_FILE | _MAKE_ALL
    if version >= 2:
        rights |= _REFER
    if version >= 3:
        rights |= _TRUNCATE
    return rights


def _read_rules(hide: list[str]) -> list[tuple[str, int]]:
    """(path, rights) that let everything be read except the files under `hide`: every folder on the way to
    a hidden path stays listable, its other entries readable; the hidden ones get no rule at all."""
    hidden = [os.path.realpath(path) for path in hide]
    rules: list[tuple[str, int]] = []

    def cover(path: str) -> None:
        if any(path == h for h in hidden):
            return
        if not any(h.startswith(path.rstrip("/") + "/") for h in hidden):
            rules.append((path, _READ_FILE | _READ_DIR if os.path.isdir(path) else _READ_FILE))
            return
        rules.append((path, _READ_DIR))  # names stay visible; file contents beneath need their own rule
        try:
            names = os.listdir(path)
        except OSError:
            return
        for name in names:
            child = os.path.join(path, name)
            if not os.path.islink(child):
                cover(child)

    cover("/")
    return rules


def _add_rule(ruleset: int, folder: str, rights: int) -> None:
    try:
        fd = os.open(folder, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # vanished since it was listed
    try:
        rule = _PathBeneath(rights, fd)
        if _LIBC.syscall(ctypes.c_long(_ADD_RULE), ctypes.c_int(ruleset), ctypes.c_int(_PATH_BENEATH),
                         ctypes.byref(rule), ctypes.c_uint32(0)) != 0:
            raise OSError(ctypes.get_errno(), f"landlock_add_rule {folder} failed")
    finally:
        os.close(fd)


def restrict(scratch: str, hide: list[str] = ()) -> int:
    """Confine this process (and its future children); returns the ABI used. Raises OSError when the
    kernel has no Landlock. Files under `hide` cannot be read either."""
    version = abi()
    if version < 1:
        raise OSError("Landlock is not available")
    fs = _fs_rights(version) | (_READ_FILE | _READ_DIR if hide else 0)
    attr = _Ruleset(fs, _BIND_TCP | _CONNECT_TCP if version >= 4 else 0,
                    _SCOPE_ABSTRACT_UNIX | _SCOPE_SIGNAL if version >= 6 else 0)
    size = 24 if version >= 6 else 16 if version >= 4 else 8
    ruleset = _LIBC.syscall(ctypes.c_long(_CREATE), ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    try:
        _add_rule(ruleset, scratch, fs)
        _add_rule(ruleset, "/dev", _WRITE_FILE | (_TRUNCATE if version >= 3 else 0))
        for path, rights in _read_rules(list(hide)) if hide else []:
            _add_rule(ruleset, path, rights)
        _LIBC.prctl(PR_SET_NO_NEW_PRIVS, ctypes.c_ulong(1), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))
        if _LIBC.syscall(ctypes.c_long(_RESTRICT), ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(ruleset)
    return version
