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
    """Elements and conditions short of the best status, and the open judgments, in report order: by title
    when there is one, else by id grouped by status («E1, E2 (verzwakt)»)."""
    best = max(outcome.rank for outcome in book.statuses.values())
    lang = report.language
    short = {n: e for n, e in {**report.elements, **report.conditions}.items() if book.statuses[e.status].rank < best}
    if len(short) <= 1:
        points = [f"{e.title}: {book.statuses[e.status].label.get(lang)}" for e in short.values()]
    else:
        by_status: dict[str, list[str]] = {}
        for name, element in short.items():
            by_status.setdefault(element.status, []).append(name)
        points = [f"{', '.join(names)} ({book.statuses[s].label.get(lang)})" for s, names in by_status.items()]
    return points + [item.text.rstrip(".") for item in report.judgments.open]


def verdict_sentence(report: Report, book: Rulebook, basis: str) -> str:
    """«Syrië: RECHTSGROND BLIJFT. <the first reason that decides it>», and how many more the long form
    gives (under «Oordeel»)."""
    lang = report.language
    verdict = report.verdict[basis]
    head = word("verdict_sentence", lang).format(
        basis=book.bases[basis].name.get(lang), verdict=book.verdicts[verdict].label.get(lang)
    )
    reasons = report.verdict_reasons.get(basis, [])
    grounds = reasons[0].text if reasons else ""
    if len(reasons) > 1:
        grounds += " " + word("more_grounds", lang).format(count=len(reasons) - 1)
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
