"""The summary every report opens with: the verdict per basis in one sentence with the grounds that decide
it, «vooralsnog» where the verdict rests on evidence that will go stale, and the open points.

It is computed from the report alone (no rule is consulted): the grounds are the verdict's own reasons,
an open point is an element or condition short of the best status, or a judgment still to be made.
"""

from __future__ import annotations

from ..model.report import Report
from ..model.rulebook import Rulebook
from ..model.words import word
from .blocks import Block, Heading, Para


def open_points(report: Report, book: Rulebook) -> list[str]:
    """Elements and conditions short of the best status, and the open judgments, in report order."""
    best = max(outcome.rank for outcome in book.statuses.values())
    lang = report.language
    points = []
    for element in [*report.elements.values(), *report.conditions.values()]:
        if book.statuses[element.status].rank < best:
            points.append(f"{element.title}: {book.statuses[element.status].label.get(lang)}")
    points += [item.text.rstrip(".") for item in report.judgments.open]
    return points


def verdict_sentence(report: Report, book: Rulebook, basis: str) -> str:
    """«Syrië: RECHTSGROND BLIJFT. <the reasons that decide it>»."""
    lang = report.language
    verdict = report.verdict[basis]
    head = word("verdict_sentence", lang).format(
        basis=book.bases[basis].name.get(lang), verdict=book.verdicts[verdict].label.get(lang)
    )
    grounds = " ".join(reason.text for reason in report.verdict_reasons.get(basis, []))
    return f"{head} {grounds}".strip()


def summary_blocks(report: Report, book: Rulebook) -> list[Block]:
    """The summary as blocks: at most fifteen lines of text at the memo's width."""
    lang = report.language
    blocks: list[Block] = [Heading(2, word("summary", lang))]
    blocks += [Para(verdict_sentence(report, book, basis)) for basis in report.verdict]
    if report.valid_until:
        blocks.append(Para(word("valid_until", lang).format(date=report.valid_until)))
    points = open_points(report, book)
    blocks.append(
        Para(word("open_points", lang).format(points="; ".join(points)) if points else word("no_open_points", lang))
    )
    return blocks
