"""Editing an .xlsx package in place: cell values, formulas with cached values, fills, number formats,
comments and one added sheet, written into the input's own XML.

Every part the edits do not touch is copied byte for byte, so what openpyxl would drop on a load and
save (pictures, charts, shapes, conditional formats with extensions, printer settings, themes) stays.
It is about ten times quicker than an openpyxl load and save.  Where a package holds something this
editor does not rewrite safely (cells or rows without references, a prefixed main namespace, a shared
formula's master cell to be replaced, a sheet that already has comments, a sheet of the name to add),
it raises :class:`Unsupported` and the caller takes the slower openpyxl path.

Text is edited as text, never through an XML tree that would rename namespace prefixes: Excel refuses
a part whose ``mc:Ignorable`` names a prefix that is no longer declared.
"""

from __future__ import annotations

import posixpath
import re
import zipfile

from openpyxl.utils.cell import column_index_from_string, get_column_letter

from .cells import KEEP, CellEdit, NewSheet, cell_xml
from .parts import ContentTypes, Package, Relations
from .styles import Styles
from .xmltext import (CT_COMMENTS, CT_VML, CT_WORKSHEET, HEAD, MAIN_NS, REL_NS, Unsupported, attributes, insert_before,
                      split_element, unescape, xml_text)

__all__ = ["KEEP", "CellEdit", "NewSheet", "Unsupported", "Workbook", "xml_text"]

_ROW = re.compile(r"<row\b[^>]*?(?:/>|>.*?</row>)", re.S)
_CELL = re.compile(r"<c\b[^>]*?(?:/>|>.*?</c>)", re.S)
_REF = re.compile(r"([A-Z]{1,3})([0-9]+)$")
# CT_Worksheet's children after legacyDrawing, and CT_Workbook's after definedNames / calcPr
_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                 "tableParts", "extLst")
_AFTER_CALC = ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
               "fileRecoveryPr", "webPublishObjects", "extLst")


class Workbook:
    """The package's workbook part, its sheets and their parts."""

    def __init__(self, data: bytes):
        try:
            self.package = Package(data)
        except zipfile.BadZipFile as exc:
            raise Unsupported(str(exc)) from exc
        root = Relations(self.package, "")
        mains = root.of_type("officeDocument")
        self.part = root.target(mains[0]) if mains else "xl/workbook.xml"
        if self.part not in self.package:
            raise Unsupported("no workbook part")
        self.xml = self.package.text(self.part)
        if re.search(r"<\w+:workbook\b", self.xml):
            raise Unsupported("prefixed workbook part")
        self.rels = Relations(self.package, self.part)
        self.types = ContentTypes(self.package)
        by_id = {r.get("Id"): r for r in self.rels.items}
        self.sheets: dict[str, str] = {}
        for m in re.finditer(r"<sheet\b[^>]*>", self.xml):
            a = attributes(m.group(0))
            rel = by_id.get(next((v for k, v in a.items() if k.endswith(":id")), ""))
            if rel is not None:
                self.sheets[unescape(a.get("name", ""))] = self.rels.target(rel)
        styles = self.rels.of_type("styles")
        self.styles = Styles(self.package, self.rels.target(styles[0]) if styles else None, self.types, self.rels)

    def edit_cells(self, title: str, edits: dict[tuple[int, int], CellEdit]) -> None:
        part = self.sheets.get(title)
        if part is None or part not in self.package:
            raise Unsupported(f"no part for sheet {title!r}")
        xml = self.package.text(part)
        m = re.search(r"<sheetData\b[^>]*?(?:/>|>(.*?)</sheetData>)", xml, re.S)
        if m is None:
            raise Unsupported(f"sheet {title!r} has no <sheetData>")
        body = m.group(1) or ""
        by_row: dict[int, dict[int, CellEdit]] = {}
        for (row, col), edit in edits.items():
            by_row.setdefault(row, {})[col] = edit
        out, last = [], 0
        for rm in _ROW.finditer(body):
            if body[last:rm.start()].strip():
                raise Unsupported(f"unexpected content in the sheet data of {title!r}")
            out.append(body[last:rm.start()])
            last = rm.end()
            row_xml = rm.group(0)
            tag = row_xml[:row_xml.index(">") + 1]
            r = attributes(tag).get("r", "")
            if not r.isdigit():
                raise Unsupported(f"a row without a number in {title!r}")
            row_no = int(r)
            for pending in sorted(n for n in by_row if n < row_no):
                out.append(self._row(pending, None, by_row.pop(pending)))
            out.append(self._row(row_no, row_xml, by_row.pop(row_no)) if row_no in by_row else row_xml)
        if body[last:].strip():
            raise Unsupported(f"unexpected content in the sheet data of {title!r}")
        out.append(body[last:])
        for pending in sorted(by_row):
            out.append(self._row(pending, None, by_row[pending]))
        self.package.put(part, xml[:m.start()] + "<sheetData>" + "".join(out) + "</sheetData>" + xml[m.end():])

    def _row(self, row_no: int, row_xml: str | None, edits: dict[int, CellEdit]) -> str:
        if row_xml is None:
            tag, content, close = f'<row r="{row_no}">', "", "</row>"
        elif row_xml.endswith("/>") and "</row>" not in row_xml:
            tag, content, close = row_xml[:-2].rstrip() + ">", "", "</row>"
        else:
            cut = row_xml.index(">") + 1
            tag, content, close = row_xml[:cut], row_xml[cut:-len("</row>")], "</row>"
        cells = []
        for cm in _CELL.finditer(content):
            ref = split_element(cm.group(0), "c")[0].get("r", "")
            m = _REF.match(ref)
            if m is None or int(m.group(2)) != row_no:
                raise Unsupported(f"a cell without a reference in row {row_no}")
            cells.append((column_index_from_string(m.group(1)), cm.group(0)))
        rest = _CELL.sub("", content).strip()
        if rest and not rest.startswith("<extLst"):
            raise Unsupported(f"unexpected content in row {row_no}")
        present = {col for col, _ in cells}
        for col, edit in edits.items():
            if col not in present:
                cells.append((col, None))
        cells.sort(key=lambda x: x[0])
        xml = []
        for col, old in cells:
            edit = edits.get(col)
            if edit is None:
                xml.append(old)
                continue
            ref = f"{get_column_letter(col)}{row_no}"
            style = None
            if edit.fill or edit.number_format or edit.font or edit.wrap:
                s = split_element(old, "c")[0].get("s", "0") if old else "0"
                base = int(s) if s.isdigit() else 0
                style = self.styles.derive(base, edit)
            xml.append(cell_xml(ref, old, edit, style))
        # spans="1:5" would hide a cell added beyond them from some readers
        tag = re.sub(r'\sspans="[^"]*"', "", tag)
        return tag + "".join(xml) + (rest or "") + close

    def add_comments(self, title: str, notes: dict[tuple[int, int], str], author: str,
                     size: tuple[int, int] = (320, 140)) -> None:
        """A comments part and its VML shapes for a sheet that has none."""
        part = self.sheets[title]
        rels = Relations(self.package, part)
        xml = self.package.text(part)
        if rels.of_type("comments") or re.search(r"<legacyDrawing\b", xml):
            raise Unsupported(f"sheet {title!r} already has comments or a legacy drawing")
        if re.search(r"<\w+:worksheet\b", xml):
            raise Unsupported(f"sheet {title!r} has a prefixed document element")
        comments = self.package.unused("xl/comments{}.xml")
        vml = self.package.unused("xl/drawings/vmlDrawing{}.vml")
        block = int(re.search(r"(\d+)\.vml$", vml).group(1))  # shape ids apart from other sheets' drawings
        entries = "".join(f'<comment ref="{get_column_letter(c)}{r}" authorId="0"><text><t xml:space="preserve">'
                          f"{xml_text(text)}</t></text></comment>" for (r, c), text in sorted(notes.items()))
        self.package.put(comments, f'{HEAD}<comments xmlns="{MAIN_NS}"><authors><author>{xml_text(author)}</author>'
                                   f"</authors><commentList>{entries}</commentList></comments>")
        self.package.put(vml, _vml(sorted(notes), block, size))
        self.types.override(comments, CT_COMMENTS)
        self.types.default("vml", CT_VML)
        rels.add("comments", comments)
        rid = rels.add("vmlDrawing", vml)
        # the prefix declared on the element itself: the document element may bind r otherwise, or not at all
        xml = insert_before(xml, "worksheet", f'<legacyDrawing xmlns:r="{REL_NS}" r:id="{rid}"/>', _AFTER_LEGACY)
        self.package.put(part, xml)

    def add_sheet(self, sheet: NewSheet) -> None:
        if sheet.title in self.sheets:
            raise Unsupported(f"the workbook already has a sheet {sheet.title!r}")
        part = self.package.unused("xl/worksheets/sheet{}.xml")
        rows = []
        for r, values in enumerate(sheet.rows, 1):
            cells = []
            for c, value in enumerate(values, 1):
                edit = value if isinstance(value, CellEdit) else CellEdit(value)
                style = self.styles.derive(0, edit) if edit.font or edit.wrap or edit.fill or edit.number_format \
                    or edit.border else None
                if edit.value is not None or style is not None:
                    cells.append(cell_xml(f"{get_column_letter(c)}{r}", None, edit, style))
            height = f' ht="{sheet.heights[r]:g}" customHeight="1"' if r in sheet.heights else ""
            rows.append(f'<row r="{r}"{height}>{"".join(cells)}</row>')
        cols = "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>' for c, w in enumerate(sheet.widths, 1))
        pane = ('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>') if sheet.freeze_header else ""
        width = max((len(r) for r in sheet.rows), default=1)
        last = f"{get_column_letter(width)}{len(sheet.rows)}"
        links = "".join(f'<hyperlink ref="{ref}" location="{xml_text(where)}"/>' for ref, where in sheet.links.items())
        fit = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if sheet.fit_width else ""
        setup = '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>' \
            if sheet.fit_width else ""
        self.package.put(part, f'{HEAD}<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{fit}'
                               f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
                               f'<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{cols}</cols>" if cols else "") +
                         f'<sheetData>{"".join(rows)}</sheetData>' +
                         (f'<autoFilter ref="A1:{last}"/>' if sheet.auto_filter and len(sheet.rows) > 1 else "") +
                         (f"<hyperlinks>{links}</hyperlinks>" if links else "") +
                         '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' +
                         setup + "</worksheet>")
        self.types.override(part, CT_WORKSHEET)
        rid = self.rels.add("worksheet", part)
        ids = [int(a.get("sheetId", "0")) for a in (attributes(m.group(0)) for m in re.finditer(r"<sheet\b[^>]*>", self.xml))
               if a.get("sheetId", "").isdigit()]
        index = len(re.findall(r"<sheet\b", self.xml))
        entry = f'<sheet xmlns:r="{REL_NS}" name="{xml_text(sheet.title)}" sheetId="{max(ids, default=0) + 1}" ' \
                f'r:id="{rid}"/>'
        if re.search(r"<sheets\s*/>", self.xml):
            self.xml = re.sub(r"<sheets\s*/>", f"<sheets>{entry}</sheets>", self.xml)
        else:
            end = self.xml.index("</sheets>")
            self.xml = self.xml[:end] + entry + self.xml[end:]
        self.sheets[sheet.title] = part
        if sheet.auto_filter and len(sheet.rows) > 1:
            quoted = "'" + sheet.title.replace("'", "''") + "'"
            a, b = re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", "A1"), re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", last)
            name = (f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
                    f"{xml_text(quoted)}!{a}:{b}</definedName>")
            self.xml = re.sub(r"<definedNames\s*/>", "<definedNames></definedNames>", self.xml)
            if "</definedNames>" in self.xml:
                end = self.xml.index("</definedNames>")
                self.xml = self.xml[:end] + name + self.xml[end:]
            else:
                self.xml = insert_before(self.xml, "workbook", f"<definedNames>{name}</definedNames>",
                                          ("calcPr",) + _AFTER_CALC)

    def save(self) -> bytes:
        """The edited package: recalculated on opening (cells we did not touch may refer to corrected
        ones), without the stale calculation chain or any macros, as a plain .xlsx."""
        m = re.search(r"<calcPr\b[^>]*?/?>", self.xml)
        if m:
            tag = re.sub(r'\sfullCalcOnLoad="[^"]*"', "", m.group(0))
            tag = tag[:-2].rstrip() + ' fullCalcOnLoad="1"/>' if tag.endswith("/>") else \
                tag[:-1].rstrip() + ' fullCalcOnLoad="1">'
            self.xml = self.xml[:m.start()] + tag + self.xml[m.end():]
        else:
            self.xml = insert_before(self.xml, "workbook", '<calcPr calcId="191029" fullCalcOnLoad="1"/>',
                                      _AFTER_CALC)
        self.package.put(self.part, self.xml)
        for kind in ("calcChain", "vbaProject"):
            for gone in self.rels.drop(kind):
                self.package.remove(gone)
                self.package.remove(posixpath.join(posixpath.dirname(gone), "_rels", posixpath.basename(gone) + ".rels"))
                self.types.remove(gone)
        self.types.set_main(self.part)
        self.styles.save()
        return self.package.save()


def _vml(cells: list[tuple[int, int]], block: int, size: tuple[int, int]) -> str:
    """Excel's note shapes (hidden until hovered) for ``cells``; ``block`` keeps shape ids apart per sheet."""
    width, height = size[0] * 0.75, size[1] * 0.75
    shapes = []
    for k, (row, col) in enumerate(cells):
        shapes.append(
            f'<v:shape id="_x0000_s{block * 1024 + k + 1}" type="#_x0000_t202" style="position:absolute;'
            f"margin-left:59.25pt;margin-top:1.5pt;width:{width:g}pt;height:{height:g}pt;z-index:{k + 1};"
            'visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
            '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
            '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
            f'<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f"<x:Anchor>{col}, 15, {max(row - 2, 0)}, 10, {col + 3}, 15, {row + 5}, 4</x:Anchor>"
            f"<x:AutoFill>False</x:AutoFill><x:Row>{row - 1}</x:Row><x:Column>{col - 1}</x:Column>"
            "</x:ClientData></v:shape>")
    return ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel">'
            f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'
            '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
            '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
            + "".join(shapes) + "</xml>")
