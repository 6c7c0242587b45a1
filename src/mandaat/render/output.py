"""Write a product file without ever losing what a user wrote.

The report goes to a temporary file in the target's folder and is renamed over the target in one step,
so a reader sees the old file or the new one, never half of one. The scenario being read, anything under
the rulebook or the seeds, and directories are never overwritten; an existing file only with ``force``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..model.errors import OutputError


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def write_atomic(
    target: Path,
    text: str | bytes,
    *,
    force: bool = False,
    protected_files: Iterable[Path] = (),
    protected_dirs: Iterable[Path] = (),
) -> None:
    """Write ``text`` to ``target`` atomically, refusing to clobber what must not be clobbered."""
    shown = str(target)
    resolved = target.resolve()
    for protected in protected_files:
        if resolved == protected.resolve():
            raise OutputError(f"{shown}: refusing to overwrite the scenario being read (choose another -o file)")
    for folder in protected_dirs:
        if _inside(resolved, folder.resolve()):
            raise OutputError(f"{shown}: refusing to write into {folder} (rules and sources are not output)")
    if resolved.is_dir():
        raise OutputError(f"{shown}: is a directory (name a file to write the report to)")
    if resolved.exists() and not force:
        raise OutputError(f"{shown}: already exists (add --force to replace it)")
    folder = resolved.parent
    if not folder.is_dir():
        raise OutputError(f"{shown}: folder {folder} does not exist")
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    fd = -1
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{resolved.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            fd = -1
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if resolved.exists():
            os.chmod(tmp, resolved.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, resolved)
        tmp = ""
    except OSError as exc:
        raise OutputError(
            f"{shown}: cannot write the report: {exc.strerror or exc} (the existing file, if any, is unchanged)"
        ) from None
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
