"""Render a timeline as text and JSON: dates down, bases and elements across, then every move."""

from __future__ import annotations

import json

from ..analysis.timeline import Timeline
from ..model.rulebook import Rulebook
from ..model.words import word
from .labels import outcome_label, row_label, table


def render_timeline_text(line: Timeline, book: Rulebook, lang: str) -> str:
    """Dates down, bases and elements across; then every move with its reason."""
    header = [word("date", lang), word("scenario_column", lang)] + [row_label(book, r, lang) for r in line.rows]
    rows = [
        [r.scenario.assessed_on, r.scenario.id] + [outcome_label(book, line.value(r, row), lang) for row in line.rows]
        for r in line.reports
    ]
    lines = [*table(header, rows), "", word("moves", lang)]
    for move in line.moves:
        lines.append(
            f"  {move.date} {row_label(book, move.row, lang)}: {outcome_label(book, move.before, lang)} -> "
            f"{outcome_label(book, move.after, lang)}. {move.reason}"
        )
    if not line.moves:
        lines.append("  " + word("none", lang))
    return "\n".join(lines) + "\n"


def render_timeline_json(line: Timeline) -> str:
    """The timeline as JSON."""
    return json.dumps(line.as_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
