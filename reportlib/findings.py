"""The catalogue of finding codes and the :class:`Finding` record.

Codes are stable English kebab-case and part of the public ``check --json`` contract; messages are
Chinese and written for the clerk who must fix the table.  Add codes, never rename them.  The codes,
their severities, titles and message templates are ``schemas/findings.yaml`` (:mod:`.messages`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from .messages import Message, catalogue, say

ERROR, WARNING, INFO = "error", "warning", "info"

#: code -> (default severity, short Chinese title used in the README and the 问题清单 sheet), from
#: schemas/findings.yaml, which also holds each code's message templates
CATALOGUE: dict[str, tuple[str, str]] = catalogue()


@dataclass
class Finding:
    """One thing that does not add up, pointing at the input cell judged wrong."""

    code: str
    severity: str
    sheet: str | None
    cell: str | None
    message: str
    found: Any = None
    expected: Any = None
    range: str | None = None  # the cells a table-level finding is about, e.g. "C12:G12"
    #: the other side of a cross-check: ``[{"path", "sheet", "cell", "value"}]`` in another attachment
    related: list[dict[str, Any]] | None = None
    #: a finding in a report's text: the paragraph (1-based) and the sentence holding the figure
    paragraph: int | None = None
    quote: str | None = None
    #: a figure in a table embedded in a report: the table, row and column, 1-based
    table: int | None = None
    row: int | None = None
    col: int | None = None
    #: the message's template in schemas/findings.yaml and its parameters (not in the JSON: the
    #: message says it)
    template: str | None = field(default=None, repr=False, compare=False)
    params: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    @property
    def place(self) -> str | None:
        """Where a finding in a report's text is, in words: 第12段, 表2第3行第5列 (None for a table's)."""
        if self.table is not None:
            return say("report.cell", table=self.table, row=self.row, col=self.col)
        return say("report.paragraph", n=self.paragraph) if self.paragraph is not None else None

    def to_json(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in _FIELDS}  # asdict's deep copy cost a monthly batch 10 %
        for optional in ("range", "related", "paragraph", "quote", "table", "row", "col"):
            if data[optional] is None:
                del data[optional]
        return data


_FIELDS = [f.name for f in fields(Finding) if f.name not in ("template", "params")]


def finding(code: str, sheet: str | None, cell: str | None, message: str, found: Any = None,
            expected: Any = None, severity: str | None = None, range: str | None = None,
            related: list[dict[str, Any]] | None = None, paragraph: int | None = None,
            quote: str | None = None, table: int | None = None, row: int | None = None,
            col: int | None = None) -> Finding:
    """Build a finding with the catalogue's severity unless one is given; a ``message`` said from a
    template (:func:`~reportlib.messages.say`) leaves its template and parameters on the finding."""
    if code not in CATALOGUE:
        raise KeyError(f"unknown finding code {code!r}: add it to schemas/findings.yaml first")
    key, params = (message.key, message.params) if isinstance(message, Message) else (None, None)
    found, expected = (str(x) if isinstance(x, Message) else x for x in (found, expected))
    return Finding(code, severity or CATALOGUE[code][0], sheet, cell, str(message), found, expected, range, related,
                   paragraph, quote, table, row, col, key, params)
