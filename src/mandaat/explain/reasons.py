"""Step 1 of explaining: a firing becomes a reason, the rule's template filled from the matched facts and
shown in the reader's language, with the rule's citation."""

from __future__ import annotations

import re
from typing import Any

from ..model.report import Citation, Reason
from ..model.rulebook import Cite, Rule, Rulebook
from ..model.scenario import clean_number
from ..model.words import number, with_unit, word

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\.([a-z_]+)\}")
OBSERVATION_FACTS = ("obs", "relied", "current", "evidence")
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
    parts = _SPLIT.get(template)
    if parts is None:  # literal, alias, field, literal, ...: split once per template
        parts = _SPLIT[template] = _PLACEHOLDER.split(template)
    out = [parts[0]]
    for i in range(1, len(parts), 3):
        out += (_one(matched.get(parts[i], {}), parts[i + 1], book, lang), parts[i + 2])
    return "".join(out)


_SPLIT: dict[str, list[str]] = {}


def _one(fact: dict[str, Any], name: str, book: Rulebook, lang: str) -> str:
    if name == "value":
        return display_value(book, str(fact.get("indicator", "")), _fact_value(fact), lang)
    if name == "quantity":  # a count with its unit, singular for one («1 aanval per week»)
        ind = book.indicators.get(str(fact.get("indicator", "")))
        value = _fact_value(fact)
        if ind is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
            return with_unit(clean_number(value), ind.unit, lang)
        return display_value(book, str(fact.get("indicator", "")), value, lang)
    value = fact.get(name, "?")
    if isinstance(value, bool):
        return word("yes" if value else "no", lang)
    if isinstance(value, (int, float)):
        return number(value, lang)
    return str(value)


def citation(book: Rulebook, cite: Cite, lang: str) -> Citation:
    """A rulebook citation as it appears in a report (made once per citation and language: it is frozen)."""
    made: dict[tuple[int, str], tuple[Cite, Citation]] = book.derived("citations", lambda _: {})
    known = made.get((id(cite), lang))
    if known is not None and known[0] is cite:
        return known[1]
    result = made[(id(cite), lang)] = (cite, _citation(book, cite, lang))
    return result[1]


def _citation(book: Rulebook, cite: Cite, lang: str) -> Citation:
    """A rulebook citation as it appears in a report (quote fields empty for the other kinds)."""
    source = cite.source or ""
    return Citation(
        source=source,
        source_title=book.sources[source].title.get(lang) if source in book.sources else "",
        pinpoint=cite.pinpoint or "",
        quote=cite.quote or "",
        kind=cite.kind,
        reference=cite.reference,
        rationale=cite.rationale.get(lang) if cite.rationale else None,
    )


def refs(matched: dict[str, dict[str, Any]], kinds: tuple[str, ...]) -> list[str]:
    """The observation or judgment references among the matched facts, sorted."""
    found = {f["ref"] for f in matched.values() if f.get("t") in kinds and "ref" in f}
    return sorted(found)


def reason(book: Rulebook, rule: Rule, matched: dict[str, dict[str, Any]], lang: str) -> Reason:
    """One firing as a cited reason."""
    observations: set[str] = set()
    judgments: set[str] = set()
    for fact in matched.values():  # refs() for both kinds in one pass
        kind = fact.get("t")
        if "ref" in fact and (kind in OBSERVATION_FACTS or kind in JUDGMENT_FACTS):
            (observations if kind in OBSERVATION_FACTS else judgments).add(fact["ref"])
    return Reason(
        rule=rule.id,
        text=fill(rule.reason.get(lang), matched, book, lang),
        observations=sorted(observations),
        judgments=sorted(judgments),
        cite=citation(book, rule.cite, lang),
    )
