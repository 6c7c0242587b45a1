"""Render what-if results and comparisons: side by side, then what changed and why."""

from __future__ import annotations

import json

from ..analysis.whatif import Comparison, Difference, WhatIf
from ..model.rulebook import Rulebook
from ..model.words import word
from .blocks import Block, Heading, Item, Items, Para, Table
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


def difference_blocks(book: Rulebook, diff: Difference, lang: str) -> list[Block]:
    """What changed between two reports as blocks: per element its move, the reasons that appear and go."""
    if diff.empty:
        return [Para(word("no_change", lang))]
    blocks: list[Block] = []
    for element in diff.elements:
        move = f"{outcome_label(book, element.before, lang)} → {outcome_label(book, element.after, lang)}"
        blocks.append(Heading(3, f"{element.element}: {move}"))
        if element.appeared:
            items = [Item(reason.text, rule=reason.rule) for reason in element.appeared]
            blocks.append(Items(items, lead=word("reasons_appear", lang)))
        if element.disappeared:
            items = [Item(reason.text, rule=reason.rule) for reason in element.disappeared]
            blocks.append(Items(items, lead=word("reasons_go", lang)))
    if diff.evidence_added or diff.evidence_removed:
        added, removed = ", ".join(diff.evidence_added) or "-", ", ".join(diff.evidence_removed) or "-"
        blocks.append(Para(f"+ {added}; - {removed}", lead=word("evidence_made_difference", lang)))
    return blocks


def _side_by_side(result: WhatIf, book: Rulebook, lang: str) -> tuple[list[list[str]], list[list[str]]]:
    """The rows of base and variant (name, now, what if, changed) and the outcome each cell shows."""
    before, after = values(result.base), values(result.variant)
    rows, keys = [], []
    for r in _rows(book):
        changed = word("yes", lang) if before[r] != after[r] else ""
        rows.append(
            [
                row_label(book, r, lang),
                outcome_label(book, before[r], lang),
                outcome_label(book, after[r], lang),
                changed,
            ]
        )
        keys.append(["", before[r], after[r], ""])
    return rows, keys


def _whatif_head(result: WhatIf) -> str:
    return f"{result.base.scenario.title} ({result.base.scenario.assessed_on})"


def render_whatif_text(result: WhatIf, book: Rulebook, lang: str) -> str:
    """Base and variant side by side, then what changed and why."""
    head = ["", word("col_now", lang), word("col_what_if", lang)]
    rows = [
        [name, now, then + ("  *" if changed else "")]
        for name, now, then, changed in _side_by_side(result, book, lang)[0]
    ]
    lines = [f"{word('what_if', lang)}: {_whatif_head(result)}"]
    lines += ["  " + c.describe(book, lang) for c in result.changes] or [f"  ({word('no_change_given', lang)})"]
    lines += ["", *table(head, rows), "", word("what_changes", lang)]
    lines += difference_lines(book, result.difference, lang)
    return "\n".join(lines) + "\n"


def whatif_blocks(result: WhatIf, book: Rulebook, lang: str) -> list[Block]:
    """Base and variant side by side as a table, then what changed and why (Markdown and HTML)."""
    changes = [Item(c.describe(book, lang)) for c in result.changes]
    rows, keys = _side_by_side(result, book, lang)
    head = [word("col_row", lang), word("col_now", lang), word("col_what_if", lang), word("col_changed", lang)]
    blocks: list[Block] = [Para(_whatif_head(result), lead=word("what_if", lang))]
    blocks.append(
        Items(changes, lead=word("changes_given", lang)) if changes else Para(f"({word('no_change_given', lang)})")
    )
    blocks += [Table(head, rows, cell_keys=keys), Heading(2, word("what_changes", lang).rstrip(":"))]
    return blocks + difference_blocks(book, result.difference, lang)


def render_whatif_json(result: WhatIf, book: Rulebook | None = None, lang: str = "en") -> str:
    """{base, variant, changes} as JSON (the changes' ``text`` in ``lang``)."""
    data = {
        "base": report_data(result.base, book),
        "variant": report_data(result.variant, book),
        "changes": {"applied": [c.as_dict(book, lang) for c in result.changes], **result.difference.as_dict()},
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _columns(result: Comparison, book: Rulebook, lang: str) -> tuple[list[list[str]], list[list[str]]]:
    """One row per basis and element (after the dates), one column per file; and each cell's outcome."""
    columns = [values(r) for r in result.reports]
    rows = [[row_label(book, row, lang)] + [outcome_label(book, v[row], lang) for v in columns] for row in _rows(book)]
    keys = [[""] + [v[row] for v in columns] for row in _rows(book)]
    rows.insert(0, [word("assessed_on", lang)] + [r.scenario.assessed_on for r in result.reports])
    keys.insert(0, [""] * (len(columns) + 1))
    return rows, keys


def render_compare_text(result: Comparison, book: Rulebook, lang: str) -> str:
    """One column per file, then what changed from each column to the next."""
    header = [""] + [r.scenario.id for r in result.reports]
    lines = table(header, _columns(result, book, lang)[0])
    for before, after, diff in zip(result.reports, result.reports[1:], result.differences):
        lines += ["", f"{before.scenario.id} -> {after.scenario.id}:", *difference_lines(book, diff, lang)]
    return "\n".join(lines) + "\n"


def compare_blocks(result: Comparison, book: Rulebook, lang: str) -> list[Block]:
    """One column per file as a table, then what changed from each column to the next (Markdown and HTML)."""
    rows, keys = _columns(result, book, lang)
    blocks: list[Block] = [
        Table([word("col_row", lang)] + [r.scenario.id for r in result.reports], rows, cell_keys=keys)
    ]
    for before, after, diff in zip(result.reports, result.reports[1:], result.differences):
        blocks.append(Heading(2, f"{before.scenario.id} → {after.scenario.id}"))
        blocks += difference_blocks(book, diff, lang)
    return blocks


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
