"""The regions of a sweep: where each verdict of a basis holds, in words a reader can follow.

The first swept indicator or parameter runs down (rows), the second across (columns); a third, and the
theory, split the grid into slices. Consecutive rows with the same pattern across are one band, and each
band lists the runs of columns with one verdict. A slice identical to an earlier one says so.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from .sweep import THEORY, Sweep


@dataclass(frozen=True)
class Run:
    """Consecutive values of the column axis (or, without one, of the row axis) with one verdict."""

    first: Any
    last: Any
    verdict: str | None  # None: cells without an outcome


@dataclass(frozen=True)
class Band:
    """Consecutive rows with the same pattern across."""

    first: Any
    last: Any
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class Slice:
    """One value of every slicing axis, and the bands of the map there."""

    fixed: tuple[tuple[str, Any], ...]
    bands: tuple[Band, ...]
    same_as: int | None = None  # the index of an earlier slice with the same bands


def layout(result: Sweep) -> tuple[int, int | None, list[int]]:
    """The positions of the row axis, the column axis (if any) and the slicing axes."""
    values = [k for k, a in enumerate(result.axes) if a.kind != THEORY]
    row = values[0]
    column = values[1] if len(values) > 1 else None
    return row, column, [k for k in range(len(result.axes)) if k not in (row, column)]


def _runs(values: tuple[Any, ...], verdicts: list[str | None]) -> tuple[Run, ...]:
    runs: list[Run] = []
    start = 0
    for i in range(1, len(verdicts) + 1):
        if i == len(verdicts) or verdicts[i] != verdicts[start]:
            runs.append(Run(values[start], values[i - 1], verdicts[start]))
            start = i
    return tuple(runs)


def regions(result: Sweep, basis: str) -> list[Slice]:
    """For every slice, the bands of rows and the runs of one verdict across."""
    row, column, slicing = layout(result)
    axes = result.axes
    slices: list[Slice] = []
    for fixed in itertools.product(*(range(len(axes[k].values)) for k in slicing)):
        patterns: list[tuple[Any, tuple[Run, ...]]] = []
        for r, row_value in enumerate(axes[row].values):
            at = dict(zip(slicing, fixed))
            at[row] = r
            if column is None:
                verdict = result.cells[result.index(tuple(at[k] for k in range(len(axes))))].verdict(basis)
                patterns.append((row_value, (Run(None, None, verdict),)))
                continue
            verdicts = []
            for c in range(len(axes[column].values)):
                at[column] = c
                verdicts.append(result.cells[result.index(tuple(at[k] for k in range(len(axes))))].verdict(basis))
            patterns.append((row_value, _runs(axes[column].values, verdicts)))
        bands: list[Band] = []
        for value, runs in patterns:
            if bands and bands[-1].runs == runs:
                bands[-1] = Band(bands[-1].first, value, runs)
            else:
                bands.append(Band(value, value, runs))
        named = tuple((axes[k].name, axes[k].values[i]) for k, i in zip(slicing, fixed))
        same = next((i for i, s in enumerate(slices) if s.bands == tuple(bands) and s.same_as is None), None)
        slices.append(Slice(named, tuple(bands), same))
    return slices
