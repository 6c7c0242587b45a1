"""A per-user cache of checked rulebooks, so that a command does not parse and check every rule file anew.

Loading the rulebook (YAML, the shape of every model, the cross-references, the quotes against their
sources) is the largest fixed cost of a command. The checked rulebook is kept as a pickle under the user's
cache folder, named by a digest of everything it was made from: every file under the rules folder, the
source files its quotes were checked against, and the code that checks them (mandaat's modules, Python's
and pydantic's versions). Any change gives a new digest; a missing, unreadable or foreign cache entry is
ignored and the rulebook loaded normally. A rulebook with defects is never cached.
``MANDAAT_CACHE=0`` switches the cache off; ``MANDAAT_CACHE_DIR`` moves it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from ..model.rulebook import Rulebook
from ..model.user_cache import cache_folder, open_entry, write_entry

_FORMAT = b"mandaat-rulebook-cache-2"
_PACKAGE = Path(__file__).resolve().parents[1]


def _folder() -> Path | None:
    return cache_folder()


def _code_digest() -> bytes:
    """What the checking code is: mandaat's modules (name, size, time), Python's and pydantic's versions."""
    digest = hashlib.sha256(_FORMAT + sys.version.encode())
    try:
        from pydantic.version import VERSION

        digest.update(VERSION.encode())
    except ImportError:  # pragma: no cover - pydantic is a dependency
        pass
    for name, entry in _walk(str(_PACKAGE), ".py"):
        stat = entry.stat()
        digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.digest()


def _walk(folder: str, suffix: str = "", prefix: str = "") -> list[tuple[str, os.DirEntry[str]]]:
    """The files under ``folder`` whose names end in ``suffix``, by relative name (sorted), ``__pycache__``
    left out; symbolic links to files count, linked folders are not entered (as with ``Path.rglob``)."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    found.extend(_walk(entry.path, suffix, f"{prefix}{entry.name}/"))
            elif entry.name.endswith(suffix) and entry.is_file():
                found.append((prefix + entry.name, entry))
    return sorted(found, key=lambda named: named[0])


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file at ``path`` in hex, taken once per process while the file keeps its size and
    time (the cache key and a report's receipt hash the same rulebook files)."""
    stat = os.stat(path)
    seen = (str(path), stat.st_size, stat.st_mtime_ns)
    if seen not in _HASHES:
        _HASHES[seen] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _HASHES[seen]


_HASHES: dict[tuple[str, int, int], str] = {}


def _files_digest(files: list[Path], base: Path | None = None) -> str:
    digest = hashlib.sha256()
    for path in files:
        name = str(path.relative_to(base)) if base else str(path)
        digest.update(f"{name}\0{file_sha256(path)}\n".encode())
    return digest.hexdigest()


def _key(root: Path) -> str:
    files = [root / name for name, _entry in _walk(str(root))]
    return hashlib.sha256(_code_digest() + str(root).encode() + _files_digest(files, root).encode()).hexdigest()


def _sources(book: Rulebook) -> list[Path]:
    return sorted({book.source_path(source) for source in book.sources})


def cached_load(root: Path, load: Callable[[Path], Rulebook]) -> Rulebook:
    """``load(root)``, or the same rulebook from the cache when nothing it was made from has changed."""
    folder = _folder()
    if folder is None:
        return load(root)
    try:
        entry = folder / f"{_key(root)}.pickle"
    except OSError:
        return load(root)
    book = _read(entry)
    if book is not None:
        return book
    book = load(root)
    _write(entry, book)
    return book


def _read(entry: Path) -> Rulebook | None:
    try:
        with open_entry(entry) as handle:  # only an entry no one but the user can have written
            if handle.read(len(_FORMAT)) != _FORMAT:
                return None
            sources_digest, book = pickle.load(handle)
        if not isinstance(book, Rulebook) or _files_digest(_sources(book)) != sources_digest:
            return None
        return book
    except Exception:  # a missing, partial or foreign entry: load normally
        return None


def _write(entry: Path, book: Rulebook) -> None:
    try:
        plain = dataclasses.replace(book, _derived={})
        data = _FORMAT + pickle.dumps((_files_digest(_sources(book)), plain), protocol=pickle.HIGHEST_PROTOCOL)
        write_entry(entry, data)
        _prune(entry.parent)
    except Exception:  # a read-only or full disk: the cache is an optimisation only
        return


def _prune(folder: Path, keep: int = 8) -> None:
    """Keep the ``keep`` most recently written entries (rulebooks under test come and go)."""
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[keep:]:
        old.unlink(missing_ok=True)


@lru_cache(maxsize=4)
def cached_rulebook(root: Path) -> Rulebook:
    """The rulebook in ``root``, loaded once per process (from the user's cache when unchanged; the loader,
    with its file models and checks, is imported only when the rulebook must be read)."""
    return cached_load(root, _load)


def _load(root: Path) -> Rulebook:
    from .rulebook import load_rulebook

    return load_rulebook(root)


def default_rules_dir() -> Path:
    """The rulebook to use: ``MANDAAT_RULES``, else the copy installed with the package, else the
    ``rules/`` folder of the source tree this package runs from."""
    env = os.environ.get("MANDAAT_RULES")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    installed = here.parents[1] / "_data" / "rules"
    if (installed / "vocabulary.yaml").is_file():
        return installed
    for parent in here.parents:
        candidate = parent / "rules"
        if (candidate / "vocabulary.yaml").is_file():
            return candidate
    return Path.cwd() / "rules"
