"""The tipping points on the sliders: where `flips` finds that moving one count changes an element's
status or a basis's verdict, with the words a reader needs."""

from __future__ import annotations

from typing import Any

from ..analysis.flips import flips
from ..model.rulebook import Rulebook
from ..model.scenario import Scenario
from ..pipeline import Options
from ..render.labels import outcome_label, row_label


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def marks(scenario: Scenario, book: Rulebook, options: Options = Options()) -> dict[str, list[dict[str, Any]]]:
    """For each numeric indicator, the verified single-step tipping points: where on its slider, what
    moves, from what to what, and in words."""
    found = flips(scenario, book, options)
    lang = options.lang
    out: dict[str, list[dict[str, Any]]] = {}
    for target, items in {**found.elements, **found.verdicts}.items():
        for flip in items:
            change = flip.changes[0]
            if len(flip.changes) != 1 or not flip.verified or change.kind != "set" or not _number(change.value):
                continue
            at = change.threshold if change.threshold is not None else change.value
            words = (
                f"{row_label(book, target, lang)}: {outcome_label(book, flip.before, lang)} → "
                f"{outcome_label(book, flip.after, lang)}"
            )
            out.setdefault(change.target, []).append(
                {
                    "at": at,
                    "value": change.value,
                    "target": target,
                    "after": flip.after,
                    "direction": flip.direction(),
                    "text": words,
                }
            )
    for found_marks in out.values():
        found_marks.sort(key=lambda m: (m["at"], m["target"]))
    return out
