"""Draw a sweep as a heat map (SVG), and as a self-contained HTML page around it.

One panel per basis and slice (a third axis, or the theory, gives small multiples); cells coloured by
verdict with the rulebook's colours (as in the timeline chart); labelled axes; the start scenario's cell
outlined (solid in its own slice, dashed in the others). Every text is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

from ..analysis.regions import layout
from ..analysis.sweep import Sweep
from ..model.rulebook import Rulebook
from ..model.words import word
from .labels import outcome_label
from .sweep import render_sweep_text, show

PER_LINE = 4  # panels per line before wrapping
NO_OUTCOME = "#ffffff"


def _geometry(result: Sweep) -> tuple[int | None, int, int, int]:
    """The y axis (None for a single strip), the x axis, and the cell's width and height."""
    row, column, _ = layout(result)
    y, x = (row, column) if column is not None else (None, row)
    nx = len(result.axes[x].values)
    ny = len(result.axes[y].values) if y is not None else 1
    return y, x, max(6, min(28, 360 // nx)), max(6, min(28, 360 // ny)) if y is not None else 28


def _ticks(values: tuple[Any, ...]) -> list[int]:
    step = max(1, len(values) // 10)
    return [i for i in range(len(values)) if i % step == 0 or i == len(values) - 1]


def _panel(result: Sweep, book: Rulebook, basis: str, fixed: dict[int, int], ox: int, oy: int, lang: str) -> list[str]:
    y_axis, x_axis, cw, ch = _geometry(result)
    axes = result.axes
    ny = len(axes[y_axis].values) if y_axis is not None else 1
    start = result.start()
    own = start is not None and all(start[k] == i for k, i in fixed.items())
    out: list[str] = []
    for yi in range(ny):
        for xi in range(len(axes[x_axis].values)):
            at = dict(fixed)
            at[x_axis] = xi
            if y_axis is not None:
                at[y_axis] = yi
            cell = result.cells[result.index(tuple(at[k] for k in range(len(axes))))]
            verdict = cell.verdict(basis)
            colour = book.verdicts[verdict].colour if verdict else NO_OUTCOME
            px, py = ox + xi * cw, oy + (ny - 1 - yi) * ch
            where = ", ".join(f"{a.name} = {show(v, lang)}" for a, v in zip(axes, cell.at))
            what = (
                outcome_label(book, verdict, lang) if verdict else f"{word('sweep_no_outcome', lang)}: {cell.problem}"
            )
            out.append(
                f'<rect x="{px}" y="{py}" width="{cw}" height="{ch}" fill="{colour}" stroke="#ffffff" '
                f'stroke-width="0.5"><title>{escape(where)}: {escape(what)}</title></rect>'
            )
    if start is not None:
        sx, sy = start[x_axis], (start[y_axis] if y_axis is not None else 0)
        dash = "" if own else ' stroke-dasharray="3,2"'
        out.append(
            f'<rect x="{ox + sx * cw}" y="{oy + (ny - 1 - sy) * ch}" width="{cw}" height="{ch}" fill="none" '
            f'stroke="#000000" stroke-width="2"{dash}><title>{escape(word("sweep_start_cell", lang))}</title></rect>'
        )
    out += _axis_labels(result, x_axis, y_axis, ox, oy, cw, ch, ny)
    return out


def _axis_labels(
    result: Sweep, x_axis: int, y_axis: int | None, ox: int, oy: int, cw: int, ch: int, ny: int
) -> list[str]:
    axes, out = result.axes, []
    bottom = oy + ny * ch
    for i in _ticks(axes[x_axis].values):
        label = escape(show(axes[x_axis].values[i], "en"))
        out.append(
            f'<text x="{ox + i * cw + cw / 2}" y="{bottom + 12}" text-anchor="middle" font-size="9">{label}</text>'
        )
    out.append(
        f'<text x="{ox + len(axes[x_axis].values) * cw / 2}" y="{bottom + 26}" text-anchor="middle">'
        f"{escape(axes[x_axis].name)}</text>"
    )
    if y_axis is not None:
        for i in _ticks(axes[y_axis].values):
            label = escape(show(axes[y_axis].values[i], "en"))
            y = oy + (ny - 1 - i) * ch + ch / 2 + 3
            out.append(f'<text x="{ox - 4}" y="{y}" text-anchor="end" font-size="9">{label}</text>')
        mid = oy + ny * ch / 2
        out.append(
            f'<text x="{ox - 30}" y="{mid}" text-anchor="middle" transform="rotate(-90 {ox - 30} {mid})">'
            f"{escape(axes[y_axis].name)}</text>"
        )
    return out


def render_sweep_svg(result: Sweep, book: Rulebook, lang: str = "nl") -> str:
    """The heat map: one panel per basis and slice, a legend of the verdicts."""
    y_axis, x_axis, cw, ch = _geometry(result)
    _, _, slicing = layout(result)
    ny = len(result.axes[y_axis].values) if y_axis is not None else 1
    panel_w, panel_h = len(result.axes[x_axis].values) * cw + 70, ny * ch + 70
    slices = _slices(result, slicing)
    per_line = min(PER_LINE, len(slices))
    lines_per_basis = -(-len(slices) // per_line)
    width = max(per_line * panel_w + 40, 420)
    height = 60 + len(book.bases) * lines_per_basis * (panel_h + 24) + 40
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="11">',
        f"<title>{escape(word('sweep_title', lang))}: {escape(result.scenario)}</title>",
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="10" y="20" font-size="14">{escape(word("sweep_title", lang))}: '
        f"{escape(result.scenario)} ({escape(result.assessed_on)})</text>",
    ]
    top = 40
    for basis in book.bases:
        for n, fixed in enumerate(slices):
            ox = 60 + (n % per_line) * panel_w
            oy = top + (n // per_line) * (panel_h + 24) + 18
            caption = book.bases[basis].name.get(lang)
            if fixed:
                caption += ": " + ", ".join(
                    f"{result.axes[k].name} = {show(result.axes[k].values[i], lang)}" for k, i in fixed.items()
                )
            out.append(f'<text x="{ox}" y="{oy - 6}" font-weight="bold">{escape(caption)}</text>')
            out += _panel(result, book, basis, fixed, ox, oy, lang)
        top += lines_per_basis * (panel_h + 24)
    out += _legend(book, top + 10, lang)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _slices(result: Sweep, slicing: list[int]) -> list[dict[int, int]]:
    import itertools

    return [dict(zip(slicing, at)) for at in itertools.product(*(range(len(result.axes[k].values)) for k in slicing))]


def _legend(book: Rulebook, y: int, lang: str) -> list[str]:
    out: list[str] = []
    for i, verdict in enumerate(sorted(book.verdicts, key=book.verdict_rank, reverse=True)):
        x = 60 + i * 150
        out.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{book.verdicts[verdict].colour}"/>')
        out.append(f'<text x="{x + 18}" y="{y}">{escape(outcome_label(book, verdict, lang))}</text>')
    x = 60 + len(book.verdicts) * 150
    out.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="none" stroke="#000" stroke-width="2"/>')
    out.append(f'<text x="{x + 18}" y="{y}">{escape(word("sweep_start_cell", lang))}</text>')
    return out


_STYLE = (
    "body{font-family:sans-serif;margin:2em;color:#212121;max-width:1400px}"
    "h1{font-size:1.4em}pre{background:#f5f5f5;padding:1em;overflow-x:auto;font-size:0.9em}"
    "figure{margin:0;overflow-x:auto}"
)


def render_sweep_html(result: Sweep, book: Rulebook, lang: str = "nl") -> str:
    """A self-contained page: the heat map, then the regions and boundaries in words."""
    title = f"{word('sweep_title', lang)}: {result.scenario} ({result.assessed_on})"
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n<figure>\n{render_sweep_svg(result, book, lang)}</figure>\n"
        f"<pre>{escape(render_sweep_text(result, book, lang))}</pre>\n</body>\n</html>\n"
    )
