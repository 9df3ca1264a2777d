"""Plain result objects the library returns and the CLI prints as a table or JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

from .findings import ERROR, WARNING, Finding
from .fixes import REVIEW, CellFix
from .grid import Pos, a1
from .messages import say

CLEAN, FINDINGS, FAILED, SKIPPED = "clean", "findings", "error", "skipped"


class Facts(Protocol):
    """What a table established (each kind's own frozen dataclass): read by the project's checks and
    the drafts, and serialised as the table's ``figures``."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def project_name(self) -> str | None: ...  # what an info line above the table names it

    def to_json(self) -> dict[str, Any]: ...


@dataclass
class TableResult:
    """One table's checks: what was found, what to write back, and the recomputed figures."""

    sheet: str
    kind: str
    findings: list[Finding] = field(default_factory=list)
    fixes: list[CellFix] = field(default_factory=list)
    #: the facts' JSON (a result restored from an earlier run's findings.json has only this)
    figures: dict[str, Any] = field(default_factory=dict)
    #: what the table established, for the project's checks and the drafts
    facts: Facts | None = field(default=None, repr=False, compare=False)

    def establish(self, facts: Facts) -> None:
        """Record what the table established; its figures are their JSON."""
        self.facts, self.figures = facts, facts.to_json()

    def review(self, pos: Pos, raw: Any, note: str) -> None:
        """Mark a cell of this table for a person's look (pink, with a comment), keeping its value
        ``raw``; a cell already corrected or marked gets the note added."""
        for fix in self.fixes:
            if fix.pos == pos:
                fix.mark = fix.mark or REVIEW
                fix.note = (fix.note + "\n" if fix.note else "") + say("note.review", note=note)
                return
        self.fixes.append(CellFix(self.sheet, pos, raw, None, mark=REVIEW, note=say("note.review", note=note),
                                  number_format=None))


@dataclass
class FileResult:
    """One input file: the contract entry of ``check --json``."""

    path: Path
    display_path: str
    kind: str | None = None
    status: str = CLEAN
    error: str | None = None
    tables: list[TableResult] = field(default_factory=list)
    output: Path | None = None
    #: the error may not come back (the file could not be opened, memory ran out, a worker died):
    #: a project holding such a file is redone on the next run, never restored
    transient: bool = False

    @property
    def findings(self) -> list[Finding]:
        return [f for t in self.tables for f in t.findings]

    @property
    def figures(self) -> dict[str, Any]:
        """The main table's figures: the first table marked ``primary`` (a full indicator system), else the first."""
        for table in self.tables:
            if table.figures.get("primary"):
                return table.figures
        return self.tables[0].figures if self.tables else {}

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(ERROR)

    @property
    def warnings(self) -> int:
        return self.count(WARNING)

    def settle_status(self) -> None:
        """``findings`` when anything was found, else ``clean``; errors and skips stay."""
        if self.status in (FAILED, SKIPPED):
            return
        self.status = FINDINGS if self.findings else CLEAN

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.display_path,
            "kind": self.kind,
            "status": self.status,
            "error": self.error,
            "findings": [f.to_json() for f in self.findings],
            "figures": self.figures,
        }
        if len(self.tables) > 1:
            data["tables"] = [{"sheet": t.sheet, "kind": t.kind, "figures": t.figures} for t in self.tables]
        if self.output is not None:
            data["output"] = str(self.output)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], path: Path, display_path: str, output: Path | None) -> "FileResult":
        """A result restored from its ``to_json`` (an earlier run's findings.json): the findings, the
        figures of every table and the status; enough to print, summarise and re-serialise it."""
        findings = [Finding(**x) for x in data.get("findings") or []]
        if data.get("tables"):
            tables = [TableResult(t["sheet"], t["kind"], figures=t["figures"]) for t in data["tables"]]
        elif data.get("figures") or findings:
            tables = [TableResult(data["figures"].get("sheet") or "", data.get("kind") or "", figures=data["figures"])]
        else:
            tables = []
        if tables:
            tables[0].findings = findings
        return cls(path=path, display_path=display_path, kind=data.get("kind"), status=data.get("status", CLEAN),
                   error=data.get("error"), tables=tables, output=output)


def related_cell(f: FileResult, t: TableResult, pos: Pos | None, value: Any) -> dict[str, Any]:
    """A finding's ``related`` entry: the other side's cell (its file, sheet, A1 and value)."""
    return {"path": f.display_path, "sheet": t.sheet, "cell": a1(*pos) if pos else None, "value": value}


def table_place(f: FileResult, t: TableResult, pos: Pos | None) -> str:
    """A table (and a cell of it) as a message names it: ``file“sheet”!C5``."""
    return say("cross.where", file=f.path.name, sheet=t.sheet, cell=f"!{a1(*pos)}" if pos else "")
