"""Write a product file without ever losing what a user wrote.

The report goes to a temporary file in the target's folder and then, in one step, becomes the target: a
new file by a hard link that fails if the name exists (so of many runs writing the same new file without
``force`` exactly one wins), a replaced file by rename. A reader sees the old file or the new one, never
half of one, and a signal during the write leaves no temporary file. Every input of the command (the
scenario, each base of its `extends` chain), the rulebook and the seeds are never overwritten, compared
by real path and whatever ``force`` says; nor are directories, devices and pipes.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from ..model.errors import OutputError, Words, about, said
from ..run.isolate import interruptible


def _real(path: Path | str, shown: str) -> Path:
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError) as exc:
        raise OutputError(about(shown, said("cannot_use_name", reason=_reason(exc)))) from None


def _reason(exc: BaseException) -> Words:
    if isinstance(exc, ValueError):
        return said("bad_name_character")
    return str(getattr(exc, "strerror", None) or exc)  # the system's own words


def _check_target(
    real: Path, shown: str, force: bool, protected_files: Iterable[Path], protected_dirs: Iterable[Path]
) -> bool:
    """Refuse what must not be written; whether the target exists."""
    for protected in protected_files:
        if real == _real(protected, str(protected)):
            raise OutputError(about(shown, said("output_is_input", path=protected)))
    for folder in protected_dirs:
        if real.is_relative_to(_real(folder, str(folder))):
            raise OutputError(about(shown, said("output_in_rules", folder=folder)))
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    except (OSError, ValueError) as exc:
        raise OutputError(about(shown, said("cannot_write_here", reason=_reason(exc)))) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(about(shown, said("output_is_directory")))
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputError(about(shown, said("output_is_device")))
    if mode is not None and not force:
        raise OutputError(about(shown, said("output_exists")))
    if not real.parent.is_dir():
        raise OutputError(about(shown, said("output_no_folder", folder=real.parent)))
    return mode is not None


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
    real = _real(target, shown)
    exists = _check_target(real, shown, force, protected_files, protected_dirs)
    tmp = ""
    try:
        with interruptible():
            import tempfile  # only when a file is written

            fd, tmp = tempfile.mkstemp(prefix=f".{real.name[:100]}.", suffix=".tmp", dir=real.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(text.encode("utf-8") if isinstance(text, str) else text)
                handle.flush()
                os.fsync(handle.fileno())
            _set_mode(tmp, real if exists else None)
            _publish(tmp, real, shown, force)
    except OSError as exc:
        raise OutputError(about(shown, said("output_failed", reason=_reason(exc)))) from None
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _set_mode(tmp: str, existing: Path | None) -> None:
    if existing is not None:
        os.chmod(tmp, existing.stat().st_mode & 0o777)
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)


def _publish(tmp: str, real: Path, shown: str, force: bool) -> None:
    """Make the temporary file the target: replace it (``force``), or create it only if it is still new."""
    if force:
        os.replace(tmp, real)
        return
    try:
        os.link(tmp, real)
    except FileExistsError:
        raise OutputError(about(shown, said("output_exists_meanwhile"))) from None
    except OSError:  # a file system without hard links: create the name exclusively and copy
        with open(tmp, "rb") as source:
            data = source.read()
        try:
            fd = os.open(real, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            raise OutputError(about(shown, said("output_exists_meanwhile"))) from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
