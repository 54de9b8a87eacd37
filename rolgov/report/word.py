"""A draft to an editable .docx laid out by GB/T 9704-2012, the figure trace inside; the 数据来源 appendix
as a second .docx (or inline). A Draft in, bytes out.

Page: A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; a document grid of lines and
characters (w:docGrid linesAndChars) with a 28.95 pt line pitch and the character pitch set so a line
holds 28 characters and a page 22 lines. Page numbers: 4号 (14 pt) 宋体 half-width digits between
dashes (— 1 —), odd pages at the right and even pages at the left, one character in from the edge
(different odd and even footers). Type: title 方正小标宋简体 二号 (22 pt); body 仿宋_GB2312 三号 (16 pt),
first line indented two characters; 一、 headings 黑体; （一） leads 楷体_GB2312; digits and Latin in
Times New Roman. The font table names each font with the fallback a stock Windows has (宋体, 仿宋, 楷体),
which Word and WPS use when the GB2312-era fonts are missing.
python-docx sets only the Latin font from `font.name`, so every style and every run gets w:eastAsia
explicitly and the theme-font attributes are stripped (Word would prefer them). python-docx's template
leaves a 2013 creation date, "Microsoft Macintosh Word", a blank thumbnail, a ja-JP theme language and
Japanese fonts in the font table: clean_package() replaces or removes each.
The trace (every figure's indicator, region, period, value, text and batches) is stored as JSON,
zlib-compressed and base64-chunked into custom document properties (rolgov_trace_000 …), which
Word and LibreOffice both keep when the file is edited and saved again.
"""

from __future__ import annotations

import io
import math

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from lxml import etree

from rolgov.catalog import Catalog
from rolgov.report.figures import TracedFigure, untraced_spans
from rolgov.report.markdown import LEAD
from rolgov.report.model import Draft
from rolgov.report.package import DEFAULT_AUTHOR, add_trace, clean_package
from rolgov.report.sources import NOTE, SOURCE_HEADER, batch_legend, source_rows

TITLE_FONT, BODY_FONT, HEADING_FONT, LEAD_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
LATIN_FONT, PAGE_NUMBER_FONT = "Times New Roman", "宋体"
# Word substitutes by these when a machine lacks the GB2312-era fonts (Windows has 仿宋 and 楷体).
ALT_NAMES = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", LEAD_FONT: "楷体"}
LINE_PT = 28.95  # 22 lines in the 225 mm type area
LINES, CHARS = 22, 28  # GB/T 9704-2012 7.1: 22 lines of 28 characters
BODY_PT, TITLE_PT, CAPTION_PT, PAGE_NUMBER_PT = 16, 22, 12, 14
CHART_CM = 7.6
NS_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
SOURCE_WIDTHS_CM = [1.3, 2.1, 3.6, 2.5, 2.6, 2.2, 1.3]


# ── fonts ──────────────────────────────────────────────────────────────────────────────────────
def set_fonts(rpr_parent, east_asia: str, latin: str = LATIN_FONT, size_pt: float | None = None) -> None:
    """Explicit fonts on a style or run element: w:eastAsia and Latin set, theme attributes removed."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asia)):
        fonts.set(qn(attr), name)
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(size_pt * 2)))


def _strip_theme_fonts(doc) -> None:
    """Every rFonts in styles.xml (docDefaults, linked character styles) loses its theme attributes."""
    for fonts in doc.styles.element.iter(qn("w:rFonts")):
        had_theme = any(fonts.get(qn(a)) for a in THEME_ATTRS)
        for attr in THEME_ATTRS:
            fonts.attrib.pop(qn(attr), None)
        if had_theme and fonts.get(qn("w:eastAsia")) is None:
            for attr, name in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:eastAsia", BODY_FONT)):
                fonts.set(qn(attr), name)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(".//" + qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    for tag in ("w:sz", "w:szCs"):  # Word measures the character grid from the default size
        for size in defaults.iter(qn(tag)):
            size.set(qn("w:val"), str(BODY_PT * 2))
    spacing = defaults.find(".//" + qn("w:spacing"))
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")


def _declare_fonts(doc) -> None:
    """The font table names our fonts only (the template's ＭＳ 明朝, ＭＳ ゴシック, Cambria … go), each
    with GB2312 charset and the fallback a stock Windows has, so Word and WPS substitute sensibly."""
    font_part = next((p for p in doc.part.package.iter_parts() if str(p.partname).endswith("fontTable.xml")), None)
    if font_part is None:
        return
    root = etree.fromstring(font_part.blob)
    for font in list(root):
        root.remove(font)
    for name in (TITLE_FONT, BODY_FONT, HEADING_FONT, LEAD_FONT, PAGE_NUMBER_FONT, *ALT_NAMES.values(), LATIN_FONT):
        if root.find(f"{{{NS_W}}}font[@{{{NS_W}}}name='{name}']") is not None:
            continue
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        if name in ALT_NAMES:
            etree.SubElement(font, qn("w:altName"), {qn("w:val"): ALT_NAMES[name]})
        latin = name == LATIN_FONT
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "00" if latin else "86"})
        family = "roman" if latin else ("swiss" if name == HEADING_FONT else "modern")
        etree.SubElement(font, qn("w:family"), {qn("w:val"): family})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable" if latin else "fixed"})
    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _paragraph_style(
    doc,
    name: str,
    font: str,
    size: float,
    align=None,
    indent: bool = False,
    exact: bool = True,
    before: float = 0,
    after: float = 0,
    base: str = "Normal",
):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base] if name != base else None
    style.font.size = Pt(size)
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(style.element, font, size_pt=size)
    pf = style.paragraph_format
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if exact:
        pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT)
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if align is not None:
        pf.alignment = align
    ppr = style.element.get_or_add_pPr()
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):  # no extra gap between Chinese and digits
        if ppr.find(qn(tag)) is None:
            el = OxmlElement(tag)
            el.set(qn("w:val"), "0")
            ppr.append(el)
    if indent:  # two characters: firstLineChars follows the font size; firstLine is the fallback
        pf.first_line_indent = Pt(2 * size)
        ind = style.element.get_or_add_pPr().find(qn("w:ind"))
        ind.set(qn("w:firstLineChars"), "200")
    else:
        pf.first_line_indent = Pt(0)
    return style


def _styles(doc) -> None:
    _strip_theme_fonts(doc)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal.element, BODY_FONT, size_pt=BODY_PT)
    J, C, L = WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
    _paragraph_style(doc, "Doc Body", BODY_FONT, BODY_PT, J, indent=True)
    _paragraph_style(doc, "Doc Title", TITLE_FONT, TITLE_PT, C, after=0)
    _paragraph_style(doc, "Doc Note", LEAD_FONT, BODY_PT, C, after=LINE_PT)
    h1 = _paragraph_style(doc, "Heading 1", HEADING_FONT, BODY_PT, J, indent=True)
    h1.paragraph_format.keep_with_next = True
    for tag in ("w:b", "w:bCs", "w:color"):
        for el in h1.element.rPr.findall(qn(tag)):
            h1.element.rPr.remove(el)
    _paragraph_style(doc, "Doc Figure", BODY_FONT, 10, C, exact=False, before=4).paragraph_format.keep_with_next = True
    _paragraph_style(doc, "Caption", BODY_FONT, CAPTION_PT, C, exact=False, after=4)
    _paragraph_style(doc, "Doc Attachment", HEADING_FONT, BODY_PT, L)
    _paragraph_style(doc, "Source Note", BODY_FONT, 12, J, exact=False, after=6)
    _paragraph_style(doc, "Table Text", BODY_FONT, 10.5, L, exact=False)


def char_space(text_width_twips: int, font_pt: float = BODY_PT, chars: int = CHARS) -> int:
    """w:charSpace for `chars` characters per line: the pitch's difference from the font size, in 1/4096 pt,
    rounded down (a pitch a hair too wide would let only chars - 1 fit)."""
    pitch = text_width_twips / 20 / chars
    return math.floor((pitch - font_pt) * 4096) - 4


def _page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    # the dashes of the page number stand 7 mm below the type area (GB/T 9704-2012 7.5)
    section.header_distance, section.footer_distance = Mm(15), Mm(25)
    width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.attrib.clear()
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PT * 20)))
    grid.set(qn("w:charSpace"), str(char_space(width)))
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)  # odd pages
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph, align) -> None:
    """— 1 — in 4号 宋体, half-width digits, one character in from the outer edge."""
    paragraph.alignment = align
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    side = "right" if align == WD_ALIGN_PARAGRAPH.RIGHT else "left"
    ind.set(qn(f"w:{side}"), str(PAGE_NUMBER_PT * 20))
    ind.set(qn(f"w:{side}Chars"), "100")
    _run(paragraph, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_PT, latin=PAGE_NUMBER_FONT)
    run = _run(paragraph, "", PAGE_NUMBER_FONT, PAGE_NUMBER_PT, latin=PAGE_NUMBER_FONT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    _run(paragraph, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_PT, latin=PAGE_NUMBER_FONT)


def _run(paragraph, text: str, font: str, size: float, latin: str = LATIN_FONT, highlight: bool = False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    set_fonts(run._r, font, latin=latin, size_pt=size)
    if highlight:
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return run


def _checked_runs(paragraph, text: str, figures: list[TracedFigure], font: str, size: float) -> None:
    """Runs of text; a number without a source is highlighted yellow for the writer to check."""
    position = 0
    for start, end in untraced_spans(text, figures):
        if start > position:
            _run(paragraph, text[position:start], font, size)
        _run(paragraph, text[start:end], font, size, highlight=True)
        position = end
    if position < len(text):
        _run(paragraph, text[position:], font, size)


# ── the documents ──────────────────────────────────────────────────────────────────────────────
def _new_document(title: str, author: str, comments: str):
    doc = Document()
    _styles(doc)
    _page(doc)
    _declare_fonts(doc)
    clean_package(doc, title, author, comments)
    first = doc.paragraphs[0] if doc.paragraphs else None
    if first is not None:  # the template starts with an empty paragraph
        first._p.getparent().remove(first._p)
    return doc


def _save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def to_docx(
    draft: Draft,
    catalog: Catalog,
    images: dict[int, bytes] | None = None,
    batch_labels: dict[int, str] | None = None,
    appendix: bool = False,
    author: str = DEFAULT_AUTHOR,
) -> bytes:
    """The draft's .docx bytes; images maps a chart block's index to its PNG (a chart without one is left
    out); with appendix, the 数据来源 table follows on a new page (otherwise appendix_docx writes it apart)."""
    doc = _new_document(draft.title, author, f"{draft.scope_name} · {draft.period.label()}")
    pending: list = []  # chart blocks waiting to be set side by side
    for index, block in enumerate(draft.blocks):
        if block.kind == "title":
            p = doc.add_paragraph(style="Doc Title")
            _checked_runs(p, block.text, block.figures, TITLE_FONT, TITLE_PT)
        elif block.kind == "note":
            _run(doc.add_paragraph(style="Doc Note"), block.text, LEAD_FONT, BODY_PT)
        elif block.kind == "heading":
            p = doc.add_paragraph(style="Heading 1")
            _checked_runs(p, block.text, block.figures, HEADING_FONT, BODY_PT)
        elif block.kind == "chart":
            if images and index in images and not (pending and pending[-1][1].area != block.area):
                pending.append((index, block))
            if pending and (
                index + 1 >= len(draft.blocks)
                or draft.blocks[index + 1].kind != "chart"
                or draft.blocks[index + 1].area != block.area
                or len(pending) == 2
            ):
                _chart_row(doc, pending, images)
                pending = []
        else:
            p = doc.add_paragraph(style="Doc Body")
            lead = LEAD.match(block.text)
            if lead:
                _run(p, lead.group(0), LEAD_FONT, BODY_PT)
            _checked_runs(p, block.text[lead.end() if lead else 0 :], block.figures, BODY_FONT, BODY_PT)
    if appendix:
        doc.add_paragraph(style="Doc Body").add_run().add_break(WD_BREAK.PAGE)
        _appendix(doc, draft, catalog, batch_labels or {})
    add_trace(doc, draft.trace())
    return _save(doc)


def appendix_docx(
    draft: Draft, catalog: Catalog, batch_labels: dict[int, str] | None = None, author: str = DEFAULT_AUTHOR
) -> bytes:
    """The 数据来源 appendix as a document of its own, to keep beside the draft (never sent with it)."""
    doc = _new_document(f"{draft.title}（数据来源）", author, f"{draft.scope_name} · {draft.period.label()}")
    _appendix(doc, draft, catalog, batch_labels or {})
    return _save(doc)


def _chart_row(doc, pending: list, images: dict[int, bytes]) -> None:
    """One or two charts side by side in a borderless table: images above, captions below."""
    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for k, (index, block) in enumerate(pending):
        picture = table.cell(0, k).paragraphs[0]
        picture.style = doc.styles["Doc Figure"]
        picture.add_run().add_picture(io.BytesIO(images[index]), width=Cm(CHART_CM))
        caption = table.cell(1, k).paragraphs[0]
        caption.style = doc.styles["Caption"]
        _run(caption, block.text, BODY_FONT, CAPTION_PT)
    for column in table.columns:
        column.width = Cm(CHART_CM + 0.2)
        for cell in column.cells:
            cell.width = Cm(CHART_CM + 0.2)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    doc.add_paragraph(style="Doc Figure")  # a little air before the next heading


def _appendix(doc, draft: Draft, catalog: Catalog, batch_labels: dict[int, str]) -> None:
    _run(doc.add_paragraph(style="Doc Attachment"), "附件", HEADING_FONT, BODY_PT)
    title = doc.add_paragraph(style="Doc Title")
    title.paragraph_format.space_after = Pt(LINE_PT / 2)
    _run(title, "数据来源", TITLE_FONT, TITLE_PT)
    _run(doc.add_paragraph(style="Source Note"), f"《{draft.title}》（{draft.period.label()}）。{NOTE}", BODY_FONT, 12)
    rows = source_rows(draft, catalog)
    table_text = doc.styles["Table Text"].style_id
    table = doc.add_table(rows=1, cols=len(SOURCE_HEADER))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, SOURCE_WIDTHS_CM, strict=True):
        column.width = Cm(width)  # the grid LibreOffice reads; cell widths below are what Word reads
    for cells in [SOURCE_HEADER, *rows]:
        row = table.rows[0] if cells is SOURCE_HEADER else table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
        for cell, text, width in zip(row.cells, cells, SOURCE_WIDTHS_CM, strict=True):
            cell.width = Cm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            p._p.style = table_text  # by id: python-docx's style lookup by name is slow over hundreds of cells
            if cells is SOURCE_HEADER:
                _run(p, text, HEADING_FONT, 10.5)
            else:  # the Table Text style carries font and size: a bare run is much faster over hundreds of cells
                p.add_run(text)
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(OxmlElement("w:tblHeader"))  # the header row repeats on every page
    if rows:
        legend = doc.add_paragraph(style="Source Note")
        legend.paragraph_format.space_before = Pt(6)
        _run(legend, batch_legend(draft, batch_labels), BODY_FONT, 12)


def libreoffice_copy(data: bytes) -> bytes:
    """A copy of a draft for LibreOffice to render (previews, CI, screenshots), never to send.

    Word and WPS lay a line of 28 characters from the grid: each character advances by its width plus
    w:charSpace (-0.21 pt). LibreOffice reads the same grid as a cell width and gives every 16-pt
    character two cells below 16 pt, 14 to a line. The copy says the same pitch the way LibreOffice
    follows: a line grid only, and each run condensed by a quarter point (28 characters to a line).
    """
    doc = Document(io.BytesIO(data))
    for section in doc.sections:
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is not None:
            grid.set(qn("w:type"), "lines")
            grid.attrib.pop(qn("w:charSpace"), None)
    for part in (doc.element, doc.styles.element):
        for rpr in part.iter(qn("w:rPr")):
            if rpr.find(qn("w:spacing")) is None:
                spacing = OxmlElement("w:spacing")
                spacing.set(qn("w:val"), "-5")
                rpr.append(spacing)
    return _save(doc)
