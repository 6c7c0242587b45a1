"""The map: the verdicts over a grid of two numeric facts, each cell a real evaluation.

One function, :func:`grid`, evaluates every cell through the analysis layer's changes and outcomes
(a hypothetical observation per axis, as `mandaat whatif --set` makes one), computed by the sweep
(:mod:`mandaat.analysis.sweep`), the same grid `mandaat sweep` draws. The page asks for it in one
isolated call.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from ..analysis.sweep import Axis as SweepAxis
from ..analysis.sweep import sweep
from ..model.errors import UsageError, said
from ..model.rulebook import Rulebook
from ..model.scenario import Scenario
from ..pipeline import Options
from ..read.templates import reads_of

NUMERIC = ("number", "integer")
MAX_STEPS = 16


@dataclass(frozen=True)
class Axis:
    """One axis of the map: a numeric indicator and the values it takes."""

    indicator: str
    values: list[int | float]


@dataclass
class Cell:
    """One evaluated cell."""

    x: int | float
    y: int | float
    verdicts: dict[str, str]
    statuses: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def numeric_indicators(book: Rulebook) -> list[str]:
    """The indicators a map can vary."""
    return [name for name, ind in book.indicators.items() if ind.type in NUMERIC]


def deciding_indicators(book: Rulebook, basis: str) -> list[str]:
    """The numeric indicators on which a status of ``basis``'s elements and conditions rests, in the
    rulebook's order: those that move its verdict. An indicator that only a note reads (context, such as
    a count that feeds no threshold) is not one of them.

    Read from the declarations: the indicators the tests of the basis's elements read."""
    reads = reads_of(book)
    named = {i for name, element in book.elements.items() if element.basis == basis for i in reads[name]}
    return [name for name in numeric_indicators(book) if name in named]


def map_axes(book: Rulebook) -> list[str]:
    """The two indicators the map opens on: those that decide the verdict of the first basis (the one the
    map shows first), then, if there are fewer than two, the other numeric indicators."""
    first = next(iter(book.bases), "")
    deciding = deciding_indicators(book, first)
    return [*deciding, *(name for name in numeric_indicators(book) if name not in deciding)][:2]


def axis(book: Rulebook, indicator: str, high: float, current: float | None, steps: int = 11) -> Axis:
    """An axis from the indicator's minimum to ``high`` in about ``steps`` equal whole-number steps, with
    the current value among them."""
    if indicator not in numeric_indicators(book):
        raise UsageError(said("not_numeric_indicator", name=repr(indicator)))
    ind = book.indicators[indicator]
    low = int(ind.minimum or 0)
    top = int(min(max(high, low + 1), ind.maximum if ind.maximum is not None else high))
    step = max(1, math.ceil((top - low) / (max(2, min(steps, MAX_STEPS)) - 1)))
    values: set[int | float] = set(range(low, top + 1, step)) | {top}
    if current is not None and low <= current <= top:
        values.add(current)
    return Axis(indicator, sorted(values))


def grid(scenario: Scenario, book: Rulebook, x: Axis, y: Axis, options: Options = Options()) -> list[Cell]:
    """Every cell of the map: the statuses and verdicts with ``x`` and ``y`` set to each pair of values,
    evaluated by the sweep (in this process: the page's request already runs in an isolated child)."""
    axes = [SweepAxis(x.indicator, "indicator", tuple(x.values)), SweepAxis(y.indicator, "indicator", tuple(y.values))]
    found = {cell.at: cell.outcome for cell in sweep(scenario, book, options, axes, jobs=0).cells}
    cells = []
    for y_value in y.values:
        for x_value in x.values:
            outcome = found[(x_value, y_value)]
            if outcome is None:  # an invalid or crashed cell: the sweep says which; the map leaves it blank
                continue
            cells.append(Cell(x_value, y_value, outcome.verdicts, outcome.statuses))
    return cells
