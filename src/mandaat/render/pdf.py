"""The memo as a PDF nota: the HTML nota (:mod:`mandaat.render.html`) laid out on A4 by WeasyPrint, with the
security marking at the top and bottom of every page and «pagina X van Y» from CSS page counters. The
document's properties (title, author, subject, dates) come from the nota, as in Word.

WeasyPrint needs the Pango system library; where it is missing, the PDF is refused with what to install
(exit 2), as a PNG chart is without cairo."""

from __future__ import annotations

import importlib
import logging
from typing import Any

from ..model.errors import UsageError, about, said
from .blocks import Memo
from .html import write_html
from .nota import Nota


def _weasyprint() -> Any:
    try:
        return importlib.import_module("weasyprint")
    except (ImportError, OSError) as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UsageError(about("--format pdf", said("pdf_unavailable", problem=problem), said("pdf_install"))) from None


def write_pdf(memo: Memo, nota: Nota, brief: bool = False) -> bytes:
    """The memo as the bytes of a PDF nota."""
    weasyprint = _weasyprint()
    quiet = logging.getLogger("weasyprint")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # its notes on CSS it does not use are not the reader's business
    try:
        pdf: bytes = weasyprint.HTML(string=write_html(memo, nota, brief)).write_pdf()
    finally:
        quiet.setLevel(level)
    return pdf
