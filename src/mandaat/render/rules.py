"""The rulebook as `mandaat rules list` and `mandaat rules show` print it."""

from __future__ import annotations

import json
from typing import Any

from ..model.rulebook import Rule, Rulebook
from ..model.words import catalogue, with_unit, word
from .labels import outcome_label


def _establishes(book: Rulebook, rule: Rule, lang: str) -> str:
    value = rule.establishes
    if value in book.statuses or value in book.verdicts:
        return outcome_label(book, str(value), lang)
    key = f"fact_{value}"
    return word(key, lang) if key in catalogue() else value or ""


def _element(book: Rulebook, name: str, lang: str) -> str:
    """An element by its id, a basis by its name, a stage (such as evidence) in words."""
    if name in book.bases:
        return book.bases[name].name.get(lang)
    if name not in book.elements and f"stage_{name}" in catalogue():
        return word(f"stage_{name}", lang)
    return name


def _where(rule: Rule, lang: str) -> str:
    """Where the rule's authority is: the pinpoint of its quote, its reference, or «design choice»."""
    cite = rule.cite
    if cite.kind == "reference":
        return cite.reference or ""
    if cite.kind == "design_choice":
        return word("cite_design_choice", lang)
    return cite.pinpoint or ""


def render_rule_list(book: Rulebook, lang: str = "nl") -> str:
    """One line per rule: id, element, stage, what it establishes, and where the source says so (in ``lang``)."""
    rows = [
        [
            rule.id,
            _element(book, rule.element, lang),
            word(f"stage_{rule.stage}", lang),
            f"{word(f'action_{rule.action}', lang)} {_establishes(book, rule, lang)}".rstrip(),
            _where(rule, lang),
        ]
        for rule in book.rules
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[4] for row in rows]
    return "\n".join(lines) + "\n"


def render_parameter_list(book: Rulebook, lang: str = "nl") -> str:
    """One line per parameter: its value with its unit, whether it is a design choice, and why (in ``lang``)."""
    lines = []
    for name, param in book.parameters.items():
        value = param.value
        shown = with_unit(value, param.unit, lang) if isinstance(value, (int, float)) else str(value)
        choice = f" ({word('design_choice', lang)})" if param.design_choice else ""
        lines.append(f"{name} = {shown}{choice}: {param.rationale.get(lang)}")
    return "\n".join(lines) + "\n"


def render_rule(book: Rulebook, rule: Rule, compiled: dict[str, Any]) -> str:
    """One rule: where it is written, its condition as durable-rules runs it, its reasons and citation."""
    origin = book.origins[rule.id]
    cite = rule.cite
    if cite.kind == "quote" and cite.source in book.sources:
        source = book.sources[cite.source]
        citation = [
            f"source:      {source.title.en} ({source.file})",
            f"pinpoint:    {cite.pinpoint}",
            f"quote:       «{cite.quote}»",
        ]
    elif cite.kind == "reference":
        citation = [f"reference:   {cite.reference}"]
    else:
        citation = [f"design choice: {cite.rationale.en if cite.rationale else ''}"]
    lines = [
        f"rule:        {rule.id}",
        f"defined in:  {origin.file}:{origin.line}",
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
