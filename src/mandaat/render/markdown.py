"""The memo as CommonMark: headings in order, lists as lists, quotes as block quotes, and every citation
in a paragraph of its own (never inside a list item's first paragraph). Text from a scenario is escaped,
so that a title holding ``<script>`` or ``*`` stays text."""

from __future__ import annotations

from .blocks import Block, Heading, Item, Memo, Para, Quote, Table
from .escape import escape_markdown


def escape(text: str) -> str:
    """``text`` as literal Markdown inline text (see :func:`escape_markdown`)."""
    return escape_markdown(text)


def _quote(quote: Quote, indent: str = "") -> list[str]:
    lines = [f"{indent}> «{escape(quote.text)}»"]
    if quote.cite:
        lines += [f"{indent}>", f"{indent}> — {escape(quote.cite)}"]
    return lines


def _item(item: Item) -> list[str]:
    text = escape(item.text) + (f" `[{item.rule}]`" if item.rule else "")
    lines = [f"- {text}"]
    if item.quote:
        lines += ["", *_quote(item.quote, "  ")]
    elif item.cite:
        lines += ["", f"  ({escape(item.cite)})"]
    return lines


def _block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return ["#" * block.level + " " + escape(block.text)]
    if isinstance(block, Para):
        return [f"**{escape(block.lead)}:** {escape(block.text)}" if block.lead else escape(block.text)]
    if isinstance(block, Quote):
        return _quote(block)
    if isinstance(block, Table):
        rows = [block.header, ["---"] * len(block.header), *block.rows]
        return ["| " + " | ".join(escape(c) if c != "---" else c for c in row) + " |" for row in rows]
    lines = [f"**{escape(block.lead)}:**", ""] if block.lead else []
    for item in block.items:
        lines += [*_item(item), ""]
    return lines[:-1]


def block_lines(block: Block) -> list[str]:
    """One block as lines of CommonMark (a table as a GitHub-flavoured pipe table)."""
    return _block(block)


def write_markdown(memo: Memo, brief: bool = False) -> str:
    """The memo's blocks as CommonMark (only the head and summary with ``brief``)."""
    chunks = [_block(b) for b in memo.blocks(brief) if not (isinstance(b, Table) and not b.in_text)]
    return "\n\n".join("\n".join(chunk) for chunk in chunks) + "\n"
