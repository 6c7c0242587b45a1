"""The commented scenario skeleton `mandaat new` writes: valid as written (it evaluates to an undetermined
verdict, and `mandaat validate` names what is missing), with every indicator, its meaning and an
example, the Admiralty grade scale, and an example judgment, all in the reader's language. With a base
scenario it is a variant that extends the base instead."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..model.errors import safe
from ..model.rulebook import Indicator, Rulebook
from ..model.scenario import Scenario
from ..model.words import word
from ..read.policy import max_age, min_grade
from ..read.templates import context_of, reads_of
from .labels import yaml_value

SCHEMA_LINE = "# yaml-language-server: $schema=mandaat.schema.json"


def scenario_id(stem: str) -> str:
    """A scenario id from a file name: lower case, letters, digits and hyphens."""
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9-]", "-", stem.lower())).strip("-")[:100] or "scenario"


def _comment(text: str, indent: str = "") -> str:
    return f"{indent}# {text}".rstrip()


def _example(ind: Indicator) -> Any:
    if ind.type == "boolean":
        return True
    if ind.type == "enum":
        return next(iter(ind.values or [""]))
    return 1


def _indicator(name: str, ind: Indicator, today: date, lang: str) -> list[str]:
    label = f"{ind.label.get(lang)}: " if ind.label else ""
    unit = f" ({ind.unit.get(lang)})" if ind.unit else ""
    lines = [_comment(f"`{name}` — {label}{ind.description.get(lang)}{unit}", "  ")]
    if ind.values:
        shown = ", ".join(f"`{v}` ({t.get(lang)})" for v, t in ind.values.items())
        lines.append(_comment(f"({word('new_values', lang)}: {shown})", "  "))
    example = [
        f"- id: {name.replace('_', '-')}-1",
        f"  indicator: {name}",
        f"  value: {yaml_value(_example(ind))}",
        f"  date: {today.isoformat()}",
        f"  source: {{name: {word('new_source', lang)}, origin: national}}",
        "  grade: B2",
        f"  quote: {word('new_quote', lang)}",
    ]
    return lines + [_comment(line, "  ") for line in example]


def _head(book: Rulebook, lang: str, file: str) -> list[str]:
    return [
        _comment(word("new_intro", lang)),
        _comment(word("new_check", lang).format(file=safe(file))),  # a name may hold any character
        _comment(word("new_schema", lang)),
        _comment(SCHEMA_LINE),
    ]


def _grades(book: Rulebook, lang: str, today: date) -> list[str]:
    params = book.params_on(today)
    grade, days = min_grade(book, params, "fact"), max_age(book, params, "fact")
    policy = word("new_policy", lang).format(grade=grade, days=days)
    keys = ("new_grades", "new_reliability", "new_credibility")
    return ["", *(_comment(word(k, lang)) for k in keys), _comment(policy)]


def render_skeleton(book: Rulebook, lang: str, file: str, stem: str, today: date) -> str:
    """A new scenario: every indicator commented out with an example; valid and undetermined as written."""
    theories = "; ".join(f"`{n}` ({t.title.get(lang)})" for n, t in book.theories.items())
    lines = [
        *_head(book, lang, file),
        "mandaat: 1",
        f"id: {scenario_id(stem)}",
        f"title: {word('new_title', lang)}  # {word('new_title_note', lang)}",
        f"assessed_on: {today.isoformat()}  # {word('new_assessed_note', lang)}",
        f"theory: {book.theory_on(today)}  # {word('new_theory_note', lang)} {theories}",
        *_grades(book, lang, today),
        "",
        _comment(word("new_observations", lang)),
        "observations: []",
    ]
    placed: set[str] = set()
    for element_id, element in book.elements.items():
        names = [n for n in reads_of(book)[element_id] + context_of(book)[element_id] if n in book.indicators]
        indicators = [(n, book.indicators[n]) for n in names if n not in placed]
        placed.update(n for n, _ in indicators)
        if indicators:
            lines += ["", _comment(f"{element_id} — {element.title.get(lang)}", "  ")]
        for name, ind in indicators:
            lines += _indicator(name, ind, today, lang)
    terms = book.judgment_terms()
    if not terms:
        return "\n".join(lines) + "\n"
    judgment = [
        f"- term: {terms[0]}",
        "  holds: true",
        f"  by: {word('new_judgment_by', lang)}",
        f"  date: {today.isoformat()}",
        f"  rationale: {word('new_judgment_rationale', lang)}",
    ]
    lines += ["", _comment(word("new_judgments", lang)), "judgments: []", *(_comment(j, "  ") for j in judgment)]
    return "\n".join(lines) + "\n"


def render_variant(book: Rulebook, lang: str, file: str, stem: str, base: Scenario, extends: str) -> str:
    """A new variant of ``base``: its own id and title, `extends`, and commented `set`/`remove` examples."""
    lines = [
        *_head(book, lang, file),
        _comment(word("new_variant", lang).format(base=safe(extends))),
        "mandaat: 1",
        f"id: {scenario_id(stem)}",
        f"title: {yaml_value(word('new_variant_title', lang).format(title=base.title))}",
        f"extends: {yaml_value(extends)}",
        "",
        _comment(word("new_variant_assessed", lang).format(date=base.assessed_on.isoformat())),
        _comment(f"assessed_on: {base.assessed_on.isoformat()}"),
        "",
        _comment(word("new_variant_set", lang)),
        _comment("set:"),
    ]
    latest = {o.indicator: o for o in sorted(base.observations, key=lambda o: (o.as_of, o.id))}
    for obs in latest.values():
        lines.append(_comment(f"  {obs.indicator}: {yaml_value(obs.value)}  # {obs.id}, {obs.grade}, {obs.as_of}"))
    ids = ", ".join(o.id for o in base.observations)
    lines += ["", _comment(word("new_variant_remove", lang)), _comment(f"remove: [{ids}]")]
    return "\n".join(lines) + "\n"
