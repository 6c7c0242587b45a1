"""Timelines: assessments at different dates read as one series.

Each file is evaluated on its own; the series is sorted by assessment date. Where an element's status
moves from one date to the next, the move is reported with the reason the later report gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model.report import Report
from ..model.rulebook import Rulebook
from ..model.scenario import Scenario
from ..pipeline import Options, evaluate_scenario


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
        return {"row": self.row, "date": self.date, "before": self.before, "after": self.after, "reason": self.reason}


@dataclass
class Timeline:
    """A series of reports sorted by assessment date, with the moves between them."""

    reports: list[Report]
    moves: list[Move]
    rows: list[str]  # the bases, then the elements the rulebook charts

    def value(self, report: Report, row: str) -> str:
        """The status or verdict of ``row`` in ``report``."""
        if row in report.verdict:
            return report.verdict[row]
        return {**report.elements, **report.conditions}[row].status

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "dates": [
                {
                    "scenario": r.scenario.id,
                    "assessed_on": r.scenario.assessed_on,
                    **{row: self.value(r, row) for row in self.rows},
                }
                for r in self.reports
            ],
            "moves": [m.as_dict() for m in self.moves],
        }


def build_timeline(reports: Sequence[Report], book: Rulebook) -> Timeline:
    """Sort reports by date and find the moves."""
    ordered = sorted(reports, key=lambda r: (r.scenario.assessed_on, r.scenario.id))
    rows = [*book.bases, *(name for name, el in book.elements.items() if el.chart)]
    line = Timeline(ordered, [], rows)
    for before, after in zip(ordered, ordered[1:]):
        for row in rows:
            old, new = line.value(before, row), line.value(after, row)
            if old == new:
                continue
            if row in book.bases:
                reasons = after.verdict_reasons[row]
            else:
                reasons = {**after.elements, **after.conditions}[row].reasons
            line.moves.append(Move(row, after.scenario.assessed_on, old, new, reasons[0].text if reasons else ""))
    return line


def evaluate_timeline(scenarios: Sequence[Scenario], book: Rulebook, options: Options = Options()) -> Timeline:
    """Evaluate each scenario and read the reports as one series."""
    return build_timeline([evaluate_scenario(s, book, options) for s in scenarios], book)
