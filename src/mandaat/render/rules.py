"""The rulebook as `mandaat rules list` and `mandaat rules show` print it: the declarations a lawyer reads,
and, on request, the rules durable-rules runs that each declaration became."""

from __future__ import annotations

import json
from typing import Any

from ..model.rulebook import Rule, Rulebook, Test
from ..model.words import with_unit, word
from .labels import outcome_label


def _test(test: Test) -> str:
    """A test in one line: its template and what it reads."""
    template = test.template
    if template == "threshold":
        return f"threshold {test.threshold} (>= {test.met_at_least}, <= {test.not_met_at_most})"
    if template == "flag":
        return f"flag {test.flag} (true: {test.true_}, false: {test.false_}, missing: {test.missing})"
    if template == "levels":
        shown = ", ".join(f"{k}: {v}" for k, v in (test.statuses or {}).items())
        return f"levels {test.levels} ({shown})"
    if template == "table":
        reads = list(dict.fromkeys(i for row in test.table or [] for i in row.when))
        return f"table of {len(test.table or [])} rows over {', '.join(reads)}"
    if template in ("any", "all", "best"):
        return f"{template}[" + "; ".join(_test(t) for t in getattr(test, template)) + "]"
    return "by theory: " + "; ".join(f"{t}: {_test(part)}" for t, part in (test.by_theory or {}).items())


def _cite(book: Rulebook, cite_id: str, lang: str) -> str:
    cite = book.cite(cite_id)
    if cite.kind == "reference" and cite.reference:
        return cite.reference.get(lang)
    if cite.kind == "design_choice":
        return word("cite_design_choice", lang)
    return cite.pinpoint or ""


def render_rule_list(book: Rulebook, lang: str = "nl") -> str:
    """The declarations: each element and condition with its test, the evidence policy, the verdict tables."""
    lines = []
    for name, element in book.elements.items():
        lines.append(f"{name} ({book.bases[element.basis].name.get(lang)}) {element.title.get(lang)}")
        lines.append(f"    {word('rules_test', lang)}: `{_test(element.test)}`")
        lines.append(f"    {word('rules_source', lang)}: {_cite(book, element.cite, lang)}")
    lines.append("")
    for kind, policy in book.policy.kinds.items():
        lines.append(f"{word('rules_policy', lang)} `{kind}`: `{', '.join(policy.parameters())}`")
    lines.append("")
    for basis, rows in book.verdict_table.items():
        for row in rows:
            grounds = "; ".join(f"{'/'.join(g.kinds())} {'/'.join(g.statuses())}" for g in row.grounds)
            shown = f" <- `{grounds}`" if grounds else ""
            lines.append(f"{book.bases[basis].name.get(lang)}: {outcome_label(book, row.verdict, lang)}{shown}")
    return "\n".join(lines) + "\n"


def render_parameter_list(book: Rulebook, lang: str = "nl") -> str:
    """One line per parameter: its value with its unit (and earlier values, dated), whether it is a design
    choice, and why, with the value in force filled in (in ``lang``)."""
    from ..explain.reasons import fill

    lines = []
    today = max(max(p.values) for p in book.parameters.values())
    params = book.params_on(today)
    for name, param in book.parameters.items():
        value = param.value
        shown = with_unit(value, param.unit, lang) if isinstance(value, (int, float)) else str(value)
        if len(param.values) > 1:
            shown += " (" + ", ".join(f"{day.isoformat()}: {v}" for day, v in sorted(param.values.items())) + ")"
        choice = f" ({word('design_choice', lang)})" if param.design_choice else ""
        rationale = fill(param.rationale.get(lang), {}, book, lang, {**params, "value": value})
        lines.append(f"{name} = {shown}{choice}: {rationale}")
    return "\n".join(lines) + "\n"


def declaration_of(book: Rulebook, rule: Rule) -> str:
    """The declaration a compiled rule came from: an element, a basis's verdict table, or the evidence policy."""
    return rule.element


def render_declaration(book: Rulebook, ident: str, rules: list[Rule], lang: str) -> str:
    """A declaration: where it is written, what it says, and the ids of the rules it compiles into."""
    place = book.origins.get(f"elements.yaml › {ident}") or book.origins.get(f"verdicts.yaml › {ident} › 0")
    place = place or book.origins.get("evidence.yaml")
    lines = [f"declaration: {ident}"]
    if place is not None:
        lines.append(f"defined in:  {place.file}:{place.line}")
    if ident in book.elements:
        element = book.elements[ident]
        lines += [
            f"kind:        {element.kind} ({element.basis})",
            f"title:       {element.title.get(lang)}",
            f"test:        {_test(element.test)}",
            f"citation:    {element.cite} ({_cite(book, element.cite, lang)})",
        ]
    lines.append(f"compiles into {len(rules)} rules (`mandaat rules show --compiled {ident}` shows them):")
    lines += [f"  {rule.id}" for rule in rules]
    return "\n".join(lines) + "\n"


def render_rule(book: Rulebook, rule: Rule, compiled: dict[str, Any]) -> str:
    """One compiled rule: the declaration it came from, its condition as durable-rules runs it, its reason
    and citation."""
    cite = book.cite(rule.cite)
    if cite.kind == "quote" and cite.source in book.sources:
        source = book.sources[cite.source]
        citation = [
            f"source:      {source.title.en} ({source.file})",
            f"pinpoint:    {cite.pinpoint}",
            f"quote:       «{cite.quote}»",
        ]
    elif cite.kind == "reference" and cite.reference:
        citation = [f"reference:   {cite.reference.en}"]
    else:
        citation = [f"design choice: {cite.rationale.en if cite.rationale else ''}"]
    lines = [
        f"rule:        {rule.id}",
        f"compiled from: {rule.origin}",
        f"element:     {rule.element}",
        f"stage:       {rule.stage}",
        f"action:      {rule.action}" + (f" {rule.establishes}" if rule.establishes else ""),
        "condition (durable-rules, as compiled):",
        *("  - " + json.dumps(p, ensure_ascii=False) for p in compiled["all"]),
        f"reason (nl): {rule.reason.nl}",
        f"reason (en): {rule.reason.en}",
        *citation,
    ]
    return "\n".join(lines) + "\n"
