"""Find verbatim quotes in the source documents under ``seeds/``.

A quote counts as found when it occurs in the source after both are normalised: Unicode NFC, whitespace
runs collapsed to one space, and a word split across a line end rejoined. A line-end hyphen is ambiguous
in text extracted from a PDF ("grond-" / "gebied" is one word, "ISIS-" / "aanvallen" keeps its hyphen), so
the source is read both ways and a quote may match either reading. This module must not decide anything
legal; it only answers "is this quote in that file".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .source import decode, read_bytes

_SPLIT_WORD = re.compile(r"(\w)-[ \t]*\r?\n\s*(\w)")


def normalise(text: str) -> str:
    """Collapse whitespace and apply NFC, as both quotes and sources are compared (``str.split`` splits at
    exactly the characters regular expressions call whitespace, and drops them at both ends)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def readings(source_text: str) -> tuple[str, str]:
    """The two normalised readings of a source: line-end hyphens dropped, and kept."""
    joined = _SPLIT_WORD.sub(r"\1\2", source_text)
    kept = _SPLIT_WORD.sub(r"\1-\2", source_text)
    return normalise(joined), normalise(kept)


@lru_cache(maxsize=32)
def _readings_of(path: Path) -> tuple[str, str]:
    return readings(decode(read_bytes(path), str(path)))


def quote_found(quote: str, source_file: Path) -> bool:
    """True when ``quote`` occurs verbatim (after normalisation) in ``source_file``; a source that cannot
    be read (not a regular file, not UTF-8, too large) raises :class:`InputError` saying where and why."""
    wanted = normalise(quote)
    if not wanted:
        return False
    return any(wanted in reading for reading in _readings_of(source_file))
