"""The form of the Word template a report draft is rendered from: A4 with the margins of a government
report (GB/T 9704), a page number in the footer, Chinese fonts in every style, body paragraphs indented
by two characters, headings without colour, tables whose header row is bold and repeats on every page
and whose figures are right-aligned, captions, and highlighted placeholders.  Used by
:mod:`reportlib.template_report`; everything it sets is ordinary Word formatting a user can change."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
BODY_SIZE = 12  # 小四
TABLE_TEXT = "表格文字"  # the paragraph style of table cells
#: top, bottom, left, right margins of GB/T 9704-2012 (党政机关公文格式), in cm
MARGINS = (3.7, 3.5, 2.8, 2.6)


def fonts(style, east_asian: str, latin: str = LATIN_FONT, size: float | None = None, bold=None) -> None:
    """A style's Latin and East Asian fonts (without theme fonts, so Word, WPS and LibreOffice agree)."""
    style.font.name = latin
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    found = rpr.find(qn("w:rFonts"))
    if found is None:
        found = OxmlElement("w:rFonts")
        rpr.insert(0, found)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        found.attrib.pop(qn(attr), None)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asian), ("w:cs", latin)):
        found.set(qn(attr), value)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def styles(doc) -> None:
    """Body, title, heading, caption and table styles."""
    s = doc.styles
    fonts(s["Normal"], BODY_FONT, size=BODY_SIZE)
    body = s["Normal"].paragraph_format
    body.line_spacing, body.space_after = 1.5, Pt(0)
    _first_line_chars(s["Normal"], 200)  # two characters, whatever the font size
    fonts(s["Title"], HEADING_FONT, size=22, bold=False)
    title = s["Title"]
    title.font.color.rgb = None
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(18)
    _first_line_chars(title, 0)
    _no_border(title)
    for level, size in ((1, 16), (2, 15), (3, 14)):
        heading = s[f"Heading {level}"]
        fonts(heading, HEADING_FONT, size=size, bold=level > 1)
        heading.font.color.rgb = None
        heading.paragraph_format.space_before, heading.paragraph_format.space_after = Pt(12 if level == 1 else 6), Pt(6)
        _first_line_chars(heading, 200 if level > 1 else 0)
    caption = s["Caption"]
    fonts(caption, HEADING_FONT, size=10.5, bold=False)
    caption.font.color.rgb = None
    caption.font.italic = False
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _first_line_chars(caption, 0)
    fonts(s["Table Grid"], BODY_FONT, size=10.5)
    cell = s.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)  # 五号, single-spaced, no indent
    cell.base_style = s["Normal"]
    fonts(cell, BODY_FONT, size=10.5)
    cell.paragraph_format.line_spacing = 1.0
    _first_line_chars(cell, 0)


def page(doc) -> None:
    """A4 portrait, GB/T 9704 margins, a centred page number in the footer."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (Cm(x) for x in MARGINS)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _first_line_chars(footer, 0, paragraph=True)
    for kind, text in (("begin", ""), ("code", " PAGE "), ("separate", ""), ("text", "1"), ("end", "")):
        run = footer.add_run()
        if kind == "code":
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = text
            run._r.append(code)
        elif kind == "text":
            run.text = text  # what shows until the field is updated
        else:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)


def caption(doc, text: str):
    """表1 … above a table, 图1 … below a chart."""
    return doc.add_paragraph(text, style="Caption")


def highlighted(paragraph, text: str):
    """A run shaded yellow: where the author must write (a placeholder)."""
    run = paragraph.add_run(text)
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return run


def table(doc, header: tuple[str, ...], widths_cm: tuple[float, ...], numeric: tuple[int, ...], rows: int):
    """A grid table: its header row bold and repeated on every page, the columns ``numeric`` right-aligned,
    fixed column widths; ``rows`` rows in all (the header included)."""
    t = doc.add_table(rows=rows, cols=len(header), style="Table Grid")
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")  # the widths below, not the content's, in Word and in LibreOffice
    t._tbl.tblPr.append(layout)
    for c, column in enumerate(t.columns):
        column.width = Cm(widths_cm[c])
    for row in t.rows:
        for c, cell in enumerate(row.cells):
            cell.width = Cm(widths_cm[c])
            paragraph = cell.paragraphs[0]
            paragraph.style = doc.styles[TABLE_TEXT]
            if c in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    head = t.rows[0]
    properties = head._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for c, cell in enumerate(head.cells):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = cell.paragraphs[0].add_run(header[c])
        run.bold = True
    return t


def _first_line_chars(target, chars: int, paragraph: bool = False) -> None:
    """The first-line indent in hundredths of a character (200: two characters)."""
    ppr = target._p.get_or_add_pPr() if paragraph else target.element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), str(chars))
    ind.set(qn("w:firstLine"), str(chars * BODY_SIZE // 5))  # in twips: 1/100 character of BODY_SIZE points


def _no_border(style) -> None:
    """Word's Title style draws a blue rule under the title; a report's title has none."""
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
