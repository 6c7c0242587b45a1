"""A report in the format the user asked for."""

from __future__ import annotations

from ..model.report import Report
from ..model.rulebook import Rulebook
from .json import render_json
from .memo import build_memo
from .nota import Nota, default_nota
from .text import write_text

REPORT_FORMATS = ("text", "markdown", "html", "docx", "pdf", "json")
NOTA_FORMATS = ("html", "docx", "pdf")  # the formats that carry the nota's header block


def render_report(
    report: Report, book: Rulebook, fmt: str, brief: bool = False, show_rules: bool = False, nota: Nota | None = None
) -> str | bytes:
    """The report in ``fmt``: text, markdown, html, docx (bytes), pdf (bytes) or json; html, docx and pdf
    as a nota (``nota``, else one dated on the assessment and about the scenario)."""
    if fmt == "json":
        return render_json(report, book)
    memo = build_memo(report, book, show_rules)
    if fmt == "markdown":
        from .markdown import write_markdown

        return write_markdown(memo, brief)
    nota = nota or default_nota(report)
    if fmt == "html":
        from .html import write_html

        return write_html(memo, nota, brief)
    if fmt == "pdf":
        from .pdf import write_pdf

        return write_pdf(memo, nota, brief)
    if fmt == "docx":
        from .docx import write_docx

        return write_docx(memo, nota, brief)
    return write_text(memo, brief)
