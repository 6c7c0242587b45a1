"""Outcomes: the statuses and verdicts of one evaluation, without the full report (for searches that
evaluate many changed scenarios), through the pipeline with all of the caller's options."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model.report import Report
from ..model.rulebook import Rulebook
from ..model.scenario import Scenario
from ..pipeline import Options, fire


@dataclass
class Outcome:
    """Statuses and verdicts of one evaluation."""

    statuses: dict[str, str]
    verdicts: dict[str, str]

    def value(self, target: str) -> str:
        """The status of an element, or the verdict of a basis."""
        return self.statuses.get(target) or self.verdicts[target]


def outcome_of(report: Report) -> Outcome:
    """The statuses and verdicts a report gives."""
    return Outcome({n: e.status for n, e in {**report.elements, **report.conditions}.items()}, dict(report.verdict))


def quick_outcome(scenario: Scenario, book: Rulebook, options: Options = Options()) -> Outcome:
    """Statuses and verdicts from the evaluator's firings, without building the full report."""
    _settings, firings = fire(scenario, book, options)
    rules = {rule.id: rule for rule in book.rules}
    statuses: dict[str, str] = {}
    verdicts: dict[str, str] = {}
    for firing in firings:
        rule = rules[firing.rule]
        if rule.sets_status:
            statuses[rule.element_of(firing.matched)] = str(rule.establishes)
        elif rule.action == "verdict":
            verdicts[rule.element] = str(rule.establishes)
    return Outcome(statuses, verdicts)


def current_values(scenario: Scenario, report: Report) -> dict[str, Any]:
    """The value of each indicator's counting observation."""
    by_id = {o.id: o for o in scenario.observations}
    return {by_id[i.observation].indicator: by_id[i.observation].value for i in report.evidence.relied_upon}


def judged_now(report: Report, term: str) -> bool | None:
    """What the judgment of ``term`` that counts says now: None when none counts, or when those of the
    newest date disagree."""
    counting = {j.holds for j in report.judgments.recorded if j.term == term and j.counts}
    return counting.pop() if len(counting) == 1 else None
