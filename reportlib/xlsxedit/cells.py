"""What to change in a cell, and the ``<c>`` element after the change."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from .xmltext import Unsupported, open_tag, split_element, xml_text

KEEP = object()  # a cell edit that leaves the value as it is


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
    border: bool = False  # thin lines around the cell (added sheets)


@dataclass
class NewSheet:
    """A sheet to add: rows of values (``CellEdit`` for a styled cell), widths, frozen header, links."""
    title: str
    rows: list[list[Any]]
    widths: list[float] = field(default_factory=list)
    freeze_header: bool = False
    auto_filter: bool = False
    links: dict[str, str] = field(default_factory=dict)  # A1 -> location inside the workbook
    fit_width: bool = False  # printed on A4 landscape, as wide as one page
    heights: dict[int, float] = field(default_factory=dict)  # row (1-based) -> height in points


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


def cell_xml(ref: str, old: str | None, edit: CellEdit, style: int | None) -> str:
    """The ``<c>`` element for ``ref`` after the edit."""
    attrs, inner = split_element(old, "c") if old else ({}, None)
    attrs.pop("r", None)
    if style is not None:
        attrs["s"] = str(style)
    if edit.value is KEEP and edit.formula is None:
        return open_tag("c", {"r": ref, **attrs}) + (f">{inner}</c>" if inner else "/>")
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
    return open_tag("c", {"r": ref, **attrs}) + (f">{inner}</c>" if inner else "/>")
