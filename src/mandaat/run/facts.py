"""Turn a validated scenario into the facts the engine sees, type-normalised and in canonical order.

durable-rules compares a text with a number as text and cannot parse exponent floats, so every fact
property has one type: counts in ``num`` (int, or a float with at most 4 decimals), booleans in ``flag``,
enum values in ``level``. Dates become whole days before the assessment (``age_days``) and day numbers
(``day``); Admiralty grades become ranks. An adviser's judgment is a reading too, of its term, of the kind
``judgment``.

Every reading belongs to a *series*: its indicator (or term) and the area it speaks of. So that the
compiled rules can choose among a series' readings in time linear in their number (no pairwise joins),
this module adds plain aggregates of the data, decided by nothing legal: the rank of a reading's date
among its series' dates (``rank``, 0 = newest), whether another reading of that date has a grade that
dominates its own (``dominated``, ``dominated_by``), a uniform ``value_key``, its place among the readings
of its date and value (``twin``, ``twin_next``; ``alone`` when it is the only reading of its date,
``single`` when it is the only reading of its series), and one ``day`` fact per date of a series with more
than one, so the rules can walk from the newest date to older ones. Which readings count, and what they
mean, is decided by the rules.
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

JUDGMENT_GRADE = (1, 1)  # judgments carry no Admiralty grade: all alike, none dominates another


@dataclass(frozen=True)
class Settings:
    """What an evaluation runs with: the assessment date, the date of the law applied, the theory and
    every parameter's value."""

    assessed_on: date
    theory: str
    params: dict[str, Any]
    overridden: dict[str, str] = field(default_factory=dict)  # name -> "scenario" | "command line"
    law_as_of: date | None = None  # None: the law as of the assessment date

    @property
    def law_date(self) -> date:
        """The date of the law applied."""
        return self.law_as_of or self.assessed_on


def settings_for(
    scenario: Scenario,
    book: Rulebook,
    *,
    theory: str | None = None,
    params: dict[str, Any] | None = None,
    as_of: date | None = None,
    law_as_of: date | None = None,
    origin: str = "command line",
) -> Settings:
    """The effective settings: the law in force on the law's date (the rulebook's dated values), then the
    scenario's own, then the caller's overrides.

    The scenario's own values were checked when it was read; a bad override from the caller is misuse
    (:class:`UsageError`)."""
    assessed = as_of or scenario.assessed_on
    law = law_as_of or getattr(scenario, "law_as_of", None)
    values = book.params_on(law or assessed)
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
    chosen = theory or scenario.theory or book.theory_on(law or assessed)
    return Settings(assessed_on=assessed, theory=chosen, params=values, overridden=overridden, law_as_of=law)


def _param_fact(book: Rulebook, name: str, value: Any) -> dict[str, Any]:
    kind = book.parameters[name].type
    if kind == "grade":
        reliability, credibility = RELIABILITY.index(value[0]) + 1, int(value[1])
        return {"t": "param", "name": name, "value": reliability, "credibility": credibility, "shown": value}
    if kind == "reliability":
        return {"t": "param", "name": name, "value": RELIABILITY.index(value) + 1, "shown": value}
    number = clean_number(value)
    return {"t": "param", "name": name, "value": number, "shown": str(number)}


@dataclass(frozen=True)
class Reading:
    """An observation or a judgment as the engine weighs it: of which series, when, how graded, what value."""

    ref: str
    indicator: str
    kind: str
    value: Any
    as_of: date
    grade: str
    area: str = ""
    extra: tuple[tuple[str, Any], ...] = ()
    start: date = date.min  # the first day the reading speaks of (its period's start)

    @property
    def series(self) -> str:
        return f"{self.indicator}|{self.area}"

    def grade_rank(self) -> tuple[int, int]:
        if not self.grade:
            return JUDGMENT_GRADE
        return RELIABILITY.index(self.grade[0]), int(self.grade[1])


def _value_key(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(clean_number(value))
    return str(value)


def _start(book: Rulebook, obs: Observation) -> date:
    """The first day a reading speaks of: its period's start, or, for a dated count of the days ending on
    its date (``per_days``), the first of those days."""
    if obs.period is not None:
        return obs.period.start
    days = book.vocab(obs.indicator).per_days or 1
    return date.fromordinal(obs.as_of.toordinal() - days + 1)


def judgment_ref(index: int) -> str:
    """The reference a judgment carries in reports: its position in the file, 1-based."""
    return f"judgment-{index + 1}"


def readings(scenario: Scenario, book: Rulebook) -> list[Reading]:
    """Every observation and judgment of ``scenario`` as a reading."""
    out = [
        Reading(
            ref=obs.id,
            indicator=obs.indicator,
            kind=book.kind_of(obs.indicator),
            value=obs.value,
            as_of=obs.as_of,
            grade=obs.grade,
            area=getattr(obs, "area", None) or "",
            start=_start(book, obs),
        )
        for obs in scenario.observations
    ]
    for index, judgment in enumerate(scenario.judgments):
        out.append(
            Reading(
                ref=judgment_ref(index),
                indicator=judgment.term,
                kind="judgment",
                value=judgment.holds,
                as_of=judgment.dated,
                grade="",
                start=judgment.dated,
                extra=(("by", judgment.by), ("rationale", judgment.rationale)),
            )
        )
    return out


def _dominates(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[0] and a[1] <= b[1] and a != b


def _dominance(group: list[Reading]) -> dict[str, str]:
    """ref -> ref of a reading of the same series and date whose grade dominates its own (the first, in
    grade and id order, of the readings no other reading dominates)."""
    if len(group) == 1:
        return {}
    grades = sorted({r.grade_rank() for r in group})
    frontier = [g for g in grades if not any(_dominates(h, g) for h in grades)]
    first: dict[tuple[int, int], str] = {}
    for reading in sorted(group, key=lambda r: r.ref):
        first.setdefault(reading.grade_rank(), reading.ref)
    out: dict[str, str] = {}
    for reading in group:
        better = [g for g in frontier if _dominates(g, reading.grade_rank())]
        if better:
            out[reading.ref] = first[better[0]]
    return out


def reading_fact(book: Rulebook, reading: Reading, assessed_on: date) -> dict[str, Any]:
    """The engine fact for one reading, without the aggregates of its series."""
    ind = book.vocab(reading.indicator)
    fact: dict[str, Any] = {
        "t": "obs",
        "ref": reading.ref,
        "view": reading.indicator,
        "series": reading.series,
        "indicator": reading.indicator,
        "kind": reading.kind,
        "primary": True,
        "area": reading.area,
    }
    if ind.type == "boolean":
        fact["flag"] = reading.value
    elif ind.type == "enum":
        fact["level"] = reading.value
    else:
        fact["num"] = clean_number(reading.value)
    reliability, credibility = reading.grade_rank()
    fact.update(
        {
            "value_key": _value_key(reading.value),
            "age_days": (assessed_on - reading.as_of).days,
            "day": reading.as_of.toordinal(),
            "day_next": reading.as_of.toordinal() + 1,
            "start": reading.start.toordinal(),
            "reliability": reliability + 1,
            "credibility": credibility,
            "grade": reading.grade,
            "date": reading.as_of.isoformat(),
        }
    )
    fact.update(dict(reading.extra))
    return fact


def reading_facts(book: Rulebook, found: list[Reading], assessed_on: date) -> list[dict[str, Any]]:
    """The engine facts for the readings, with their series' aggregates, and the day facts."""
    by_series: dict[str, list[Reading]] = {}
    for reading in found:
        by_series.setdefault(reading.series, []).append(reading)
    facts: list[dict[str, Any]] = []
    for series, group in by_series.items():
        dates = sorted({r.as_of for r in group}, reverse=True)
        rank = {day: i for i, day in enumerate(dates)}
        single = len(dates) == 1 and len(group) == 1
        by_date: dict[date, list[Reading]] = {}
        for reading in group:
            by_date.setdefault(reading.as_of, []).append(reading)
        for day, on_date in by_date.items():
            dominated = _dominance(on_date)
            twins: dict[str, int] = {}
            for place, reading in enumerate(sorted(on_date, key=lambda r: r.ref)):
                fact = reading_fact(book, reading, assessed_on)
                fact["rank"] = rank[day]
                fact["single"] = single
                fact["dominated"] = reading.ref in dominated
                if reading.ref in dominated:
                    fact["dominated_by"] = dominated[reading.ref]
                if not single:
                    fact["place"], fact["place_next"] = place, place + 1
                    fact["alone"] = len(on_date) == 1
                    place = twins.get(fact["value_key"], 0)
                    twins[fact["value_key"]] = place + 1
                    fact["twin"], fact["twin_next"] = place, place + 1
                facts.append(fact)
        if not single:
            for day in dates:
                facts.append(
                    {
                        "t": "day",
                        "ref": f"{series}@{day.isoformat()}",
                        "series": series,
                        "rank": rank[day],
                        "next": rank[day] + 1,
                        "age_days": (assessed_on - day).days,
                        "date": day.isoformat(),
                    }
                )
    return facts


def build_facts(scenario: Scenario, book: Rulebook, settings: Settings) -> list[dict[str, Any]]:
    """All base facts of one evaluation, sorted canonically (by type, then by their reference)."""
    facts: list[dict[str, Any]] = [_param_fact(book, n, v) for n, v in settings.params.items()]
    facts.append({"t": "theory", "name": settings.theory})
    facts += reading_facts(book, readings(scenario, book), settings.assessed_on)
    return canonical(facts)


def canonical(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``facts`` by type, then by view and reference (or name): the order does not depend on the file's.
    Facts that share both (none should) fall back to their whole JSON text."""
    keys = [(f["t"], str(f.get("series", "")), str(f.get("ref", f.get("name", "")))) for f in facts]
    if len(set(keys)) < len(keys):
        return sorted(facts, key=lambda f: (f["t"], json.dumps(f, sort_keys=True, ensure_ascii=False)))
    order = sorted(range(len(facts)), key=keys.__getitem__)
    return [facts[i] for i in order]


def observation_ids(scenario: Scenario) -> dict[str, Observation]:
    """The scenario's observations by id."""
    return {obs.id: obs for obs in scenario.observations}
