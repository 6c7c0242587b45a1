"""Timelines: assessments at different dates read as one series, and a picture of it (SVG).

Each file is evaluated on its own; the series is sorted by assessment date. Where an element's status
moves from one date to the next, the move is reported with the reason the later report gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from ..model.words import word
from ..model.report import Report

ROWS = ("syria", "iraq", "E1", "E2", "E3", "E4", "IRQ", "PROP")
COLOURS = {"met": "#2e7d32", "holds": "#2e7d32", "weakening": "#f9a825", "at_risk": "#f9a825",
           "unknown": "#9e9e9e", "undetermined": "#9e9e9e", "not_met": "#c62828", "lapsed": "#c62828"}


@dataclass
class Move:
    """An element or basis whose status changed between two consecutive assessments."""

    row: str
    date: str
    before: str
    after: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"row": self.row, "date": self.date, "before": self.before, "after": self.after,
                "reason": self.reason}


@dataclass
class Timeline:
    """A series of reports sorted by assessment date, with the moves between them."""

    reports: list[Report]
    moves: list[Move]

    def value(self, report: Report, row: str) -> str:
        """The status or verdict of ``row`` in ``report``."""
        if row in ("syria", "iraq"):
            return str(getattr(report.verdict, row))
        return {**report.elements, **report.conditions}[row].status

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"dates": [{"scenario": r.scenario.id, "assessed_on": r.scenario.assessed_on,
                           **{row: self.value(r, row) for row in ROWS}} for r in self.reports],
                "moves": [m.as_dict() for m in self.moves]}


def build_timeline(reports: Sequence[Report]) -> Timeline:
    """Sort reports by date and find the moves."""
    ordered = sorted(reports, key=lambda r: (r.scenario.assessed_on, r.scenario.id))
    line = Timeline(ordered, [])
    for before, after in zip(ordered, ordered[1:]):
        for row in ROWS:
            old, new = line.value(before, row), line.value(after, row)
            if old == new:
                continue
            if row in ("syria", "iraq"):
                reasons = after.verdict_reasons[row]
            else:
                reasons = {**after.elements, **after.conditions}[row].reasons
            line.moves.append(Move(row, after.scenario.assessed_on, old, new, reasons[0].text if reasons else ""))
    return line


def render_svg(line: Timeline, lang: str = "nl") -> str:
    """A grid picture: one row per basis or element, one column per assessment, coloured by status."""
    cell_w, cell_h, left, top = 92, 26, 150, 70
    width = left + cell_w * len(line.reports) + 20
    height = top + cell_h * len(ROWS) + 70
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<title>{escape(word("title", lang))}</title>',
           f'<rect width="{width}" height="{height}" fill="white"/>']
    for col, report in enumerate(line.reports):
        x = left + col * cell_w
        out.append(f'<text x="{x + cell_w / 2}" y="{top - 30}" text-anchor="middle">'
                   f'{escape(report.scenario.assessed_on)}</text>')
        out.append(f'<text x="{x + cell_w / 2}" y="{top - 14}" text-anchor="middle" font-size="9">'
                   f'{escape(report.scenario.id[:16])}</text>')
    for row_index, row in enumerate(ROWS):
        y = top + row_index * cell_h
        label = word(row, lang).split(" (")[0] if row in ("syria", "iraq") else row
        out.append(f'<text x="{left - 8}" y="{y + cell_h / 2 + 4}" text-anchor="end">{escape(label)}</text>')
        for col, report in enumerate(line.reports):
            value = line.value(report, row)
            x = left + col * cell_w
            out.append(f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                       f'fill="{COLOURS[value]}"><title>{escape(row)}: {escape(value)}</title></rect>')
            out.append(f'<text x="{x + cell_w / 2}" y="{y + cell_h / 2 + 4}" text-anchor="middle" fill="white">'
                       f'{escape(word(value, lang).lower())}</text>')
    legend_y = top + cell_h * len(ROWS) + 30
    for i, status in enumerate(("met", "weakening", "unknown", "not_met")):
        x = left + i * 120
        out.append(f'<rect x="{x}" y="{legend_y - 11}" width="14" height="14" fill="{COLOURS[status]}"/>')
        out.append(f'<text x="{x + 20}" y="{legend_y}">{escape(word(status, lang))}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
