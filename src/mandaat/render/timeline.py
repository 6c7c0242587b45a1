"""Render a timeline as text and JSON: dates down, bases and elements across, then every move."""

from __future__ import annotations

import json

from ..analysis.timeline import Timeline
from ..model.rulebook import Rulebook
from ..model.words import word
from .blocks import Block, Heading, Para, Table
from .labels import outcome_label, row_label, table


def _grid(line: Timeline, book: Rulebook, lang: str) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """The header, the rows (dates down) and the outcome of each cell."""
    header = [word("date", lang), word("scenario_column", lang)] + [row_label(book, r, lang) for r in line.rows]
    rows = [
        [r.scenario.assessed_on, r.scenario.id] + [outcome_label(book, line.value(r, row), lang) for row in line.rows]
        for r in line.reports
    ]
    keys = [["", ""] + [line.value(r, row) for row in line.rows] for r in line.reports]
    return header, rows, keys


def render_timeline_text(line: Timeline, book: Rulebook, lang: str) -> str:
    """Dates down, bases and elements across; then every move with its reason."""
    header, rows, _ = _grid(line, book, lang)
    lines = [*table(header, rows), "", word("moves", lang)]
    for move in line.moves:
        lines.append(
            f"  {move.date} {row_label(book, move.row, lang)}: {outcome_label(book, move.before, lang)} -> "
            f"{outcome_label(book, move.after, lang)}. {move.reason}"
        )
    if not line.moves:
        lines.append("  " + word("none", lang))
    return "\n".join(lines) + "\n"


def timeline_blocks(line: Timeline, book: Rulebook, lang: str) -> list[Block]:
    """The timeline as a table (dates down), then every move with its reason (Markdown and HTML)."""
    header, rows, keys = _grid(line, book, lang)
    head = [
        word("date", lang),
        word("col_row", lang),
        word("col_from", lang),
        word("col_to", lang),
        word("col_reason", lang),
    ]
    moves = [
        [
            move.date,
            row_label(book, move.row, lang),
            outcome_label(book, move.before, lang),
            outcome_label(book, move.after, lang),
            move.reason,
        ]
        for move in line.moves
    ]
    blocks: list[Block] = [Table(header, rows, cell_keys=keys), Heading(2, word("moves", lang).rstrip(":"))]
    if not line.moves:
        return [*blocks, Para(word("none", lang))]
    move_keys = [["", "", move.before, move.after, ""] for move in line.moves]
    return [*blocks, Table(head, moves, cell_keys=move_keys)]


def render_timeline_json(line: Timeline) -> str:
    """The timeline as JSON."""
    return json.dumps(line.as_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
