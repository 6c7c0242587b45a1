"""The memo as one self-contained HTML file: inline CSS, no scripts, no external resources, print CSS.

Rendered from ``templates/memo.html.j2`` with jinja2's autoescaping, so that anything a scenario says
(a title, a note, a quote) is text, never markup. Statuses and verdicts carry their colour from
``rules/outcomes.yaml`` beside their name, never instead of it. The verdict table joins the summary, so
that the verdict is on the first page.
"""

from __future__ import annotations

from dataclasses import asdict
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from ..model.words import word
from .blocks import Block, Heading, Item, Items, Memo, Para, Quote, Table
from .nota import Nota, page_parts


@cache
def environment() -> jinja2.Environment:
    """The template environment: templates beside this module, autoescaping on for everything."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("mandaat.render", "templates"),
        autoescape=True,
        trim_blocks=False,
        lstrip_blocks=False,
        undefined=jinja2.StrictUndefined,
    )


def _item(item: Item) -> dict[str, Any]:
    return {**asdict(item), "quote": asdict(item.quote) if item.quote else None}


def as_dict(block: Block, memo: Memo) -> dict[str, Any]:
    """A block as the template reads it, with ``kind`` naming its type."""
    if isinstance(block, Heading):
        plain, _, _ = block.text.rpartition(": ")
        label = memo.labels.get(block.status or "", "")
        return {"kind": "heading", **asdict(block), "plain": plain, "label": label}
    if isinstance(block, Para):
        return {"kind": "para", **asdict(block), "parts": code_parts(block.text)}
    if isinstance(block, Quote):
        return {"kind": "quote", **asdict(block)}
    if isinstance(block, Table):
        keys = block.keys or [""] * len(block.rows)
        cell_keys = block.cell_keys or [[""] * len(row) for row in block.rows]
        rows = [{"cells": row, "key": key, "keys": ck} for row, key, ck in zip(block.rows, keys, cell_keys)]
        return {"kind": "table", "header": block.header, "rows": rows}
    assert isinstance(block, Items)
    return {"kind": "items", "lead": block.lead, "entries": [_item(i) for i in block.items]}


def code_parts(text: str) -> list[tuple[str, bool]]:
    """``text`` cut at its backticks: (part, whether it is code); unpaired backticks stay as they are."""
    if text.count("`") % 2:
        return [(text, False)]
    return [(part, i % 2 == 1) for i, part in enumerate(text.split("`")) if part]


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string, every character but letters, digits and spaces escaped, so that it
    can stand inside a ``<style>`` element whatever it holds."""
    return Markup('"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"')


def _nota(nota: Nota, lang: str) -> dict[str, Any]:
    before, middle, after = page_parts(lang)
    return {
        "fields": nota.fields(lang),
        "marking": nota.marking,
        "marking_css": css_string(nota.marking),
        "pages_css": Markup(
            f"{css_string(before)} counter(page) {css_string(middle)} counter(pages) {css_string(after)}"
        ),
        "author": nota.van,
        "date": nota.datum.isoformat(),
        "subject": nota.onderwerp,
    }


def render_page(template: str, memo: Memo, brief: bool = False, nota: Nota | None = None, **more: Any) -> str:
    """``template`` filled with the memo's parts (the verdict table moved into the summary); with ``nota``,
    its header block and marking, and the memo's title without the program's name."""
    visual = [b for b in memo.body if isinstance(b, Table) and not b.in_text]
    body = [] if brief else [b for b in memo.body if b not in visual]
    summary = [*memo.summary, *visual]
    head = memo.head
    if nota is not None:
        head = [Heading(1, memo.title) if isinstance(b, Heading) and b.level == 1 else b for b in head]
    return (
        environment()
        .get_template(template)
        .render(
            lang=memo.lang,
            title=memo.title,
            colours=memo.colours,
            head=[as_dict(b, memo) for b in head],
            summary=[as_dict(b, memo) for b in summary],
            body=[as_dict(b, memo) for b in body],
            note=word("html_lang_note", memo.lang),
            nota=_nota(nota, memo.lang) if nota is not None else None,
            **more,
        )
    )


def write_html(memo: Memo, nota: Nota | None = None, brief: bool = False) -> str:
    """The memo as a self-contained HTML document (a nota, when ``nota`` is given)."""
    return render_page("memo.html.j2", memo, brief, nota)
