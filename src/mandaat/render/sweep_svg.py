"""Draw a sweep as a heat map (SVG), and as a self-contained HTML page around it.

One panel per basis and slice (a third axis, or the theory, gives small multiples); cells coloured by
verdict with the rulebook's colours (as in the timeline chart); axes named by the indicators' labels in the
reader's language, values written as the reader writes them; the start scenario's cell outlined (solid in
its own slice, dashed in the others). The legend names only the verdicts the map shows.

Like the timeline chart (:mod:`mandaat.render.svg`), the picture is sized from its content: every text is
measured with a generous estimate of its width, panels are as wide as their widest caption or axis name,
tick labels are thinned until they no longer touch, and the legend wraps onto as many lines as it needs.
Nothing is clipped and no two texts overlap, in either language. Every text is escaped.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from html import escape

from ..analysis.regions import layout
from ..analysis.sweep import Sweep
from ..model.rulebook import Rulebook
from ..model.words import word
from .labels import outcome_label
from .svg import BOLD, text_width
from .sweep import axis_label, fixed_caption, show, sweep_blocks, value_label

NO_OUTCOME = "#ffffff"
MARGIN = 16
TITLE, CAPTION, NAME, TICK, LEGEND = 14, 11, 10, 9, 11  # font sizes
PANEL_GAP = 28  # between panels side by side
LINE_GAP = 16  # between lines of panels
MAX_WIDTH = 1400  # small multiples wrap onto a new line beyond this width
SWATCH, LEGEND_GAP = 12, 20
FONT = "DejaVu Sans, Verdana, sans-serif"


@dataclass(frozen=True)
class _Frame:
    """The geometry shared by every panel."""

    x_axis: int
    y_axis: int | None
    cw: int  # cell width
    ch: int  # cell height
    nx: int
    ny: int
    left: float  # room for the y tick labels, left of the grid
    width: float  # of a panel
    height: float  # of a panel
    x_ticks: list[int]
    y_ticks: list[int]


def _ticks(count: int, space: float, need: float) -> list[int]:
    """Tick positions on an axis of ``count`` cells ``space`` apart, at least ``need`` apart: the first,
    every step after it, and the last when it does not crowd the one before (which then gives way)."""
    step = max(1, math.ceil(need / space), math.ceil(count / 12))
    ticks = list(range(0, count, step))
    last = count - 1
    if ticks[-1] != last:
        if (last - ticks[-1]) * space >= need:
            ticks.append(last)
        elif len(ticks) > 1:
            ticks[-1] = last
    return ticks


def _frame(result: Sweep, book: Rulebook, lang: str, captions: list[str]) -> _Frame:
    row, column, _ = layout(result)
    y_axis, x_axis = (row, column) if column is not None else (None, row)
    axes = result.axes
    nx = len(axes[x_axis].values)
    ny = len(axes[y_axis].values) if y_axis is not None else 1
    cw = max(6, min(28, 360 // nx))
    ch = max(6, min(28, 360 // ny)) if y_axis is not None else 28
    x_labels = [show(v, lang) for v in axes[x_axis].values]
    x_ticks = _ticks(nx, cw, max(text_width(t, TICK) for t in x_labels) + 6)
    y_ticks: list[int] = []
    left = max(text_width(x_labels[0], TICK) / 2 - cw / 2, 0.0)
    if y_axis is not None:
        y_labels = [show(v, lang) for v in axes[y_axis].values]
        y_ticks = _ticks(ny, ch, TICK + 3)
        left = max(left, max(text_width(y_labels[i], TICK) for i in y_ticks) + 6)
    grid_w = nx * cw
    right = max(text_width(x_labels[-1], TICK) / 2 - cw / 2, 0.0)
    names = [text_width(axis_label(book, axes[x_axis], lang), NAME)]
    if y_axis is not None:
        names.append(text_width(axis_label(book, axes[y_axis], lang), NAME))
    width = max(left + grid_w + right, *names, *(text_width(c, CAPTION) * BOLD for c in captions))
    height = _grid_top(y_axis) + ny * ch + 36
    return _Frame(x_axis, y_axis, cw, ch, nx, ny, left, width, height, x_ticks, y_ticks)


def _grid_top(y_axis: int | None) -> float:
    """From a panel's top to its grid: the caption, then (with a y axis) the y axis's name."""
    return 22 + (16 if y_axis is not None else 0)


def _text(x: float, y: float, content: str, size: int, anchor: str = "start", bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{weight}>{escape(content)}</text>'


def _panel(
    result: Sweep, book: Rulebook, basis: str, fixed: dict[int, int], f: _Frame, ox: float, oy: float, lang: str
) -> list[str]:
    axes = result.axes
    gx, gy = ox + f.left, oy + _grid_top(f.y_axis)
    start = result.start()
    own = start is not None and all(start[k] == i for k, i in fixed.items())
    out: list[str] = []
    for yi in range(f.ny):
        for xi in range(f.nx):
            at = dict(fixed)
            at[f.x_axis] = xi
            if f.y_axis is not None:
                at[f.y_axis] = yi
            cell = result.cells[result.index(tuple(at[k] for k in range(len(axes))))]
            verdict = cell.verdict(basis)
            colour = book.verdicts[verdict].colour if verdict else NO_OUTCOME
            px, py = gx + xi * f.cw, gy + (f.ny - 1 - yi) * f.ch
            where = ", ".join(
                f"{axis_label(book, a, lang)} = {value_label(book, a, v, lang)}" for a, v in zip(axes, cell.at)
            )
            what = (
                outcome_label(book, verdict, lang) if verdict else f"{word('sweep_no_outcome', lang)}: {cell.problem}"
            )
            out.append(
                f'<rect x="{px:.1f}" y="{py:.1f}" width="{f.cw}" height="{f.ch}" fill="{colour}" stroke="#ffffff" '
                f'stroke-width="0.5"><title>{escape(where)}: {escape(what)}</title></rect>'
            )
    if start is not None:
        sx, sy = start[f.x_axis], (start[f.y_axis] if f.y_axis is not None else 0)
        dash = "" if own else ' stroke-dasharray="3,2"'
        out.append(
            f'<rect x="{gx + sx * f.cw:.1f}" y="{gy + (f.ny - 1 - sy) * f.ch:.1f}" width="{f.cw}" height="{f.ch}" '
            f'fill="none" stroke="#000000" stroke-width="2"{dash}>'
            f"<title>{escape(word('sweep_start_cell', lang))}</title></rect>"
        )
    bottom = gy + f.ny * f.ch
    for i in f.x_ticks:
        out.append(_text(gx + i * f.cw + f.cw / 2, bottom + 12, show(axes[f.x_axis].values[i], lang), TICK, "middle"))
    out.append(_text(ox, bottom + 28, axis_label(book, axes[f.x_axis], lang), NAME))
    if f.y_axis is not None:
        for i in f.y_ticks:
            y = gy + (f.ny - 1 - i) * f.ch + f.ch / 2 + 3
            out.append(_text(gx - 4, y, show(axes[f.y_axis].values[i], lang), TICK, "end"))
        out.append(_text(ox, gy - 6, axis_label(book, axes[f.y_axis], lang), NAME))
    return out


def _slices(result: Sweep, slicing: list[int]) -> list[dict[int, int]]:
    return [dict(zip(slicing, at)) for at in itertools.product(*(range(len(result.axes[k].values)) for k in slicing))]


def _caption(book: Rulebook, result: Sweep, basis: str, fixed: dict[int, int], lang: str) -> str:
    caption = book.bases[basis].name.get(lang)
    if fixed:
        named = tuple((result.axes[k].name, result.axes[k].values[i]) for k, i in fixed.items())
        caption += ": " + fixed_caption(book, result, named, lang)
    return caption


def _legend_items(result: Sweep, book: Rulebook, lang: str) -> list[tuple[str, str, bool]]:
    """(colour, words, outlined) for every verdict the map shows, then a cell without an outcome and the
    scenario's own cell when there are any."""
    shown = {cell.verdict(basis) for cell in result.cells for basis in book.bases}
    items = [
        (book.verdicts[v].colour, outcome_label(book, v, lang), False)
        for v in sorted(book.verdicts, key=book.verdict_rank, reverse=True)
        if v in shown
    ]
    if None in shown:
        items.append((NO_OUTCOME, word("sweep_no_outcome", lang), False))
    if result.start() is not None:
        items.append(("none", word("sweep_start_cell", lang), True))
    return items


def _legend_lines(items: list[tuple[str, str, bool]], width: float) -> list[list[tuple[float, str, str, bool]]]:
    lines: list[list[tuple[float, str, str, bool]]] = [[]]
    x = 0.0
    for colour, label, outlined in items:
        need = SWATCH + 6 + text_width(label, LEGEND)
        if x + need > width and lines[-1]:
            lines.append([])
            x = 0.0
        lines[-1].append((x, colour, label, outlined))
        x += need + LEGEND_GAP
    return lines


def render_sweep_svg(result: Sweep, book: Rulebook, lang: str = "nl") -> str:
    """The heat map: one panel per basis and slice, a legend of the verdicts shown."""
    _, _, slicing = layout(result)
    slices = _slices(result, slicing)
    captions = {(b, n): _caption(book, result, b, fixed, lang) for b in book.bases for n, fixed in enumerate(slices)}
    f = _frame(result, book, lang, list(captions.values()))
    per_line = max(1, min(4, len(slices), int((MAX_WIDTH - 2 * MARGIN + PANEL_GAP) // (f.width + PANEL_GAP))))
    lines_per_basis = -(-len(slices) // per_line)
    title = f"{word('sweep_title', lang)}: {result.scenario} ({result.assessed_on})"
    items = _legend_items(result, book, lang)
    widest_item = max((SWATCH + 6 + text_width(label, LEGEND) for _, label, _ in items), default=0.0)
    content = max(per_line * f.width + (per_line - 1) * PANEL_GAP, text_width(title, TITLE) * BOLD, widest_item)
    width = content + 2 * MARGIN
    legend = _legend_lines(items, content)
    out: list[str] = [_text(MARGIN, MARGIN + TITLE, title, TITLE, bold=True)]
    top: float = MARGIN + TITLE + 14
    for basis in book.bases:
        for n, fixed in enumerate(slices):
            ox = MARGIN + (n % per_line) * (f.width + PANEL_GAP)
            oy = top + (n // per_line) * (f.height + LINE_GAP)
            out.append(_text(ox, oy + CAPTION + 2, captions[(basis, n)], CAPTION, bold=True))
            out += _panel(result, book, basis, fixed, f, ox, oy, lang)
        top += lines_per_basis * (f.height + LINE_GAP)
    for index, line in enumerate(legend):
        y = top + 4 + index * (SWATCH + 8)
        for x, colour, label, outlined in line:
            stroke = 'stroke="#000000" stroke-width="2"' if outlined else 'stroke="#666666" stroke-width="0.5"'
            out.append(
                f'<rect x="{MARGIN + x:.1f}" y="{y:.1f}" width="{SWATCH}" height="{SWATCH}" fill="{colour}" {stroke}/>'
            )
            out.append(_text(MARGIN + x + SWATCH + 6, y + 10, label, LEGEND))
    height = top + 4 + len(legend) * (SWATCH + 8) + MARGIN
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONT}" lang="{lang}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="white"/>',
    ]
    return "\n".join([*head, *out, "</svg>"]) + "\n"


def render_sweep_html(result: Sweep, book: Rulebook, lang: str = "nl") -> str:
    """A self-contained page: the heat map, then the regions and boundaries as tables."""
    from .page import page_html

    title = f"{word('sweep_title', lang)}: {result.scenario} ({result.assessed_on})"
    return page_html(title, sweep_blocks(result, book, lang), lang, book, render_sweep_svg(result, book, lang))
