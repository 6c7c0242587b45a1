"""The rulebook as `mandaat rules list` and `mandaat rules show` print it."""

from __future__ import annotations

import json
from typing import Any

from ..model.rulebook import Rule, Rulebook


def render_rule_list(book: Rulebook) -> str:
    """One line per rule: id, element, stage, what it establishes, and where the letter says so."""
    width = max(len(r.id) for r in book.rules)
    lines = []
    for rule in book.rules:
        what = f"{rule.action} {rule.establishes}" if rule.establishes else rule.action
        lines.append(
            f"{rule.id:<{width}}  {rule.element:<8} {rule.stage:<9} {what:<22} {rule.cite.pinpoint or rule.cite.kind}"
        )
    return "\n".join(lines) + "\n"


def render_parameter_list(book: Rulebook) -> str:
    """One line per parameter: its value, whether it is a design choice, and why."""
    lines = []
    for name, param in book.parameters.items():
        choice = " (design choice)" if param.design_choice else ""
        lines.append(f"{name} = {param.value}{choice}: {param.rationale.en}")
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
