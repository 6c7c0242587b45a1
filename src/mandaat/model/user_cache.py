"""Where mandaat keeps what it may compute once per user rather than once per command: the folder, or
none. ``MANDAAT_CACHE=0`` switches every cache off; ``MANDAAT_CACHE_DIR`` moves the folder; otherwise it
is ``mandaat/rulebooks`` under the user's cache folder (``XDG_CACHE_HOME`` or ``~/.cache``). A cache is
an optimisation only: what cannot be read from it or written to it is computed as if it were not there.

What is read back from the cache is trusted as if mandaat had computed it (the rulebook's entries are
pickles, which run code when loaded), so an entry is read only when no one but the user (or the system's
administrator, who can change mandaat itself) can have written it: a regular file, not a link, owned by
the user or by root, that neither group nor others may write, in a folder of which the same holds. Any
other entry or folder is ignored, as if the cache were empty, and nothing is written into such a folder.
Entries are written to a new private file in the folder (``mkstemp``, mode 0600) and renamed into place;
the folders mandaat makes are private (0700), and mandaat's own default folder is made private again if
it was made with looser rights.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

# Group or others may write.
_SHARED_WRITE = stat.S_IWGRP | stat.S_IWOTH
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class UntrustedCache(OSError):
    """A cache folder or entry that someone other than the user could have written."""


def cache_folder() -> Path | None:
    """The folder of the user's cache, or None when it is switched off."""
    if os.environ.get("MANDAAT_CACHE", "1") == "0":
        return None
    chosen = os.environ.get("MANDAAT_CACHE_DIR")
    if chosen:
        return Path(chosen)
    return _default_folder()


def _default_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mandaat" / "rulebooks"


def _owned(status: os.stat_result) -> bool:
    """Owned by the user or by root (where there are owners), and writable by no one else."""
    if hasattr(os, "geteuid") and status.st_uid not in (os.geteuid(), 0):
        return False
    return not status.st_mode & _SHARED_WRITE


def _check_folder(folder: Path) -> None:
    status = os.stat(folder)
    if not stat.S_ISDIR(status.st_mode) or not _owned(status):
        raise UntrustedCache(f"{folder}: not a cache folder that only its user can write")


def open_entry(path: Path) -> BinaryIO:
    """The cache entry at ``path``, opened to read; OSError (:class:`UntrustedCache` among others) when it
    is missing, or when it or its folder could have been written by someone other than the user."""
    _check_folder(path.parent)
    fd = os.open(path, _READ_FLAGS)  # a link is refused (ELOOP), a FIFO does not block
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode) or not _owned(status):
            raise UntrustedCache(f"{path}: not a cache entry that only its user can write")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def write_entry(path: Path, data: bytes) -> None:
    """Write the cache entry at ``path``: into a new private file in its folder, then renamed over the
    entry (a link planted at its name is replaced, not followed). OSError when the folder cannot be made
    or is not the user's alone."""
    folder = path.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        _check_folder(folder)
    except UntrustedCache:
        if not _repaired(folder):
            raise
    import tempfile  # only when an entry is written

    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _repaired(folder: Path) -> bool:
    """mandaat's default folder, the user's own but made writable for others (a umask of 002), is made
    private. A folder the user chose (``MANDAAT_CACHE_DIR``) is left as it is, and not used."""
    if os.environ.get("MANDAAT_CACHE_DIR") or folder != _default_folder():
        return False
    status = os.lstat(folder)
    if not stat.S_ISDIR(status.st_mode) or (hasattr(os, "geteuid") and status.st_uid != os.geteuid()):
        return False
    os.chmod(folder, stat.S_IMODE(status.st_mode) & ~_SHARED_WRITE)
    return True


def prune(folder: Path, pattern: str, keep: int = 8) -> None:
    """Keep the ``keep`` most recently written entries named like ``pattern`` in ``folder``."""
    entries = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[keep:]:
        old.unlink(missing_ok=True)
