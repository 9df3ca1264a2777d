"""The styles part: cell styles derived from the input's own (a fill, a number format, a font, wrapping)."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from openpyxl.styles.numbers import BUILTIN_FORMATS

from .cells import CellEdit
from .parts import ContentTypes, Package, Relations
from .xmltext import CT_STYLES, HEAD, MAIN_NS, Unsupported, attributes, insert_before, open_tag, split_element, unescape

_AFTER_NUMFMTS = ("fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles",
                  "colors", "extLst")
_BUILTIN_IDS = {code: i for i, code in sorted(BUILTIN_FORMATS.items(), reverse=True)}


class Styles:
    """``cellXfs`` of the styles part, extended with derived styles (fill, number format, font)."""

    def __init__(self, package: Package, part: str | None, types: ContentTypes, workbook_rels: Relations):
        if part is None or part not in package:
            part = "xl/styles.xml"
            package.put(part, f'{HEAD}<styleSheet xmlns="{MAIN_NS}"><fonts count="1"><font><sz val="11"/>'
                              '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill '
                              'patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
                              '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
                              '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
                              'borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" '
                              'fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" '
                              'xfId="0" builtinId="0"/></cellStyles></styleSheet>')
            types.override(part, CT_STYLES)
            workbook_rels.add("styles", part)
        self.package, self.part = package, part
        self.xml = package.text(part)
        if re.search(r"<\w+:styleSheet\b", self.xml):
            raise Unsupported("prefixed styles part")
        self.xfs = self._items("cellXfs", "xf")
        self.fonts = self._items("fonts", "font")
        self.fills = self._items("fills", "fill")
        self.borders = self._items("borders", "border")
        self.custom = {unescape(a["formatCode"]): int(a["numFmtId"]) for a in
                       (attributes(m.group(0)) for m in re.finditer(r"<numFmt\b[^>]*>", self.xml))
                       if "formatCode" in a and a.get("numFmtId", "").isdigit()}
        self.added: dict[str, list[str]] = {"cellXfs": [], "fonts": [], "fills": [], "borders": [], "numFmts": []}
        self.cache: dict[tuple, int] = {}

    def _items(self, collection: str, item: str) -> list[str]:
        m = re.search(rf"<{collection}\b[^>]*?(?:/>|>(.*?)</{collection}>)", self.xml, re.S)
        if m is None or m.group(1) is None:
            return []
        return re.findall(rf"<{item}\b[^>]*?(?:/>|>.*?</{item}>)", m.group(1), re.S)

    def derive(self, base: int, edit: CellEdit) -> int:
        """The index of ``xf`` ``base`` with the edit's fill, number format and font."""
        key = (base, edit.fill, edit.number_format, edit.font, edit.wrap, edit.border)
        if key in self.cache:
            return self.cache[key]
        xfs = self.xfs + self.added["cellXfs"]
        xf = xfs[base] if 0 <= base < len(xfs) else (xfs[0] if xfs else '<xf numFmtId="0" fontId="0" fillId="0" '
                                                                         'borderId="0" xfId="0"/>')
        attrs, body = split_element(xf, "xf")
        body = body or ""
        if edit.fill:
            attrs["fillId"], attrs["applyFill"] = str(self._fill(edit.fill)), "1"
        if edit.number_format:
            attrs["numFmtId"], attrs["applyNumberFormat"] = str(self._numfmt(edit.number_format)), "1"
        if edit.font:
            attrs["fontId"], attrs["applyFont"] = str(self._font(edit.font)), "1"
        if edit.border:
            attrs["borderId"], attrs["applyBorder"] = str(self._border()), "1"
        if edit.wrap:
            body = re.sub(r"<alignment\b[^>]*?(?:/>|>.*?</alignment>)", "", body, flags=re.S)
            body = '<alignment vertical="top" wrapText="1"/>' + body
            attrs["applyAlignment"] = "1"
        new = open_tag("xf", attrs) + (f">{body}</xf>" if body else "/>")
        self.added["cellXfs"].append(new)
        index = len(self.xfs) + len(self.added["cellXfs"]) - 1
        self.cache[key] = index
        return index

    def _fill(self, argb: str) -> int:
        xml = f'<fill><patternFill patternType="solid"><fgColor rgb="{argb}"/><bgColor indexed="64"/></patternFill></fill>'
        return self._add("fills", self.fills, xml)

    def _border(self) -> int:
        line = '<color auto="1"/>'
        sides = "".join(f'<{side} style="thin">{line}</{side}>' for side in ("left", "right", "top", "bottom"))
        return self._add("borders", self.borders, f"<border>{sides}<diagonal/></border>")

    def _font(self, kind: str) -> int:
        inner = split_element(self.fonts[0], "font")[1] or "" if self.fonts else '<sz val="11"/><name val="Calibri"/>'
        if kind == "bold":
            inner = "<b/>" + re.sub(r"<b\b[^>]*/>", "", inner)
        else:  # a hyperlink's blue underline
            inner = '<u/><color rgb="FF0563C1"/>' + re.sub(r"<(?:u|color)\b[^>]*?(?:/>|>.*?</(?:u|color)>)", "", inner,
                                                          flags=re.S)
        return self._add("fonts", self.fonts, f"<font>{inner}</font>")

    def _add(self, collection: str, existing: list[str], xml: str) -> int:
        added = self.added[collection]
        if xml in added:
            return len(existing) + added.index(xml)
        added.append(xml)
        return len(existing) + len(added) - 1

    def _numfmt(self, code: str) -> int:
        if code in _BUILTIN_IDS:
            return _BUILTIN_IDS[code]
        if code not in self.custom:
            self.custom[code] = max([163, *self.custom.values()]) + 1
            quoted = escape(code, {'"': "&quot;"})
            self.added["numFmts"].append(f'<numFmt numFmtId="{self.custom[code]}" formatCode="{quoted}"/>')
        return self.custom[code]

    def save(self) -> None:
        if not any(self.added.values()):
            return
        xml = self.xml
        for collection, existing in (("fonts", self.fonts), ("fills", self.fills), ("borders", self.borders),
                                     ("cellXfs", self.xfs), ("numFmts", None)):
            new = self.added[collection]
            if not new:
                continue
            m = re.search(rf"<{collection}\b([^>]*?)(/?)>", xml)
            if m is None:
                if collection != "numFmts":
                    raise Unsupported(f"styles without <{collection}>")
                xml = insert_before(xml, "styleSheet", f'<numFmts count="{len(new)}">{"".join(new)}</numFmts>',
                                     _AFTER_NUMFMTS)
                continue
            attrs = attributes(m.group(1))
            count = len(existing) if existing is not None else len(re.findall(r"<numFmt\b", xml))
            attrs["count"] = str(count + len(new))
            if m.group(2):  # <cellXfs count="0"/>
                xml = xml[:m.start()] + open_tag(collection, attrs) + ">" + "".join(new) + f"</{collection}>" + \
                    xml[m.end():]
            else:
                end = xml.index(f"</{collection}>", m.end())
                xml = xml[:m.start()] + open_tag(collection, attrs) + ">" + xml[m.end():end] + "".join(new) + \
                    xml[end:]
        self.package.put(self.part, xml)
