"""Turn a validated scenario into the facts the engine sees, type-normalised and in canonical order.

durable-rules compares a text with a number as text and cannot parse exponent floats, so every fact
property has one type: counts in ``num`` (int, or a float with at most 4 decimals), booleans in
``flag``, enum values in ``level``. Dates become whole days before the assessment (``age_days``);
Admiralty grades become ranks. Nothing here decides what the facts mean: that is the rulebook's work.

To let the rules choose among readings in time linear in their number (no pairwise joins), this module
adds plain aggregates of the data: for each observation the rank of its date among the dates of its
indicator (``rank``, 0 = newest), whether another reading of the same indicator and date has a grade
that dominates its own (``dominated``, ``dominated_by``: letter and digit both at least as good, one
better), a uniform ``value_key``, its place among the readings of the same indicator, date and value
in id order (``twin``, ``twin_next``) and among those of the same indicator and date (``place``,
``place_next``; ``alone`` when it is the only one, ``single`` when it is the only observation of its
indicator), and one ``day`` fact per date of an indicator observed more than once (``jday`` per
judgment term and date) so the rules can walk from the newest date to older ones, and from one twin
reading to the next. Which readings count, and
what a difference between them means, is decided by the rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..model.errors import Said, UsageError, about, one_of, said
from ..model.rulebook import Rulebook
from ..model.scenario import Observation, Scenario, clean_number
from ..read.parameters import RELIABILITY, parameter_value_problem
from ..read.scenario import threshold_order_problems


@dataclass(frozen=True)
class Settings:
    """What an evaluation runs with: the assessment date, the theory and every parameter's value."""

    assessed_on: date
    theory: str
    params: dict[str, Any]
    overridden: dict[str, str] = field(default_factory=dict)  # name -> "scenario" | "command line"


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
    problems: list[Said] = []
    for name, value in (params or {}).items():
        if name not in book.parameters:
            problems.append(about("--param", said("unknown_parameter", name=repr(name))))
            continue
        message = parameter_value_problem(book.parameters[name].type, value)
        if message:
            problems.append(about(f"--param {name}", message))
            continue
        values[name] = value
        overridden[name] = origin
    if not problems:
        problems += [about("--param", m) for _, m in threshold_order_problems(book, values)]
    if theory is not None and theory not in book.theories:
        problems.append(about("--theory", said("unknown_theory", name=repr(theory)), one_of(book.theories)))
    if problems:
        raise UsageError(*problems)
    chosen = theory or scenario.theory or book.default_theory
    return Settings(assessed_on=as_of or scenario.assessed_on, theory=chosen, params=values, overridden=overridden)


def _param_fact(book: Rulebook, name: str, value: Any) -> dict[str, Any]:
    kind = book.parameters[name].type
    if kind == "grade":
        reliability, credibility = RELIABILITY.index(value[0]) + 1, int(value[1])
        return {"t": "param", "name": name, "value": reliability, "credibility": credibility, "shown": value}
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
    fact: dict[str, Any] = {
        "t": "obs",
        "ref": obs.id,
        "indicator": obs.indicator,
        "element": ind.element,
        "kind": ind.evidence,
    }
    if ind.type == "boolean":
        fact["flag"] = obs.value
    elif ind.type == "enum":
        fact["level"] = obs.value
    else:
        fact["num"] = clean_number(obs.value)
    fact["value_key"] = obs.value_key
    reliability = RELIABILITY.index(obs.grade[0]) + 1
    credibility = int(obs.grade[1])
    fact.update(
        {
            "age_days": (assessed_on - obs.as_of).days,
            "reliability": reliability,
            "credibility": credibility,
            "favour": _favour(book, obs),
            "grade": obs.grade,
            "date": obs.as_of.isoformat(),
        }
    )
    return fact


def _grade(obs: Observation) -> tuple[int, int]:
    return RELIABILITY.index(obs.grade[0]), int(obs.grade[1])


def _dominates(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[0] and a[1] <= b[1] and a != b


def _ranks(dates: dict[str, list[date]]) -> dict[tuple[str, date], int]:
    """(key, date) -> the rank of that date among the key's dates, 0 for the newest."""
    out: dict[tuple[str, date], int] = {}
    for key, found in dates.items():
        for rank, day in enumerate(sorted(set(found), reverse=True)):
            out[(key, day)] = rank
    return out


def _day_facts(kind: str, key_name: str, ranks: dict[tuple[str, date], int], assessed_on: date) -> list[dict[str, Any]]:
    return [
        {
            "t": kind,
            "ref": f"{key}@{day.isoformat()}",
            key_name: key,
            "rank": rank,
            "next": rank + 1,
            "age_days": (assessed_on - day).days,
            "date": day.isoformat(),
        }
        for (key, day), rank in ranks.items()
    ]


def _dominance(observations: list[Observation]) -> dict[str, str]:
    """observation id -> id of a reading of the same indicator and date whose grade dominates its own
    (the first, in grade and id order, of the readings no other reading dominates)."""
    groups: dict[tuple[str, date], list[Observation]] = {}
    for obs in observations:
        groups.setdefault((obs.indicator, obs.as_of), []).append(obs)
    out: dict[str, str] = {}
    for group in groups.values():
        if len(group) == 1:  # nothing to dominate it
            continue
        grades = sorted({_grade(o) for o in group})
        frontier = [g for g in grades if not any(_dominates(h, g) for h in grades)]
        first: dict[tuple[int, int], str] = {}
        for obs in sorted(group, key=lambda o: o.id):
            first.setdefault(_grade(obs), obs.id)
        for obs in group:
            better = [g for g in frontier if _dominates(g, _grade(obs))]
            if better:
                out[obs.id] = first[better[0]]
    return out


def observation_facts(book: Rulebook, observations: list[Observation], assessed_on: date) -> list[dict[str, Any]]:
    """The engine facts for the observations, with their date ranks and dominance, and the day facts."""
    dates: dict[str, list[date]] = {}
    for obs in observations:
        dates.setdefault(obs.indicator, []).append(obs.as_of)
    ranks = _ranks(dates)
    dominated = _dominance(observations)
    facts = []
    for obs in observations:
        fact = observation_fact(book, obs, assessed_on)
        fact["rank"] = ranks[(obs.indicator, obs.as_of)]
        fact["dominated"] = obs.id in dominated
        if obs.id in dominated:
            fact["dominated_by"] = dominated[obs.id]
        fact["single"] = len(dates[obs.indicator]) == 1
        facts.append(fact)
    # The walks' keys only where a walk can reach (a pattern on a key a fact lacks does not match it): the
    # only observation of an indicator needs none, and a reading alone on its date no twin.
    days: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for fact in facts:
        if not fact["single"]:
            days.setdefault((fact["indicator"], fact["rank"]), []).append(fact)
    for day in days.values():
        _number(day, "place")
        twins: dict[str, list[dict[str, Any]]] = {}
        for fact in day:
            fact["alone"] = len(day) == 1
            twins.setdefault(fact["value_key"], []).append(fact)
        for twin in twins.values() if len(day) > 1 else ():
            _number(twin, "twin")
    walked = {key: rank for key, rank in ranks.items() if len(dates[key[0]]) > 1}  # no day facts for a single
    return facts + _day_facts("day", "indicator", walked, assessed_on)


def _number(group: list[dict[str, Any]], key: str) -> None:
    """Number the facts of ``group`` in id order: ``key`` and ``key_next``."""
    for place, fact in enumerate(sorted(group, key=lambda f: f["ref"])):
        fact[key], fact[f"{key}_next"] = place, place + 1


def judgment_ref(index: int) -> str:
    """The reference a judgment carries in reports: its position in the file, 1-based."""
    return f"judgment-{index + 1}"


def build_facts(scenario: Scenario, book: Rulebook, settings: Settings) -> list[dict[str, Any]]:
    """All base facts of one evaluation, sorted canonically (by type, then by their JSON text)."""
    facts: list[dict[str, Any]] = [_param_fact(book, n, v) for n, v in settings.params.items()]
    facts.append({"t": "theory", "name": settings.theory})
    facts += observation_facts(book, list(scenario.observations), settings.assessed_on)
    jdates: dict[str, list[date]] = {}
    for judgment in scenario.judgments:
        jdates.setdefault(judgment.term, []).append(judgment.dated)
    jranks = _ranks(jdates)
    facts += _day_facts("jday", "term", jranks, settings.assessed_on)
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
                "rank": jranks[(judgment.term, judgment.dated)],
                "by": judgment.by,
                "rationale": judgment.rationale,
            }
        )
    return canonical(facts)


def canonical(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``facts`` by type, then by reference (or name): the order does not depend on the file's. Facts that
    share both (none should) fall back to their whole JSON text."""
    keys = [(f["t"], str(f.get("ref", f.get("name", "")))) for f in facts]
    if len(set(keys)) < len(keys):
        return sorted(facts, key=lambda f: (f["t"], json.dumps(f, sort_keys=True, ensure_ascii=False)))
    order = sorted(range(len(facts)), key=keys.__getitem__)
    return [facts[i] for i in order]
