"""Render what-if results: a side-by-side change, a comparison table, tipping points, a timeline."""

from __future__ import annotations

import json


from ..model.words import word
from ..model.report import Report
from ..analysis.timeline import ROWS, Timeline
from ..analysis.whatif import Comparison, Difference, WhatIf
from ..analysis.flips import Flip, Flips

LABELS = {"nl": {"syria": "Syrië", "iraq": "Irak"}, "en": {"syria": "Syria", "iraq": "Iraq"}}


def _label(row: str, lang: str) -> str:
    return LABELS[lang].get(row, row)


def _status(value: str, lang: str) -> str:
    return word(value, lang).lower() if value in ("holds", "at_risk", "undetermined", "lapsed") else word(value, lang)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _values(report: Report) -> dict[str, str]:
    statuses = {n: e.status for n, e in {**report.elements, **report.conditions}.items()}
    return {"syria": report.verdict.syria, "iraq": report.verdict.iraq, **statuses}


def _difference_lines(diff: Difference, lang: str) -> list[str]:
    if diff.empty:
        return ["  " + {"nl": "Geen verandering.", "en": "No change."}[lang]]
    lines: list[str] = []
    for element in diff.elements:
        lines.append(f"  {element.element}: {_status(element.before, lang)} -> {_status(element.after, lang)}")
        for reason in element.appeared:
            lines.append(f"    + {reason.text} [{reason.rule}]")
        for reason in element.disappeared:
            lines.append(f"    - {reason.text} [{reason.rule}]")
    if diff.evidence_added or diff.evidence_removed:
        made = {"nl": "Bewijs dat het verschil maakt", "en": "Evidence that made the difference"}[lang]
        lines.append(f"  {made}: + {', '.join(diff.evidence_added) or '-'}; - {', '.join(diff.evidence_removed) or '-'}")
    return lines


def render_whatif_text(result: WhatIf, lang: str) -> str:
    """Base and variant side by side, then what changed and why."""
    head = {"nl": ["", "nu", "wat als"], "en": ["", "now", "what if"]}[lang]
    before, after = _values(result.base), _values(result.variant)
    rows = [[_label(r, lang), _status(before[r], lang), _status(after[r], lang) + ("  *" if before[r] != after[r] else "")]
            for r in (*ROWS, "REP", "UNSC")]
    title = {"nl": "Wat als", "en": "What if"}[lang]
    lines = [f"{title}: {result.base.scenario.title} ({result.base.scenario.assessed_on})"]
    lines += ["  " + c.describe() for c in result.changes] or ["  (" + {"nl": "geen wijziging", "en": "no change"}[lang] + ")"]
    lines += [""] + _table(head, rows) + [""]
    lines.append({"nl": "Wat er verandert:", "en": "What changes:"}[lang])
    lines += _difference_lines(result.difference, lang)
    return "\n".join(lines) + "\n"


def render_whatif_json(result: WhatIf) -> str:
    """{base, variant, changes} as JSON."""
    data = {"base": result.base.model_dump(mode="json"), "variant": result.variant.model_dump(mode="json"),
            "changes": {"applied": [c.as_dict() for c in result.changes], **result.difference.as_dict()}}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_compare_text(result: Comparison, lang: str) -> str:
    """One column per file, then what changed from each column to the next."""
    header = [""] + [r.scenario.id for r in result.reports]
    values = [_values(r) for r in result.reports]
    rows = [[_label(row, lang)] + [_status(v[row], lang) for v in values] for row in (*ROWS, "REP", "UNSC")]
    rows.insert(0, [{"nl": "beoordeeld op", "en": "assessed on"}[lang]] + [r.scenario.assessed_on for r in result.reports])
    lines = _table(header, rows)
    for before, after, diff in zip(result.reports, result.reports[1:], result.differences):
        lines += ["", f"{before.scenario.id} -> {after.scenario.id}:"] + _difference_lines(diff, lang)
    return "\n".join(lines) + "\n"


def render_compare_json(result: Comparison) -> str:
    """The reports and the differences between consecutive columns as JSON."""
    data = {"reports": [r.model_dump(mode="json") for r in result.reports],
            "changes": [{"from": a.scenario.id, "to": b.scenario.id, **d.as_dict()}
                        for a, b, d in zip(result.reports, result.reports[1:], result.differences)]}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _flip_line(flip: Flip, lang: str) -> str:
    changes = " + ".join(c.describe() for c in flip.changes)
    proof = "" if flip.verified else " (NOT CONFIRMED on re-evaluation)"
    return f"{_status(flip.before, lang)} -> {_status(flip.after, lang)}: {changes}{proof}"


def render_flips_text(result: Flips, lang: str) -> str:
    """A short briefing: the element closest to the edge first, then every tipping point."""
    lines = [{"nl": "Kantelpunten", "en": "Tipping points"}[lang] + f": {result.scenario} ({result.assessed_on})"]
    worse = [f for fl in result.elements.values() for f in fl if f.direction() == "worse"
             and f.target in ("E1", "E2", "E3", "E4")]
    if worse:
        edge = min(worse, key=lambda f: (f.distance, f.target))
        verdict = next((f for f in result.verdicts["syria"] if f.changes == edge.changes), None)
        after = _status(verdict.after, lang) if verdict else _status(edge.after, lang)
        closest = {"nl": "Het dichtst bij de rand", "en": "Closest to the edge"}[lang]
        lines.append(f"{closest}: {edge.target}; {edge.changes[0].describe()} -> Syria {after}.")
    lines.append("")
    lines.append({"nl": "Per element (kleinste enkele wijziging per uitkomst):",
                  "en": "Per element (smallest single change per outcome):"}[lang])
    for name, items in result.elements.items():
        current = result.outcome.statuses[name]
        if not items:
            lines.append(f"  {name} ({_status(current, lang)}): " + {"nl": "geen enkele wijziging verandert dit",
                                                                    "en": "no single change moves it"}[lang])
        for flip in items:
            lines.append(f"  {name}  {_flip_line(flip, lang)}")
    lines.append("")
    lines.append({"nl": "Per rechtsgrond:", "en": "Per basis:"}[lang])
    for basis, items in result.verdicts.items():
        for flip in items:
            lines.append(f"  {_label(basis, lang)}  {_flip_line(flip, lang)}")
    lines.append("")
    lines.append({"nl": "Kleinste combinaties (tot twee wijzigingen):",
                  "en": "Smallest combinations (up to two changes):"}[lang])
    for flip in result.combinations:
        lines.append(f"  {_label(flip.target, lang)}  {_flip_line(flip, lang)}")
    if not result.combinations:
        lines.append("  " + {"nl": "geen gevonden", "en": "none found"}[lang])
    lines.append("")
    lines.append(f"({result.evaluations} evaluations, {result.seconds:.2f} s; every flip above was evaluated again)")
    return "\n".join(lines) + "\n"


def render_flips_json(result: Flips) -> str:
    """Tipping points as JSON."""
    return json.dumps(result.as_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_timeline_text(line: Timeline, lang: str) -> str:
    """Dates down, bases and elements across; then every move with its reason."""
    header = [{"nl": "datum", "en": "date"}[lang], "scenario"] + [_label(r, lang) for r in ROWS]
    rows = [[r.scenario.assessed_on, r.scenario.id] + [_status(line.value(r, row), lang) for row in ROWS]
            for r in line.reports]
    lines = _table(header, rows)
    lines += ["", {"nl": "Bewegingen:", "en": "Moves:"}[lang]]
    for move in line.moves:
        lines.append(f"  {move.date} {_label(move.row, lang)}: {_status(move.before, lang)} -> "
                     f"{_status(move.after, lang)}. {move.reason}")
    if not line.moves:
        lines.append("  " + {"nl": "geen", "en": "none"}[lang])
    return "\n".join(lines) + "\n"


def render_timeline_json(line: Timeline) -> str:
    """The timeline as JSON."""
    return json.dumps(line.as_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


