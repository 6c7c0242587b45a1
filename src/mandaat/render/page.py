"""A what-if result (whatif, compare, flips, timeline) as Markdown or HTML: its text table, kept exactly as
the text renderer lays it out, in a fenced code block or a ``<pre>``, under a heading; in HTML with the
timeline's chart embedded as inline SVG. Self-contained, autoescaped, no scripts."""

from __future__ import annotations

from markupsafe import Markup

from ..model.words import word
from .html import environment


def page_markdown(title: str, text: str) -> str:
    """``text`` in a fenced code block under a level-1 heading (the fence longer than any run of backticks)."""
    from .markdown import escape

    longest = max((len(run) for run in text.split("\n") if set(run) == {"`"}), default=0)
    fence = "`" * max(3, longest + 1)
    return f"# {escape(title)}\n\n{fence}text\n{text.rstrip()}\n{fence}\n"


def page_html(title: str, text: str, lang: str, svg: str | None = None) -> str:
    """``text`` as a self-contained HTML page, with ``svg`` (mandaat's own chart) embedded when given."""
    # mandaat's own chart, its labels escaped by render/svg.py; HTML needs no namespace on inline SVG.
    chart = Markup(svg.split("?>", 1)[-1].strip().replace(' xmlns="http://www.w3.org/2000/svg"', "")) if svg else None
    return (
        environment()
        .get_template("page.html.j2")
        .render(lang=lang, title=title, text=text, chart=chart, note=word("html_lang_note", lang))
    )


def page(fmt: str, title: str, text: str, lang: str, svg: str | None = None) -> str:
    """The text result in ``fmt`` (markdown or html; text as it is)."""
    if fmt == "markdown":
        return page_markdown(title, text)
    if fmt == "html":
        return page_html(title, text, lang, svg)
    return text
