"""Citations in citable form: the full reference of a source once, then a short form with page and pinpoint.

What a source is and how parliament cites it comes from ``rules/sources.yaml``; the page of a quote from
the seed's page furniture (:mod:`mandaat.read.pages`); a pinpoint in the reader's language from the
source's ``pinpoints``.
"""

from __future__ import annotations

from typing import Any

from ..model.report import Citation
from ..model.rulebook import Rulebook, Source
from ..model.words import word
from ..read.pages import page_of


def page(book: Rulebook, cite: Citation) -> int | None:
    """The page of the cited quote in its source, when the seed marks its pages."""
    source = book.sources.get(cite.source)
    if source is None or not source.page_footer:
        return None
    return page_of(book.source_path(cite.source), cite.quote, source.page_footer, source.first_page)


def pinpoint(book: Rulebook, cite: Citation, lang: str) -> str:
    """The pinpoint as a reader of ``lang`` writes it («artikel 51, tweede volzin»)."""
    source = book.sources.get(cite.source)
    text = source.pinpoints.get(cite.pinpoint) if source else None
    return text.get(lang) if text else cite.pinpoint


def short_name(source: Source, lang: str) -> str:
    """The short form of a source: its own short form, its UN symbol, or its title."""
    if source.short:
        return source.short.get(lang)
    return source.symbol or source.title.get(lang)


def short_work(book: Rulebook, cite: Citation, lang: str) -> str:
    """The short form of the work and its page when the seed marks pages, without the pinpoint («VN-Handvest»)."""
    source = book.sources.get(cite.source)
    parts = [short_name(source, lang) if source else cite.source_title]
    number = page(book, cite)
    if number is not None:
        parts.append(f"{word('page_abbrev', lang)} {number}")
    return ", ".join(parts)


def short(book: Rulebook, cite: Citation, lang: str) -> str:
    """«Kamerbrief 2018, Mandaat voor optreden in Irak» or «VN-Handvest, artikel 51, tweede volzin»:
    the short form, the page, and the last step of the pinpoint's path (the full path is in the JSON)."""
    return f"{short_work(book, cite, lang)}, {pinpoint(book, cite, lang).split('›')[-1].strip()}"


def full(book: Rulebook, source_id: str, lang: str) -> str:
    """The full reference of a source, with a parallel reference that is still unverified marked so."""
    source = book.sources[source_id]
    text = source.reference.get(lang) if source.reference else source.title.get(lang)
    if source.symbol and source.symbol not in text:
        text = f"{text}, {source.symbol}"
    if source.unverified:
        text = f"{text}; {source.unverified.get(lang)}"
    return text


def label(cite: Citation, lang: str, again: bool = False) -> str:
    """A citation that is not a quote, in words: «Verwijzing: ICJ, Nicaragua, §199», «Ontwerpkeuze: …»;
    a design choice given before (``again``) only by name."""
    if cite.kind == "reference":
        return f"{word('cite_reference', lang)}: {cite.reference}"
    name = word("cite_design_choice", lang)
    if again:
        return word("cite_design_choice_again", lang)
    rationale = cite.rationale or ""
    if rationale.lower().startswith((name.lower() + ":", f"a {name.lower()}:")):  # it already says so
        return rationale
    return f"{name}: {rationale}"


def fields(book: Rulebook, cite: Citation, lang: str) -> dict[str, Any]:
    """A citation's source parts for the JSON report: the source's kind and full reference, the short
    form, page, pinpoint in words, and the parliamentary or UN particulars (null unless a quote)."""
    source = book.sources.get(cite.source) if cite.kind == "quote" else None
    if source is None:
        keys = ("source_kind", "source_reference", "page", "pinpoint_text", "symbol", "date", "chamber", "number")
        return {**dict.fromkeys(keys), "short": label(cite, lang) if cite.kind != "quote" else cite.source_title}
    return {
        "source_kind": source.kind or "document",
        "source_reference": full(book, cite.source, lang),
        "short": short(book, cite, lang),
        "page": page(book, cite),
        "pinpoint_text": pinpoint(book, cite, lang),
        "symbol": source.symbol,
        "date": source.date,
        "chamber": source.chamber.get(lang) if source.chamber else None,
        "number": source.number,
    }


def sources_used(book: Rulebook, cites: list[Citation]) -> list[str]:
    """The source ids cited, in the order of first citation."""
    seen: list[str] = []
    for cite in cites:
        if cite.source in book.sources and cite.source not in seen:
            seen.append(cite.source)
    return seen
