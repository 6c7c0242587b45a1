"""The map of a basis (`mandaat sweep`): every combination of one to three indicators or parameters over a
range, and optionally every theory, each evaluated through the pipeline with the caller's options.

Each cell sets the swept indicators as hypothetical observations (as `whatif --set` does), the swept
parameters as overrides (as `--param` does) and the theory; the grid is evaluated in worker processes.
From the grid follow, per basis, the regions where each verdict holds and the boundaries between them.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..model.errors import EngineError, Refusal, UsageError, about, said, suggestion
from ..model.rulebook import Rulebook
from ..model.scenario import DECIMALS, Scenario, check_indicator_value, clean_number
from ..pipeline import Options, evaluate_scenario, settings
from ..read.parameters import parameter_value_problem, read_value
from .changes import Change, apply
from .outcome import Outcome, current_values, quick_outcome
from .workers import Done, run_cells

THEORY = "theory"
MAX_CELLS = 100_000
_NUMERIC_PARAMETERS = ("number", "days", "credibility")


@dataclass(frozen=True)
class Axis:
    """One swept dimension: an indicator, a parameter or the theory, with its values and the start's value."""

    name: str
    kind: str  # indicator | parameter | theory
    values: tuple[Any, ...]
    start: Any = None  # the scenario's own value (None: no relied-upon evidence on it)

    def start_index(self) -> int | None:
        """Where the scenario's own value lies on this axis (None when not on the grid)."""
        return next((i for i, v in enumerate(self.values) if v == self.start), None)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"name": self.name, "kind": self.kind, "values": list(self.values), "start": self.start}


@dataclass
class Cell:
    """One evaluated combination: the verdicts and statuses, or why there are none."""

    at: tuple[Any, ...]
    outcome: Outcome | None
    problem: str | None = None
    crashed: bool = False

    def verdict(self, basis: str) -> str | None:
        """The basis's verdict here (None for a cell without an outcome)."""
        return self.outcome.verdicts.get(basis) if self.outcome else None

    def as_dict(self, axes: list[Axis]) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "at": {axis.name: value for axis, value in zip(axes, self.at)},
            "verdicts": self.outcome.verdicts if self.outcome else None,
            "statuses": self.outcome.statuses if self.outcome else None,
            "problem": self.problem,
            "crashed": self.crashed,
        }


@dataclass(frozen=True)
class Boundary:
    """Two neighbouring values of one axis between which a basis's verdict changes."""

    basis: str
    axis: str
    low: Any
    high: Any
    before: str  # the verdict at ``low``
    after: str  # the verdict at ``high``
    through_start: bool  # on the line through the start scenario (every other axis at its start)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return dict(self.__dict__)


@dataclass
class Sweep:
    """The grid of one sweep, in row-major order over ``axes``."""

    scenario: str
    assessed_on: str
    axes: list[Axis]
    cells: list[Cell]
    seconds: float = 0.0

    def index(self, at: tuple[int, ...]) -> int:
        """The position in ``cells`` of the cell at axis positions ``at``."""
        position = 0
        for axis, i in zip(self.axes, at):
            position = position * len(axis.values) + i
        return position

    def start(self) -> tuple[int, ...] | None:
        """The start scenario's cell (axis positions), when every axis has its start value on the grid."""
        found = tuple(axis.start_index() for axis in self.axes)
        return None if any(i is None for i in found) else found  # type: ignore[return-value]

    def boundaries(self, book: Rulebook) -> list[Boundary]:
        """Every change of a basis's verdict between neighbouring cells, without repeats, in axis order."""
        start = tuple(axis.start_index() for axis in self.axes)
        seen: dict[tuple[Any, ...], Boundary] = {}
        for basis in book.bases:
            for k, axis in enumerate(self.axes):
                for at in itertools.product(*(range(len(a.values)) for a in self.axes)):
                    if at[k] + 1 >= len(axis.values):
                        continue
                    low, high = self.cells[self.index(at)], self.cells[self.index(at[:k] + (at[k] + 1,) + at[k + 1 :])]
                    before, after = low.verdict(basis), high.verdict(basis)
                    if before is None or after is None or before == after:
                        continue
                    through = all(at[j] == start[j] for j in range(len(self.axes)) if j != k)
                    key = (basis, axis.name, axis.values[at[k]], axis.values[at[k] + 1], before, after)
                    if key not in seen or (through and not seen[key].through_start):
                        seen[key] = Boundary(basis, axis.name, *key[2:], through_start=through)
        return list(seen.values())

    def problems(self) -> list[Cell]:
        """The cells without an outcome (crashed, or invalid combinations)."""
        return [cell for cell in self.cells if cell.outcome is None]


def _range(text: str, integral: bool) -> tuple[Any, ...]:
    """``START..STOP[:STEP]`` as the values from START to STOP inclusive."""
    span, _, step_text = text.partition(":")
    start_text, sep, stop_text = span.partition("..")
    if not sep:
        raise Refusal(said("range_form", text=repr(text)))
    start, stop = read_value(start_text), read_value(stop_text)
    step = read_value(step_text) if step_text.strip() else 1
    for value in (start, stop, step):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise Refusal(said("range_numbers", text=repr(text)))
    if step <= 0 or stop < start:
        raise Refusal(said("range_order", text=repr(text)))
    for value in (start, step):  # finer than the model keeps, values would coincide or drift
        if round(value, DECIMALS) != value:
            raise Refusal(
                said("range_too_fine", text=repr(text), value=value, decimals=DECIMALS), said("round_decimals")
            )
    steps = (stop - start) / step  # infinite when STOP - START is beyond the largest number
    count = int(math.floor(steps + 1e-9)) + 1 if steps < 1e9 else None
    if count is None or count > MAX_CELLS:
        shown = count or said("more_than", count=MAX_CELLS)
        raise Refusal(said("range_too_many", text=repr(text), count=shown, max=MAX_CELLS))
    values = tuple(clean_number(round(start + i * step, DECIMALS)) for i in range(count))
    if len(set(values)) < count:  # numbers this large keep fewer digits than STEP needs
        raise Refusal(said("range_coincide", text=repr(text)), said("larger_step"))
    if integral and any(isinstance(v, float) for v in values):
        raise Refusal(said("range_whole", text=repr(text)))
    return values


def parse_axis(book: Rulebook, text: str) -> Axis:
    """``--vary NAME=START..STOP[:STEP]`` (an indicator or a numeric parameter) or ``--vary theory``."""
    if text.strip() == THEORY:
        return Axis(THEORY, THEORY, tuple(book.theories))
    name, sep, span = text.partition("=")
    name = name.strip()
    if not sep:
        raise UsageError(about(f"--vary {text!r}", said("write_vary")))
    if name in book.indicators:
        kind, integral = "indicator", book.indicators[name].type == "integer"
        if book.indicators[name].type not in ("number", "integer"):
            raise UsageError(about(f"--vary {name}", said("vary_numeric_only"), said("use_whatif")))
    elif name in book.parameters and book.parameters[name].type in _NUMERIC_PARAMETERS:
        kind, integral = "parameter", book.parameters[name].type != "number"
    else:
        hint = suggestion(name, [*book.indicators, *book.parameters], said("see_params"))
        raise UsageError(about("--vary", said("vary_unknown", name=repr(name)), hint))
    try:
        values = _range(span, integral)
        for value in values:
            _check(book, kind, name, value)
    except Refusal as exc:
        raise UsageError(about(f"--vary {name}", exc.message, exc.hint)) from None
    return Axis(name, kind, values)


def _check(book: Rulebook, kind: str, name: str, value: Any) -> None:
    if kind == "indicator":
        check_indicator_value(book, name, value)
        return
    message = parameter_value_problem(book.parameters[name].type, value)
    if message:
        raise Refusal(message)


def check_axes(axes: list[Axis]) -> None:
    """One to three value axes, plus the theory at most once; no axis twice; not too many cells."""
    names = [a.name for a in axes]
    if len(set(names)) != len(names):
        raise UsageError(about("--vary", said("vary_once")))
    if not 1 <= len([a for a in axes if a.kind != THEORY]) <= 3:
        raise UsageError(about("--vary", said("vary_count")))
    if math.prod(len(a.values) for a in axes) > MAX_CELLS:
        raise UsageError(about("--vary", said("grid_too_large", max=f"{MAX_CELLS:,}")))


def with_starts(scenario: Scenario, book: Rulebook, options: Options, axes: list[Axis]) -> list[Axis]:
    """The axes, each with the start scenario's own value (its relied-upon evidence, setting or theory)."""
    report = evaluate_scenario(scenario, book, options)
    current = current_values(scenario, report)
    chosen = settings(scenario, book, options)
    starts = {"indicator": current, "parameter": chosen.params, THEORY: {THEORY: chosen.theory}}
    return [Axis(a.name, a.kind, a.values, starts[a.kind].get(a.name)) for a in axes]


def cell_changes(axes: list[Axis], at: tuple[Any, ...]) -> list[Change]:
    """The hypothetical changes that make one cell."""
    kinds = {"indicator": "set", "parameter": "param", THEORY: THEORY}
    return [Change(kinds[a.kind], a.name, value, a.start) for a, value in zip(axes, at)]


def _classify(exc: BaseException) -> tuple[str, bool]:
    if isinstance(exc, UsageError):  # an invalid combination (parameters out of order, say)
        return str(exc), False
    return (str(exc) if isinstance(exc, EngineError) else f"{type(exc).__name__}: {exc}"), True


def sweep(
    scenario: Scenario,
    book: Rulebook,
    options: Options,
    axes: list[Axis],
    jobs: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> Sweep:
    """Evaluate every cell of the grid (in ``jobs`` worker processes; 0: in this process)."""
    started = time.perf_counter()
    check_axes(axes)
    points = list(itertools.product(*(a.values for a in axes)))

    def one(at: tuple[Any, ...]) -> Outcome:
        changed, changed_options = apply(scenario, book, cell_changes(axes, at), options)
        return quick_outcome(changed, book, changed_options)

    done: list[Done] = run_cells(one, points, jobs, progress, _classify)
    cells = [Cell(at, d.value, d.problem, d.crashed) for at, d in zip(points, done)]
    return Sweep(scenario.id, scenario.assessed_on.isoformat(), axes, cells, time.perf_counter() - started)
