"""The one folder the studio may read and write: scenario names are checked against it, never joined
blindly, and new files are created exclusively (an existing file is never overwritten)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..model.errors import OutputError, UsageError, about, said

SUFFIXES = (".yaml", ".yml")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$")


class Folder:
    """The folder the studio was started on."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def scenarios(self) -> list[str]:
        """The names of the scenario files directly in the folder, sorted."""
        return sorted(
            entry.name
            for entry in self.root.iterdir()
            if entry.suffix in SUFFIXES and _NAME.match(entry.name) and entry.is_file() and not entry.is_symlink()
        )

    def existing(self, name: str) -> Path:
        """The path of scenario ``name`` in the folder; UsageError for any other name."""
        path = self._inside(name)
        if path.suffix not in SUFFIXES or not path.is_file() or path.is_symlink():
            raise UsageError(said("not_in_folder", name=repr(name), folder=self.root))
        return path

    def create(self, name: str, data: bytes) -> Path:
        """Write a new file ``name`` in the folder; OutputError when it exists (never overwritten)."""
        path = self._inside(name)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        except FileExistsError:
            raise OutputError(about(name, said("already_exists"))) from None
        except OSError as exc:
            raise OutputError(about(name, said("cannot_write", reason=exc.strerror or exc))) from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return path

    def free_name(self, stem: str, suffix: str) -> str:
        """``stem + suffix``, or with ``-2``, ``-3``... when that name is taken."""
        name, number = f"{stem}{suffix}", 1
        while (self.root / name).exists():
            number += 1
            name = f"{stem}-{number}{suffix}"
        return name

    def _inside(self, name: str) -> Path:
        if not isinstance(name, str) or not _NAME.match(name) or ".." in name:
            raise UsageError(said("not_plain_name", name=repr(name)))
        path = self.root / name
        if path.parent != self.root:
            raise UsageError(said("outside_studio_folder", name=repr(name)))
        return path
