"""The memo as a short list of blocks, built once and written out as text, Markdown, HTML or Word.

A block knows nothing of its format: a heading, a paragraph (with an optional bold lead), a quotation with
its citation, a list whose items may carry a quotation or a citation of their own, and a table whose rows
may name the status or verdict they show (for colour, always beside the words).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    """A heading; ``level`` 1 is the title. ``status`` names the outcome it reports, if any."""

    level: int
    text: str
    status: str | None = None


@dataclass(frozen=True)
class Para:
    """A paragraph, with an optional lead in bold («Waarom»)."""

    text: str
    lead: str | None = None


@dataclass(frozen=True)
class Quote:
    """A quotation from a source, and where it stands («Kamerbrief 2018, Mandaat voor optreden in Irak»)."""

    text: str
    cite: str


@dataclass(frozen=True)
class Item:
    """A list item: its text, then a quotation or a bare citation (when the quote was given before), and a
    rule id (shown only with ``--show-rules``)."""

    text: str
    quote: Quote | None = None
    cite: str | None = None
    rule: str | None = None


@dataclass(frozen=True)
class Items:
    """A list, with an optional lead line above it."""

    items: list[Item]
    lead: str | None = None


@dataclass(frozen=True)
class Table:
    """A table; ``keys`` names the outcome each row shows in its last cell, ``cell_keys`` the outcome of each
    cell (for its colour; "" for none). A table that only draws what the text already says (``in_text``
    false) is left out of plain text and Markdown."""

    header: list[str]
    rows: list[list[str]]
    keys: list[str] = field(default_factory=list)
    in_text: bool = True
    cell_keys: list[list[str]] = field(default_factory=list)


Block = Heading | Para | Quote | Items | Table


@dataclass
class Memo:
    """A whole memo: the title, the head (what was assessed), the summary and the long form."""

    title: str
    lang: str
    head: list[Block]
    summary: list[Block]
    body: list[Block]
    colours: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def blocks(self, brief: bool = False) -> list[Block]:
        """Every block in reading order; with ``brief``, the title and the summary only (without the
        summary's own heading: the brief is all summary)."""
        if brief:
            summary = self.summary[1:] if self.summary and isinstance(self.summary[0], Heading) else self.summary
            return [*self.head, *summary]
        return [*self.head, *self.summary, *self.body]
