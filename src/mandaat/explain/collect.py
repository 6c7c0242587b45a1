"""Step 2 of explaining: sort the firings and gather their reasons by what each rule establishes
(statuses, notes, grounds, verdicts, and what happened to each observation and judgment)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.firing import Firing
from ..model.report import Reason
from ..model.rulebook import Rule, Rulebook
from .reasons import JUDGMENT_FACTS, OBSERVATION_FACTS, reason, refs


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


def sort_firings(book: Rulebook, firings: list[Firing]) -> list[Firing]:
    """Firings in rule order, then by the evidence they cite, then by the facts themselves, so that the
    report does not depend on the order in which the engine happened to fire. Only a rule that fired
    more than once needs the later keys."""
    order = book.derived("rule_order", lambda b: {rule_id: i for i, rule_id in enumerate(b.rule_ids())})
    kinds = OBSERVATION_FACTS + JUDGMENT_FACTS
    by_rule: dict[int, list[Firing]] = {}
    for firing in firings:
        by_rule.setdefault(order[firing.rule], []).append(firing)
    result: list[Firing] = []
    for position in sorted(by_rule):
        group = by_rule[position]
        if len(group) == 1:
            result += group
            continue
        keyed = sorted(((refs(f.matched, kinds), f) for f in group), key=lambda pair: pair[0])
        start = 0
        while start < len(keyed):  # runs citing the same evidence: their facts break the tie
            end = start + 1
            while end < len(keyed) and keyed[end][0] == keyed[start][0]:
                end += 1
            run = [f for _, f in keyed[start:end]]
            result += run if len(run) == 1 else sorted(run, key=_facts_key)
            start = end
    return result


def _facts_key(firing: Firing) -> list[tuple[str, str]]:
    return sorted((k, str(sorted(v.items()))) for k, v in firing.matched.items())


def _evidence(c: Collected, rule: Rule, firing: Firing, why: Reason) -> None:
    """What an evidence-stage firing says about one observation or judgment."""
    assert rule.fact is not None
    subject = firing.matched[rule.fact]["ref"]
    if rule.action == "exclude":
        c.excluded[str(rule.establishes)].setdefault(subject, []).append(why)
    elif rule.action == "supersede":
        c.superseded.setdefault(subject, []).append(why)


def collect(book: Rulebook, firings: list[Firing], lang: str) -> Collected:
    """Every firing's reason, filed under what its rule establishes."""
    rules = {rule.id: rule for rule in book.rules}
    c = Collected(
        statuses={n: set() for n in book.elements},
        status_reasons={n: [] for n in book.elements},
        notes={n: [] for n in book.elements},
        evidence_of={n: set() for n in book.elements},
        verdicts={b: set() for b in book.bases},
        grounds={b: [] for b in book.bases},
    )
    order = book.derived("rule_order", lambda b: {rule_id: i for i, rule_id in enumerate(b.rule_ids())})
    c.fired = sorted({firing.rule for firing in firings}, key=order.__getitem__)
    quoted: list[Firing] = []  # firings whose reasons the report shows: only these need sorting
    for firing in firings:
        rule = rules[firing.rule]
        if rule.action == "derive":  # the report quotes no derivation's reason: build none
            if rule.establishes == "evidence":
                c.selected.add(firing.matched[str(rule.fact)]["ref"])
            elif rule.establishes == "judged":
                c.judged.add(firing.matched[str(rule.fact)]["ref"])
        elif rule.action != "verdict":
            quoted.append(firing)
    for rule_id in c.fired:  # in rule order, as the report lists them
        rule = rules[rule_id]
        if rule.action == "verdict":
            c.verdicts[rule.element].add(str(rule.establishes))
            c.verdict_rule[rule.element] = rule
    for firing in sort_firings(book, quoted):
        rule = rules[firing.rule]
        why = reason(book, rule, firing.matched, lang)
        if rule.action == "status":
            c.statuses[rule.element].add(str(rule.establishes))
            c.status_reasons[rule.element].append(why)
            c.evidence_of[rule.element].update(why.observations)
        elif rule.action == "note" and rule.element not in c.notes:
            assert rule.fact is not None  # a note on the evidence: a contested reading
            c.conflicts.setdefault(firing.matched[rule.fact]["ref"], []).append(why)
        elif rule.action == "note":
            c.notes[rule.element].append(why)
        elif rule.action == "ground":
            c.grounds[rule.element].append((str(rule.establishes), why))
        elif rule.element == "evidence":
            _evidence(c, rule, firing, why)
    return c
