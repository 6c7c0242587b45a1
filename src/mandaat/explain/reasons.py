"""Step 1 of explaining: a firing becomes a reason, the rule's template filled from the matched facts and
shown in the reader's language, with the rule's citation."""

from __future__ import annotations

import re
from typing import Any

from ..model.report import Citation, Reason
from ..model.rulebook import Cite, Rule, Rulebook
from ..model.words import number, word
from ..run.facts import clean_number

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
    return Reason(
        rule=rule.id,
        text=fill(rule.reason.get(lang), matched, book, lang),
        observations=refs(matched, OBSERVATION_FACTS),
        judgments=refs(matched, JUDGMENT_FACTS),
        cite=citation(book, rule.cite, lang),
    )
