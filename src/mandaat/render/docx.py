"""The memo as a Word nota (python-docx): A4 with the nota's margins (:mod:`mandaat.render.nota`), the
header block (Aan, Van, Datum, Kenmerk, Onderwerp) in the first page's header, the security marking at
the top and bottom of every page, «pagina X van Y» from Word's own PAGE and NUMPAGES fields, and the
document's properties (title, subject, author, dates) from the nota, never from python-docx's template.

The body has real headings, the verdict table, quotes in Word's «Quote» style with their citation
beneath, lists as bulleted paragraphs; a command named between backticks is set in a monospaced font
without them. Statuses carry their colour beside their name, never instead of it."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section, _Footer, _Header
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from .blocks import Block, Heading, Items, Memo, Para, Quote, Table
from .nota import EDGE_MM, MARGINS_MM, PAGE_MM, Nota, page_parts

FONT = "Verdana"
CODE_FONT = "Courier New"
LANGUAGE = {"nl": "nl-NL", "en": "en-GB"}


def _colour(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _text(paragraph: Paragraph, text: str, bold: bool = False) -> None:
    """``text`` as runs: what stands between backticks in a monospaced font, the backticks dropped."""
    for i, part in enumerate(text.split("`") if text.count("`") % 2 == 0 else [text]):
        if not part:
            continue
        run = paragraph.add_run(part)
        run.bold = bold or None
        if i % 2:
            run.font.name = CODE_FONT


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
    doc.add_paragraph()  # room between the table and what follows


def _items(doc: DocumentObject, block: Items) -> None:
    if block.lead:
        doc.add_paragraph().add_run(f"{block.lead}:").bold = True
    for item in block.items:
        _text(doc.add_paragraph(style="List Bullet"), item.text + (f" [{item.rule}]" if item.rule else ""))
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
        _text(paragraph, block.text)
    elif isinstance(block, Quote):
        _quote(doc, block)
    elif isinstance(block, Table):
        _table(doc, block, memo)
    else:
        _items(doc, block)


def _styles(doc: DocumentObject, lang: str) -> None:
    """Verdana throughout, headings in black, the document's language on every style."""
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), LANGUAGE.get(lang, lang))
    normal.element.get_or_add_rPr().append(language)
    for name, size in (("Title", 16), ("Heading 1", 13), ("Heading 2", 11.5), ("Heading 3", 10.5)):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)


def _page(section: Section) -> None:
    """A4 upright, with the nota's margins."""
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = section.footer_distance = Mm(EDGE_MM)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (``PAGE``, ``NUMPAGES``) that Word fills in on every page."""

    def char(kind: str) -> None:
        mark = OxmlElement("w:fldChar")
        mark.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(mark)

    char("begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    char("separate")
    paragraph.add_run("1")
    char("end")


def _marking(part: _Header | _Footer, nota: Nota, first: bool) -> None:
    """The security marking, centred in capitals, as the part's first paragraph."""
    paragraph = part.paragraphs[0] if first else part.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(6)
    if nota.marking:
        run = paragraph.add_run(nota.marking)
        run.bold = True
        run.font.size = Pt(8)


def _header_block(header: _Header, nota: Nota, lang: str) -> None:
    fields = nota.fields(lang)
    text_width = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
    widths = (Mm(30), Mm(text_width - 30))
    table = header.add_table(rows=len(fields), cols=2, width=Mm(text_width))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width
    for (label, value), row in zip(fields, table.rows):
        for cell, text, width in zip(row.cells, (label, value), widths):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.add_run(text).bold = text == label or None
    header.add_paragraph().paragraph_format.space_after = Pt(6)


def _footer(footer: _Footer, nota: Nota, lang: str) -> None:
    _marking(footer, nota, True)
    before, middle, after = page_parts(lang)
    paragraph = footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run(before)
    _field(paragraph, "PAGE")
    paragraph.add_run(middle)
    _field(paragraph, "NUMPAGES")
    if after:
        paragraph.add_run(after)
    for run in paragraph.runs:
        run.font.size = Pt(8)


def _headers_and_footers(section: Section, nota: Nota, lang: str) -> None:
    """First page: the marking and the header block; every page after it: the marking; every page: the
    marking again at the bottom and the page numbers."""
    section.different_first_page_header_footer = True
    _marking(section.first_page_header, nota, True)
    _header_block(section.first_page_header, nota, lang)
    _marking(section.header, nota, True)
    _footer(section.first_page_footer, nota, lang)
    _footer(section.footer, nota, lang)


def _properties(doc: DocumentObject, memo: Memo, nota: Nota) -> None:
    """The document's properties from the nota; the template's own (author «python-docx», its comment, its
    2013 dates, its thumbnail and its application record) are replaced or dropped."""
    when = datetime(nota.datum.year, nota.datum.month, nota.datum.day, tzinfo=UTC)
    props = doc.core_properties
    props.title, props.subject, props.language = memo.title, nota.onderwerp, LANGUAGE.get(memo.lang, memo.lang)
    props.author = props.last_modified_by = nota.van
    props.identifier, props.comments, props.keywords, props.category = nota.kenmerk, "", "", ""
    props.created = props.modified = when
    props.revision = 1
    package = doc.part.package
    stale = (RELATIONSHIP_TYPE.THUMBNAIL, RELATIONSHIP_TYPE.EXTENDED_PROPERTIES)
    for key in [key for key, rel in package.rels.items() if rel.reltype in stale]:
        package.rels.pop(key)


def write_docx(memo: Memo, nota: Nota, brief: bool = False) -> bytes:
    """The memo as the bytes of a .docx nota (the verdict table joins the summary)."""
    doc = Document()
    _styles(doc, memo.lang)
    _page(doc.sections[0])
    _properties(doc, memo, nota)
    _headers_and_footers(doc.sections[0], nota, memo.lang)
    doc.add_heading(memo.title, level=0)
    visual = [b for b in memo.body if isinstance(b, Table) and not b.in_text]
    body = [] if brief else [b for b in memo.body if b not in visual]
    head = [b for b in memo.head if not (isinstance(b, Heading) and b.level == 1)]  # the title is the nota's
    for block in [*head, *memo.summary, *visual, *body]:
        _block(doc, block, memo)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
