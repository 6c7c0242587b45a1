"""Step 3 of explaining: check that the rulebook decided exactly once, then build the report.

Every element must have exactly one status and every basis exactly one verdict; anything else is a
defect in the rulebook or engine (EngineError), never a verdict. No legal decision is taken here.
"""

from __future__ import annotations

from datetime import timedelta

from ..model.errors import EngineError
from ..model.report import (
    ElementReport,
    EvidenceItem,
    EvidenceLists,
    JudgmentItem,
    Judgments,
    OpenJudgment,
    Reason,
    Report,
    ScenarioInfo,
)
from ..model.rulebook import Rulebook
from ..model.scenario import Observation, Scenario, clean_number
from ..model.version import version
from ..model.words import word
from ..run.facts import Settings, judgment_ref
from .collect import Collected
from .reasons import citation, display_value, reason


def check_decided(c: Collected) -> None:
    """Raise EngineError unless every element has one status and every basis one verdict."""
    for name, found in c.statuses.items():
        if len(found) != 1:
            raise EngineError(
                f"rulebook defect: element {name} got {len(found)} statuses "
                f"({', '.join(sorted(found)) or 'none'}) for one scenario; run `mandaat rules check`"
            )
    for basis, found in c.verdicts.items():
        if len(found) != 1:
            raise EngineError(
                f"rulebook defect: the {basis} basis got {len(found)} verdicts "
                f"({', '.join(sorted(found)) or 'none'}); run `mandaat rules check`"
            )


def _verdict_reasons(
    book: Rulebook, c: Collected, verdict: dict[str, str], lang: str, params: dict[str, object]
) -> dict[str, list[Reason]]:
    """Every ground that bears on each verdict: those of the deciding level first, then the others in
    rulebook order (a lapsed verdict still says what else is unknown or at risk)."""
    out: dict[str, list[Reason]] = {}
    for basis in book.bases:
        chosen = [why for level, why in c.grounds[basis] if level == verdict[basis]]
        others = [why for level, why in c.grounds[basis] if level != verdict[basis]]
        out[basis] = (chosen or [reason(book, c.verdict_rule[basis], {}, lang, params)]) + others
    return out


def _element(book: Rulebook, c: Collected, name: str, lang: str, params: dict[str, object]) -> ElementReport:
    definition = book.elements[name]
    return ElementReport(
        title=definition.title.get(lang),
        criterion=definition.criterion.get(lang),
        status=next(iter(c.statuses[name])),
        reasons=c.status_reasons[name],
        notes=c.notes[name],
        evidence=sorted(c.evidence_of[name] | {r for n in c.notes[name] for r in n.observations}),
        cite=citation(book, definition.cite, lang, params),
    )


def _item(book: Rulebook, obs: Observation, lang: str, reasons: list[Reason]) -> EvidenceItem:
    return EvidenceItem(
        observation=obs.id,
        indicator=obs.indicator,
        value=display_value(book, obs.indicator, obs.value, lang),
        date=obs.as_of.isoformat(),
        grade=obs.grade,
        source=obs.source_name,
        quote=obs.quote,
        hypothetical=obs.hypothetical,
        reasons=reasons,
    )


def _evidence(book: Rulebook, c: Collected, scenario: Scenario, lang: str) -> EvidenceLists:
    by_id = {obs.id: obs for obs in scenario.observations}

    def items(found: dict[str, list[Reason]] | set[str]) -> list[EvidenceItem]:
        if isinstance(found, set):  # judgments are listed with the judgments, not here
            return [_item(book, by_id[r], lang, []) for r in sorted(found) if r in by_id]
        return [_item(book, by_id[r], lang, found[r]) for r in sorted(found) if r in by_id]

    return EvidenceLists(
        relied_upon=items(c.selected),
        superseded=items(c.superseded),
        conflicts=items(c.conflicts),
        unconfirmed=items(c.excluded["unconfirmed"]),
        stale=items(c.excluded["stale"]),
        after_assessment=items(c.excluded["future"]),
    )


def decisive_indicators(book: Rulebook) -> set[str]:
    """Indicators an element's test reads (context-only indicators do not date a verdict)."""
    from ..read.templates import instances

    used: set[str] = set()
    for name in book.elements:
        for _theories, inst in instances(book, name):
            used.update(inst.indicators())
    return used


def _valid_until(
    book: Rulebook, c: Collected, scenario: Scenario, settings: Settings, verdict: dict[str, str]
) -> str | None:
    """«Vooralsnog»: the last day on which every relied-upon fact on the ground that a provisional verdict
    rests on is still current. Standing acts do not go stale, and a verdict that is not provisional
    (rules/outcomes.yaml) has no such date."""
    by_id = {obs.id: obs for obs in scenario.observations}
    age = book.policy.kinds["fact"].max_age_days
    max_age = int(settings.params[age]) if age else 0
    decisive = book.derived("decisive_indicators", decisive_indicators)
    provisional = {basis for basis, v in verdict.items() if book.verdicts[v].provisional}
    bases_of = book.derived("indicator_bases", _indicator_bases)
    dates = []
    for ref in c.selected:
        obs = by_id.get(ref)
        if obs is None or book.kind_of(obs.indicator) != "fact" or obs.indicator not in decisive:
            continue
        if bases_of.get(obs.indicator, set()) & provisional:
            dates.append(obs.as_of)
    return (min(dates) + timedelta(days=max_age)).isoformat() if dates else None


def _indicator_bases(book: Rulebook) -> dict[str, set[str]]:
    from ..read.templates import instances

    out: dict[str, set[str]] = {}
    for name, element in book.elements.items():
        for _theories, inst in instances(book, name):
            for indicator in inst.indicators():
                out.setdefault(indicator, set()).add(element.basis)
    return out


def _open_points(book: Rulebook, c: Collected, scenario: Scenario, lang: str) -> list[OpenJudgment]:
    """Open points besides judgments: reports of standing acts from a source without standing (they
    change nothing until confirmed) and contested readings (a newer or better-graded reading resolves them)."""
    by_id = {obs.id: obs for obs in scenario.observations}
    out: list[OpenJudgment] = []
    for ref in sorted(c.excluded["unconfirmed"]):
        obs = by_id[ref]
        if book.kind_of(obs.indicator) == "act":
            text = word("open_act_to_confirm", lang).format(ref=ref, indicator=obs.indicator, grade=obs.grade)
            out.append(OpenJudgment(term=obs.indicator, text=text))
    contested = sorted({by_id[ref].indicator for ref in c.conflicts if ref in by_id})
    for indicator in contested:
        refs = ", ".join(sorted(r for r in c.conflicts if r in by_id and by_id[r].indicator == indicator))
        text = word("open_contested", lang).format(indicator=indicator, refs=refs)
        out.append(OpenJudgment(term=indicator, text=text))
    return out


def _judgments(book: Rulebook, c: Collected, scenario: Scenario, lang: str) -> Judgments:
    recorded = [
        JudgmentItem(
            ref=judgment_ref(i),
            term=j.term,
            holds=j.holds,
            by=j.by,
            date=j.dated.isoformat(),
            rationale=j.rationale,
            counts=judgment_ref(i) in c.judged,
        )
        for i, j in enumerate(scenario.judgments)
    ]
    open_items: list[OpenJudgment] = []
    terms = set(book.judgment_terms())
    for name, element in book.elements.items():  # the open point a judged condition's status asks for
        judged = [i for i in _reads(book, name) if i in terms]
        for status in sorted(c.statuses.get(name, set())):
            if judged and status in element.open_points:
                text = word(element.open_points[status], lang)
                open_items.append(OpenJudgment(term=judged[0], text=text))
    return Judgments(recorded=recorded, open=open_items)


def _reads(book: Rulebook, name: str) -> list[str]:
    from ..read.templates import instances

    return [i for _t, inst in instances(book, name) for i in inst.indicators()]


def _with_open_points(judgments: Judgments, points: list[OpenJudgment]) -> Judgments:
    return Judgments(recorded=judgments.recorded, open=[*judgments.open, *points])


def build_report(book: Rulebook, scenario: Scenario, settings: Settings, c: Collected, lang: str) -> Report:
    """The report of one evaluation, from the collected reasons."""
    check_decided(c)
    verdict = {basis: next(iter(c.verdicts[basis])) for basis in book.bases}
    theory = book.theories[settings.theory]
    info = ScenarioInfo(
        id=scenario.id,
        title=scenario.title,
        assessed_on=settings.assessed_on.isoformat(),
        theory=settings.theory,
        theory_title=theory.title.get(lang),
        params={k: (clean_number(v) if not isinstance(v, str) else v) for k, v in settings.params.items()},
        overridden=settings.overridden,
        description=scenario.description,
    )
    return Report(
        mandaat_version=version(),
        language=lang,
        scenario=info,
        verdict=verdict,
        verdict_reasons=_verdict_reasons(book, c, verdict, lang, settings.params),
        valid_until=_valid_until(book, c, scenario, settings, verdict),
        elements={n: _element(book, c, n, lang, settings.params) for n in book.shown_ids("element")},
        conditions={n: _element(book, c, n, lang, settings.params) for n in book.shown_ids("condition")},
        evidence=_evidence(book, c, scenario, lang),
        judgments=_with_open_points(_judgments(book, c, scenario, lang), _open_points(book, c, scenario, lang)),
        rules_fired=c.fired,
    )
