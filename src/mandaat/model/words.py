"""The message catalogue (``messages.yaml`` beside this module): every word of the user interface in
Dutch and English. No legal content lives here: statuses, verdicts, bases, reasons and their citations
come from the rulebook."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml

LANGUAGES = ("nl", "en")


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    text = files(__package__ or "mandaat.model").joinpath("messages.yaml").read_text(encoding="utf-8")
    loaded: dict[str, dict[str, str]] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return loaded


def word(key: str, lang: str) -> str:
    """The message ``key`` in ``lang``."""
    return _catalogue()[key][lang]


def number(value: int | float, lang: str) -> str:
    """A number as a reader of ``lang`` writes it (decimal comma in Dutch)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value}" if isinstance(value, int) else f"{value:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "nl" else text
