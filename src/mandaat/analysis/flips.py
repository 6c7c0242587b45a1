"""Tipping points (`mandaat flips`): the smallest changes that move each element and each verdict.

Candidates are values at and just past every threshold the rules compare an indicator with, other
enum and boolean values, missing evidence, the proportionality judgment, the other theory, and each
relied-upon observation going stale or falling below the evidence policy. Every flip reported is
evaluated again through the full pipeline to prove it.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .whatif import STATUS_RANK, SYRIA_ELEMENTS, VERDICT_RANK, Change, Outcome, apply, current_values, quick_outcome
from ..run.facts import clean_number, settings_for
from ..pipeline import Options, evaluate_scenario
from ..model.report import Report
from ..model.rulebook import Rulebook, constants, parameter_names
from ..model.scenario import Scenario


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

    def direction(self) -> str:
        """`worse` or `better` for the mandate."""
        ranks = VERDICT_RANK if self.target in ("syria", "iraq") else STATUS_RANK
        return "worse" if ranks[self.after] < ranks[self.before] else "better"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"target": self.target, "before": self.before, "after": self.after, "direction": self.direction(),
                "changes": [c.as_dict() for c in self.changes], "distance": round(self.distance, 4),
                "verified": self.verified}


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
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "scenario": self.scenario, "assessed_on": self.assessed_on,
            "statuses": self.outcome.statuses, "verdicts": self.outcome.verdicts,
            "elements": {k: [f.as_dict() for f in v] for k, v in self.elements.items()},
            "verdict_flips": {k: [f.as_dict() for f in v] for k, v in self.verdicts.items()},
            "combinations": [f.as_dict() for f in self.combinations],
            "evaluations": self.evaluations,
        }


def _indicator_params(book: Rulebook) -> dict[str, set[str]]:
    """For each indicator, the numeric parameters that rules compare it with."""
    found: dict[str, set[str]] = {}
    for rule in book.rules:
        params = {p for p in parameter_names(rule) if book.parameters[p].type == "number"}
        for _alias, expr in rule.patterns():
            for name in constants(expr, "indicator"):
                found.setdefault(name, set()).update(params)
    return found


def candidate_changes(scenario: Scenario, book: Rulebook, report: Report) -> list[Change]:
    """Every single change worth trying: values at and around each threshold, other enum and boolean
    values, missing evidence, judgments, the other theory, and each relied-upon observation going stale
    or falling below the evidence policy."""
    current = current_values(scenario, report)
    thresholds = _indicator_params(book)
    settings = settings_for(scenario, book)
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
                value = float(settings.params[param])
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
        if now is not None:
            changes.append(Change("absent", name, None, now))
    prop = report.conditions.get("PROP")
    now_prop = {"met": True, "not_met": False}.get(prop.status) if prop else None
    for value in (True, False, None):
        if value != now_prop:
            changes.append(Change("judgment", "proportionality", value, now_prop))
    for theory in book.theories:
        if theory != report.scenario.theory:
            changes.append(Change("theory", "theory", theory, report.scenario.theory))
    reliability = str(settings.params["evidence_min_reliability"])
    below = "ABCDEF"[min("ABCDEF".index(reliability) + 1, 5)]
    for item in report.evidence.relied_upon:
        changes.append(Change("stale", item.observation))
        changes.append(Change("unconfirmed", item.observation, below + item.grade[1], item.grade))
    return changes


def flips(scenario: Scenario, book: Rulebook, options: Options = Options(),
          progress: Callable[[int, int], None] | None = None) -> Flips:
    """The tipping points of a scenario: for each element and basis the smallest single change that moves
    it, each way, and the smallest combinations of up to two changes that take a holding basis to lapsed
    or a non-holding basis to holds. Every flip reported is evaluated again to prove it."""
    started = time.perf_counter()
    base_report = evaluate_scenario(scenario, book, options)
    base = Outcome({n: e.status for n, e in {**base_report.elements, **base_report.conditions}.items()},
                   {"syria": base_report.verdict.syria, "iraq": base_report.verdict.iraq})
    candidates = candidate_changes(scenario, book, base_report)
    outcomes: list[tuple[Change, Outcome]] = []
    for index, change in enumerate(candidates):
        changed, theory, params = apply(scenario, book, [change])
        outcomes.append((change, quick_outcome(changed, book, theory or options.theory, {**options.params, **params})))
        if progress:
            progress(index + 1, len(candidates))
    evaluations = len(candidates)

    def best(target: str, values: dict[str, str], results: list[tuple[Change, Outcome]],
             pick: Callable[[Outcome], str]) -> list[Flip]:
        chosen: dict[str, Flip] = {}
        for change, outcome in results:
            after = pick(outcome)
            if after == values[target]:
                continue
            flip = Flip(target, values[target], after, [change])
            known = chosen.get(after)
            if known is None or (flip.distance, change.describe()) < (known.distance, known.changes[0].describe()):
                chosen[after] = flip
        return sorted(chosen.values(), key=lambda f: (f.distance, f.after))

    elements = {name: best(name, base.statuses, outcomes, lambda o, n=name: o.statuses[n])
                for name in (*SYRIA_ELEMENTS, "IRQ", "PROP", "REP", "UNSC")}
    verdicts = {basis: best(basis, base.verdicts, outcomes, lambda o, b=basis: o.verdicts[b])
                for basis in ("syria", "iraq")}

    combinations: list[Flip] = []
    for basis in ("syria", "iraq"):
        goal = "lapsed" if base.verdicts[basis] == "holds" else "holds"
        singles = [Flip(basis, base.verdicts[basis], goal, [c]) for c, o in outcomes if o.verdicts[basis] == goal]
        if singles:
            combinations += sorted(singles, key=lambda f: f.distance)[:3]
            continue
        helpful = [c for c, o in outcomes if VERDICT_RANK[o.verdicts[basis]] != VERDICT_RANK[base.verdicts[basis]]
                   or any(o.statuses[k] != base.statuses[k] for k in base.statuses)]
        if goal == "holds":
            helpful = [c for c, o in outcomes
                       if any(STATUS_RANK[o.statuses[k]] > STATUS_RANK[base.statuses[k]] for k in base.statuses)]
        pairs: list[Flip] = []
        for first, second in itertools.combinations(helpful, 2):
            if (first.kind, first.target) == (second.kind, second.target):
                continue
            if len(pairs) >= 5 or evaluations >= 1500:
                break
            changed, theory, params = apply(scenario, book, [first, second])
            outcome = quick_outcome(changed, book, theory or options.theory, {**options.params, **params})
            evaluations += 1
            if outcome.verdicts[basis] == goal:
                pairs.append(Flip(basis, base.verdicts[basis], goal, [first, second]))
        combinations += sorted(pairs, key=lambda f: f.distance)[:3]

    for flip in [f for fl in (*elements.values(), *verdicts.values()) for f in fl] + combinations:
        changed, theory, params = apply(scenario, book, flip.changes)
        report = evaluate_scenario(changed, book, Options(lang=options.lang, theory=theory or options.theory,
                                                          params={**options.params, **params}))
        evaluations += 1
        statuses = {n: e.status for n, e in {**report.elements, **report.conditions}.items()}
        now = statuses.get(flip.target) or getattr(report.verdict, flip.target)
        flip.verified = now == flip.after
    combinations.sort(key=lambda f: (len(f.changes), f.distance))
    return Flips(scenario.id, base_report.scenario.assessed_on, base, elements, verdicts, combinations,
                 evaluations, time.perf_counter() - started)
