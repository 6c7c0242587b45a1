"""Draw a timeline as an SVG grid: one row per basis or charted element, one column per assessment, each
cell coloured and named by its verdict or status (colours and words from the rulebook's declarations).

The picture is sized from its content: every text is measured with a generous estimate of its width in
the font, columns are as wide as their widest cell or header, scenario ids wrap where they must, and
the legend (the verdicts, then the statuses the chart shows) wraps onto as many lines as it needs.
Nothing is ever clipped, in either language.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from ..analysis.timeline import Timeline
from ..model.errors import UsageError
from ..model.rulebook import Outcome, Rulebook
from ..model.words import word
from .labels import row_label

FONT = 12  # the size of ordinary text
SMALL = 10  # scenario ids under the dates
CELL = 11  # words inside the cells
MARGIN, PAD, ROW_H, SWATCH, GAP = 16, 10, 28, 14, 22
BOLD = 1.15  # bold text is this much wider
MAX_COLUMN = 220  # a column wider than this wraps its scenario id instead
_NARROW, _WIDE = set("iljtfrI.,:;'!|() "), set("mwMWOQGDHNU@%")


def text_width(text: str, size: float) -> float:
    """A generous estimate of the width of ``text`` in a sans-serif font of ``size`` px: wider than the
    text in DejaVu Sans or Verdana, and never under 0.6 em a character."""
    total = 0.0
    for char in text:
        if char in _NARROW:
            total += 0.4
        elif char in _WIDE:
            total += 0.95
        elif char.isupper() or char.isdigit():
            total += 0.72
        else:
            total += 0.62
    return max(total, 0.6 * len(text)) * size


def wrap(text: str, size: float, width: float) -> list[str]:
    """``text`` broken after hyphens or spaces into lines no wider than ``width`` (a single part that is
    wider stays whole, and the caller widens the column to fit it)."""
    parts: list[str] = []
    current = ""
    for char in text:
        current += char
        if char in "- ":
            parts.append(current)
            current = ""
    if current:
        parts.append(current)
    lines: list[str] = []
    for part in parts:
        if lines and text_width((lines[-1] + part).rstrip(), size) <= width:
            lines[-1] += part
        else:
            lines.append(part)
    return [line.rstrip() for line in lines] or [""]


def ink(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (``#rrggbb``)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "#ffffff"


def cell_label(book: Rulebook, value: str, lang: str) -> str:
    """The words inside a cell: a verdict or status in lower case."""
    return book.outcome(value).label.get(lang).lower()


@dataclass
class _Canvas:
    parts: list[str] = field(default_factory=list)

    def text(self, x: float, y: float, content: str, size: int = FONT, anchor: str = "start", **extra: str) -> None:
        attrs = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in extra.items())
        self.parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{attrs}>{escape(content)}</text>'
        )


def _legend(book: Rulebook, lang: str, shown: set[str]) -> list[tuple[str, list[tuple[str, Outcome]]]]:
    """The verdicts and the statuses the chart shows (and no others), best first."""
    verdicts = sorted(((k, o) for k, o in book.verdicts.items() if k in shown), key=lambda kv: kv[1].rank, reverse=True)
    statuses = sorted(((k, o) for k, o in book.statuses.items() if k in shown), key=lambda kv: kv[1].rank, reverse=True)
    groups = [(word("chart_verdicts", lang), verdicts), (word("chart_statuses", lang), statuses)]
    return [(heading, items) for heading, items in groups if items]


def _legend_lines(
    book: Rulebook, lang: str, width: float, shown: set[str]
) -> list[list[tuple[float, str, Outcome | None]]]:
    """The legend laid out in lines no wider than ``width``: (x offset, text, outcome or None for a heading)."""
    lines: list[list[tuple[float, str, Outcome | None]]] = []
    groups = _legend(book, lang, shown)
    indent = max(text_width(heading + ":", FONT) * BOLD for heading, _items in groups) + GAP / 2
    for heading, items in groups:
        line: list[tuple[float, str, Outcome | None]] = [(0.0, heading + ":", None)]
        x = indent
        for name, outcome in items:
            label = cell_label(book, name, lang)
            need = SWATCH + 6 + text_width(label, FONT)
            if x + need > width and len(line) > 1:
                lines.append(line)
                line, x = [], indent
            line.append((x, label, outcome))
            x += need + GAP
        lines.append(line)
    return lines


def _line_width(line: list[tuple[float, str, Outcome | None]]) -> float:
    x, label, outcome = line[-1]
    return x + (SWATCH + 6 + text_width(label, FONT) if outcome else text_width(label, FONT) * BOLD)


def render_svg(line: Timeline, book: Rulebook, lang: str = "nl") -> str:
    """A grid picture: one row per basis or element, one column per assessment, coloured by outcome."""
    labels = {row: row_label(book, row, lang) for row in line.rows}
    left = MARGIN + max(text_width(label, FONT) for label in labels.values()) + PAD
    shown = {line.value(report, row) for report in line.reports for row in line.rows}
    widest_cell = max(text_width(cell_label(book, v, lang), CELL) for v in shown)
    dates = [r.scenario.assessed_on for r in line.reports]
    cell_w = max(widest_cell + 2 * PAD, *(text_width(d, FONT) + PAD for d in dates), 60.0)
    ids = [wrap(r.scenario.id, SMALL, max(cell_w, MAX_COLUMN) - PAD) for r in line.reports]
    cell_w = max(cell_w, *(text_width(part, SMALL) + PAD for lines in ids for part in lines))
    id_lines = max(len(lines) for lines in ids)
    title = word("title", lang)
    top = MARGIN + FONT + 14 + FONT + 4 + id_lines * (SMALL + 3) + 8
    grid_w = left + cell_w * len(line.reports)
    legend = _legend_lines(book, lang, max(grid_w - MARGIN, 420.0), shown)
    width = (
        max(grid_w, MARGIN + text_width(title, FONT + 2) * BOLD, *(MARGIN + _line_width(ln) for ln in legend)) + MARGIN
    )
    legend_top = top + ROW_H * len(line.rows) + 24
    height = legend_top + len(legend) * (SWATCH + 10) + MARGIN
    svg = _Canvas()
    svg.text(MARGIN, MARGIN + FONT, title, FONT + 2, font_weight="bold")
    for col, report in enumerate(line.reports):
        centre = left + col * cell_w + cell_w / 2
        y = MARGIN + FONT + 14 + FONT
        svg.text(centre, y, report.scenario.assessed_on, FONT, "middle")
        for index, part in enumerate(ids[col]):
            svg.text(centre, y + (index + 1) * (SMALL + 3), part, SMALL, "middle", fill="#444444")
    for row_index, row in enumerate(line.rows):
        y = top + row_index * ROW_H
        svg.text(left - PAD, y + ROW_H / 2 + 4, labels[row], FONT, "end")
        for col, report in enumerate(line.reports):
            _cell(svg, book, lang, row, line.value(report, row), left + col * cell_w, y, cell_w, report.scenario.id)
    for index, items in enumerate(legend):
        y = legend_top + index * (SWATCH + 10)
        for x, label, outcome in items:
            if outcome is None:
                svg.text(MARGIN + x, y + 11, label, FONT, font_weight="bold")
                continue
            svg.parts.append(
                f'<rect x="{MARGIN + x:.1f}" y="{y:.1f}" width="{SWATCH}" height="{SWATCH}" fill="{outcome.colour}"/>'
            )
            svg.text(MARGIN + x + SWATCH + 6, y + 11, label, FONT)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="DejaVu Sans, Verdana, sans-serif" lang="{lang}">'
    )
    body = [head, f"<title>{escape(title)}</title>", f'<rect width="{width:.0f}" height="{height:.0f}" fill="white"/>']
    return "\n".join([*body, *svg.parts, "</svg>"]) + "\n"


def _cell(
    svg: _Canvas, book: Rulebook, lang: str, row: str, value: str, x: float, y: float, w: float, sid: str
) -> None:
    """One coloured cell with its label and a tooltip naming the row, the scenario and the outcome."""
    label = cell_label(book, value, lang)
    name = book.elements[row].title.get(lang) if row in book.elements else book.bases[row].title.get(lang)
    tip = f"{row_label(book, row, lang)} ({name}), {sid}: {label}"
    svg.parts.append(
        f'<g class="cell"><rect x="{x + 1:.1f}" y="{y + 1:.1f}" width="{w - 2:.1f}" height="{ROW_H - 2}" '
        f'fill="{book.outcome(value).colour}"><title>{escape(tip)}</title></rect>'
    )
    svg.text(x + w / 2, y + ROW_H / 2 + 4, label, CELL, "middle", fill=ink(book.outcome(value).colour))
    svg.parts.append("</g>")


def png_converter(shown: str, lang: str = "nl") -> Callable[[str], bytes]:
    """The SVG-to-PNG conversion of cairosvg (an optional extra that needs the cairo system library), or
    UsageError naming what is missing."""
    try:
        cairosvg: Any = importlib.import_module("cairosvg")
    except (ImportError, OSError) as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UsageError(word("chart_no_png", lang).format(path=shown, problem=problem)) from None

    def convert(svg: str) -> bytes:
        return bytes(cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=None))

    return convert
