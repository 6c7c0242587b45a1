"""The memo as plain text, wrapped at 100 columns: headings underlined, lists indented, quotes in «».

The blocks come from :mod:`mandaat.render.memo`; Markdown, HTML and Word write the same blocks.
"""

from __future__ import annotations

import textwrap

from ..model.report import Report
from ..model.rulebook import Rulebook
from .blocks import Block, Heading, Items, Memo, Para, Quote, Table
from .labels import table
from .memo import build_memo

WIDTH = 100


def wrap(text: str, indent: int = 0, hang: int = 2) -> list[str]:
    """``text`` wrapped at the memo's width, continuation lines indented by ``hang`` more."""
    prefix = " " * indent
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=prefix,
        subsequent_indent=prefix + " " * hang,
        break_on_hyphens=False,
        break_long_words=False,
    ) or [prefix]


def _quote(quote: Quote) -> str:
    return f"«{quote.text}» ({quote.cite})" if quote.cite else f"«{quote.text}»"


def _block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        if block.level == 1:
            return [block.text, "=" * min(len(block.text), WIDTH)]
        return ["", block.text, ("=" if block.level == 2 else "-") * len(block.text)]
    if isinstance(block, Para):
        return wrap(f"{block.lead}: {block.text}" if block.lead else block.text)
    if isinstance(block, Quote):
        return wrap(_quote(block), 2)
    if isinstance(block, Table):
        return table(block.header, block.rows)
    lines = [f"{block.lead}:"] if block.lead else []
    for item in block.items:
        text = f"{item.text} [{item.rule}]" if item.rule else item.text
        lines += wrap("- " + text, 2)
        if item.quote:
            lines += wrap(_quote(item.quote), 6)
        elif item.cite:
            lines += wrap(f"({item.cite})", 6)
    return lines


def _part(blocks: list[Block]) -> list[str]:
    lines: list[str] = []
    previous: Block | None = None
    for block in blocks:
        if isinstance(block, Table) and not block.in_text:
            continue
        after_list = isinstance(previous, (Table, Items)) and not isinstance(block, (Heading, Items))
        if isinstance(block, Heading) and block.level == 3 or after_list:
            lines.append("")
        lines += _block(block)
        previous = block
    return lines


def write_text(memo: Memo, brief: bool = False) -> str:
    """The memo's blocks as text (only the head and summary with ``brief``)."""
    head, summary = memo.blocks(brief)[: len(memo.head)], memo.blocks(brief)[len(memo.head) :]
    parts = [head, summary] if brief else [memo.head, memo.summary, memo.body]
    lines = [line.rstrip() for part in parts for line in ["", *_part(part)]]
    kept = [line for i, line in enumerate(lines) if line or (i and lines[i - 1])]
    return "\n".join(kept).strip("\n") + "\n"


def render_text(report: Report, book: Rulebook, brief: bool = False, show_rules: bool = False) -> str:
    """The report as a plain-text memo."""
    return write_text(build_memo(report, book, show_rules), brief)
