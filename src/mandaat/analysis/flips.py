"""Tipping points (`mandaat flips`): the smallest changes that move each element and each verdict.

Candidates are values at and just past every threshold the rules compare an indicator with, other
enum and boolean values, missing evidence, the proportionality judgment, the other theory, and each
relied-upon observation going stale or falling below the evidence policy. Every flip reported is
evaluated again through the full pipeline to prove it. The evaluations are independent, so they are
spread over worker processes (one per core by default); the answer does not depend on how many.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..model.report import Report
from ..model.rulebook import Rulebook
from ..model.scenario import Scenario, clean_number
from ..pipeline import Options, evaluate_scenario, settings
from ..read.parameters import RELIABILITY
from ..read.templates import thresholds_of
from .changes import Change, apply
from .outcome import Outcome, current_values, judged_now, outcome_of, quick_outcome
from .spread import spread
from .workers import default_jobs


@dataclass
class Flip:
    """A change (of one or two steps) that moves an element's status or a basis's verdict."""

    target: str  # element (E1...) or basis (syria, iraq)
    before: str
    after: str
    changes: list[Change]
    verified: bool = False

    @property
    def distance(self) -> float:
        """Sum of the changes' distances (for ranking)."""
        return sum(c.distance() for c in self.changes)

    better: bool = False  # set by the search from the rulebook's order of statuses and verdicts

    def direction(self) -> str:
        """`worse` or `better` for the basis."""
        return "better" if self.better else "worse"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "target": self.target,
            "before": self.before,
            "after": self.after,
            "direction": self.direction(),
            "changes": [c.as_dict() for c in self.changes],
            "distance": round(self.distance, 4),
            "verified": self.verified,
        }


@dataclass
class Flips:
    """The tipping points of one scenario."""

    scenario: str
    assessed_on: str
    outcome: Outcome
    elements: dict[str, list[Flip]]
    verdicts: dict[str, list[Flip]]
    combinations: list[Flip]
    evaluations: int
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "scenario": self.scenario,
            "assessed_on": self.assessed_on,
            "statuses": self.outcome.statuses,
            "verdicts": self.outcome.verdicts,
            "elements": {k: [f.as_dict() for f in v] for k, v in self.elements.items()},
            "verdict_flips": {k: [f.as_dict() for f in v] for k, v in self.verdicts.items()},
            "combinations": [f.as_dict() for f in self.combinations],
            "evaluations": self.evaluations,
        }


def candidate_changes(scenario: Scenario, book: Rulebook, report: Report, options: Options = Options()) -> list[Change]:
    """Every single change worth trying: values at and around each threshold, other enum and boolean
    values, missing evidence, judgments, the other theory, and each relied-upon observation going stale
    or falling below the evidence policy. Where several readings of an indicator are relied upon (they may
    be contested), one reading of today's value resolves them: that is the nearest change of all."""
    current = current_values(scenario, report)
    by_id = {o.id: o.indicator for o in scenario.observations}
    readings: dict[str, int] = {}
    for item in report.evidence.relied_upon:
        readings[by_id[item.observation]] = readings.get(by_id[item.observation], 0) + 1
    thresholds = thresholds_of(book)
    params = settings(scenario, book, options).params
    changes: list[Change] = []
    for name, ind in book.indicators.items():
        now = current.get(name)
        if ind.type == "boolean":
            values: list[Any] = [v for v in (True, False) if v != now]
        elif ind.type == "enum":
            values = [v for v in (ind.values or {}) if v != now]
        else:
            step = 0.0001 if ind.type == "number" else 1
            points: dict[float, tuple[float | None, str | None]] = {0.0: (None, None)}
            for param in sorted(thresholds.get(name, set())):
                value = float(params[param])
                points[round(value - step, 4)] = (value, "below")
                points[value] = (value, "at")
                points[round(value + step, 4)] = (value, "above")
            low = ind.minimum if ind.minimum is not None else 0
            for point in sorted(points):
                if point >= low and point != now and (ind.type == "number" or float(point).is_integer()):
                    threshold, relation = points[point]
                    changes.append(Change("set", name, clean_number(point), now, threshold, relation))
            values = []
        changes += [Change("set", name, v, now) for v in values]
        if now is not None and readings.get(name, 0) > 1:
            changes.append(Change("set", name, now, now))
        if now is not None:
            changes.append(Change("absent", name, None, now))
            disputed = values if values else ([0] if now != 0 else [])
            changes += [Change("dispute", name, v, now) for v in disputed]
    for term in book.judgment_terms():  # a judgment either way, or none, against the one that counts now
        now_judged = judged_now(report, term)
        for judged in (True, False, None):
            if judged != now_judged:
                changes.append(Change("judgment", term, judged, now_judged))
    for theory in book.theories:
        if theory != report.scenario.theory:
            changes.append(Change("theory", "theory", theory, report.scenario.theory))
    fact_policy = book.policy.kinds["fact"]
    reliability = str(params[fact_policy.min_reliability]) if fact_policy.min_reliability else RELIABILITY[-1]
    below = RELIABILITY[min(RELIABILITY.index(reliability) + 1, len(RELIABILITY) - 1)]
    for item in report.evidence.relied_upon:
        changes.append(Change("stale", item.observation))
        changes.append(Change("unconfirmed", item.observation, below + item.grade[1], item.grade))
    return changes


def _rank(book: Rulebook, target: str, value: str) -> int:
    return book.verdict_rank(value) if target in book.bases else book.status_rank(value)


def _flip(book: Rulebook, target: str, before: str, after: str, changes: list[Change]) -> Flip:
    return Flip(target, before, after, changes, better=_rank(book, target, after) > _rank(book, target, before))


def _best(book: Rulebook, target: str, now: str, results: list[tuple[Change, str]]) -> list[Flip]:
    """For each other value the target can take, the nearest single change that gives it."""
    chosen: dict[str, Flip] = {}
    for change, after in results:
        if after == now:
            continue
        flip = _flip(book, target, now, after, [change])
        known = chosen.get(after)
        if known is None or (flip.distance, change.describe()) < (known.distance, known.changes[0].describe()):
            chosen[after] = flip
    return sorted(chosen.values(), key=lambda f: (f.distance, f.after))


@dataclass
class _Search:
    """The state of one tipping-point search."""

    scenario: Scenario
    book: Rulebook
    options: Options
    base: Outcome
    evaluations: int = 0

    jobs: int = 1
    seconds_each: float = 1.0  # what one evaluation costs, about (the base scenario's)

    def outcome(self, changes: list[Change]) -> Outcome:
        changed, options = apply(self.scenario, self.book, changes, self.options)
        return quick_outcome(changed, self.book, options)

    def outcomes(self, tried: list[list[Change]], progress: Callable[[int, int], None] | None = None) -> list[Outcome]:
        """The outcome of each list of changes, evaluated in the search's worker processes."""
        self.evaluations += len(tried)
        return spread(self.outcome, tried, self.jobs, progress, self.seconds_each)


def _combinations(search: _Search, outcomes: list[tuple[Change, Outcome]]) -> list[Flip]:
    """For each basis, the smallest combinations of up to two changes that take a holding basis to the
    worst verdict, or any other basis to the best."""
    book, base = search.book, search.base
    best, worst = book.best_verdict(), book.worst_verdict()
    found: list[Flip] = []
    for basis in book.bases:
        goal = worst if base.verdicts[basis] == best else best
        singles = [
            _flip(book, basis, base.verdicts[basis], goal, [c]) for c, o in outcomes if o.verdicts[basis] == goal
        ]
        if singles:
            found += sorted(singles, key=lambda f: f.distance)[:3]
            continue
        if goal == best:
            helpful = [
                c
                for c, o in outcomes
                if any(book.status_rank(o.statuses[k]) > book.status_rank(base.statuses[k]) for k in base.statuses)
            ]
        else:
            helpful = [
                c
                for c, o in outcomes
                if o.verdicts[basis] != base.verdicts[basis]
                or any(o.statuses[k] != base.statuses[k] for k in base.statuses)
            ]
        pairs: list[Flip] = []
        tried = [
            [first, second]
            for first, second in itertools.combinations(helpful, 2)
            if (first.kind, first.target) != (second.kind, second.target)
        ]
        while tried and len(pairs) < 5 and search.evaluations < 1500:  # in batches; stop as one by one would
            batch = tried[: min(max(4 * search.jobs, 1), 1500 - search.evaluations)]
            outcomes_of_batch = spread(search.outcome, batch, search.jobs, seconds_each=search.seconds_each)
            for changes, outcome in zip(batch, outcomes_of_batch):
                if len(pairs) >= 5 or search.evaluations >= 1500:
                    break
                search.evaluations += 1
                if outcome.verdicts[basis] == goal:
                    pairs.append(_flip(book, basis, base.verdicts[basis], goal, changes))
            tried = tried[len(batch) :]
        found += sorted(pairs, key=lambda f: f.distance)[:3]
    return found


def _verify(search: _Search, found: list[Flip]) -> None:
    """Evaluate every flip again, through the full pipeline, to prove that it flips."""

    def proven(flip: Flip) -> bool:
        changed, options = apply(search.scenario, search.book, flip.changes, search.options)
        return outcome_of(evaluate_scenario(changed, search.book, options)).value(flip.target) == flip.after

    for flip, verified in zip(found, spread(proven, found, search.jobs, seconds_each=search.seconds_each)):
        flip.verified = verified
    search.evaluations += len(found)


def flips(
    scenario: Scenario,
    book: Rulebook,
    options: Options = Options(),
    progress: Callable[[int, int], None] | None = None,
    jobs: int | None = None,
) -> Flips:
    """The tipping points of a scenario: for each element and basis the smallest single change that moves
    it, each way, and the smallest combinations of up to two changes that take a holding basis to lapsed
    or a non-holding basis to holds. Every flip reported is evaluated again to prove it."""
    started = time.perf_counter()
    base_report = evaluate_scenario(scenario, book, options)
    search = _Search(scenario, book, options, outcome_of(base_report), jobs=default_jobs() if jobs is None else jobs)
    search.seconds_each = time.perf_counter() - started
    candidates = candidate_changes(scenario, book, base_report, options)
    outcomes = list(zip(candidates, search.outcomes([[change] for change in candidates], progress)))
    base = search.base
    elements = {
        name: _best(book, name, base.statuses[name], [(c, o.statuses[name]) for c, o in outcomes])
        for name in book.elements
        if name in base.statuses
    }
    verdicts = {
        basis: _best(book, basis, base.verdicts[basis], [(c, o.verdicts[basis]) for c, o in outcomes])
        for basis in book.bases
    }
    combinations = _combinations(search, outcomes)
    _verify(search, [f for fl in (*elements.values(), *verdicts.values()) for f in fl] + combinations)
    combinations.sort(key=lambda f: (len(f.changes), f.distance))
    return Flips(
        scenario.id,
        base_report.scenario.assessed_on,
        base,
        elements,
        verdicts,
        combinations,
        search.evaluations,
        time.perf_counter() - started,
    )
