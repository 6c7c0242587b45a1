"""Step 1 of explaining: a firing becomes a reason, the rule's text filled from the matched facts and the
values in force, shown in the reader's language, with the rule's citation."""

from __future__ import annotations

import re
from typing import Any

from ..model.report import Citation, Reason
from ..model.rulebook import Rule, Rulebook
from ..model.scenario import clean_number
from ..model.words import number, with_unit, word

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?:\.([a-z_]+))?\}")
OBSERVATION_FACTS = ("obs", "relied", "current", "evidence", "cls", "combo")


def display_value(book: Rulebook, indicator: str, value: Any, lang: str) -> str:
    """An observation value as a reader of ``lang`` would write it."""
    ind = book.vocab(indicator) if book.knows(indicator) else None
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


def _shown_param(value: Any, lang: str) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(clean_number(value), lang)
    return str(value)


def fill(template: str, matched: dict[str, dict[str, Any]], book: Rulebook, lang: str, params: dict[str, Any]) -> str:
    """Fill ``{alias.field}`` from matched facts and ``{NAME}`` with the value in force of parameter NAME."""

    def one(match: re.Match[str]) -> str:
        alias, name = match.group(1), match.group(2)
        if name is None:
            if alias in params:
                return _shown_param(params[alias], lang)
            return match.group(0)
        return _one(matched.get(alias, {}), name, book, lang)

    return _PLACEHOLDER.sub(one, template)


def _one(fact: dict[str, Any], name: str, book: Rulebook, lang: str) -> str:
    indicator = str(fact.get("indicator", ""))
    if name == "value":
        return display_value(book, indicator, _fact_value(fact), lang)
    if name == "quantity":  # a count with its unit, singular for one («1 aanval per week»)
        ind = book.vocab(indicator) if book.knows(indicator) else None
        value = _fact_value(fact)
        if ind is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
            return with_unit(clean_number(value), ind.unit, lang)
        return display_value(book, indicator, value, lang)
    if name == "label":
        ind = book.vocab(indicator) if book.knows(indicator) else None
        return ind.label.get(lang) if ind is not None and ind.label is not None else indicator
    if name == "status" and fact.get("status") in book.statuses:
        return book.statuses[str(fact["status"])].label.get(lang)
    value = fact.get(name, "?")
    if isinstance(value, bool):
        return word("yes" if value else "no", lang)
    if isinstance(value, (int, float)):
        return number(value, lang)
    return str(value)


def citation(book: Rulebook, cite_id: str, lang: str, params: dict[str, Any]) -> Citation:
    """A rulebook citation as it appears in a report; a design choice's rationale filled with the values
    in force."""
    cite = book.cite(cite_id)
    source = cite.source or ""
    return Citation(
        source=source,
        source_title=book.sources[source].title.get(lang) if source in book.sources else "",
        pinpoint=cite.pinpoint or "",
        quote=cite.quote or "",
        kind=cite.kind,
        reference=cite.reference.get(lang) if cite.reference else None,
        rationale=fill(cite.rationale.get(lang), {}, book, lang, params) if cite.rationale else None,
    )


def refs(matched: dict[str, dict[str, Any]]) -> list[str]:
    """The reading references among the matched facts, sorted."""
    return sorted({f["ref"] for f in matched.values() if f.get("t") in OBSERVATION_FACTS and "ref" in f})


def reason(book: Rulebook, rule: Rule, matched: dict[str, dict[str, Any]], lang: str, params: dict[str, Any]) -> Reason:
    """One firing as a cited reason. A ground takes the text its element declares for it, where it has one."""
    text, cite_id = rule.reason, rule.cite
    if rule.action == "contest" and rule.fact is not None:  # an element may say a contest in its own words
        element = book.elements.get(str(matched[rule.fact].get("el")))
        own = element.say.get("contested") if element else None
        if own is not None:
            text, cite_id = own, own.cite
    if rule.action == "ground" and rule.fact is not None:
        element = book.elements.get(str(matched[rule.fact].get("element")))
        own = element.grounds.get(str(matched[rule.fact].get("status"))) if element else None
        if own is not None:
            text, cite_id = own, own.cite
    if rule.fact is not None and "o" not in matched and rule.fact in matched:
        matched = {**matched, "o": matched[rule.fact]}
    observations: set[str] = set()
    judgments: set[str] = set()
    resting = matched if rule.rests_on is None else {a: matched[a] for a in rule.rests_on if a in matched}
    for fact in resting.values():
        if "ref" in fact and fact.get("t") in OBSERVATION_FACTS:
            (judgments if fact.get("kind") == "judgment" else observations).add(fact["ref"])
    return Reason(
        rule=rule.id,
        text=fill(text.get(lang), matched, book, lang, params),
        observations=sorted(observations),
        judgments=sorted(judgments),
        cite=citation(book, cite_id, lang, params),
    )
