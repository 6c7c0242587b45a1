"""Render what-if results and comparisons: side by side, then what changed and why."""

from __future__ import annotations

import json

from ..analysis.whatif import Comparison, Difference, WhatIf
from ..model.rulebook import Rulebook
from ..model.words import word
from .json import report_data
from .labels import outcome_label, row_label, table, values


def _rows(book: Rulebook) -> list[str]:
    return [*book.bases, *book.shown_ids("element"), *book.shown_ids("condition")]


def difference_lines(book: Rulebook, diff: Difference, lang: str) -> list[str]:
    """What changed between two reports, one line per status change and reason."""
    if diff.empty:
        return ["  " + word("no_change", lang)]
    lines: list[str] = []
    for element in diff.elements:
        lines.append(
            f"  {element.element}: {outcome_label(book, element.before, lang)} -> "
            f"{outcome_label(book, element.after, lang)}"
        )
        lines += [f"    + {reason.text}" for reason in element.appeared]
        lines += [f"    - {reason.text}" for reason in element.disappeared]
    if diff.evidence_added or diff.evidence_removed:
        lines.append(
            f"  {word('evidence_made_difference', lang)}: + {', '.join(diff.evidence_added) or '-'}; "
            f"- {', '.join(diff.evidence_removed) or '-'}"
        )
    return lines


def render_whatif_text(result: WhatIf, book: Rulebook, lang: str) -> str:
    """Base and variant side by side, then what changed and why."""
    head = ["", word("col_now", lang), word("col_what_if", lang)]
    before, after = values(result.base), values(result.variant)
    rows = [
        [
            row_label(book, r, lang),
            outcome_label(book, before[r], lang),
            outcome_label(book, after[r], lang) + ("  *" if before[r] != after[r] else ""),
        ]
        for r in _rows(book)
    ]
    lines = [f"{word('what_if', lang)}: {result.base.scenario.title} ({result.base.scenario.assessed_on})"]
    lines += ["  " + c.describe(book, lang) for c in result.changes] or [f"  ({word('no_change_given', lang)})"]
    lines += ["", *table(head, rows), "", word("what_changes", lang)]
    lines += difference_lines(book, result.difference, lang)
    return "\n".join(lines) + "\n"


def render_whatif_json(result: WhatIf, book: Rulebook | None = None, lang: str = "en") -> str:
    """{base, variant, changes} as JSON (the changes' ``text`` in ``lang``)."""
    data = {
        "base": report_data(result.base, book),
        "variant": report_data(result.variant, book),
        "changes": {"applied": [c.as_dict(book, lang) for c in result.changes], **result.difference.as_dict()},
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_compare_text(result: Comparison, book: Rulebook, lang: str) -> str:
    """One column per file, then what changed from each column to the next."""
    header = [""] + [r.scenario.id for r in result.reports]
    columns = [values(r) for r in result.reports]
    rows = [[row_label(book, row, lang)] + [outcome_label(book, v[row], lang) for v in columns] for row in _rows(book)]
    rows.insert(0, [word("assessed_on", lang)] + [r.scenario.assessed_on for r in result.reports])
    lines = table(header, rows)
    for before, after, diff in zip(result.reports, result.reports[1:], result.differences):
        lines += ["", f"{before.scenario.id} -> {after.scenario.id}:", *difference_lines(book, diff, lang)]
    return "\n".join(lines) + "\n"


def render_compare_json(result: Comparison, book: Rulebook | None = None) -> str:
    """The reports (citations with their parts) and the differences between consecutive columns as JSON."""
    data = {
        "reports": [report_data(r, book) for r in result.reports],
        "changes": [
            {"from": a.scenario.id, "to": b.scenario.id, **d.as_dict()}
            for a, b, d in zip(result.reports, result.reports[1:], result.differences)
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
