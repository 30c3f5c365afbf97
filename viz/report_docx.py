"""The 蓝皮书 as a Word document (.docx, python-docx): what a department edits and publishes.

Headings use Word's built-in Heading 1..3 styles, so the contents (a real TOC field,
filled in when Word or LibreOffice updates fields on opening) and the navigation pane work;
tables are real Word tables (editable, Table Grid style, header row repeated on each page);
pictures are inline PNGs. East Asian text is set in a Chinese font (宋体 body, 黑体 headings).
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from chainkg.errors import ChainkgError
from chainkg.viz.report_content import (
    SYNTHETIC_NOTE,
    Contents,
    Cover,
    Heading,
    PageBreak,
    Para,
    Picture,
    Report,
    Table,
)

BODY_FONT, HEADING_FONT = "宋体", "黑体"
TEXT_WIDTH_CM = 16.6  # A4 (21 cm) less 2 x 2.2 cm margins
RED = RGBColor(0xC9, 0x2A, 0x2A)


def _east_asian(style_or_run: object, name: str) -> None:
    """Set the East Asian font (w:eastAsia), which python-docx's font.name does not."""
    element = style_or_run.element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _styles(doc: Document) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.font.name = "Times New Roman"
    _east_asian(normal, BODY_FONT)
    for level, size in ((1, 16), (2, 14), (3, 12)):
        style = doc.styles[f"Heading {level}"]
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x1F, 0x2D, 0x3D)
        _east_asian(style, HEADING_FONT)


def _toc(doc: Document) -> None:
    """A TOC field over Heading 1-2; Word fills it when fields are updated (F9 / on open)."""
    doc.add_paragraph("目  录", style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = doc.add_paragraph().add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = 'TOC \\o "1-2" \\h \\z \\u'
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "（打开文档后按 F9 或右键“更新域”生成目录）"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for el in (begin, instr, sep, placeholder, end):
        run._r.append(el)
    # Ask Word to update fields (the TOC) when the document opens.
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _cover(doc: Document, c: Cover) -> None:
    for _ in range(6):
        doc.add_paragraph()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(c.title)
    run.bold = True
    run.font.size = Pt(24)
    _east_asian(run, HEADING_FONT)
    basis = doc.add_paragraph(c.basis)
    basis.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if c.synthetic:
        mark = doc.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = mark.add_run("示例数据")
        r.bold = True
        r.font.size = Pt(28)
        r.font.color.rgb = RED
        note = doc.add_paragraph()
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
        n = note.add_run(SYNTHETIC_NOTE)
        n.font.color.rgb = RED
    for _ in range(8):
        doc.add_paragraph()
    date = doc.add_paragraph(f"生成日期：{c.date}")
    date.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _cell(text: str, width_twips: int, bold: bool) -> str:
    rpr = "<w:rPr>" + ("<w:b/>" if bold else "") + '<w:sz w:val="18"/></w:rPr>'
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width_twips}" w:type="dxa"/></w:tcPr>'
        f'<w:p><w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>'
    )


def table_xml(t: Table, widths_cm: list[float]) -> str:
    """A Word table (w:tbl) of ``t`` as WordprocessingML text (pure).

    Built as text and parsed once: python-docx's cell-by-cell API costs seconds per large
    table. Table Grid style, centred, fixed column widths, the header row bold and repeated
    on every page, 9 pt text.
    """
    twips = [round(w * 567) for w in widths_cm]  # 1 cm = 567 twentieths of a point
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    header = (
        '<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>'
        + "".join(_cell(c, w, True) for c, w in zip(t.columns, twips, strict=True))
        + "</w:tr>"
    )
    body = "".join(
        "<w:tr>" + "".join(_cell(c, w, False) for c, w in zip(r, twips, strict=True)) + "</w:tr>"
        for r in t.rows
    )
    return (
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        '<w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
        'w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{header}{body}</w:tbl>"
    )


class _Styled:
    """Paragraphs in a named paragraph style, the style's id looked up once per document.

    python-docx resolves a style name on every ``add_paragraph(text, style)`` by scanning the
    styles part (~3 ms each: seconds over a province report); the XML written is the same.
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.ids: dict[str, str | None] = {}

    def add(self, text: str, style: str) -> Paragraph:
        """A new paragraph at the end holding ``text``, in paragraph style ``style``."""
        if style not in self.ids:
            self.ids[style] = self.doc.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)
        para = self.doc.add_paragraph(text)
        para._p.style = self.ids[style]
        return para


def _table(doc: Document, t: Table, styled: _Styled) -> None:
    cap = styled.add(t.caption, "Caption")
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    after = doc.add_paragraph()
    after._p.addprevious(parse_xml(table_xml(t, column_widths(t, TEXT_WIDTH_CM))))


def column_widths(t: Table, total_cm: float) -> list[float]:
    """Column widths (cm) in proportion to the longest text of each column, within bounds."""
    longest = [
        max([len(t.columns[i])] + [len(r[i]) for r in t.rows]) for i in range(len(t.columns))
    ]
    # at least 3 characters wide: a 2-character column (单位 万元) would wrap each character
    weights = [min(max(n, 3), 16) for n in longest]
    return [round(total_cm * w / sum(weights), 2) for w in weights]


def _picture(doc: Document, p: Picture, styled: _Styled) -> None:
    # what doc.add_picture does, keeping the paragraph (doc.paragraphs lists them all)
    para = doc.add_paragraph()
    para.add_run().add_picture(io.BytesIO(p.png), width=Cm(p.width_cm))
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap = styled.add(p.caption, "Caption")
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER


def render_docx(report: Report) -> Document:
    """The report as a python-docx Document (A4 portrait)."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    _styles(doc)
    if report.synthetic:
        header = section.header.paragraphs[0]
        header.text = "示例数据 · 非真实数据"
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.core_properties.title = f"河南省先进制造业集群重点产业链发展报告蓝皮书（{report.year}年度）"
    doc.core_properties.language = "zh-CN"
    styled = _Styled(doc)
    for block in report.blocks:
        if isinstance(block, Cover):
            _cover(doc, block)
        elif isinstance(block, Contents):
            _toc(doc)
        elif isinstance(block, PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, Heading):
            # doc.add_heading's style (Title for level 0), looked up once
            styled.add(block.text, "Title" if block.level == 0 else f"Heading {block.level}")
        elif isinstance(block, Para):
            if block.kind == "bullet":
                styled.add(block.text, "List Bullet")
            else:
                para = doc.add_paragraph()
                run = para.add_run(block.text)
                if block.kind == "synthetic":
                    run.bold = True
                    run.font.color.rgb = RED
                elif block.kind == "note":
                    run.font.size = Pt(9)
                    run.font.color.rgb = RGBColor(0x49, 0x50, 0x57)
        elif isinstance(block, Table):
            _table(doc, block, styled)
        elif isinstance(block, Picture):
            _picture(doc, block, styled)
    return doc


def write_docx(report: Report, path: Path | str) -> Path:
    """Write the report as .docx (whole file or nothing: a temporary file is renamed)."""
    out = Path(path)
    tmp = out.with_name(out.name + ".part")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        render_docx(report).save(str(tmp))
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ChainkgError(
            f"cannot write the report to {out}: {exc.strerror}",
            hint="choose a file in a folder you can write to (-o FILE), and close it in Word",
        ) from None
    return out
