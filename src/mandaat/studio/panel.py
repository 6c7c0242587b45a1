"""The verdict panel: one function from a report to an HTML fragment.

Every basis's verdict, each element's and condition's status, and the reasons with their citations,
all named from the rulebook (``book.bases``, ``book.verdicts``, ``book.statuses``, ``book.elements``).
The fragment is rendered by a jinja2 template with autoescaping, so every text a scenario holds is
escaped. The page marks the reasons that changed by their ``data-reason`` keys.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape

from ..model.report import ElementReport, Report
from ..model.rulebook import Rulebook
from ..model.words import word
from ..render.html import as_dict
from ..render.memo import build_memo


@cache
def templates() -> Environment:
    """The studio's templates (autoescaped, undefined names an error)."""
    env = Environment(
        loader=ChoiceLoader(
            [PackageLoader("mandaat.studio", "templates"), PackageLoader("mandaat.render", "templates")]
        ),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": False}  # the rulebook's order is the reader's order
    return env


def _element(name: str, element: ElementReport, book: Rulebook, lang: str) -> dict[str, Any]:
    return {
        "id": name,
        "status": element.status,
        "label": book.statuses[element.status].label.get(lang),
        "title": element.title,
        "criterion": element.criterion,
        "reasons": element.reasons,
        "notes": element.notes,
    }


def _bases(report: Report, book: Rulebook, lang: str) -> list[dict[str, Any]]:
    parts = {**report.elements, **report.conditions}
    order = [name for name in book.elements if name in parts] + [n for n in parts if n not in book.elements]
    out = []
    for basis, definition in book.bases.items():
        verdict = report.verdict.get(basis)
        if verdict is None:
            continue
        out.append(
            {
                "id": basis,
                "verdict": verdict,
                "label": book.verdicts[verdict].label.get(lang),
                "title": definition.title.get(lang),
                "reasons": report.verdict_reasons.get(basis, []),
                "elements": [
                    _element(name, parts[name], book, lang)
                    for name in order
                    if name in book.elements and book.elements[name].basis == basis
                ],
            }
        )
    return out


def render_panel(report: Report, book: Rulebook, lang: str) -> str:
    """The verdict panel of ``report`` as an HTML fragment: a verdict and status overview the page can
    read (``data-verdict``, ``data-status``), then the memo itself, built and rendered as the HTML report
    is (:func:`mandaat.render.memo.build_memo`, the report's own block macros)."""
    words = {key: word(key, lang) for key in ("assessed_on", "theory", "context", "open_judgments")}
    memo = build_memo(report, book, False)
    blocks = [as_dict(b, memo) for b in [*memo.summary, *memo.body]]
    return (
        templates()
        .get_template("panel.html")
        .render(
            report=report,
            bases=_bases(report, book, lang),
            words=words,
            lang=lang,
            blocks=blocks,
            colours=memo.colours,
            outcome_classes=True,  # the page's content policy allows no inline style
        )
    )
