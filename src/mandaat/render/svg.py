"""Draw a timeline as an SVG grid: one row per basis or charted element, one column per assessment,
each cell coloured and named by its status (colours from the rulebook's declarations)."""

from __future__ import annotations

from html import escape

from ..analysis.timeline import Timeline
from ..model.rulebook import Rulebook
from ..model.words import word
from .labels import row_label


def render_svg(line: Timeline, book: Rulebook, lang: str = "nl") -> str:
    """A grid picture: one row per basis or element, one column per assessment, coloured by status."""
    cell_w, cell_h, left, top = 92, 26, 150, 70
    width = left + cell_w * len(line.reports) + 20
    height = top + cell_h * len(line.rows) + 70
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        f"<title>{escape(word('title', lang))}</title>",
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    for col, report in enumerate(line.reports):
        x = left + col * cell_w
        out.append(
            f'<text x="{x + cell_w / 2}" y="{top - 30}" text-anchor="middle">'
            f"{escape(report.scenario.assessed_on)}</text>"
        )
        out.append(
            f'<text x="{x + cell_w / 2}" y="{top - 14}" text-anchor="middle" font-size="9">'
            f"{escape(report.scenario.id[:16])}</text>"
        )
    for row_index, row in enumerate(line.rows):
        y = top + row_index * cell_h
        label = row_label(book, row, lang)
        out.append(f'<text x="{left - 8}" y="{y + cell_h / 2 + 4}" text-anchor="end">{escape(label)}</text>')
        for col, report in enumerate(line.reports):
            value = line.value(report, row)
            x = left + col * cell_w
            out.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'fill="{book.outcome(value).colour}"><title>{escape(row)}: {escape(value)}</title></rect>'
            )
            out.append(
                f'<text x="{x + cell_w / 2}" y="{y + cell_h / 2 + 4}" text-anchor="middle" fill="white">'
                f"{escape(book.outcome(value).label.get(lang).lower())}</text>"
            )
    legend_y = top + cell_h * len(line.rows) + 30
    for i, status in enumerate(sorted(book.statuses, key=book.status_rank, reverse=True)):
        x = left + i * 120
        out.append(f'<rect x="{x}" y="{legend_y - 11}" width="14" height="14" fill="{book.statuses[status].colour}"/>')
        out.append(f'<text x="{x + 20}" y="{legend_y}">{escape(book.statuses[status].label.get(lang))}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
