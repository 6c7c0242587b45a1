"""Render tipping points: a short briefing, the element closest to the edge first."""

from __future__ import annotations

import json

from ..analysis.flips import Flip, Flips
from ..model.rulebook import Rulebook
from ..model.words import duration, number, word
from .blocks import Block, Heading, Para, Table
from .labels import outcome_label, row_label


def _flip_line(book: Rulebook, flip: Flip, lang: str) -> str:
    changes = " + ".join(c.describe(book, lang) for c in flip.changes)
    proof = "" if flip.verified else word("not_confirmed", lang)
    return f"{outcome_label(book, flip.before, lang)} -> {outcome_label(book, flip.after, lang)}: {changes}{proof}"


def _closest(book: Rulebook, result: Flips, lang: str) -> list[str]:
    """The factual element nearest to moving the worse way, and what that does to the first basis."""
    elements = set(book.element_ids("element"))
    worse = [f for fl in result.elements.values() for f in fl if f.direction() == "worse" and f.target in elements]
    if not worse:
        return []
    basis = next(iter(book.bases))
    edge = min(worse, key=lambda f: (f.distance, f.target))
    verdict = next((f for f in result.verdicts[basis] if f.changes == edge.changes), None)
    after = outcome_label(book, verdict.after if verdict else edge.after, lang)
    return [
        f"{word('closest_to_edge', lang)}: {edge.target}; {edge.changes[0].describe(book, lang)} -> "
        f"{book.bases[basis].name.get(lang)} {after}."
    ]


def render_flips_text(result: Flips, book: Rulebook, lang: str) -> str:
    """A short briefing: the element closest to the edge first, then every tipping point."""
    seconds = duration(result.seconds, lang)
    lines = [f"{word('tipping_points', lang)}: {result.scenario} ({result.assessed_on})", *_closest(book, result, lang)]
    lines += ["", word("per_element", lang)]
    for name, items in result.elements.items():
        if not items:
            current = outcome_label(book, result.outcome.statuses[name], lang)
            lines.append(f"  {name} ({current}): {word('no_single_change', lang)}")
        lines += [f"  {name}  {_flip_line(book, flip, lang)}" for flip in items]
    lines += ["", word("per_basis", lang)]
    for basis, items in result.verdicts.items():
        lines += [f"  {row_label(book, basis, lang)}  {_flip_line(book, flip, lang)}" for flip in items]
    lines += ["", word("combinations", lang)]
    lines += [f"  {row_label(book, f.target, lang)}  {_flip_line(book, f, lang)}" for f in result.combinations]
    if not result.combinations:
        lines.append("  " + word("none_found", lang))
    count = word("evaluations_one" if result.evaluations == 1 else "evaluations_other", lang)
    footer = word("flips_footer", lang).format(
        evaluations=count.format(n=number(result.evaluations, lang)), seconds=seconds
    )
    lines += ["", footer]
    return "\n".join(lines) + "\n"


def _flip_row(book: Rulebook, name: str, flip: Flip, lang: str) -> tuple[list[str], list[str]]:
    changes = " + ".join(c.describe(book, lang) for c in flip.changes)
    proof = "" if flip.verified else word("not_confirmed", lang)
    before, after = outcome_label(book, flip.before, lang), outcome_label(book, flip.after, lang)
    return [name, before, after, changes + proof], ["", flip.before, flip.after, ""]


def _flip_table(book: Rulebook, flips: list[tuple[str, Flip]], lang: str) -> Table:
    head = [word("col_target", lang), word("col_from", lang), word("col_to", lang), word("col_change", lang)]
    rows = [_flip_row(book, name, flip, lang) for name, flip in flips]
    return Table(head, [row for row, _ in rows], cell_keys=[keys for _, keys in rows])


def flips_blocks(result: Flips, book: Rulebook, lang: str) -> list[Block]:
    """The tipping points as tables (Markdown and HTML): per element, per basis, then combinations."""
    blocks: list[Block] = [Para(f"{result.scenario} ({result.assessed_on})", lead=word("tipping_points", lang))]
    blocks += [Para(line) for line in _closest(book, result, lang)]
    blocks.append(Heading(2, word("per_element", lang).rstrip(":")))
    none = [name for name, items in result.elements.items() if not items]
    blocks.append(_flip_table(book, [(n, f) for n, items in result.elements.items() for f in items], lang))
    for name in none:
        current = outcome_label(book, result.outcome.statuses[name], lang)
        blocks.append(Para(f"{name} ({current}): {word('no_single_change', lang)}"))
    blocks.append(Heading(2, word("per_basis", lang).rstrip(":")))
    verdicts = [(row_label(book, b, lang), f) for b, items in result.verdicts.items() for f in items]
    blocks.append(_flip_table(book, verdicts, lang))
    blocks.append(Heading(2, word("combinations", lang).rstrip(":")))
    if result.combinations:
        blocks.append(_flip_table(book, [(row_label(book, f.target, lang), f) for f in result.combinations], lang))
    else:
        blocks.append(Para(word("none_found", lang)))
    count = word("evaluations_one" if result.evaluations == 1 else "evaluations_other", lang)
    evaluations = count.format(n=number(result.evaluations, lang))
    blocks.append(
        Para(word("flips_footer", lang).format(evaluations=evaluations, seconds=duration(result.seconds, lang)))
    )
    return blocks


def render_flips_json(result: Flips, book: Rulebook | None = None, lang: str = "en") -> str:
    """Tipping points as JSON (each change's ``text`` in ``lang``)."""
    data = result.as_dict()
    groups = [
        *zip(data["elements"].values(), result.elements.values()),
        *zip(data["verdict_flips"].values(), result.verdicts.values()),
        (data["combinations"], result.combinations),
    ]
    for dumped, flips in groups:
        for entry, flip in zip(dumped, flips):
            entry["changes"] = [c.as_dict(book, lang) for c in flip.changes]
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
