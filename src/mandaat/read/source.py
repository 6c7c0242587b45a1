"""Reading the bytes of a file a user named, and decoding them, with every failure a located problem.

Only regular files are read, and the size limit counts the bytes as they arrive, so a FIFO, a device
or a directory never blocks or floods the process. The text must be UTF-8 (a leading byte-order mark is
dropped). Characters a reader cannot see or that change how a terminal shows text (C0 and C1 controls,
invisible line separators, bidirectional overrides) are each reported on their real line, and replaced
by a space so that the file's other defects can still be found and reported with them.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path

from ..model.errors import InputError, Problem, Words, said

MAX_BYTES = 5 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"
_LINE_SEPARATORS = "\x85\u2028\u2029"
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
UNSAFE = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\u2028\u2029{_BIDI}\ufffe\uffff]")
MAX_CHARACTER_PROBLEMS = 20


class TooLarge(InputError):
    """A file over the size limit (a variant chain names its own limit)."""


def _refuse(file: str, message: Words, hint: Words = "", line: int | None = None) -> InputError:
    return InputError([Problem(file, line, "", message, hint)])


def os_problem(file: str, exc: BaseException, what: Words | None = None) -> Problem:
    """A located problem for an operating-system error on a path (never an internal error); ``what`` was
    being done (default: opening the file). The system's own reason is shown as the system gives it."""
    what = what or said("cannot_open")
    if isinstance(exc, FileNotFoundError):
        return Problem(file, None, "", said("file_not_found"), said("check_path"))
    if isinstance(exc, PermissionError):
        return Problem(file, None, "", said("permission_denied"), said("check_permissions"))
    if isinstance(exc, IsADirectoryError):
        return Problem(file, None, "", said("is_directory"), said("name_yaml_file"))
    if isinstance(exc, ValueError):  # e.g. an embedded NUL byte in the name
        return Problem(file, None, "", said("bad_path_character", what=what), said("check_path"))
    if isinstance(exc, RuntimeError):  # pathlib's "Symlink loop" before Python 3.13
        return Problem(file, None, "", said("symlink_loop", what=what), said("check_links"))
    reason = getattr(exc, "strerror", None) or str(exc)
    reason = reason.lower() if reason[:1].isupper() else reason
    return Problem(file, None, "", said("os_error", what=what, reason=reason), said("check_path"))


def _open_regular(path: Path, file: str) -> int:
    """A descriptor on ``path`` if it is a regular file (opened without blocking on a FIFO)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError) as exc:
        raise InputError([os_problem(file, exc)]) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = "directory_not_regular" if stat.S_ISDIR(mode) else "special_not_regular"
        raise _refuse(file, said(what), said("name_yaml_file"))
    return fd


def read_bytes(path: Path, display: str | None = None, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, at most ``limit``; every failure a located :class:`InputError`."""
    file = display or str(path)
    fd = _open_regular(path, file)
    try:
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise InputError([os_problem(file, exc, said("cannot_read"))]) from None
    if len(raw) > limit:
        raise TooLarge([Problem(file, None, "", said("file_too_large", limit=limit), said("split_file"))])
    return raw


def decode(raw: bytes, file: str) -> str:
    """UTF-8 text; a leading byte-order mark is dropped (the file reads as if it had none)."""
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _refuse(file, said("not_utf8", byte=f"{raw[exc.start]:02x}"), said("save_utf8"), line) from None


_UNNAMED = {"\x85": "NEXT LINE", "\x9b": "CONTROL SEQUENCE INTRODUCER", "\x1b": "ESCAPE", "\x7f": "DELETE"}


def character_name(char: str) -> str:
    """``U+2028 (LINE SEPARATOR)``; ``U+0099`` for a control character without a name."""
    name = unicodedata.name(char, "") or _UNNAMED.get(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def _describe(char: str) -> tuple[Words, Words]:
    shown = character_name(char)
    if char in _LINE_SEPARATORS:
        kind = "line_separator"
    elif unicodedata.category(char) == "Cf":
        kind = "bidi_character"
    else:
        kind = "control_character"
    return said(kind, char=shown), said(f"{kind}_hint")


def screen(text: str, file: str) -> tuple[str, list[Problem]]:
    """The text with every unsafe character replaced by a space, and a located problem for each (one
    per character and line, at most ``MAX_CHARACTER_PROBLEMS``). Lines count ``\\n`` only, as an editor does."""
    if not UNSAFE.search(text):
        return text, []
    problems: list[Problem] = []
    seen: set[tuple[int, str]] = set()
    more = 0
    line, counted = 1, 0
    for match in UNSAFE.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        char = match.group()
        if (line, char) in seen:
            continue
        seen.add((line, char))
        if len(problems) >= MAX_CHARACTER_PROBLEMS:
            more += 1
            continue
        message, hint = _describe(char)
        problems.append(Problem(file, line, "", message, hint))
    if more:
        problems.append(Problem(file, None, "", said("more_unsafe", count=more), said("remove_them")))
    return UNSAFE.sub(" ", text), problems
