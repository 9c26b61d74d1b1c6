"""Session folders on disk: each session's checkpoints live in a folder of its own, named after
the server's process; a server killed mid-lesson leaves them behind, so start-up sweeps them."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

from digitlab.limits import SESSION_TTL_S

# A session folder's name: this prefix, the owner's process id, "-", random letters.
FOLDER_PREFIX = "digitlab-session-"


def new_session_folder() -> Path:
    """A private folder for one session's checkpoints, named after this process's id."""
    return Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))


def sweep_session_folders(ttl: float = SESSION_TTL_S, root: Path | None = None) -> list[Path]:
    """Delete session folders a stopped server left: its process is gone or, whoever made it,
    nothing in it changed for ttl seconds. Called once at start-up; returns what it deleted.

    Only our own: directories (not links) named FOLDER_PREFIX* in the temp folder, owned by this
    user, and never this process's. A server killed mid-lesson cannot clean up after itself.
    """
    root = Path(tempfile.gettempdir()) if root is None else root
    removed = []
    for path in root.glob(FOLDER_PREFIX + "*"):
        try:
            info = path.lstat()  # the entry itself: a link to a folder is not a folder here
            if not stat.S_ISDIR(info.st_mode) or not _ours(info):
                continue
            owner = _owner(path.name)
            if owner == os.getpid():
                continue
            if (owner is not None and not _alive(owner)) or time.time() - _changed(path) > ttl:
                shutil.rmtree(path)
                removed.append(path)
        except OSError:  # gone meanwhile, or not ours to read or delete: leave it
            continue
    return removed


def _ours(info: os.stat_result) -> bool:
    """Whether this user owns the entry (Windows has no user ids here: its temp folder is
    per user)."""
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


def _owner(name: str) -> int | None:
    """The process id in a folder's name; None for folders named before ids were added."""
    pid, dash, _ = name.removeprefix(FOLDER_PREFIX).partition("-")
    return int(pid) if dash and pid.isdigit() else None


def _alive(pid: int) -> bool:
    """Whether a process with this id runs (on Windows, assume so: os.kill would end it)."""
    if os.name == "nt":
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else
        return True
    return True


def _changed(folder: Path) -> float:
    """When the folder or a file in it last changed (seconds since the epoch)."""
    with os.scandir(folder) as entries:
        times = [entry.stat(follow_symlinks=False).st_mtime for entry in entries]
    return max([folder.lstat().st_mtime, *times])
