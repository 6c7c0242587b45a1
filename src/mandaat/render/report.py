"""A report in the format the user asked for."""

from __future__ import annotations

from ..model.report import Report
from ..model.rulebook import Rulebook
from .json import render_json
from .memo import build_memo
from .text import write_text

REPORT_FORMATS = ("text", "markdown", "html", "docx", "json")


def render_report(
    report: Report, book: Rulebook, fmt: str, brief: bool = False, show_rules: bool = False
) -> str | bytes:
    """The report in ``fmt``: text, markdown, html, docx (bytes) or json."""
    if fmt == "json":
        return render_json(report, book)
    memo = build_memo(report, book, show_rules)
    if fmt == "markdown":
        from .markdown import write_markdown

        return write_markdown(memo, brief)
    if fmt == "html":
        from .html import write_html

        return write_html(memo, brief)
    if fmt == "docx":
        from .docx import write_docx

        return write_docx(memo, brief)
    return write_text(memo, brief)
