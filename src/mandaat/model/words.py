"""The message catalogue (the YAML files in ``messages/`` beside this module): every word of the user
interface in Dutch and English, one file per part of the interface. No legal content lives here:
statuses, verdicts, bases, reasons and their citations come from the rulebook.

The merged catalogue is kept in the user's cache (:mod:`mandaat.model.user_cache`) as JSON, data that
runs no code when read, named by the catalogue files' names, sizes and times, so that a command does not
parse every file anew; a missing, unreadable or malformed entry, or one that someone other than the user
could have written, is ignored and the files read."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .rulebook import Text
from .user_cache import cache_folder, open_entry, prune, write_entry

LANGUAGES = ("nl", "en")
_MESSAGES = Path(__file__).parent / "messages"  # beside this module, in a wheel as in the source tree
_FORMAT = b"mandaat-messages-2\n"

Catalogue = dict[str, dict[str, str]]


@cache
def catalogue() -> Catalogue:
    """Every message, from every catalogue file; a key defined twice, or without both languages, is a defect."""
    with os.scandir(_MESSAGES) as found:
        files = sorted((e for e in found if e.name.endswith(".yaml")), key=lambda e: e.name)
    entry = _entry(files)
    merged = _read(entry)
    if merged is None:
        merged = _merge([Path(e.path) for e in files])
        _write(entry, merged)
    return merged


def _merge(files: list[Path]) -> Catalogue:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    merged: Catalogue = {}
    for file in files:
        loaded: Catalogue = yaml.load(file.read_text(encoding="utf-8"), Loader=loader) or {}
        for key, texts in loaded.items():
            if key in merged or set(texts) != set(LANGUAGES):
                raise ValueError(f"message catalogue {file.name}: {key!r} is defined twice or lacks a language")
            merged[key] = texts
    return merged


def _entry(files: list[os.DirEntry[str]]) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    digest = hashlib.sha256(_FORMAT + sys.version.encode() + str(_MESSAGES).encode())
    for file in files:
        stat = file.stat()
        digest.update(f"{file.name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return folder / f"{digest.hexdigest()}.messages"


def _read(entry: Path | None) -> Catalogue | None:
    if entry is None:
        return None
    try:
        with open_entry(entry) as handle:
            if handle.read(len(_FORMAT)) != _FORMAT:
                return None
            merged: Any = json.loads(handle.read())
    except Exception:  # a missing, partial or foreign entry: read the files
        return None
    return merged if _is_catalogue(merged) else None


def _is_catalogue(merged: Any) -> bool:
    """The shape of a catalogue: every key a string, with a string in each language and nothing else."""
    return isinstance(merged, dict) and all(
        isinstance(key, str)
        and isinstance(texts, dict)
        and texts.keys() == _BOTH
        and all(isinstance(text, str) for text in texts.values())
        for key, texts in merged.items()
    )


_BOTH = set(LANGUAGES)


def _write(entry: Path | None, merged: Catalogue) -> None:
    if entry is None:
        return
    try:
        write_entry(entry, _FORMAT + json.dumps(merged, ensure_ascii=False, separators=(",", ":")).encode())
        prune(entry.parent, "*.messages")
    except Exception:  # a read-only or full disk, a folder others can write: an optimisation only
        return


def word(key: str, lang: str) -> str:
    """The message ``key`` in ``lang``."""
    return catalogue()[key][lang]


def number(value: int | float, lang: str) -> str:
    """A number as a reader of ``lang`` writes it, by Babel's locale data: a decimal comma and a full stop
    between thousands in Dutch (``1.234,5``), the other way round in English (``1,234.5``); at most four
    decimals, none when the number is whole."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and -1000 < value < 1000:
        return str(value)  # written alike in every language: Babel (and its locale data) is not needed
    from babel.numbers import format_decimal

    return str(format_decimal(value, format="#,##0.####", locale=lang))


def duration(seconds: float, lang: str) -> str:
    """A duration in seconds with two decimals, as a reader of ``lang`` writes it (``0,68`` / ``0.68``)."""
    from babel.numbers import format_decimal

    return str(format_decimal(seconds, format="#,##0.00", locale=lang))


def with_unit(value: int | float, unit: Text | None, lang: str) -> str:
    """A number with its unit, singular for exactly one (``1 aanval per week``, ``6 aanvallen per week``)."""
    shown = number(value, lang)
    if unit is None:
        return shown
    key = "one:" + unit.nl
    text = word(key, lang) if value == 1 and key in catalogue() else unit.get(lang)
    return f"{shown} {text}"
