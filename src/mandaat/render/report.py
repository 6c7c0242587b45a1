"""A report in the format the user asked for."""

from __future__ import annotations

from ..model.report import Report
from ..model.rulebook import Rulebook
from .json import render_json
from .text import render_text

REPORT_FORMATS = ("text", "markdown", "json")


def render_report(report: Report, book: Rulebook, fmt: str) -> str:
    """The report in ``fmt``: text, markdown or json."""
    if fmt == "json":
        return render_json(report)
    return render_text(report, book, markdown=fmt == "markdown")
