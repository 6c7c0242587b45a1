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
from ..model.scenario import Scenario
from ..model.words import word
from .policy import max_age, min_grade, relied
from .templates import reads_of


@dataclass(frozen=True)
class Warning:
    """One warning: the message key and its fields."""

    key: str
    fields: dict[str, Any]

    def text(self, lang: str) -> str:
        """The warning in ``lang``."""
        return word(self.key, lang).format(**self.fields)


def _params(scenario: Scenario, book: Rulebook) -> dict[str, Any]:
    return {**book.params_on(scenario.law_as_of or scenario.assessed_on), **scenario.params}


def _element_warnings(scenario: Scenario, book: Rulebook, name: str) -> list[Warning]:
    element = book.elements[name]
    reads = reads_of(book)[name]
    indicators = [i for i in reads if i in book.indicators]
    terms = [t for t in reads if t in book.terms]
    title = {"element": name, "title_nl": element.title.nl, "title_en": element.title.en}
    assessed = scenario.assessed_on
    if terms and not indicators:
        judged = [j for j in scenario.judgments if j.term in terms and j.dated <= assessed]
        return [] if judged else [Warning("warn_no_judgment", title)]
    if not element.needs_input:
        return []
    observed = [o for o in scenario.observations if o.indicator in indicators and o.as_of <= assessed]
    if not observed:
        return [Warning("warn_no_observation", {**title, "indicators": "`, `".join(indicators)})]
    params = _params(scenario, book)
    if not any(relied(book, params, book.kind_of(o.indicator), o.grade, o.as_of, assessed) for o in observed):
        ids = ", ".join(o.id for o in observed)
        days = max_age(book, params, "fact")
        grade = min_grade(book, params, "fact") or ""
        return [Warning("warn_all_excluded", {**title, "ids": ids, "days": days, "grade": grade})]
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
