"""The app's files on disk, each folder named after the server's process so that a server killed
mid-lesson leaves nothing for good: start-up sweeps what a gone process left.

Each session's checkpoints live in a folder of its own. Everything Gradio writes (uploads, the
pictures it serves, downloads) goes to this process's own cache folder (GRADIO_TEMP_DIR points
there), which also holds the session folders: a checkpoint is offered for download from where
it is, never copied. While the app runs, CacheBudget keeps that folder within its budget.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import threading
import time
from pathlib import Path

from digitlab.limits import (
    CACHE_BUDGET_BYTES,
    CACHE_MIN_AGE_S,
    CACHE_SWEEP_S,
    CACHE_TTL_S,
    SESSION_TTL_S,
    UPLOAD_TTL_S,
)
from digitlab.words import DEFAULT, t

# A session folder's name: this prefix, the owner's process id, "-", random letters.
FOLDER_PREFIX = "digitlab-session-"
# This process's Gradio cache folder, named the same way, in the GRADIO_TEMP_DIR it was given.
CACHE_PREFIX = "digitlab-cache-"
_process_cache: list[Path] = []  # this process's cache folder, once made


def new_session_folder() -> Path:
    """A private folder for one session's checkpoints, named after this process's id: in this
    process's cache folder once there is one (so Gradio serves its files where they are)."""
    root = _process_cache[0] if _process_cache else None
    return Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-", dir=root))


def use_process_cache() -> Path:
    """Point Gradio's cache (GRADIO_TEMP_DIR) at a folder of this process's own, inside the one
    it was given, after sweeping the folders that gone processes left there. Call it before any
    gr.Blocks is built: Gradio reads the variable then. Returns the folder (the same one if
    called again)."""
    if _process_cache:
        return _process_cache[0]
    base = os.environ.get("GRADIO_TEMP_DIR") or str(Path(tempfile.gettempdir()) / "gradio")
    base = Path(base).resolve()
    base.mkdir(parents=True, exist_ok=True)
    sweep_cache_folders(base)
    folder = Path(tempfile.mkdtemp(prefix=f"{CACHE_PREFIX}{os.getpid()}-", dir=base))
    _process_cache.append(folder)
    os.environ["GRADIO_TEMP_DIR"] = str(folder)
    return folder


def sweep_cache_folders(root: Path) -> list[Path]:
    """Delete the cache folders in root whose process is gone (however young: nothing can use
    them), and those with this process's id that it did not make (a restarted container can
    give the new server the old one's id). Returns what it deleted."""

    def gone(path: Path, owner: int | None) -> bool:
        if path in _process_cache:
            return False
        return owner is None or owner == os.getpid() or not _alive(owner)

    return _sweep(root, CACHE_PREFIX, gone)


def sweep_session_folders(ttl: float = SESSION_TTL_S, root: Path | None = None) -> list[Path]:
    """Delete session folders a stopped server left: its process is gone or, whoever made it,
    nothing in it changed for ttl seconds. Called once at start-up; returns what it deleted.

    Only our own: directories (not links) named FOLDER_PREFIX* in the temp folder, owned by this
    user, and never this process's. A server killed mid-lesson cannot clean up after itself.
    """
    root = Path(tempfile.gettempdir()) if root is None else root

    def gone(path: Path, owner: int | None) -> bool:
        if owner == os.getpid():
            return False
        return (owner is not None and not _alive(owner)) or time.time() - _changed(path) > ttl

    return _sweep(root, FOLDER_PREFIX, gone)


def _sweep(root: Path, prefix: str, gone) -> list[Path]:
    """Delete the directories (not links) named prefix* in root that this user owns and
    gone(path, owner's process id or None) says are left over; returns them."""
    removed = []
    for path in root.glob(prefix + "*"):
        try:
            info = path.lstat()  # the entry itself: a link to a folder is not a folder here
            if not stat.S_ISDIR(info.st_mode) or not _ours(info):
                continue
            if gone(path, _owner(path.name, prefix)):
                shutil.rmtree(path)
                removed.append(path)
        except OSError:  # gone meanwhile, or not ours to read or delete: leave it
            continue
    return removed


def _ours(info: os.stat_result) -> bool:
    """Whether this user owns the entry (Windows has no user ids here: its temp folder is
    per user)."""
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


def _owner(name: str, prefix: str = FOLDER_PREFIX) -> int | None:
    """The process id in a folder's name; None for folders named before ids were added."""
    pid, dash, _ = name.removeprefix(prefix).partition("-")
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


class CacheBudget:
    """Keeps a cache folder within CACHE_BUDGET_BYTES and clears what nothing uses: an upload
    older than UPLOAD_TTL_S (every event that takes a file reads it at once), any other file
    Gradio wrote (a picture it served, a script to download) older than CACHE_TTL_S, and past
    the budget the oldest files first. The session folders in it are not its to touch: they go
    with their sessions.

    uploads: the paths of uploaded files (Gradio's Blocks.upload_file_set); tracked: the sets
    in which Gradio remembers the files it wrote (Blocks.temp_file_sets), emptied of what the
    sweep deletes so that they do not grow for ever.
    """

    def __init__(self, folder: Path, uploads: set[str], tracked: list[set[str]]) -> None:
        self.folder, self.uploads, self.tracked = folder, uploads, tracked
        self._lock = threading.Lock()
        self._used = 0  # bytes found at the last sweep, plus the uploads let in since
        self._thread: threading.Thread | None = None

    def sweep(self, now: float | None = None, room: int = 0) -> list[Path]:
        """Delete what is stale, then the oldest files past the budget (less room bytes, for an
        upload waiting to come in); returns what went."""
        now = time.time() if now is None else now
        files = sorted(self._files(), key=lambda entry: entry[1])  # oldest first
        removed, used = [], sum(size for _, _, size in files)
        for path, changed, size in files:
            ttl = UPLOAD_TTL_S if str(path) in self.uploads else CACHE_TTL_S
            over = used + room > CACHE_BUDGET_BYTES and now - changed > CACHE_MIN_AGE_S
            if (now - changed > ttl or over) and _remove(path):
                removed.append(path)
                used -= size
        gone = {str(path) for path in removed}
        for paths in self.tracked:
            paths.difference_update(gone)
        with self._lock:
            self._used = used
        return removed

    def admit(self, size: int) -> bool:
        """Whether an upload of size bytes fits (after a sweep, if it would not at once); if it
        does, it is counted until the next sweep."""
        with self._lock:
            fits = size >= 0 and self._used + size <= CACHE_BUDGET_BYTES
        if not fits and 0 <= size <= CACHE_BUDGET_BYTES:
            self.sweep(room=size)
        with self._lock:
            fits = size >= 0 and self._used + size <= CACHE_BUDGET_BYTES
            self._used += size if fits else 0
        return fits

    def start(self) -> CacheBudget:
        """Sweep now and every CACHE_SWEEP_S seconds in a daemon thread (once per process)."""
        if self._thread is None:
            self.sweep()
            self._thread = threading.Thread(target=self._run, name="cache-budget", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        while True:
            time.sleep(CACHE_SWEEP_S)
            self.sweep()

    def _files(self):
        """(path, last changed, size) of every file in the folder but the session folders'."""
        for top, dirs, names in os.walk(self.folder):
            dirs[:] = [d for d in dirs if not d.startswith(FOLDER_PREFIX)]
            for name in names:
                path = Path(top, name)
                try:
                    info = path.lstat()
                except OSError:
                    continue
                yield path, info.st_mtime, info.st_size


def _remove(path: Path) -> bool:
    """Delete a file, and its folder when that is left empty (Gradio's folder per file)."""
    try:
        path.unlink()
    except OSError:
        return False
    with contextlib.suppress(OSError):
        path.parent.rmdir()  # only when empty
    return True


class UploadGate:
    """ASGI middleware: an upload to Gradio's /upload that would take the cache past its budget
    is refused (503) before any of it is read, as is one that does not say its size."""

    def __init__(self, app, budget: CacheBudget) -> None:
        self.app, self.budget = app, budget

    async def __call__(self, scope, receive, send) -> None:
        upload = scope["type"] == "http" and scope["method"] == "POST"
        if not (upload and scope["path"].endswith("/upload")):
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"")
        if length.isdigit() and self.budget.admit(int(length)):
            return await self.app(scope, receive, send)
        lang = "zh" if headers.get(b"accept-language", b"").startswith(b"zh") else DEFAULT
        body = t("msg.uploads_full", lang).encode()
        await send({"type": "http.response.start", "status": 503, "headers": [
            (b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", b"60"),
            (b"content-length", str(len(body)).encode())]})  # fmt: skip
        await send({"type": "http.response.body", "body": body})
