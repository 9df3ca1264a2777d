"""What the OOXML package format says, in one place for the reader (:mod:`.formats.xlsx`), the editor
(:mod:`.xlsxedit`) and the corrected workbook's cached values (:mod:`.corrected`): where a part's
relationships are, how a relationship's target resolves, what a relationship says."""

from __future__ import annotations

import posixpath
import re

PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_RELATIONSHIP = re.compile(r"<Relationship\b[^>]*>")
_ATTR = re.compile(r'([\w:.-]+)\s*=\s*("[^"]*"|\'[^\']*\')')


def rels_name(part: str) -> str:
    """``xl/_rels/workbook.xml.rels`` for ``xl/workbook.xml``; ``_rels/.rels`` for the package ("")."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve(folder: str, target: str) -> str:
    """A relationship's target as a part name: absolute (``/xl/…``) or relative to the source's folder."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))


def unescape(text: str) -> str:
    return text.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">") \
        .replace("&amp;", "&")


def relationships(xml: str) -> list[dict[str, str]]:
    """Each ``<Relationship>`` of a .rels part: its attributes, values as they stand (still escaped)."""
    return [{k: v[1:-1] for k, v in _ATTR.findall(m.group(0))} for m in _RELATIONSHIP.finditer(xml)]


def kind(rel: dict[str, str]) -> str:
    """The last word of a relationship's type: ``worksheet``, ``styles``, ``officeDocument``…"""
    return rel.get("Type", "").rsplit("/", 1)[-1]
