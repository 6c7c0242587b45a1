"""Which page of a source a quote stands on, from the page furniture the seed text keeps.

A seed extracted from a PDF keeps the footer line that closes a page (``page_footer`` in
``rules/sources.yaml``). The text is cut at every such line; a quote's page is the source's first page
plus the number of cuts before it. A quote that runs across a cut is on the page where it starts. Quotes
are matched as :mod:`mandaat.read.quotes` matches them (whitespace collapsed, split words rejoined).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .quotes import normalise, readings

LINES_PER_PAGE = 80  # more lines than a printed page of a letter or a treaty holds


@lru_cache(maxsize=8)
def _pages(path: Path, footer: str) -> tuple[tuple[str, str], ...]:
    pages: list[list[str]] = [[]]
    closing = normalise(footer)
    for line in path.read_text(encoding="utf-8").splitlines():
        if normalise(line) == closing:
            pages.append([])
        else:
            pages[-1].append(line)
    return tuple(readings("\n".join(lines)) for lines in pages)


def page_of(path: Path, quote: str, footer: str | None, first_page: int = 1) -> int | None:
    """The page ``quote`` starts on in the seed at ``path``; None without page furniture or a match."""
    if not footer or not path.is_file():
        return None
    wanted = normalise(quote)
    pages = _pages(path, footer)
    for number, page in enumerate(pages):
        if any(wanted in reading for reading in page):
            return first_page + number
    for number in range(len(pages) - 1):
        for side in (0, 1):
            joined = pages[number][side] + " " + pages[number + 1][side]
            if wanted in joined:
                return first_page + number
    return None


def footer_problem(path: Path, footer: str) -> str:
    """Why ``footer`` cannot count the pages of the seed at ``path`` ('' when it can): a stretch of more
    lines than a page holds without the footer means the seed lost footers, and pages would be miscounted."""
    if not path.is_file():
        return ""  # the citation check reports a missing seed
    closing, run, longest, page, worst = normalise(footer), 0, 0, 1, 1
    for line in path.read_text(encoding="utf-8").splitlines():
        if normalise(line) == closing:
            page, run = page + 1, 0
            continue
        run += 1
        if run > longest:
            longest, worst = run, page
    if longest <= LINES_PER_PAGE:
        return ""
    return (
        f"page {worst} of the seed runs {longest} lines without the footer, and a page holds at most "
        f"{LINES_PER_PAGE}: the seed lost footers, so pages would be counted wrong"
    )
