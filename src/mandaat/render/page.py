"""A what-if result (whatif, compare, flips, timeline, sweep) as Markdown or HTML: its blocks (headings,
paragraphs, lists and real tables, :mod:`mandaat.render.blocks`) under a heading; in HTML with outcomes
in their rulebook colours beside their names and the command's chart embedded as inline SVG. Markdown
tables are GitHub-flavoured (pipe tables). Self-contained, autoescaped, no scripts."""

from __future__ import annotations

from markupsafe import Markup

from ..model.rulebook import Rulebook
from ..model.words import word
from .blocks import Block, Memo, Table
from .html import as_dict, environment


def page_markdown(title: str, blocks: list[Block]) -> str:
    """``blocks`` as Markdown under a level-1 heading."""
    from .markdown import block_lines, escape

    chunks = [[f"# {escape(title)}"], *(block_lines(b) for b in blocks)]
    return "\n\n".join("\n".join(chunk) for chunk in chunks if chunk) + "\n"


def _coloured(blocks: list[Block]) -> bool:
    return any(isinstance(b, Table) and (b.keys or any(any(row) for row in b.cell_keys)) for b in blocks)


def page_html(title: str, blocks: list[Block], lang: str, book: Rulebook, svg: str | None = None) -> str:
    """``blocks`` as a self-contained HTML page, with ``svg`` (mandaat's own chart) embedded when given; the
    note on colours only where colours are shown."""
    outcomes = {**book.statuses, **book.verdicts}
    memo = Memo(
        title,
        lang,
        [],
        [],
        blocks,
        {k: o.colour for k, o in outcomes.items()},
        {k: o.label.get(lang) for k, o in outcomes.items()},
    )
    # mandaat's own chart, its labels escaped by render/svg.py; HTML needs no namespace on inline SVG.
    chart = Markup(svg.split("?>", 1)[-1].strip().replace(' xmlns="http://www.w3.org/2000/svg"', "")) if svg else None
    note = word("html_lang_note", lang) if chart is not None or _coloured(blocks) else None
    return (
        environment()
        .get_template("page.html.j2")
        .render(
            lang=lang,
            title=title,
            colours=memo.colours,
            blocks=[as_dict(b, memo) for b in blocks],
            chart=chart,
            note=note,
        )
    )


def page(
    fmt: str, title: str, text: str, blocks: list[Block], lang: str, book: Rulebook, svg: str | None = None
) -> str:
    """The result in ``fmt``: ``text`` as it is, or ``blocks`` as Markdown or HTML."""
    if fmt == "markdown":
        return page_markdown(title, blocks)
    if fmt == "html":
        return page_html(title, blocks, lang, book, svg)
    return text
