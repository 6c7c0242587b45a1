"""Names of statuses, verdicts and bases as a reader sees them, from the rulebook's declarations, and the
plain-text table the what-if commands share."""

from __future__ import annotations

import json
import re
from typing import Any

from ..model.report import Report
from ..model.rulebook import Rulebook
from ..read.yamlsafe import resolve_plain

_PLAIN = re.compile(r"^[A-Za-z0-9À-ž][A-Za-z0-9À-ž _.,()/'’-]*$")


def outcome_label(book: Rulebook, value: str, lang: str) -> str:
    """A status or verdict in words (verdicts in lower case, as they read inside a sentence or table)."""
    if value in book.verdicts:
        return book.verdicts[value].label.get(lang).lower()
    return book.statuses[value].label.get(lang)


def row_label(book: Rulebook, row: str, lang: str) -> str:
    """A basis by its short name; an element or condition by its id."""
    return book.bases[row].name.get(lang) if row in book.bases else row


def values(report: Report) -> dict[str, str]:
    """Every basis's verdict and every element's status in one mapping."""
    statuses = {n: e.status for n, e in {**report.elements, **report.conditions}.items()}
    return {**report.verdict, **statuses}


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Columns padded to their widest cell, with a rule under the header."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def yaml_value(value: Any) -> str:
    """``value`` as a YAML scalar that reads back as the same value (quoted only where it must be)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if _PLAIN.match(text) and resolve_plain(text) == text and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)
