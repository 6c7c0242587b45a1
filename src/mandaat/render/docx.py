"""The memo as a Word document (python-docx): real headings, the verdict table, quotes in Word's «Quote»
style with their citation beneath, lists as bulleted paragraphs. Statuses carry their colour beside
their name, never instead of it."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentObject
from docx.shared import Pt, RGBColor

from .blocks import Block, Heading, Items, Memo, Para, Quote, Table


def _colour(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _quote(doc: DocumentObject, quote: Quote) -> None:
    doc.add_paragraph(f"«{quote.text}»", style="Quote")
    if quote.cite:
        cite = doc.add_paragraph(f"— {quote.cite}")
        cite.paragraph_format.left_indent = Pt(36)


def _heading(doc: DocumentObject, block: Heading, memo: Memo) -> None:
    if not block.status:
        doc.add_heading(block.text, level=min(block.level, 4) - 1 if block.level > 1 else 0)
        return
    plain, _, label = block.text.rpartition(": ")
    heading = doc.add_heading(f"{plain}: ", level=block.level - 1)
    run = heading.add_run(label)
    run.font.color.rgb = _colour(memo.colours.get(block.status, "#000000"))


def _table(doc: DocumentObject, block: Table, memo: Memo) -> None:
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, block.header):
        cell.paragraphs[0].add_run(text).bold = True
    for i, row in enumerate(block.rows):
        cells = table.add_row().cells
        for j, text in enumerate(row):
            run = cells[j].paragraphs[0].add_run(text)
            if j == len(row) - 1 and i < len(block.keys):
                run.bold = True
                run.font.color.rgb = _colour(memo.colours.get(block.keys[i], "#000000"))


def _items(doc: DocumentObject, block: Items) -> None:
    if block.lead:
        doc.add_paragraph().add_run(f"{block.lead}:").bold = True
    for item in block.items:
        doc.add_paragraph(item.text + (f" [{item.rule}]" if item.rule else ""), style="List Bullet")
        if item.quote:
            _quote(doc, item.quote)
        elif item.cite:
            doc.add_paragraph(f"({item.cite})").paragraph_format.left_indent = Pt(36)


def _block(doc: DocumentObject, block: Block, memo: Memo) -> None:
    if isinstance(block, Heading):
        _heading(doc, block, memo)
    elif isinstance(block, Para):
        paragraph = doc.add_paragraph()
        if block.lead:
            paragraph.add_run(f"{block.lead}: ").bold = True
        paragraph.add_run(block.text)
    elif isinstance(block, Quote):
        _quote(doc, block)
    elif isinstance(block, Table):
        _table(doc, block, memo)
    else:
        _items(doc, block)


def write_docx(memo: Memo, brief: bool = False) -> bytes:
    """The memo as the bytes of a .docx file (the verdict table joins the summary)."""
    doc = Document()
    doc.core_properties.title = memo.title
    doc.core_properties.language = memo.lang
    visual = [b for b in memo.body if isinstance(b, Table) and not b.in_text]
    body = [] if brief else [b for b in memo.body if b not in visual]
    for block in [*memo.head, *memo.summary, *visual, *body]:
        _block(doc, block, memo)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
