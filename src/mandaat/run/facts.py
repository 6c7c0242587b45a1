"""Turn a validated scenario into the facts the engine sees, type-normalised and in canonical order.

durable-rules compares a text with a number as text and cannot parse exponent floats, so every fact
property has one type: counts in ``num`` (int, or a float with at most 4 decimals), booleans in
``flag``, enum values in ``level``. Dates become whole days before the assessment (``age_days``);
Admiralty grades become ranks. Nothing here decides what the facts mean: that is the rulebook's work.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..model.errors import UsageError
from ..model.rulebook import Rulebook
from ..model.scenario import Observation, Scenario
from ..read.parameters import RELIABILITY, parameter_value_problem
from ..read.scenario import threshold_order_problems


@dataclass(frozen=True)
class Settings:
    """What an evaluation runs with: the assessment date, the theory and every parameter's value."""

    assessed_on: date
    theory: str
    params: dict[str, Any]
    overridden: dict[str, str] = field(default_factory=dict)  # name -> "scenario" | "command line"


def clean_number(value: int | float) -> int | float:
    """An integral float as int; other floats rounded to 4 decimals (validation already bounded them)."""
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        return round(value, 4)
    return value


def settings_for(
    scenario: Scenario,
    book: Rulebook,
    *,
    theory: str | None = None,
    params: dict[str, Any] | None = None,
    as_of: date | None = None,
    origin: str = "command line",
) -> Settings:
    """The effective settings: rulebook defaults, then the scenario's, then the caller's overrides.

    The scenario's own values were checked when it was read; a bad override from the caller is
    misuse (:class:`UsageError`)."""
    values = {name: p.value for name, p in book.parameters.items()}
    overridden: dict[str, str] = {}
    for name, value in scenario.params.items():
        values[name] = value
        overridden[name] = "scenario"
    problems: list[str] = []
    for name, value in (params or {}).items():
        if name not in book.parameters:
            problems.append(f"--param {name}: unknown parameter")
            continue
        message = parameter_value_problem(book.parameters[name].type, value)
        if message:
            problems.append(f"--param {name}: {message}")
            continue
        values[name] = value
        overridden[name] = origin
    if not problems:
        problems += [f"--param: {m}" for _, m in threshold_order_problems(book, values)]
    if theory is not None and theory not in book.theories:
        problems.append(f"--theory: unknown theory {theory!r} (expected one of: {', '.join(book.theories)})")
    if problems:
        raise UsageError("; ".join(problems))
    chosen = theory or scenario.theory or book.default_theory
    return Settings(assessed_on=as_of or scenario.assessed_on, theory=chosen, params=values, overridden=overridden)


def _param_fact(book: Rulebook, name: str, value: Any) -> dict[str, Any]:
    kind = book.parameters[name].type
    if kind == "reliability":
        return {"t": "param", "name": name, "value": RELIABILITY.index(value) + 1, "shown": value}
    number = clean_number(value)
    return {"t": "param", "name": name, "value": number, "shown": str(number)}


def _favour(book: Rulebook, obs: Observation) -> int | float:
    ind = book.indicators[obs.indicator]
    if ind.type == "boolean":
        return 1 if obs.value == ind.favours_mandate else 0
    if ind.type == "enum":
        assert isinstance(ind.favours_mandate, list)
        return ind.favours_mandate.index(obs.value)
    number = clean_number(obs.value)
    return number if ind.favours_mandate == "higher" else -number


def observation_fact(book: Rulebook, obs: Observation, assessed_on: date) -> dict[str, Any]:
    """The engine fact for one observation."""
    ind = book.indicators[obs.indicator]
    fact: dict[str, Any] = {"t": "obs", "ref": obs.id, "indicator": obs.indicator}
    if ind.type == "boolean":
        fact["flag"] = obs.value
    elif ind.type == "enum":
        fact["level"] = obs.value
    else:
        fact["num"] = clean_number(obs.value)
    reliability = RELIABILITY.index(obs.grade[0]) + 1
    credibility = int(obs.grade[1])
    fact.update(
        {
            "age_days": (assessed_on - obs.as_of).days,
            "reliability": reliability,
            "credibility": credibility,
            "grade_rank": reliability * 10 + credibility,
            "favour": _favour(book, obs),
            "grade": obs.grade,
            "date": obs.as_of.isoformat(),
        }
    )
    return fact


def judgment_ref(index: int) -> str:
    """The reference a judgment carries in reports: its position in the file, 1-based."""
    return f"judgment-{index + 1}"


def build_facts(scenario: Scenario, book: Rulebook, settings: Settings) -> list[dict[str, Any]]:
    """All base facts of one evaluation, sorted canonically (by type, then by their JSON text)."""
    facts: list[dict[str, Any]] = [_param_fact(book, n, v) for n, v in settings.params.items()]
    facts.append({"t": "theory", "name": settings.theory})
    facts += [observation_fact(book, obs, settings.assessed_on) for obs in scenario.observations]
    for index, judgment in enumerate(scenario.judgments):
        facts.append(
            {
                "t": "judgment",
                "ref": judgment_ref(index),
                "term": judgment.term,
                "flag": judgment.holds,
                "favour": 1 if judgment.holds else 0,
                "age_days": (settings.assessed_on - judgment.dated).days,
                "date": judgment.dated.isoformat(),
                "by": judgment.by,
                "rationale": judgment.rationale,
            }
        )
    return sorted(facts, key=lambda f: (f["t"], json.dumps(f, sort_keys=True, ensure_ascii=False)))
