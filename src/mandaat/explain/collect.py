"""Step 2 of explaining: sort the firings and gather their reasons by what each rule establishes
(statuses, notes, grounds, verdicts, and what happened to each reading)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model.firing import Firing
from ..model.report import Reason
from ..model.rulebook import Rule, Rulebook
from .reasons import reason, refs


@dataclass
class Collected:
    """The firings of one evaluation, sorted into what the report is built from."""

    statuses: dict[str, set[str]]
    status_reasons: dict[str, list[Reason]]
    notes: dict[str, list[Reason]]
    evidence_of: dict[str, set[str]]
    verdicts: dict[str, set[str]]
    grounds: dict[str, list[tuple[str, Reason]]]
    verdict_rule: dict[str, Rule] = field(default_factory=dict)
    excluded: dict[str, dict[str, list[Reason]]] = field(
        default_factory=lambda: {"unconfirmed": {}, "stale": {}, "future": {}}
    )
    superseded: dict[str, list[Reason]] = field(default_factory=dict)
    conflicts: dict[str, list[Reason]] = field(default_factory=dict)
    selected: set[str] = field(default_factory=set)
    judged: set[str] = field(default_factory=set)
    fired: list[str] = field(default_factory=list)


def _order(book: Rulebook) -> dict[str, int]:
    return book.derived("rule_order", lambda b: {rule_id: i for i, rule_id in enumerate(b.rule_ids())})


def sort_firings(book: Rulebook, firings: list[Firing]) -> list[Firing]:
    """Firings in rule order, then by the evidence they cite, then by the facts themselves, so that the
    report does not depend on the order in which the engine happened to fire."""
    order = _order(book)
    return sorted(firings, key=lambda f: (order[f.rule], refs(f.matched), _facts_key(f)))


def _facts_key(firing: Firing) -> list[tuple[str, str]]:
    return sorted((k, str(sorted(v.items()))) for k, v in firing.matched.items())


def _subject(rule: Rule, firing: Firing) -> Any:
    assert rule.fact is not None
    return firing.matched[rule.fact]["ref"]


def collect(book: Rulebook, firings: list[Firing], lang: str, params: dict[str, Any]) -> Collected:
    """Every firing's reason, filed under what its rule establishes."""
    c = Collected(
        statuses={n: set() for n in book.elements},
        status_reasons={n: [] for n in book.elements},
        notes={n: [] for n in book.elements},
        evidence_of={n: set() for n in book.elements},
        verdicts={b: set() for b in book.bases},
        grounds={b: [] for b in book.bases},
    )
    order = _order(book)
    c.fired = sorted({firing.rule for firing in firings}, key=order.__getitem__)
    quoted: list[Firing] = []
    outcome_of: dict[str, list[tuple[str, Firing]]] = {n: [] for n in book.elements}
    for firing in firings:
        rule = book.rule(firing.rule)
        if rule.action == "derive":  # the report quotes no derivation's reason
            if rule.establishes == "evidence":
                fact = firing.matched[str(rule.fact)]
                (c.judged if fact.get("kind") == "judgment" else c.selected).add(fact["ref"])
        elif rule.sets_status:
            element = rule.element_of(firing.matched)
            c.statuses[element].add(str(rule.establishes))
            if rule.action == "contest":
                outcome_of[element].append((str(rule.establishes), firing))
        elif rule.action == "verdict":
            c.verdicts[rule.element].add(str(rule.establishes))
            c.verdict_rule[rule.element] = rule
        elif rule.action in ("row", "contest"):
            outcome_of[rule.element].append((str(rule.establishes), firing))
        elif rule.action not in ("mark", "part"):
            quoted.append(firing)
    for name, found in outcome_of.items():  # the reasons of the status the element got
        status = next(iter(c.statuses[name])) if len(c.statuses[name]) == 1 else None
        for established, firing in sorted(found, key=lambda p: (order[p[1].rule], refs(p[1].matched))):
            if established == status:
                why = reason(book, book.rule(firing.rule), firing.matched, lang, params)
                c.status_reasons[name].append(why)
                c.evidence_of[name].update(why.observations)
    for firing in sort_firings(book, quoted):
        rule = book.rule(firing.rule)
        why = reason(book, rule, firing.matched, lang, params)
        if rule.action == "note" and rule.element == "evidence":
            c.conflicts.setdefault(_subject(rule, firing), []).append(why)
        elif rule.action == "note":
            c.notes[rule.element].append(why)
        elif rule.action == "ground":
            c.grounds[rule.element].append((str(rule.establishes), why))
        elif rule.action == "exclude":
            c.excluded[str(rule.establishes)].setdefault(_subject(rule, firing), []).append(why)
        elif rule.action == "supersede":
            c.superseded.setdefault(_subject(rule, firing), []).append(why)
    for ref in c.selected | c.judged:  # a reading that speaks in one series is not superseded
        c.superseded.pop(ref, None)
    return c
