"""Turn engine firings and the rulebook's metadata into a :class:`~mandaat.report.Report`.

The engine only says which rules fired on which facts. Here each firing becomes a reason: the rule's
template filled from the matched facts, with the rule's citation. The checks that every element got
exactly one status and every basis exactly one verdict live here too; a failure is a defect in the
rulebook or engine (EngineError), never a verdict. No legal decision is taken in this module.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from .. import __version__
from ..model.firing import Firing
from ..model.errors import EngineError
from ..run.facts import Settings, clean_number, judgment_ref
from ..model.words import number, word
from ..model.report import Citation, ElementReport, EvidenceItem, EvidenceLists, JudgmentItem, Judgments, OpenJudgment, Reason, Report, ScenarioInfo, Verdicts
from ..model.rulebook import BASES, Cite, Rule, Rulebook, constants
from ..model.scenario import Observation, Scenario

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\.([a-z_]+)\}")
SYRIA_ELEMENTS = ("E1", "E2", "E3", "E4")
OBSERVATION_FACTS = ("obs", "relied", "evidence")
JUDGMENT_FACTS = ("judgment", "considered", "judged")


def display_value(book: Rulebook, indicator: str, value: Any, lang: str) -> str:
    """An observation value as a reader of ``lang`` would write it."""
    ind = book.indicators.get(indicator)
    if isinstance(value, bool):
        return word("yes" if value else "no", lang)
    if ind is not None and ind.type == "enum" and ind.values and value in ind.values:
        return ind.values[value].get(lang)
    if isinstance(value, (int, float)):
        return number(clean_number(value), lang)
    return str(value)


def _fact_value(fact: dict[str, Any]) -> Any:
    for key in ("num", "flag", "level"):
        if key in fact:
            return fact[key]
    return None


def fill(template: str, matched: dict[str, dict[str, Any]], book: Rulebook, lang: str) -> str:
    """Fill ``{alias.field}`` placeholders from matched facts; ``value`` is shown in ``lang``."""

    def one(match: re.Match[str]) -> str:
        alias, name = match.group(1), match.group(2)
        fact = matched.get(alias, {})
        if name == "value":
            return display_value(book, str(fact.get("indicator", "")), _fact_value(fact), lang)
        value = fact.get(name, "?")
        if isinstance(value, bool):
            return word("yes" if value else "no", lang)
        if isinstance(value, (int, float)):
            return number(value, lang)
        return str(value)

    return _PLACEHOLDER.sub(one, template)


def citation(book: Rulebook, cite: Cite, lang: str) -> Citation:
    """A rulebook citation as it appears in a report."""
    return Citation(source=cite.source, source_title=book.sources[cite.source].title.get(lang),
                    pinpoint=cite.pinpoint, quote=cite.quote)


def _refs(matched: dict[str, dict[str, Any]], kinds: tuple[str, ...]) -> list[str]:
    refs = {f["ref"] for f in matched.values() if f.get("t") in kinds and "ref" in f}
    return sorted(refs)


def reason(book: Rulebook, rule: Rule, matched: dict[str, dict[str, Any]], lang: str) -> Reason:
    """One firing as a cited reason."""
    return Reason(rule=rule.id, text=fill(rule.reason.get(lang), matched, book, lang),
                  observations=_refs(matched, OBSERVATION_FACTS), judgments=_refs(matched, JUDGMENT_FACTS),
                  cite=citation(book, rule.cite, lang))


def _evidence_item(book: Rulebook, obs: Observation, lang: str, reasons: list[Reason]) -> EvidenceItem:
    return EvidenceItem(observation=obs.id, indicator=obs.indicator,
                        value=display_value(book, obs.indicator, obs.value, lang), date=obs.as_of.isoformat(),
                        grade=obs.grade, source=obs.source_name, quote=obs.quote, hypothetical=obs.hypothetical,
                        reasons=reasons)


def explain(book: Rulebook, scenario: Scenario, settings: Settings, firings: list[Firing], lang: str) -> Report:
    """Build the report of one evaluation."""
    rules = {rule.id: rule for rule in book.rules}
    order = {rule_id: i for i, rule_id in enumerate(book.rule_ids())}
    # Reasons are sorted by rule order, then by the evidence they cite, so that the report does not
    # depend on the order in which the engine happened to fire.
    firings = sorted(firings, key=lambda f: (order[f.rule], _refs(f.matched, OBSERVATION_FACTS + JUDGMENT_FACTS),
                                             sorted((k, str(sorted(v.items()))) for k, v in f.matched.items())))
    statuses: dict[str, set[str]] = {name: set() for name in book.elements}
    status_reasons: dict[str, list[Reason]] = {name: [] for name in book.elements}
    notes: dict[str, list[Reason]] = {name: [] for name in book.elements}
    evidence_of: dict[str, set[str]] = {name: set() for name in book.elements}
    verdicts: dict[str, set[str]] = {basis: set() for basis in BASES}
    verdict_rule: dict[str, Rule] = {}
    grounds: dict[str, list[tuple[str, Reason]]] = {basis: [] for basis in BASES}
    excluded: dict[str, dict[str, list[Reason]]] = {"unconfirmed": {}, "stale": {}, "future": {}}
    superseded: dict[str, list[Reason]] = {}
    conflicts: dict[str, list[Reason]] = {}
    selected: set[str] = set()
    judged: set[str] = set()
    for firing in firings:
        rule = rules[firing.rule]
        why = reason(book, rule, firing.matched, lang)
        if rule.action == "status":
            statuses[rule.element].add(str(rule.establishes))
            status_reasons[rule.element].append(why)
            evidence_of[rule.element].update(why.observations)
        elif rule.action == "note":
            notes[rule.element].append(why)
        elif rule.action == "verdict":
            verdicts[rule.element].add(str(rule.establishes))
            verdict_rule[rule.element] = rule
        elif rule.action == "ground":
            grounds[rule.element].append((str(rule.establishes), why))
        elif rule.action == "exclude" and rule.element == "evidence":
            assert rule.fact is not None
            excluded[str(rule.establishes)].setdefault(firing.matched[rule.fact]["ref"], []).append(why)
        elif rule.action == "supersede" and rule.element == "evidence":
            assert rule.fact is not None
            loser = firing.matched[rule.fact]["ref"]
            target = conflicts if rule.establishes == "conflict" else superseded
            target.setdefault(loser, []).append(why)
            if rule.establishes == "conflict":
                assert rule.by is not None
                conflicts.setdefault(firing.matched[rule.by]["ref"], []).append(why)
        elif rule.action == "derive" and rule.establishes == "evidence":
            assert rule.fact is not None
            selected.add(firing.matched[rule.fact]["ref"])
        elif rule.action == "derive" and rule.establishes == "judged":
            assert rule.fact is not None
            judged.add(firing.matched[rule.fact]["ref"])

    for name, found in statuses.items():
        if len(found) != 1:
            raise EngineError(f"rulebook defect: element {name} got {len(found)} statuses ({', '.join(sorted(found)) or 'none'})"
                              " for one scenario; run `mandaat rules check`")
    for basis, found in verdicts.items():
        if len(found) != 1:
            raise EngineError(f"rulebook defect: the {basis} basis got {len(found)} verdicts "
                              f"({', '.join(sorted(found)) or 'none'}); run `mandaat rules check`")

    verdict = {basis: next(iter(verdicts[basis])) for basis in BASES}
    verdict_reasons: dict[str, list[Reason]] = {}
    for basis in BASES:
        chosen = [why for level, why in grounds[basis] if level == verdict[basis]]
        if not chosen:
            rule = verdict_rule[basis]
            chosen = [reason(book, rule, {}, lang)]
        verdict_reasons[basis] = chosen

    def element_report(name: str) -> ElementReport:
        definition = book.elements[name]
        return ElementReport(title=definition.title.get(lang), criterion=definition.criterion.get(lang),
                             status=next(iter(statuses[name])),  # type: ignore[arg-type]
                             reasons=status_reasons[name], notes=notes[name],
                             evidence=sorted(evidence_of[name] | {r for n in notes[name] for r in n.observations}),
                             cite=citation(book, definition.cite, lang))

    by_id = {obs.id: obs for obs in scenario.observations}

    def items(refs: dict[str, list[Reason]] | set[str]) -> list[EvidenceItem]:
        if isinstance(refs, set):
            return [_evidence_item(book, by_id[r], lang, []) for r in sorted(refs)]
        return [_evidence_item(book, by_id[r], lang, refs[r]) for r in sorted(refs)]

    max_age = int(settings.params.get("evidence_max_age_days", 0))
    decisive = _decisive(book)
    counted_dates = [by_id[r].as_of for r in selected if by_id[r].indicator in decisive]
    valid_until = (min(counted_dates) + timedelta(days=max_age)).isoformat() if counted_dates else None

    recorded = [JudgmentItem(ref=judgment_ref(i), term=j.term, holds=j.holds, by=j.by, date=j.date.isoformat(),
                             rationale=j.rationale, counts=judgment_ref(i) in judged)
                for i, j in enumerate(scenario.judgments)]
    open_items: list[OpenJudgment] = []
    prop = next(iter(statuses.get("PROP", {"met"})))
    if prop == "unknown":
        open_items.append(OpenJudgment(term="proportionality", text=word("judgment_open_missing", lang)))
    elif prop == "not_met":
        open_items.append(OpenJudgment(term="proportionality", text=word("judgment_open_negative", lang)))

    theory = book.theories[settings.theory]
    return Report(
        mandaat_version=__version__,
        language=lang,  # type: ignore[arg-type]
        scenario=ScenarioInfo(id=scenario.id, title=scenario.title, assessed_on=settings.assessed_on.isoformat(),
                              theory=settings.theory, theory_title=theory.title.get(lang),
                              params={k: (clean_number(v) if not isinstance(v, str) else v)
                                      for k, v in settings.params.items()},
                              overridden=settings.overridden, description=scenario.description),
        verdict=Verdicts(syria=verdict["syria"], iraq=verdict["iraq"]),  # type: ignore[arg-type]
        verdict_reasons=verdict_reasons,
        valid_until=valid_until,
        elements={name: element_report(name) for name in book.elements if book.elements[name].basis == "syria"
                  and name in SYRIA_ELEMENTS},
        conditions={name: element_report(name) for name in book.elements if name not in SYRIA_ELEMENTS},
        evidence=EvidenceLists(
            relied_upon=items(selected), superseded=items(superseded), conflicts=items(conflicts),
            unconfirmed=items(excluded["unconfirmed"]), stale=items(excluded["stale"]),
            after_assessment=items(excluded["future"])),
        judgments=Judgments(recorded=recorded, open=open_items),
        rules_fired=sorted({f.rule for f in firings}, key=lambda r: order[r]),
    )


_DECISIVE: dict[int, tuple[Rulebook, set[str]]] = {}


def _decisive(book: Rulebook) -> set[str]:
    """Indicators whose evidence a status rests on (context-only indicators do not date a verdict)."""
    cached = _DECISIVE.get(id(book))
    if cached is not None and cached[0] is book:
        return cached[1]
    used: set[str] = set()
    for rule in book.rules:
        if rule.action != "status":
            continue
        for _alias, expr in rule.patterns():
            used.update(constants(expr, "indicator"))
    _DECISIVE[id(book)] = (book, used)
    return used
