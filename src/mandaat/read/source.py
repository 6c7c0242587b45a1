"""Reading the bytes of a file a user named, and decoding them, with every failure a located problem.

Only regular files are read, and the size limit counts the bytes as they arrive, so a FIFO, a device
or a directory never blocks or floods the process. The text must be UTF-8 without control characters.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ..model.errors import InputError, Problem

MAX_BYTES = 5 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _refuse(file: str, message: str, hint: str = "", line: int | None = None) -> InputError:
    return InputError([Problem(file, line, "", message, hint)])


def _open_regular(path: Path, file: str) -> int:
    """A descriptor on ``path`` if it is a regular file (opened without blocking on a FIFO)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise _refuse(file, "file not found", "check the path") from None
    except PermissionError:
        raise _refuse(file, "permission denied", "check the file's permissions") from None
    except IsADirectoryError:
        raise _refuse(file, "is a directory, not a file", "name a .yaml file") from None
    except (OSError, ValueError) as exc:
        raise _refuse(file, f"cannot open the file: {getattr(exc, 'strerror', None) or exc}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = "a directory" if stat.S_ISDIR(mode) else "a special file (a pipe, device or socket)"
        raise _refuse(file, f"is {what}, not a regular file", "name a .yaml file")
    return fd


def read_bytes(path: Path, display: str | None = None) -> bytes:
    """The bytes of a regular file, at most ``MAX_BYTES``; every failure a located :class:`InputError`."""
    file = display or str(path)
    fd = _open_regular(path, file)
    try:
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _refuse(file, f"cannot read the file: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise _refuse(file, f"the file is over {MAX_BYTES} bytes, the limit", "split it or remove pasted material")
    return raw


def decode(raw: bytes, file: str) -> str:
    """UTF-8 text without a byte-order mark or control characters (tabs and line ends allowed)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raise _refuse(file, "the file starts with a byte-order mark (BOM)", "save it as UTF-8 without BOM", 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _refuse(file, f"byte 0x{raw[exc.start]:02x} is not valid UTF-8", "save the file as UTF-8", line) from None
    bad = _CONTROL.search(text)
    if bad:
        line = text[: bad.start()].count("\n") + 1
        message = f"control character U+{ord(bad.group()):04X} in the file"
        raise _refuse(file, message, "remove it; only tabs and line ends are allowed", line)
    return text
