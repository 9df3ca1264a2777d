"""The parts of an .xlsx package, its relationships and its content types, read and extended as text."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from ..ooxml import kind as rel_kind, relationships, rels_name, resolve
from .xmltext import CT_SHEET_MAIN, HEAD, PKG_REL_NS, REL_TYPE, Unsupported, unescape


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
        self.package, self.folder = package, posixpath.dirname(part)
        self.name = rels_name(part)
        self.xml = package.text(self.name) if self.name in package else \
            f'{HEAD}<Relationships xmlns="{PKG_REL_NS}"></Relationships>'
        self.items = relationships(self.xml)

    def target(self, rel: dict[str, str]) -> str:
        return resolve(self.folder, unescape(rel.get("Target", "")))

    def of_type(self, kind: str) -> list[dict[str, str]]:
        return [r for r in self.items if rel_kind(r) == kind and r.get("TargetMode") != "External"]

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
