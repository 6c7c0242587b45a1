"""Export: the memo of the page's scenario in one of the report formats, written into the studio's
folder under a new name (never over an existing file).

The formats are those `render/report.py` offers; each has its file suffix here. A renderer that
returns bytes (a Word document) is written as it is.
"""

from __future__ import annotations

from ..model.report import Report
from ..model.rulebook import Rulebook
from ..render.report import REPORT_FORMATS, render_report
from .folder import Folder

SUFFIXES = {"html": ".html", "markdown": ".md", "docx": ".docx", "text": ".txt", "json": ".json"}


def export_formats() -> list[str]:
    """The formats the studio can export, in the order the page offers them."""
    return [fmt for fmt in SUFFIXES if fmt in REPORT_FORMATS]


def export(report: Report, book: Rulebook, fmt: str, folder: Folder, stem: str) -> str:
    """Write the memo in ``fmt`` as a new file in ``folder``; its name."""
    rendered: str | bytes = render_report(report, book, fmt)
    data = rendered if isinstance(rendered, bytes) else rendered.encode("utf-8")
    name = folder.free_name(f"{stem}-memo", SUFFIXES[fmt])
    folder.create(name, data)
    return name
