"""Render a sweep as text, Markdown or JSON: per basis, the regions where each verdict holds and the
boundaries between them (JSON: the full grid as well)."""

from __future__ import annotations

import json
from typing import Any

from ..analysis.regions import Band, Slice, layout, regions
from ..analysis.sweep import THEORY, Axis, Boundary, Sweep
from ..model.errors import yaml_scalar
from ..model.rulebook import Rulebook
from ..model.words import duration, number, word
from .blocks import Block, Heading, Item, Items, Para, Table
from .labels import outcome_label, row_label


def show(value: Any, lang: str) -> str:
    """An axis value as a reader writes it (numbers with a decimal comma in Dutch)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value, lang)
    return yaml_scalar(value) if value is not None else "-"


def _span(first: Any, last: Any, lang: str, sep: str = "..") -> str:
    return show(first, lang) if first == last else f"{show(first, lang)}{sep}{show(last, lang)}"


def _verdict(book: Rulebook, verdict: str | None, lang: str) -> str:
    return outcome_label(book, verdict, lang) if verdict else word("sweep_no_outcome", lang)


def axis_line(axis: Axis, lang: str) -> str:
    """One axis: its name, its range and the scenario's own value."""
    values = axis.values
    span = ", ".join(values) if axis.kind == "theory" else _span(values[0], values[-1], lang)
    if axis.kind != "theory" and len(values) > 2:
        step = show(round(values[1] - values[0], 4), lang)
        span += f" (+{step})"
    now = (
        f"{word('sweep_now', lang)} {show(axis.start, lang)}"
        if axis.start is not None
        else word("sweep_no_evidence", lang)
    )
    return f"{axis.name}: {span} ({now})"


def _band(book: Rulebook, result: Sweep, band: Band, lang: str) -> str:
    rows = f"{result.axes[_row(result)].name} {_span(band.first, band.last, lang)}"
    if len(band.runs) == 1:
        run = band.runs[0]
        suffix = "" if run.first is None else f" ({word('sweep_everywhere', lang)})"
        return f"{rows}: {_verdict(book, run.verdict, lang)}{suffix}"
    column = result.axes[_column(result)].name
    parts = [f"{_span(r.first, r.last, lang)} {_verdict(book, r.verdict, lang)}" for r in band.runs]
    return f"{rows}: {column} " + "; ".join(parts)


def _row(result: Sweep) -> int:
    return layout(result)[0]


def _column(result: Sweep) -> int:
    column = layout(result)[1]
    assert column is not None
    return column


def _fixed(slice_: Slice, lang: str) -> str:
    return ", ".join(f"{name} = {show(value, lang)}" for name, value in slice_.fixed)


def _boundary(book: Rulebook, b: Boundary, lang: str) -> str:
    between = word("sweep_between", lang).format(low=show(b.low, lang), high=show(b.high, lang))
    change = f"{_verdict(book, b.before, lang)} -> {_verdict(book, b.after, lang)}"
    start = f" ({word('sweep_through_start', lang)})" if b.through_start else ""
    return f"{b.axis} {between}: {change}{start}"


def _basis_lines(book: Rulebook, result: Sweep, basis: str, lang: str, bullet: str) -> list[str]:
    lines: list[str] = []
    slices = regions(result, basis)
    for slice_ in slices:
        indent = ""
        if slice_.fixed:
            lines.append(f"{bullet}{_fixed(slice_, lang)}")
            indent = "  "
        if slice_.same_as is not None:
            same = word("sweep_same_as", lang).format(fixed=_fixed(slices[slice_.same_as], lang))
            lines.append(f"{indent}{bullet}{same}")
            continue
        lines += [f"{indent}{bullet}{_band(book, result, band, lang)}" for band in slice_.bands]
    return lines


def _boundary_lines(book: Rulebook, result: Sweep, basis: str, lang: str, bullet: str) -> list[str]:
    found = [b for b in result.boundaries(book) if b.basis == basis]
    found.sort(key=lambda b: (not b.through_start, [a.name for a in result.axes].index(b.axis)))
    if not found:
        return [f"{bullet}{word('sweep_no_boundaries', lang)}"]
    return [f"{bullet}{_boundary(book, b, lang)}" for b in found]


def _header(result: Sweep, lang: str) -> list[str]:
    return [f"{word('sweep_axes', lang)}:", *(f"  {axis_line(a, lang)}" for a in result.axes)]


def _problem_lines(result: Sweep, lang: str, bullet: str) -> list[str]:
    bad = result.problems()
    if not bad:
        return []
    lines = ["", word("sweep_problems", lang).format(count=len(bad))]
    for cell in bad[:20]:
        at = ", ".join(f"{a.name} = {show(v, lang)}" for a, v in zip(result.axes, cell.at))
        kind = f"{word('sweep_crashed', lang)}: " if cell.crashed else ""
        lines.append(f"{bullet}{at}: {kind}{cell.problem}")
    return lines


def _footer(result: Sweep, lang: str) -> str:
    evaluations, seconds = number(len(result.cells), lang), duration(result.seconds, lang)
    return word("sweep_footer", lang).format(evaluations=evaluations, seconds=seconds)


def render_sweep_text(result: Sweep, book: Rulebook, lang: str) -> str:
    """Per basis: the regions of each verdict, then the boundaries between them."""
    lines = [f"{word('sweep_title', lang)}: {result.scenario} ({result.assessed_on})", *_header(result, lang)]
    for basis in book.bases:
        lines += ["", f"{row_label(book, basis, lang)}: {word('sweep_region', lang).lower()}"]
        lines += _basis_lines(book, result, basis, lang, "  ")
        lines += [f"{word('sweep_boundaries', lang)}:"]
        lines += _boundary_lines(book, result, basis, lang, "  ")
    lines += _problem_lines(result, lang, "  ")
    lines += ["", _footer(result, lang)]
    return "\n".join(lines) + "\n"


def axis_label(book: Rulebook, axis: Axis, lang: str) -> str:
    """An axis as a reader knows it: an indicator by its label and unit from the vocabulary, the theory as
    «leer van noodzakelijkheid»; a parameter, which has no label, by its name and unit."""
    if axis.kind == THEORY:
        return word("theory", lang)
    unit = None
    if axis.kind == "indicator" and axis.name in book.indicators:
        indicator = book.indicators[axis.name]
        unit = indicator.unit
        if indicator.label is not None:
            label = indicator.label.get(lang)
            return f"{label} ({unit.get(lang)})" if unit is not None else label
    elif axis.name in book.parameters:
        unit = book.parameters[axis.name].unit
    return f"{axis.name} ({unit.get(lang)})" if unit is not None else axis.name


def value_label(book: Rulebook, axis: Axis, value: Any, lang: str) -> str:
    """A value of an axis in words: a theory by its title, a number as the reader writes it."""
    if axis.kind == THEORY and value in book.theories:
        return book.theories[value].title.get(lang)
    return show(value, lang)


def fixed_caption(book: Rulebook, result: Sweep, fixed: tuple[tuple[str, Any], ...], lang: str) -> str:
    """The values that hold a slice fixed, in words: «leer van noodzakelijkheid: niet bereid of in staat»."""
    axes = {a.name: a for a in result.axes}
    return "; ".join(f"{axis_label(book, axes[n], lang)}: {value_label(book, axes[n], v, lang)}" for n, v in fixed)


def _axis_row(book: Rulebook, axis: Axis, lang: str) -> list[str]:
    values = axis.values
    if axis.kind == THEORY:
        span = ", ".join(value_label(book, axis, v, lang) for v in values)
    else:
        span = _span(values[0], values[-1], lang, "–")
        if len(values) > 2:
            span += f" (+{show(round(values[1] - values[0], 4), lang)})"
    now = value_label(book, axis, axis.start, lang) if axis.start is not None else word("sweep_no_evidence", lang)
    return [axis_label(book, axis, lang), axis.name, span, now]


def _region_table(book: Rulebook, result: Sweep, bands: tuple[Band, ...], lang: str) -> Table:
    row, column, _ = layout(result)
    head = [axis_label(book, result.axes[row], lang)]
    if column is not None:
        head.append(axis_label(book, result.axes[column], lang))
    head.append(word("col_verdict", lang))
    rows, keys = [], []
    for band in bands:
        for run in band.runs:
            cells = [_span(band.first, band.last, lang, "–")]
            if column is not None:
                cells.append(_span(run.first, run.last, lang, "–"))
            rows.append([*cells, _verdict(book, run.verdict, lang)])
            keys.append([*([""] * len(cells)), run.verdict or ""])
    return Table(head, rows, cell_keys=keys)


def _boundary_table(book: Rulebook, result: Sweep, basis: str, lang: str) -> Block:
    found = [b for b in result.boundaries(book) if b.basis == basis]
    found.sort(key=lambda b: (not b.through_start, [a.name for a in result.axes].index(b.axis)))
    if not found:
        return Para(word("sweep_no_boundaries", lang))
    axes = {a.name: a for a in result.axes}
    head = [word("col_varied", lang), word("col_between", lang), word("col_from", lang), word("col_to", lang)]
    head.append(word("col_through_start", lang))
    rows, keys = [], []
    for b in found:
        axis = axes[b.axis]
        between = f"{value_label(book, axis, b.low, lang)} – {value_label(book, axis, b.high, lang)}"
        through = word("yes", lang) if b.through_start else ""
        rows.append(
            [
                axis_label(book, axis, lang),
                between,
                _verdict(book, b.before, lang),
                _verdict(book, b.after, lang),
                through,
            ]
        )
        keys.append(["", "", b.before, b.after, ""])
    return Table(head, rows, cell_keys=keys)


def sweep_blocks(result: Sweep, book: Rulebook, lang: str) -> list[Block]:
    """The map in words as tables (Markdown and HTML): what varies, then per basis the regions of each
    verdict (per slice) and the boundaries between them."""
    head = [
        word("col_varied", lang),
        word("col_name", lang),
        word("col_values", lang),
        word("col_scenario_value", lang),
    ]
    blocks: list[Block] = [Table(head, [_axis_row(book, a, lang) for a in result.axes])]
    for basis in book.bases:
        blocks += [Heading(2, book.bases[basis].title.get(lang)), Heading(3, word("sweep_region", lang))]
        slices = regions(result, basis)
        for slice_ in slices:
            if slice_.fixed:
                blocks.append(Para(fixed_caption(book, result, slice_.fixed, lang)))
            if slice_.same_as is not None:
                same = fixed_caption(book, result, slices[slice_.same_as].fixed, lang)
                blocks.append(Para(word("sweep_same_as", lang).format(fixed=same)))
                continue
            blocks.append(_region_table(book, result, slice_.bands, lang))
        blocks += [Heading(3, word("sweep_boundaries", lang)), _boundary_table(book, result, basis, lang)]
    bad = result.problems()
    if bad:
        items = []
        for cell in bad[:20]:
            at = ", ".join(
                f"{axis_label(book, a, lang)} = {value_label(book, a, v, lang)}" for a, v in zip(result.axes, cell.at)
            )
            kind = f"{word('sweep_crashed', lang)}: " if cell.crashed else ""
            items.append(Item(f"{at}: {kind}{cell.problem}"))
        blocks.append(Items(items, lead=word("sweep_problems", lang).format(count=number(len(bad), lang))))
    return [*blocks, Para(_footer(result, lang))]


def render_sweep_markdown(result: Sweep, book: Rulebook, lang: str) -> str:
    """The map in words as Markdown: tables of what varies, the regions and the boundaries."""
    from .page import page_markdown

    return page_markdown(
        f"{word('sweep_title', lang)}: {result.scenario} ({result.assessed_on})", sweep_blocks(result, book, lang)
    )


def sweep_dict(result: Sweep, book: Rulebook) -> dict[str, Any]:
    """The full grid, with the boundaries, as JSON-ready data."""
    start = result.start()
    return {
        "scenario": result.scenario,
        "assessed_on": result.assessed_on,
        "axes": [a.as_dict() for a in result.axes],
        "start": None if start is None else [a.values[i] for a, i in zip(result.axes, start)],
        "cells": [c.as_dict(result.axes) for c in result.cells],
        "boundaries": [b.as_dict() for b in result.boundaries(book)],
        "evaluations": len(result.cells),
        "problems": len(result.problems()),
    }


def render_sweep_json(result: Sweep, book: Rulebook) -> str:
    """The full grid as JSON."""
    return json.dumps(sweep_dict(result, book), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
