"""Warnings about a valid scenario: input whose absence will leave a verdict undetermined or at risk.

`mandaat validate` prints them (exit 0, or 1 with ``--strict``). They are read from the scenario and the
rulebook's declarations, without evaluating:
- an element or condition that needs input gets none: one whose indicators the rulebook expects in
  every status (``every_status``) has no observation at all, or one without indicators (a judgment, such
  as proportionality) has no judgment;
- every observation of such an element is stale or graded below the evidence policy;
- an observation or judgment is dated after ``assessed_on`` (it will not count).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..model.rulebook import Rulebook
from ..model.scenario import Observation, Scenario
from ..model.words import word
from .parameters import CREDIBILITY, RELIABILITY


@dataclass(frozen=True)
class Warning:
    """One warning: the message key and its fields."""

    key: str
    fields: dict[str, Any]

    def text(self, lang: str) -> str:
        """The warning in ``lang``."""
        return word(self.key, lang).format(**self.fields)


def _policy(scenario: Scenario, book: Rulebook) -> tuple[int, str, int]:
    def value(name: str) -> Any:
        return scenario.params.get(name, book.parameters[name].value)

    return (
        int(value("evidence_max_age_days")),
        str(value("evidence_min_reliability")),
        int(value("evidence_min_credibility")),
    )


def _usable(obs: Observation, assessed: date, policy: tuple[int, str, int]) -> bool:
    max_age, reliability, credibility = policy
    fresh = 0 <= (assessed - obs.as_of).days <= max_age
    graded = RELIABILITY.index(obs.grade[0]) <= RELIABILITY.index(reliability)
    return fresh and graded and CREDIBILITY.index(obs.grade[1]) <= CREDIBILITY.index(str(credibility))


def _element_warnings(scenario: Scenario, book: Rulebook, name: str) -> list[Warning]:
    element = book.elements[name]
    indicators = [i for i, ind in book.indicators.items() if ind.element == name]
    title = {"element": name, "title_nl": element.title.nl, "title_en": element.title.en}
    assessed = scenario.assessed_on
    if not indicators:
        judged = [j for j in scenario.judgments if j.dated <= assessed]
        return [] if judged else [Warning("warn_no_judgment", title)]
    if not element.every_status:
        return []
    observed = [o for o in scenario.observations if o.indicator in indicators and o.as_of <= assessed]
    if not observed:
        return [Warning("warn_no_observation", {**title, "indicators": "`, `".join(indicators)})]
    policy = _policy(scenario, book)
    if not any(_usable(o, assessed, policy) for o in observed):
        ids = ", ".join(o.id for o in observed)
        return [
            Warning("warn_all_excluded", {**title, "ids": ids, "days": policy[0], "grade": policy[1] + str(policy[2])})
        ]
    return []


def advice(scenario: Scenario, book: Rulebook) -> list[Warning]:
    """Every warning about ``scenario``: missing or unusable input, and input dated after the assessment."""
    found: list[Warning] = []
    for name in book.elements:
        found += _element_warnings(scenario, book, name)
    assessed = scenario.assessed_on
    dated: Sequence[tuple[str, date]] = [(o.id, o.as_of) for o in scenario.observations] + [
        (f"{j.term} ({j.by})", j.dated) for j in scenario.judgments
    ]
    for ident, when in dated:
        if when > assessed:
            found.append(Warning("warn_after_assessment", {"id": ident, "date": when, "assessed": assessed}))
    return found
