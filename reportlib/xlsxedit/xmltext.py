"""Text-level XML for the package editor: namespaces and content types, escaping, attributes, and
finding an element's children without parsing the part into a tree (which would rename prefixes)."""

from __future__ import annotations

import re
from typing import Any, Iterable
from xml.sax.saxutils import escape

from ..ooxml import PKG_REL_NS, unescape  # noqa: F401  -- one definition, which the editor uses as its own

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_TYPE = REL_NS + "/"
CT_SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_ATTR = re.compile(r'([\w:.-]+)\s*=\s*("[^"]*"|\'[^\']*\')')
_TAG = re.compile(r"""<(/?)([\w:.-]+)(?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(/?)>""")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPE_LIKE = re.compile("_(x[0-9A-Fa-f]{4}_)")


class Unsupported(Exception):
    """The package holds something this editor does not rewrite safely; use a full load and save."""


def xml_text(value: Any) -> str:
    """Cell text for XML (text node or attribute): ``_xHHHH_`` for characters XML 1.0 cannot hold (as
    Excel writes them), a literal ``_xHHHH_`` kept literal, markup and quotes escaped."""
    text = _ESCAPE_LIKE.sub(r"_x005F_\1", str(value))
    text = _ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return escape(text, {'"': "&quot;"})


def attributes(tag: str) -> dict[str, str]:
    """A start tag's attributes, values as they stand in the XML (still escaped)."""
    return {k: v[1:-1] for k, v in _ATTR.findall(tag)}


def open_tag(name: str, attrs: dict[str, str]) -> str:
    """``<name a="v"`` (without the closing ``>``) from escaped attribute values."""
    return "<" + name + "".join(f' {k}="{v.replace(chr(34), "&quot;")}"' for k, v in attrs.items())


def split_element(element: str, name: str) -> tuple[dict[str, str], str | None]:
    """An element's attributes and its content (None for an empty-element tag)."""
    m = re.match(rf"<{name}\b((?:\s+[\w:.-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>", element)
    if m is None:
        raise Unsupported(f"cannot read <{name}>")
    if m.group(2):
        return attributes(m.group(1)), None
    return attributes(m.group(1)), element[m.end():element.rfind(f"</{name}>")]


def children(xml: str, start: int, end: int) -> list[tuple[str, int, int]]:
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


def root_span(xml: str, name: str) -> tuple[int, int]:
    """The content span of the document element ``name`` (unprefixed)."""
    m = re.search(rf"<{name}\b[^>]*>", xml)
    end = xml.rfind(f"</{name}>")
    if m is None or end < 0:
        raise Unsupported(f"no <{name}> document element")
    return m.end(), end


def insert_before(xml: str, root: str, new: str, after: Iterable[str]) -> str:
    """Insert ``new`` into the document element before its first child named in ``after`` (the schema's
    order), else at its end."""
    start, end = root_span(xml, root)
    at = next((s for name, s, _ in children(xml, start, end) if name in after), end)
    return xml[:at] + new + xml[at:]
