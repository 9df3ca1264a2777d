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

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any, Iterable
from xml.sax.saxutils import escape

from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.utils.cell import column_index_from_string, get_column_letter

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TYPE = REL_NS + "/"
CT_SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

KEEP = object()  # a cell edit that leaves the value as it is
_ATTR = re.compile(r'([\w:.-]+)\s*=\s*("[^"]*"|\'[^\']*\')')
_ROW = re.compile(r"<row\b[^>]*?(?:/>|>.*?</row>)", re.S)
_CELL = re.compile(r"<c\b[^>]*?(?:/>|>.*?</c>)", re.S)
_REF = re.compile(r"([A-Z]{1,3})([0-9]+)$")
_TAG = re.compile(r"""<(/?)([\w:.-]+)(?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(/?)>""")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPE_LIKE = re.compile("_(x[0-9A-Fa-f]{4}_)")
# CT_Worksheet's children after legacyDrawing, and CT_Workbook's after definedNames / calcPr
_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                 "tableParts", "extLst")
_AFTER_CALC = ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
               "fileRecoveryPr", "webPublishObjects", "extLst")
_AFTER_NUMFMTS = ("fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles",
                  "colors", "extLst")
_BUILTIN_IDS = {code: i for i, code in sorted(BUILTIN_FORMATS.items(), reverse=True)}


class Unsupported(Exception):
    """The package holds something this editor does not rewrite safely; use a full load and save."""


@dataclass
class CellEdit:
    """What to change in one cell.  ``value`` KEEP leaves the value; a ``formula`` (``=...``) comes
    with its cached ``value``.  ``fill`` is an ARGB colour; ``font`` and ``wrap`` are for added sheets."""
    value: Any = KEEP
    formula: str | None = None
    number_format: str | None = None
    fill: str | None = None
    font: str | None = None
    wrap: bool = False


@dataclass
class NewSheet:
    """A sheet to add: rows of values (``CellEdit`` for a styled cell), widths, frozen header, links."""
    title: str
    rows: list[list[Any]]
    widths: list[float] = field(default_factory=list)
    freeze_header: bool = False
    auto_filter: bool = False
    links: dict[str, str] = field(default_factory=dict)  # A1 -> location inside the workbook


def xml_text(value: Any) -> str:
    """Cell text for XML (text node or attribute): ``_xHHHH_`` for characters XML 1.0 cannot hold (as
    Excel writes them), a literal ``_xHHHH_`` kept literal, markup and quotes escaped."""
    text = _ESCAPE_LIKE.sub(r"_x005F_\1", str(value))
    text = _ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return escape(text, {'"': "&quot;"})


def _attrs(tag: str) -> dict[str, str]:
    """A start tag's attributes, values as they stand in the XML (still escaped)."""
    return {k: v[1:-1] for k, v in _ATTR.findall(tag)}


def _open_tag(name: str, attrs: dict[str, str]) -> str:
    """``<name a="v"`` (without the closing ``>``) from escaped attribute values."""
    return "<" + name + "".join(f' {k}="{v.replace(chr(34), "&quot;")}"' for k, v in attrs.items())


def _split(element: str, name: str) -> tuple[dict[str, str], str | None]:
    """An element's attributes and its content (None for an empty-element tag)."""
    m = re.match(rf"<{name}\b((?:\s+[\w:.-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>", element)
    if m is None:
        raise Unsupported(f"cannot read <{name}>")
    if m.group(2):
        return _attrs(m.group(1)), None
    return _attrs(m.group(1)), element[m.end():element.rfind(f"</{name}>")]


def _unescape(text: str) -> str:
    return text.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">") \
        .replace("&amp;", "&")


def _number(value: Any) -> str:
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else "0"
    return str(value)


def _cached(value: Any) -> tuple[str | None, str]:
    """(t attribute, <v> text) of a formula's cached value."""
    if isinstance(value, bool):
        return "b", str(int(value))
    if isinstance(value, (int, float)):
        return None, _number(value)
    return "str", xml_text(value)


def _children(xml: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """(name, start, end) of each element directly inside ``xml[start:end]`` (an element's content)."""
    out, depth, begin = [], 0, 0
    for m in _TAG.finditer(xml, start, end):
        closing, name, empty = m.group(1), m.group(2), m.group(3)
        if name.startswith(("?", "!")):
            continue
        if closing:
            depth -= 1
            if depth == 0:
                out.append((name, begin, m.end()))
        elif empty:
            if depth == 0:
                out.append((name, m.start(), m.end()))
        else:
            if depth == 0:
                begin = m.start()
            depth += 1
    return out


def _root_span(xml: str, name: str) -> tuple[int, int]:
    """The content span of the document element ``name`` (unprefixed)."""
    m = re.search(rf"<{name}\b[^>]*>", xml)
    end = xml.rfind(f"</{name}>")
    if m is None or end < 0:
        raise Unsupported(f"no <{name}> document element")
    return m.end(), end


def _insert_before(xml: str, root: str, new: str, after: Iterable[str]) -> str:
    """Insert ``new`` into the document element before its first child named in ``after`` (the schema's
    order), else at its end."""
    start, end = _root_span(xml, root)
    at = next((s for name, s, _ in _children(xml, start, end) if name in after), end)
    return xml[:at] + new + xml[at:]


class Package:
    """An .xlsx package: parts read as text on demand, edited, and written back as a new zip."""

    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = [i.filename for i in self.zip.infolist()]
        self.changed: dict[str, str | bytes] = {}
        self.removed: set[str] = set()

    def __contains__(self, name: str) -> bool:
        return name not in self.removed and (name in self.changed or name in self.zip.NameToInfo)

    def text(self, name: str) -> str:
        if name in self.changed:
            value = self.changed[name]
            return value if isinstance(value, str) else value.decode("utf-8")
        return self.zip.read(name).decode("utf-8")

    def put(self, name: str, value: str | bytes) -> None:
        self.changed[name] = value
        self.removed.discard(name)

    def remove(self, name: str) -> None:
        self.removed.add(name)
        self.changed.pop(name, None)

    def unused(self, pattern: str) -> str:
        """The first ``pattern.format(n)`` for n = 1, 2, … that names no part."""
        n = 1
        while pattern.format(n) in self:
            n += 1
        return pattern.format(n)

    def save(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in self.zip.infolist():
                name = info.filename
                if name in self.removed:
                    continue
                if name in self.changed:
                    value = self.changed.pop(name)
                    dst.writestr(name, value.encode("utf-8") if isinstance(value, str) else value)
                else:
                    dst.writestr(info, self.zip.read(name))
            for name, value in self.changed.items():
                dst.writestr(name, value.encode("utf-8") if isinstance(value, str) else value)
        return out.getvalue()


class Relations:
    """A part's relationships file, read and extended."""

    def __init__(self, package: Package, part: str):
        folder, base = posixpath.split(part)
        self.package, self.folder = package, folder
        self.name = posixpath.join(folder, "_rels", base + ".rels")
        self.xml = package.text(self.name) if self.name in package else \
            f'{HEAD}<Relationships xmlns="{PKG_REL_NS}"></Relationships>'
        self.items = [_attrs(m.group(0)) for m in re.finditer(r"<Relationship\b[^>]*>", self.xml)]

    def target(self, rel: dict[str, str]) -> str:
        target = _unescape(rel.get("Target", ""))
        return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(self.folder, target))

    def of_type(self, kind: str) -> list[dict[str, str]]:
        return [r for r in self.items if r.get("Type", "").rsplit("/", 1)[-1] == kind
                and r.get("TargetMode") != "External"]

    def add(self, kind: str, part: str) -> str:
        ids = {r.get("Id") for r in self.items}
        n = len(ids) + 1
        while f"rId{n}" in ids:
            n += 1
        rid = f"rId{n}"
        target = posixpath.relpath(part, self.folder or ".")
        self.items.append({"Id": rid, "Type": REL_TYPE + kind, "Target": target})
        end = self.xml.rfind("</Relationships>")
        if end < 0:  # <Relationships/>
            self.xml = re.sub(r"<Relationships\b([^>]*)/>", r"<Relationships\1></Relationships>", self.xml)
            end = self.xml.rfind("</Relationships>")
        self.xml = self.xml[:end] + f'<Relationship Id="{rid}" Type="{REL_TYPE}{kind}" Target="{target}"/>' + \
            self.xml[end:]
        self.package.put(self.name, self.xml)
        return rid

    def drop(self, kind: str) -> list[str]:
        """Remove the relationships of a type; the parts they pointed at."""
        gone = []
        for rel in self.of_type(kind):
            gone.append(self.target(rel))
            self.xml = re.sub(rf'<Relationship\b[^>]*\bId="{re.escape(rel["Id"])}"[^>]*>', "", self.xml)
            self.items.remove(rel)
        if gone:
            self.package.put(self.name, self.xml)
        return gone


class ContentTypes:
    NAME = "[Content_Types].xml"

    def __init__(self, package: Package):
        self.package = package
        self.xml = package.text(self.NAME)

    def override(self, part: str, content_type: str) -> None:
        self.remove(part)
        end = self.xml.rfind("</Types>")
        self.xml = self.xml[:end] + f'<Override PartName="/{part}" ContentType="{content_type}"/>' + self.xml[end:]
        self.package.put(self.NAME, self.xml)

    def remove(self, part: str) -> None:
        self.xml = re.sub(rf'<Override\b[^>]*PartName="/{re.escape(part)}"[^>]*/>', "", self.xml)
        self.package.put(self.NAME, self.xml)

    def default(self, extension: str, content_type: str) -> None:
        """Declare a default for an extension, unless one is declared already (then parts of it get an
        override)."""
        m = re.search(rf'<Default\b[^>]*Extension="{extension}"[^>]*ContentType="([^"]*)"', self.xml, re.I)
        if m is None:
            end = self.xml.rfind("</Types>")
            self.xml = self.xml[:end] + f'<Default Extension="{extension}" ContentType="{content_type}"/>' + \
                self.xml[end:]
            self.package.put(self.NAME, self.xml)
        elif m.group(1) != content_type:
            raise Unsupported(f".{extension} parts have another content type")

    def set_main(self, part: str) -> None:
        """The workbook as a plain .xlsx (a macro-enabled or template main part would not open as one)."""
        self.xml = re.sub(rf'(<Override\b[^>]*PartName="/{re.escape(part)}"[^>]*ContentType=")[^"]*"',
                          rf'\1{CT_SHEET_MAIN}"', self.xml)
        self.package.put(self.NAME, self.xml)


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
        self.custom = {_unescape(a["formatCode"]): int(a["numFmtId"]) for a in
                       (_attrs(m.group(0)) for m in re.finditer(r"<numFmt\b[^>]*>", self.xml))
                       if "formatCode" in a and a.get("numFmtId", "").isdigit()}
        self.added: dict[str, list[str]] = {"cellXfs": [], "fonts": [], "fills": [], "numFmts": []}
        self.cache: dict[tuple, int] = {}

    def _items(self, collection: str, item: str) -> list[str]:
        m = re.search(rf"<{collection}\b[^>]*?(?:/>|>(.*?)</{collection}>)", self.xml, re.S)
        if m is None or m.group(1) is None:
            return []
        return re.findall(rf"<{item}\b[^>]*?(?:/>|>.*?</{item}>)", m.group(1), re.S)

    def derive(self, base: int, edit: CellEdit) -> int:
        """The index of ``xf`` ``base`` with the edit's fill, number format and font."""
        key = (base, edit.fill, edit.number_format, edit.font, edit.wrap)
        if key in self.cache:
            return self.cache[key]
        xfs = self.xfs + self.added["cellXfs"]
        xf = xfs[base] if 0 <= base < len(xfs) else (xfs[0] if xfs else '<xf numFmtId="0" fontId="0" fillId="0" '
                                                                         'borderId="0" xfId="0"/>')
        attrs, body = _split(xf, "xf")
        body = body or ""
        if edit.fill:
            attrs["fillId"], attrs["applyFill"] = str(self._fill(edit.fill)), "1"
        if edit.number_format:
            attrs["numFmtId"], attrs["applyNumberFormat"] = str(self._numfmt(edit.number_format)), "1"
        if edit.font:
            attrs["fontId"], attrs["applyFont"] = str(self._font(edit.font)), "1"
        if edit.wrap:
            body = re.sub(r"<alignment\b[^>]*?(?:/>|>.*?</alignment>)", "", body, flags=re.S)
            body = '<alignment vertical="top" wrapText="1"/>' + body
            attrs["applyAlignment"] = "1"
        new = _open_tag("xf", attrs) + (f">{body}</xf>" if body else "/>")
        self.added["cellXfs"].append(new)
        index = len(self.xfs) + len(self.added["cellXfs"]) - 1
        self.cache[key] = index
        return index

    def _fill(self, argb: str) -> int:
        xml = f'<fill><patternFill patternType="solid"><fgColor rgb="{argb}"/><bgColor indexed="64"/></patternFill></fill>'
        return self._add("fills", self.fills, xml)

    def _font(self, kind: str) -> int:
        inner = _split(self.fonts[0], "font")[1] or "" if self.fonts else '<sz val="11"/><name val="Calibri"/>'
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
        for collection, existing in (("fonts", self.fonts), ("fills", self.fills), ("cellXfs", self.xfs),
                                     ("numFmts", None)):
            new = self.added[collection]
            if not new:
                continue
            m = re.search(rf"<{collection}\b([^>]*?)(/?)>", xml)
            if m is None:
                if collection != "numFmts":
                    raise Unsupported(f"styles without <{collection}>")
                xml = _insert_before(xml, "styleSheet", f'<numFmts count="{len(new)}">{"".join(new)}</numFmts>',
                                     _AFTER_NUMFMTS)
                continue
            attrs = _attrs(m.group(1))
            count = len(existing) if existing is not None else len(re.findall(r"<numFmt\b", xml))
            attrs["count"] = str(count + len(new))
            if m.group(2):  # <cellXfs count="0"/>
                xml = xml[:m.start()] + _open_tag(collection, attrs) + ">" + "".join(new) + f"</{collection}>" + \
                    xml[m.end():]
            else:
                end = xml.index(f"</{collection}>", m.end())
                xml = xml[:m.start()] + _open_tag(collection, attrs) + ">" + xml[m.end():end] + "".join(new) + \
                    xml[end:]
        self.package.put(self.part, xml)


def _cell_xml(ref: str, old: str | None, edit: CellEdit, style: int | None) -> str:
    """The ``<c>`` element for ``ref`` after the edit."""
    attrs, inner = _split(old, "c") if old else ({}, None)
    attrs.pop("r", None)
    if style is not None:
        attrs["s"] = str(style)
    if edit.value is KEEP and edit.formula is None:
        return _open_tag("c", {"r": ref, **attrs}) + (f">{inner}</c>" if inner else "/>")
    if old and re.search(r"<f\b[^>]*\bt=\"(?:shared|array|dataTable)\"[^>]*\bref=", old):
        raise Unsupported(f"{ref} is the master of a shared or array formula")
    for name in ("t", "cm", "vm", "ph"):
        attrs.pop(name, None)
    value = edit.value
    if edit.formula is not None:
        kind, text = _cached(value)
        if value is None:
            kind, text = None, ""
        if kind:
            attrs["t"] = kind
        inner = f"<f>{escape(edit.formula.removeprefix('='))}</f>" + (f"<v>{text}</v>" if text != "" else "")
    elif value is None:
        inner = ""
    elif isinstance(value, bool):
        attrs["t"], inner = "b", f"<v>{int(value)}</v>"
    elif isinstance(value, (int, float)):
        inner = f"<v>{_number(value)}</v>"
    else:
        attrs["t"] = "inlineStr"
        inner = f'<is><t xml:space="preserve">{xml_text(value)}</t></is>'
    return _open_tag("c", {"r": ref, **attrs}) + (f">{inner}</c>" if inner else "/>")


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
            a = _attrs(m.group(0))
            rel = by_id.get(next((v for k, v in a.items() if k.endswith(":id")), ""))
            if rel is not None:
                self.sheets[_unescape(a.get("name", ""))] = self.rels.target(rel)
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
            r = _attrs(tag).get("r", "")
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
            ref = _split(cm.group(0), "c")[0].get("r", "")
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
                s = _split(old, "c")[0].get("s", "0") if old else "0"
                base = int(s) if s.isdigit() else 0
                style = self.styles.derive(base, edit)
            xml.append(_cell_xml(ref, old, edit, style))
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
        xml = _insert_before(xml, "worksheet", f'<legacyDrawing xmlns:r="{REL_NS}" r:id="{rid}"/>', _AFTER_LEGACY)
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
                    else None
                if edit.value is not None or style is not None:
                    cells.append(_cell_xml(f"{get_column_letter(c)}{r}", None, edit, style))
            rows.append(f'<row r="{r}">{"".join(cells)}</row>')
        cols = "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>' for c, w in enumerate(sheet.widths, 1))
        pane = ('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>') if sheet.freeze_header else ""
        width = max((len(r) for r in sheet.rows), default=1)
        last = f"{get_column_letter(width)}{len(sheet.rows)}"
        links = "".join(f'<hyperlink ref="{ref}" location="{xml_text(where)}"/>' for ref, where in sheet.links.items())
        self.package.put(part, f'{HEAD}<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
                               f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
                               f'<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{cols}</cols>" if cols else "") +
                         f'<sheetData>{"".join(rows)}</sheetData>' +
                         (f'<autoFilter ref="A1:{last}"/>' if sheet.auto_filter and len(sheet.rows) > 1 else "") +
                         (f"<hyperlinks>{links}</hyperlinks>" if links else "") +
                         '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
                         "</worksheet>")
        self.types.override(part, CT_WORKSHEET)
        rid = self.rels.add("worksheet", part)
        ids = [int(a.get("sheetId", "0")) for a in (_attrs(m.group(0)) for m in re.finditer(r"<sheet\b[^>]*>", self.xml))
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
                self.xml = _insert_before(self.xml, "workbook", f"<definedNames>{name}</definedNames>",
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
            self.xml = _insert_before(self.xml, "workbook", '<calcPr calcId="191029" fullCalcOnLoad="1"/>',
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
