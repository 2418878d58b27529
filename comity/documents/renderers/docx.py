"""DOCX through python-docx: editable for signature, Persian marked right to left.

Word lays out a Persian paragraph right to left only when the paragraph says so (w:bidi),
and shapes and orders a run as complex script only when the run says so (w:rtl); the
complex-script font and size (w:rFonts w:cs, w:szCs) are what it uses for that run.
"""

from __future__ import annotations

import io
import re
from typing import Any

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from comity.core import languages
from comity.documents.content import Document, Item, Page, Section, Text
from comity.documents.renderers import Renderer

LATIN_FONT = "Noto Sans"
ARABIC_FONT = "Noto Naskh Arabic"
MONO_FONT = "DejaVu Sans Mono"
BODY_SIZE = Pt(10.5)


def _tag(lang: str) -> str:
    """The BCP 47 tag Word expects, from the one language list (comity.core.languages)."""
    return languages.get(lang).locale.replace("_", "-") or lang


_MARKER_COLOUR = RGBColor(0x7A, 0x3B, 0x00)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# Word reads these property lists in schema order (ECMA-376 Part 1, 17.3.2.28 rPr,
# 17.3.1.26 pPr, 17.6.17 sectPr, 17.4.60 tblPr): a child goes before the ones that follow it.
_ORDER = {
    "w:rPr": (
        "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
        "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
        "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
        "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
        "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
        "w:specVanish", "w:oMath",
    ),
    "w:pPr": (
        "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
        "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
        "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
        "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
        "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
        "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
        "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
    ),
    "w:sectPr": (
        "w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type",
        "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols",
        "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
        "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
    ),
    "w:tblPr": (
        "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
        "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
        "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
        "w:tblPrChange",
    ),
}  # fmt: skip


def _set(element: Any, tag: str, **attributes: str) -> Any:
    """The child ``tag`` of ``element`` (created in schema order if missing) with these
    w: attributes."""
    child = element.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        order = _ORDER[element.tag.replace(f"{{{_W}}}", "w:")]
        successors = order[order.index(tag) + 1 :]
        element.insert_element_before(child, *successors)
    for name, value in attributes.items():
        child.set(qn(f"w:{name}"), value)
    return child


def _fonts(rpr: Any, *, size: Any = BODY_SIZE, latin: str = LATIN_FONT) -> None:
    _set(rpr, "w:rFonts", ascii=latin, hAnsi=latin, cs=ARABIC_FONT, eastAsia=latin)
    half_points = str(int(size.pt * 2))
    _set(rpr, "w:sz", val=half_points)
    _set(rpr, "w:szCs", val=half_points)


def _rtl_paragraph(paragraph: Any) -> None:
    _set(paragraph._p.get_or_add_pPr(), "w:bidi")


def _run(paragraph: Any, text: str, lang: str, **style: Any) -> Any:
    run = paragraph.add_run(text)
    run.bold = style.get("bold")
    run.italic = style.get("italic")
    if style.get("colour") is not None:
        run.font.color.rgb = style["colour"]
    rpr = run._r.get_or_add_rPr()
    _fonts(rpr, size=style.get("size", BODY_SIZE), latin=style.get("font", LATIN_FONT))
    tag = _tag(lang)
    if languages.get(lang).rtl:
        _set(rpr, "w:rtl")
        _set(rpr, "w:lang", val="en-GB", bidi=tag)
    else:
        _set(rpr, "w:lang", val=tag)
    return run


def _field(paragraph: Any, instruction: str, lang: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays the pages out."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    placeholder = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    _fonts(rpr, size=Pt(8.5))
    if languages.get(lang).rtl:
        _set(rpr, "w:rtl")
    placeholder.append(rpr)
    text = OxmlElement("w:t")
    text.text = "1"
    placeholder.append(text)
    field.append(placeholder)
    paragraph._p.append(field)


class _Writer:
    def __init__(self, document: Document) -> None:
        self.source = document
        self.docx = docx.Document()
        self._setup()

    def _setup(self) -> None:
        section = self.docx.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(18)
        section.top_margin, section.bottom_margin = Mm(22), Mm(20)
        if self.source.first.rtl:
            _set(section._sectPr, "w:bidi")
        for name in ("Normal", "Heading 1", "Heading 2", "Table Grid"):
            style = self.docx.styles[name]
            _fonts(style.element.get_or_add_rPr(), size=BODY_SIZE)
        for name, size in (("Heading 1", Pt(15)), ("Heading 2", Pt(12))):
            heading = self.docx.styles[name]
            heading.font.size = size
            heading.font.color.rgb = RGBColor(0x11, 0x11, 0x11)
            _fonts(heading.element.get_or_add_rPr(), size=size)
        properties = self.docx.core_properties
        properties.title = f"{self.source.meta.reference} · {self.source.first.document_title}"
        properties.identifier = self.source.content_sha256
        properties.language = _tag(self.source.first.language)

    # --- pieces

    def paragraph(self, container: Any, page: Page, *, style: str | None = None) -> Any:
        paragraph = container.add_paragraph(style=style)
        if page.rtl:
            _rtl_paragraph(paragraph)
        return paragraph

    def text(self, paragraph: Any, page: Page, value: Text, **style: Any) -> None:
        _run(paragraph, value.text, value.lang, **style)
        if value.status:
            marker = f" [{page.status_labels.get(value.status, value.status)}]"
            _run(paragraph, marker, page.language, italic=True, colour=_MARKER_COLOUR, size=Pt(8.5))

    def field_line(self, container: Any, page: Page, label: str, value: Text) -> None:
        paragraph = self.paragraph(container, page)
        _run(paragraph, f"{label}: ", page.language, bold=True)
        self.text(paragraph, page, value)

    def table(self, container: Any, page: Page, item: Item) -> None:
        table = container.add_table(rows=1, cols=len(item.headers))
        table.style = self.docx.styles["Table Grid"]
        if page.rtl:
            _set(table._tbl.tblPr, "w:bidiVisual")
        for cell, header in zip(table.rows[0].cells, item.headers, strict=True):
            paragraph = cell.paragraphs[0]
            if page.rtl:
                _rtl_paragraph(paragraph)
            _run(paragraph, header, page.language, bold=True)
        for row in item.rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                paragraph = cell.paragraphs[0]
                if value.rtl or (page.rtl and not value.text):
                    _rtl_paragraph(paragraph)
                self.text(paragraph, page, value)

    def section(self, container: Any, page: Page, section: Section, *, narrow: bool) -> None:
        heading = self.paragraph(container, page, style="Heading 2")
        _run(heading, section.heading, page.language, bold=True, size=Pt(12))
        for item in section.items:
            if item.kind == "field" and item.value is not None:
                self.field_line(container, page, item.label, item.value)
            elif item.kind == "paragraph" and item.value is not None:
                paragraph = container.add_paragraph()
                if item.value.rtl:
                    _rtl_paragraph(paragraph)
                self.text(paragraph, page, item.value)
            elif narrow:
                for record in item.records:
                    for header, value in record:
                        if value.text:
                            self.field_line(container, page, header, value)
                    self.paragraph(container, page)
            else:
                self.table(container, page, item)

    def head(self, container: Any, page: Page) -> None:
        for index, line in enumerate(page.letterhead):
            paragraph = self.paragraph(container, page)
            _run(
                paragraph, line, page.language, bold=index == 0, size=Pt(13 if index == 0 else 10.5)
            )
        title = self.paragraph(container, page, style="Heading 1")
        _run(title, page.document_title, page.language, bold=True, size=Pt(15))
        paragraph = self.paragraph(container, page)
        self.text(paragraph, page, page.title, bold=True, size=Pt(12))

    def closing(self, container: Any, page: Page) -> None:
        meta = self.source.meta
        labels = page.labels
        for label in (labels["place_date"], labels["signature"]):
            self.paragraph(container, page)
            paragraph = self.paragraph(container, page)
            _run(paragraph, "_" * 40 + "\n" + label, page.language)
        heading = self.paragraph(container, page, style="Heading 2")
        _run(heading, labels["verification"], page.language, bold=True, size=Pt(12))
        lines = [
            (labels["verification_code"], meta.code_display, Pt(12)),
            (labels["reference"], f"{meta.reference} · {labels['version']} {meta.number}", None),
            (labels["content_hash"], self.source.content_sha256, Pt(8)),
        ]
        for label, value, size in lines:
            paragraph = self.paragraph(container, page)
            _run(paragraph, f"{label}: ", page.language, bold=True)
            _run(paragraph, value, "en", font=MONO_FONT, size=size or BODY_SIZE)
        for sentence in (labels["check_at"] % {"url": meta.check_url}, labels["file_hash_note"]):
            _run(self.paragraph(container, page), sentence, page.language)

    def margins(self) -> None:
        first = self.source.first
        section = self.docx.sections[0]
        header = section.header.paragraphs[0]
        if first.rtl:
            _rtl_paragraph(header)
        _run(
            header,
            f"{self.source.meta.reference} · {first.labels['version']} {self.source.meta.number}",
            "en",
            size=Pt(8.5),
        )
        footer = section.footer.paragraphs[0]
        if first.rtl:
            _rtl_paragraph(footer)
        for index, page in enumerate(self.source.pages):
            if index:
                _run(footer, " / ", page.language, size=Pt(8.5))
            for part in re.split(r"(%\((?:page|pages)\)s)", page.labels["page_of"]):
                if part == "%(page)s":
                    _field(footer, "PAGE", page.language)
                elif part == "%(pages)s":
                    _field(footer, "NUMPAGES", page.language)
                elif part:
                    _run(footer, part, page.language, size=Pt(8.5))

    # --- layouts

    def single(self) -> None:
        page = self.source.first
        self.head(self.docx, page)
        for section in page.sections:
            self.section(self.docx, page, section, narrow=False)
        self.closing(self.docx, page)

    def bilingual(self) -> None:
        first, second = self.source.pages
        table = self.docx.add_table(rows=0, cols=2)
        table.autofit = False

        def row(write: Any) -> None:
            cells = table.add_row().cells
            for cell, page in zip(cells, (first, second), strict=True):
                cell.width = Mm(87)
                write(cell, page)
                _drop_leading_empty(cell)

        row(self.head)
        for section_a, section_b in self.source.rows:
            sections = {first.language: section_a, second.language: section_b}

            def write_section(cell: Any, page: Page, sections: dict[str, Any] = sections) -> None:
                self.section(cell, page, sections[page.language], narrow=True)

            row(write_section)
        row(self.closing)

    def bytes(self) -> bytes:
        self.margins()
        if self.source.bilingual:
            self.bilingual()
        else:
            self.single()
        buffer = io.BytesIO()
        self.docx.save(buffer)
        return buffer.getvalue()


def _drop_leading_empty(cell: Any) -> None:
    """A new cell starts with an empty paragraph; remove it once the cell has content."""
    paragraphs = cell.paragraphs
    if len(paragraphs) > 1 and not paragraphs[0].text:
        paragraphs[0]._p.getparent().remove(paragraphs[0]._p)


def render(document: Document) -> bytes:
    return _Writer(document).bytes()


RENDERER = Renderer(
    format="docx",
    content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    render=render,
)
