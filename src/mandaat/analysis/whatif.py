"""What-if and compare: a scenario beside its changed copy, or several scenarios side by side, and
everything that differs between them (verdicts, statuses with the reasons that came and went, evidence)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model.report import Reason, Report
from ..model.rulebook import Rulebook
from ..model.scenario import Scenario
from ..pipeline import Options, evaluate_scenario, settings
from .changes import Change, apply
from .outcome import current_values, judged_now


@dataclass
class ElementChange:
    """An element whose status differs between two reports."""

    element: str
    before: str
    after: str
    appeared: list[Reason]
    disappeared: list[Reason]


@dataclass
class Difference:
    """What changed between two reports."""

    verdicts: dict[str, tuple[str, str]]
    elements: list[ElementChange]
    evidence_added: list[str]
    evidence_removed: list[str]

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not self.verdicts and not self.elements and not self.evidence_added and not self.evidence_removed

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "verdicts": {k: {"before": a, "after": b} for k, (a, b) in self.verdicts.items()},
            "elements": [
                {
                    "element": c.element,
                    "before": c.before,
                    "after": c.after,
                    "reasons_appeared": [r.model_dump(mode="json") for r in c.appeared],
                    "reasons_disappeared": [r.model_dump(mode="json") for r in c.disappeared],
                }
                for c in self.elements
            ],
            "evidence_added": self.evidence_added,
            "evidence_removed": self.evidence_removed,
        }


def _reason_key(reason: Reason) -> tuple[str, str]:
    return reason.rule, reason.text


def difference(before: Report, after: Report) -> Difference:
    """Everything that differs between two reports: verdicts, element statuses with reasons, evidence."""
    verdicts = {
        basis: (before.verdict[basis], after.verdict[basis])
        for basis in before.verdict
        if before.verdict[basis] != after.verdict[basis]
    }
    changes: list[ElementChange] = []
    old = {**before.elements, **before.conditions}
    new = {**after.elements, **after.conditions}
    for name in old:
        if old[name].status != new[name].status:
            gone = {_reason_key(r) for r in new[name].reasons}
            came = {_reason_key(r) for r in old[name].reasons}
            changes.append(
                ElementChange(
                    name,
                    old[name].status,
                    new[name].status,
                    [r for r in new[name].reasons if _reason_key(r) not in came],
                    [r for r in old[name].reasons if _reason_key(r) not in gone],
                )
            )
    relied_before = {i.observation: i.value for i in before.evidence.relied_upon}
    relied_after = {i.observation: i.value for i in after.evidence.relied_upon}
    added = sorted(k for k in relied_after if relied_before.get(k) != relied_after[k])
    removed = sorted(k for k in relied_before if relied_after.get(k) != relied_before[k])
    return Difference(verdicts, changes, added, removed)


@dataclass
class WhatIf:
    """A scenario, the same scenario changed, and what changed."""

    changes: list[Change]
    base: Report
    variant: Report
    difference: Difference


def whatif(scenario: Scenario, book: Rulebook, changes: Sequence[Change], options: Options = Options()) -> WhatIf:
    """Evaluate ``scenario`` and its changed copy; report both and the difference."""
    base = evaluate_scenario(scenario, book, options)
    current = current_values(scenario, base)
    params = settings(scenario, book, options).params
    changes = [_with_current(c, current, base, params) for c in changes]
    changed, variant_options = apply(scenario, book, changes, options)
    variant = evaluate_scenario(changed, book, variant_options)
    return WhatIf(list(changes), base, variant, difference(base, variant))


def _with_current(change: Change, current: dict[str, Any], base: Report, params: dict[str, Any]) -> Change:
    """The change with today's value filled in, for the record."""
    now: Any = change.current
    if change.kind in ("set", "absent"):
        now = current.get(change.target)
    elif change.kind == "theory":
        now = base.scenario.theory
    elif change.kind == "param":
        now = params.get(change.target)
    elif change.kind == "judgment":
        now = judged_now(base, change.target)
    return Change(change.kind, change.target, change.value, now, change.threshold, change.relation)


@dataclass
class Comparison:
    """Several reports side by side, and what changed from each column to the next."""

    reports: list[Report]
    differences: list[Difference]


def compare(scenarios: Sequence[Scenario], book: Rulebook, options: Options = Options()) -> Comparison:
    """Evaluate each scenario; the differences run from each column to the next."""
    reports = [evaluate_scenario(s, book, options) for s in scenarios]
    return Comparison(reports, [difference(a, b) for a, b in zip(reports, reports[1:])])
