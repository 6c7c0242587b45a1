"""The message catalogue (the YAML files in ``messages/`` beside this module): every word of the user
interface in Dutch and English, one file per part of the interface. No legal content lives here:
statuses, verdicts, bases, reasons and their citations come from the rulebook."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from .rulebook import Text

LANGUAGES = ("nl", "en")


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message, from every catalogue file; a key defined twice, or without both languages, is a defect."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    merged: dict[str, dict[str, str]] = {}
    folder = Path(__file__).parent / "messages"  # beside this module, in a wheel as in the source tree
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        loaded: dict[str, dict[str, str]] = yaml.load(entry.read_text(encoding="utf-8"), Loader=loader) or {}
        for key, texts in loaded.items():
            if key in merged or set(texts) != set(LANGUAGES):
                raise ValueError(f"message catalogue {entry.name}: {key!r} is defined twice or lacks a language")
            merged[key] = texts
    return merged


def word(key: str, lang: str) -> str:
    """The message ``key`` in ``lang``."""
    return catalogue()[key][lang]


def number(value: int | float, lang: str) -> str:
    """A number as a reader of ``lang`` writes it (decimal comma in Dutch)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value}" if isinstance(value, int) else f"{value:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "nl" else text


def with_unit(value: int | float, unit: Text | None, lang: str) -> str:
    """A number with its unit, singular for exactly one (``1 aanval per week``, ``6 aanvallen per week``)."""
    shown = number(value, lang)
    if unit is None:
        return shown
    key = "one:" + unit.nl
    text = word(key, lang) if value == 1 and key in catalogue() else unit.get(lang)
    return f"{shown} {text}"
