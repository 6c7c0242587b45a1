"""Witness scenarios for `rules check`: for an element, the smallest combinations of facts (indicator
values around each threshold, the theory, the advisers' judgments) and the status each gives,
found with the reference evaluator so that the audit never needs the engine."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from ..model.errors import yaml_scalar
from ..model.rulebook import Rulebook
from ..model.scenario import Scenario
from ..read.templates import reads_of, thresholds_of
from ..run import reference
from ..run.facts import build_facts, settings_for

CHECK_DATE = date(2018, 4, 13)


def facts_text(combo: dict[str, Any]) -> str:
    """A combination of facts as one line: name=value, ..."""
    parts = [f"theory={combo['theory']}"] if "theory" in combo else []
    for name, value in combo.get("observations", {}).items():
        parts.append(f"{name}={yaml_scalar(value)}")
    for term, held in combo.get("judgments", {}).items():
        parts.append(f"{term} judgment={yaml_scalar(held)}")
    return ", ".join(parts) if parts else "(no observations)"


def _number_points(book: Rulebook, indicator: str, params: set[str]) -> list[int | float]:
    ind = book.indicators[indicator]
    low = ind.minimum if ind.minimum is not None else 0
    high = ind.maximum if ind.maximum is not None else 1_000_000
    points: set[float] = {float(low), 0.0}
    for name in params:
        value = book.parameters[name].value_on(CHECK_DATE)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        for delta in (-1, -0.0001, 0, 0.0001, 1):
            points.add(round(value + delta, 4))
    if len(points) <= 2:
        points |= {1.0, 10.0}
    out: list[int | float] = []
    for point in sorted(points):
        if not low <= point <= high:
            continue
        if ind.type == "integer" and not float(point).is_integer():
            continue
        out.append(int(point) if float(point).is_integer() else point)
    return out


def dimensions(book: Rulebook, element: str) -> list[tuple[str, list[Any]]]:
    """What to vary to find an element's statuses: its test's theories, the judgments it reads, and each
    indicator it reads, at and around the parameters its thresholds compare it with."""
    reads = reads_of(book)[element]
    dims: list[tuple[str, list[Any]]] = []
    if book.elements[element].test.by_theory is not None:
        dims.append(("theory", sorted(book.theories)))
    dims += [(f"judgment:{term}", [None, True, False, [True, False]]) for term in reads if term in book.terms]
    for name in reads:
        if name not in book.indicators:
            continue
        ind = book.indicators[name]
        if ind.type == "boolean":
            values: list[Any] = [True, False]
        elif ind.type == "enum":
            values = list(ind.values or {})
        else:
            values = _number_points(book, name, thresholds_of(book).get(name, set()))
        # two readings of one date and grade that differ: a contested indicator
        pairs = [[a, b] for i, a in enumerate(values) for b in values[i + 1 :]]
        dims.append((f"obs:{name}", [None, *values, *pairs]))
    return dims


def witness_scenario(book: Rulebook, combo: dict[str, Any]) -> Scenario:
    observations = [
        {
            "id": f"w{i}{chr(97 + j)}",
            "indicator": name,
            "value": value,
            "date": CHECK_DATE.isoformat(),
            "source": "witness",
            "grade": "A1",
        }
        for i, (name, values) in enumerate(combo.get("observations", {}).items())
        for j, value in enumerate(values if isinstance(values, list) else [values])
    ]
    judgments = [
        {"term": term, "holds": h, "by": "witness", "date": CHECK_DATE.isoformat(), "rationale": "witness"}
        for term, held in combo.get("judgments", {}).items()
        for h in (held if isinstance(held, list) else [] if held is None else [held])
    ]
    data = {
        "mandaat": 1,
        "id": "witness",
        "title": "witness",
        "assessed_on": CHECK_DATE.isoformat(),
        "theory": combo.get("theory", book.theory_on(CHECK_DATE)),
        "observations": observations,
        "judgments": judgments,
    }
    return Scenario.model_validate(data, context={"rulebook": book})


def element_statuses(book: Rulebook, element: str, combo: dict[str, Any]) -> dict[str, list[str]]:
    """status -> ids of the rules that established it, for one combination."""
    scenario = witness_scenario(book, combo)
    facts = build_facts(scenario, book, settings_for(scenario, book))
    found: dict[str, list[str]] = {}
    for firing in reference.evaluate(book, facts):
        rule = book.rule(firing.rule)
        if rule.sets_status and rule.element_of(firing.matched) == element:
            found.setdefault(str(rule.establishes), []).append(rule.id)
    return found


def combos(dims: list[tuple[str, list[Any]]]) -> list[dict[str, Any]]:
    combos = []
    for values in itertools.product(*(v for _, v in dims)):
        combo: dict[str, Any] = {"observations": {}}
        for (name, _), value in zip(dims, values):
            if name.startswith("obs:"):
                if value is not None:
                    combo["observations"][name[4:]] = value
            elif name.startswith("judgment:"):
                combo.setdefault("judgments", {})[name[9:]] = value
            else:
                combo[name] = value
        combos.append(combo)
    combos.sort(key=lambda c: len(c["observations"]) + sum(v is not None for v in c.get("judgments", {}).values()))
    return combos
