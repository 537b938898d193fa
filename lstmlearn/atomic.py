"""Files written atomically, and the temporaries a killed writer leaves behind (notebooks 07, 08).

atomic_savez (an .npz) and atomic_write_bytes (any file: `lstmlearn course` uses it) write
to a temporary file in the same folder, flush and fsync it, then rename it over the old
file with os.replace, so a reader sees the old file or the new one, never half of one. A writer killed while saving (kill -9, a power cut) leaves its
temporary behind; the temporary's name carries the writer's host and process id, and the
next save (or a checkpoint load) removes the temporaries of writers on this host that are
no longer running: never a live writer's, never another file's.
"""

from __future__ import annotations

import ctypes
import os
import re
import secrets
import socket
import threading
import time

import numpy as np

_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"
_WRITING: set = set()  # temporaries this process is writing now (any thread)
_WRITING_LOCK = threading.Lock()
_OLD_STYLE_AGE = 3600.0  # seconds: an unnamed temporary older than this has no live writer


def temporary_name(path, pid: int, tag: str) -> str:
    """The name of the temporary file that process `pid` writes `path` through:
    .<name>~<host>~<pid>~<tag>.tmp in the same folder."""
    return f".{os.path.basename(os.fspath(path))}~{_HOST}~{pid}~{tag}.tmp"


def atomic_savez(path, arrays: dict) -> None:
    """np.savez `arrays` to `path` atomically (temporary file, fsync, os.replace).

    Temporaries of earlier writers of `path` that were killed while saving are removed first.
    A `path` that is a symbolic link is written through: its target gets the new file, and
    the link stays.
    """
    atomic_write(path, lambda f: np.savez(f, **arrays))


def atomic_write_bytes(path, content: bytes) -> None:
    """Write `content` to `path` atomically, as atomic_savez does."""
    atomic_write(path, lambda f: f.write(content))


def atomic_write(path, write) -> None:
    """Call write(file) on a temporary beside `path`, fsync it and rename it over `path`.

    The file gets the permissions any new file gets (0666 less the umask: 0644 under umask 022).
    An OSError names `path`, the destination, never the temporary.
    """
    path = _through_link(path)
    folder = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(folder, temporary_name(path, os.getpid(), secrets.token_hex(4)))
    with _WRITING_LOCK:
        _WRITING.add(tmp)
    try:
        os.makedirs(folder, exist_ok=True)
        remove_orphans(path)
        with open(tmp, "xb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as err:
        _discard(tmp)
        if err.errno is None:
            raise
        raise OSError(err.errno, err.strerror, path) from err
    except BaseException:
        _discard(tmp)
        raise
    finally:
        with _WRITING_LOCK:
            _WRITING.discard(tmp)


def _discard(tmp) -> None:
    try:
        os.unlink(tmp)
    except OSError:  # never written, or its folder is gone
        pass


def remove_orphans(path) -> list:
    """Remove the temporaries of `path` left by writers that are no longer running.

    A temporary is removed only if its name says it was written on this host by a process
    that has ended (or by this process, outside any save in progress), or if it has the
    older unnamed form (.<name>.<random>.tmp) and is over an hour old. Returns the removed paths.
    """
    path = _through_link(path)
    folder = os.path.dirname(os.path.abspath(path))
    base = os.path.basename(path)
    named = re.compile(re.escape(f".{base}~{_HOST}~") + r"(\d+)~[0-9a-f]+\.tmp")
    unnamed = re.compile(re.escape(f".{base}.") + r"[A-Za-z0-9_]{8}\.tmp")
    removed = []
    try:
        entries = os.listdir(folder)
    except OSError:
        return removed
    for entry in entries:
        full = os.path.join(folder, entry)
        m = named.fullmatch(entry)
        if m:
            pid = int(m.group(1))
            with _WRITING_LOCK:
                busy = full in _WRITING
            orphan = not busy and (pid == os.getpid() or not _process_alive(pid))
        else:
            orphan = bool(unnamed.fullmatch(entry)) and _age(full) > _OLD_STYLE_AGE
        if orphan:
            try:
                os.unlink(full)
                removed.append(full)
            except OSError:  # gone already, or not ours to remove
                pass
    return removed


def _through_link(path) -> str:
    """`path`, or the file it links to if it is a symbolic link (the temporaries live beside that)."""
    path = os.fspath(path)
    return os.path.realpath(path) if os.path.islink(path) else path


def _age(path) -> float:
    try:
        return time.time() - os.stat(path).st_mtime
    except OSError:
        return 0.0


def _process_alive(pid: int) -> bool:
    """Is process `pid` running on this machine? (If unsure, yes: then nothing is removed.)"""
    if pid <= 0:
        return True
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return not ok or code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. PermissionError: it exists, owned by someone else
        return True
    return True
