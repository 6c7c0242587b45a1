"""Render a sweep as text, Markdown or JSON: per basis, the regions where each verdict holds and the
boundaries between them (JSON: the full grid as well)."""

from __future__ import annotations

import json
from typing import Any

from ..analysis.regions import Band, Slice, layout, regions
from ..analysis.sweep import Axis, Boundary, Sweep
from ..model.errors import yaml_scalar
from ..model.rulebook import Rulebook
from ..model.words import duration, number, word
from .labels import outcome_label, row_label


def show(value: Any, lang: str) -> str:
    """An axis value as a reader writes it (numbers with a decimal comma in Dutch)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value, lang)
    return yaml_scalar(value) if value is not None else "-"


def _span(first: Any, last: Any, lang: str) -> str:
    return show(first, lang) if first == last else f"{show(first, lang)}..{show(last, lang)}"


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


def render_sweep_markdown(result: Sweep, book: Rulebook, lang: str) -> str:
    """The text form as Markdown: a heading per basis, lists for regions and boundaries."""
    lines = [f"# {word('sweep_title', lang)}: {result.scenario} ({result.assessed_on})", ""]
    lines += [f"**{word('sweep_axes', lang)}:**", "", *(f"- `{axis_line(a, lang)}`" for a in result.axes)]
    for basis in book.bases:
        lines += ["", f"## {book.bases[basis].title.get(lang)}", "", f"### {word('sweep_region', lang)}", ""]
        lines += _basis_lines(book, result, basis, lang, "- ")
        lines += ["", f"### {word('sweep_boundaries', lang)}", ""]
        lines += _boundary_lines(book, result, basis, lang, "- ")
    lines += _problem_lines(result, lang, "- ")
    lines += ["", f"_{_footer(result, lang)}_"]
    return "\n".join(lines) + "\n"


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
