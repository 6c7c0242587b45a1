"""Warnings about a valid scenario: input whose absence will leave a verdict undetermined or at risk.

`mandaat validate` prints them (exit 0, or 1 with ``--strict``). They are read from the scenario and the
rulebook's declarations, without evaluating:
- an element or condition that needs input (``needs_input`` in ``rules/elements.yaml``) gets none: it
  has no observation at all, or, without indicators (a judgment, such as proportionality), no judgment;
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


def _usable(obs: Observation, assessed: date, policy: tuple[int, str, int], act: str | None = None) -> bool:
    """Whether the evidence policy will rely on ``obs``: a fact fresh and well enough graded, a standing
    act (``act``: the minimal grade of an act) never stale but graded at least that."""
    max_age, reliability, credibility = policy
    if act is not None:
        reliability, credibility = act[0], int(act[1])
    fresh = 0 <= (assessed - obs.as_of).days <= max_age or (act is not None and obs.as_of <= assessed)
    graded = RELIABILITY.index(obs.grade[0]) <= RELIABILITY.index(reliability)
    return fresh and graded and CREDIBILITY.index(obs.grade[1]) <= CREDIBILITY.index(str(credibility))


def _element_warnings(scenario: Scenario, book: Rulebook, name: str) -> list[Warning]:
    element = book.elements[name]
    indicators = [i for i, ind in book.indicators.items() if ind.element == name] + list(element.fed_by)
    title = {"element": name, "title_nl": element.title.nl, "title_en": element.title.en}
    assessed = scenario.assessed_on
    if not indicators:
        judged = [j for j in scenario.judgments if j.dated <= assessed]
        return [] if judged else [Warning("warn_no_judgment", title)]
    if not element.needs_input:
        return []
    observed = [o for o in scenario.observations if o.indicator in indicators and o.as_of <= assessed]
    if not observed:
        return [Warning("warn_no_observation", {**title, "indicators": "`, `".join(indicators)})]
    policy = _policy(scenario, book)
    act = str(scenario.params.get("act_min_grade", book.parameters["act_min_grade"].value))
    kinds = {o.id: book.indicators[o.indicator].evidence for o in observed}
    if not any(_usable(o, assessed, policy, act if kinds[o.id] == "act" else None) for o in observed):
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
