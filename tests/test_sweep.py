"""`mandaat sweep`: regions and boundaries of a known grid, agreement with `flips`, verdict changes only at
parameter values, the worker pool's handling of crashed cells, and the command line's formats."""

from __future__ import annotations

import faulthandler
import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from mandaat.analysis.flips import flips
from mandaat.analysis.outcome import Outcome
from mandaat.analysis.regions import Band, Run, regions
from mandaat.analysis.sweep import Axis, Cell, Sweep, parse_axis, sweep, with_starts
from mandaat.analysis.workers import run_cells
from mandaat.cli import main
from mandaat.model.errors import UsageError
from mandaat.model.rulebook import Rulebook
from mandaat.pipeline import Options, settings
from mandaat.read.scenario import read_scenario

from .conftest import BASELINE, ROOT, scenario_from
from .strategies import BOOK, scenarios

RULES = ROOT / "rules"
NUMERIC = sorted(n for n, i in BOOK.indicators.items() if i.type in ("number", "integer"))


def _grid(book: Rulebook, axes: list[Axis], verdict_at: Any) -> Sweep:
    """A hand-made sweep: every basis gets ``verdict_at(at)`` in every cell."""
    import itertools

    cells = [
        Cell(at, Outcome({}, {basis: verdict_at(at) for basis in book.bases}))
        for at in itertools.product(*(a.values for a in axes))
    ]
    return Sweep("known", "2018-04-13", axes, cells)


def test_a_known_grid_gives_known_regions_and_boundaries(book: Rulebook) -> None:
    """Worst below 3 on the first axis, best from 5 on the second, the next verdict elsewhere."""
    best, worst = book.best_verdict(), book.worst_verdict()
    middle = sorted(book.verdicts, key=book.verdict_rank)[1]
    axes = [Axis("a", "indicator", tuple(range(6)), 4), Axis("b", "indicator", tuple(range(8)), 1)]
    result = _grid(book, axes, lambda at: worst if at[0] < 3 else (best if at[1] >= 5 else middle))
    basis = next(iter(book.bases))
    (only,) = regions(result, basis)
    assert only.bands == (Band(0, 2, (Run(0, 7, worst),)), Band(3, 5, (Run(0, 4, middle), Run(5, 7, best))))
    found = {
        (b.axis, b.low, b.high, b.before, b.after, b.through_start) for b in result.boundaries(book) if b.basis == basis
    }
    assert found == {("a", 2, 3, worst, middle, True), ("a", 2, 3, worst, best, False), ("b", 4, 5, middle, best, True)}
    assert result.start() == (4, 1)


def test_a_theory_slice_equal_to_an_earlier_one_says_so(book: Rulebook) -> None:
    axes = [Axis("a", "indicator", (0, 1, 2), 1), Axis("theory", "theory", tuple(book.theories))]
    result = _grid(book, axes, lambda at: book.best_verdict() if at[0] else book.worst_verdict())
    slices = regions(result, next(iter(book.bases)))
    assert [s.same_as for s in slices] == [None] + [0] * (len(book.theories) - 1)


def test_sweep_boundaries_match_flips_on_the_baseline(book: Rulebook) -> None:
    """Along each swept indicator through the start, every boundary lies at a value or threshold that flips
    names for that indicator, and every flip flips the sweep's cell at its value the same way."""
    scenario = read_scenario(BASELINE, book)
    options = Options(lang="en")
    tips = flips(scenario, book, options)
    everything = [f for found in (*tips.elements.values(), *tips.verdicts.values()) for f in found]
    for name in ("attacks_from_syria_per_week", "crossings_syria_to_iraq_per_week"):
        named = [
            f for f in everything if len(f.changes) == 1 and (f.changes[0].kind, f.changes[0].target) == ("set", name)
        ]
        assert named, name
        (axis,) = with_starts(scenario, book, options, [parse_axis(book, f"{name}=0..10")])
        line = sweep(scenario, book, options, [axis], jobs=0)
        assert line.boundaries(book) and all(b.through_start for b in line.boundaries(book))
        for b in line.boundaries(book):
            marks = [f.changes[0].value for f in named] + [f.changes[0].threshold for f in named]
            assert any(m is not None and b.low <= m <= b.high for m in marks), b
        points = Axis(
            name, "indicator", tuple(sorted({*axis.values, *(f.changes[0].value for f in named)})), axis.start
        )
        fine = sweep(scenario, book, options, [points], jobs=0)
        for flip in named:
            cell = next(c for c in fine.cells if c.at == (flip.changes[0].value,))
            assert cell.outcome is not None and cell.outcome.value(flip.target) == flip.after, flip.changes[
                0
            ].describe()


@given(scenarios(), st.sampled_from(NUMERIC))
def test_a_single_indicator_changes_verdicts_only_at_parameter_values(data: dict[str, Any], name: str) -> None:
    """Sweeping one numeric indicator, the verdict changes only between values that enclose a value of a
    numeric parameter (a threshold `rules list --params` names, as the scenario sets it)."""
    scenario = scenario_from(data, BOOK)
    options = Options(lang="en")
    values = (0, 0.5, *range(1, 13)) if BOOK.indicators[name].type == "number" else tuple(range(13))
    result = sweep(scenario, BOOK, options, [Axis(name, "indicator", values)], jobs=0)
    assert not result.problems()
    params = settings(scenario, BOOK, options).params
    thresholds = [float(params[p]) for p, d in BOOK.parameters.items() if d.type == "number"]
    for boundary in result.boundaries(BOOK):
        assert any(boundary.low <= t <= boundary.high for t in thresholds), boundary


def _suicidal(item: int) -> int:
    if item == 3:
        faulthandler.disable()  # pytest's fault handler would print the child's stack
        os.kill(os.getpid(), signal.SIGSEGV)
    if item == 5:
        raise ValueError("bad cell")
    return item * 2


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_cell_that_crashes_its_worker_is_reported_and_no_cell_is_lost(jobs: int) -> None:
    done = run_cells(_suicidal, list(range(9)), jobs)
    assert [d.value for d in done] == [0, 2, 4, None, 8, None, 12, 14, 16]
    assert done[3].crashed and "SIGSEGV" in str(done[3].problem)
    assert done[5].problem and "bad cell" in done[5].problem


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["--rules", str(RULES), *args], catch_exceptions=False)


def test_sweep_json_has_the_full_grid_and_html_draws_it(tmp_path: Path) -> None:
    args = ["sweep", str(BASELINE), "--vary", "attacks_from_syria_per_week=0..4", "--vary", "theory", "--jobs", "2"]
    data = json.loads(run(*args, "--format", "json").output)
    assert data["evaluations"] == 5 * len(BOOK.theories) == len(data["cells"])
    assert all(set(c["verdicts"]) == set(BOOK.bases) for c in data["cells"])
    page = tmp_path / "sweep.html"
    result = run(*args, "--format", "html", "-o", str(page), "--lang", "en")
    assert result.exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "attacks_from_syria_per_week" in html
    seen = {v for c in data["cells"] for v in c["verdicts"].values()}
    assert all(f'fill="{BOOK.verdicts[v].colour}"' in html for v in seen)
    text = run(*args, "--lang", "en").output
    assert "Boundaries" in text and "between 2 and 3" in text


@pytest.mark.parametrize(
    "vary", [["theory"], ["nonsense=0..3"], ["attacks_from_syria_per_week=5..1"], ["regime_stops_attacks=0..1"]]
)
def test_sweep_misuse_exits_2(vary: list[str]) -> None:
    args = [a for v in vary for a in ("--vary", v)]
    result = CliRunner().invoke(main, ["--rules", str(RULES), "sweep", str(BASELINE), *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_parse_axis_reads_ranges_and_steps(book: Rulebook) -> None:
    assert parse_axis(book, "attacks_from_syria_per_week=0..2:0.5").values == (0, 0.5, 1, 1.5, 2)
    with pytest.raises(UsageError):
        parse_axis(book, "attacks_from_syria_per_week=0-3")
