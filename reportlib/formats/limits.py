"""How large a workbook the readers accept, so a hostile or broken file costs bounded memory and time.

A real attachment is a few hundred rows of a few dozen columns, well under a megabyte.  A zip bomb
(a 1 MB .xlsx whose sheet unpacks to gigabytes), a sharedStrings bomb, an .ods row repeated a
million times or a sheet of a million rows is refused with one line naming the limit, before it is
unpacked or while it is read.  The limits are in ``schemas/workbook.yaml`` (``limits``); the readers
see the ones of the current read through :func:`applied`.
"""

from __future__ import annotations

import zipfile
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Iterator

from ..grid import Sheet, WorkbookError

MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    file_mb: float = 20  # a file read whole (HTML, SpreadsheetML XML, .xls); not .xlsx / .ods
    part_mb: float = 10  # one part of an .xlsx / .ods once unpacked (a sheet, the shared strings)
    cells: int = 200_000  # cells holding a value, in the whole workbook
    rows: int = 50_000  # the last row holding a value
    columns: int = 1_000  # the last column holding a value

    @classmethod
    def from_schema(cls, data: dict | None) -> "Limits":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in known})


_ACTIVE: ContextVar[Limits] = ContextVar("limits", default=Limits())


@contextmanager
def applied(limits: Limits | None) -> Iterator[Limits]:
    token = _ACTIVE.set(limits or Limits())
    try:
        yield _ACTIVE.get()
    finally:
        _ACTIVE.reset(token)


def active() -> Limits:
    return _ACTIVE.get()


def _mb(size: int) -> str:
    return f"{size / MB:.1f}" if size < 10 * MB else f"{size / MB:,.0f}"


def check_file(path: Path) -> None:
    limit = active().file_mb
    size = Path(path).stat().st_size
    if size > limit * MB:
        raise WorkbookError(f"文件有 {_mb(size)} MB，超过可读取的上限 {limit:g} MB；真实的附件远小于此，"
                            "请检查是否提交错了文件，或删去表格以外的数据后重新提交")


def read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    """A part of a zip-based workbook, refused before it is unpacked when it would be too large."""
    limit = active().part_mb
    size = archive.getinfo(name).file_size
    if size > limit * MB:
        raise WorkbookError(f"工作簿中的“{name}”解压后有 {_mb(size)} MB，超过可读取的上限 {limit:g} MB；"
                            "这不是正常的附件（可能已损坏或是恶意构造的文件），请检查后重新保存再提交")
    return archive.read(name)


class CellBudget:
    """Counts the cells a workbook's sheets hold as they are read; refuses past the limits."""

    def __init__(self) -> None:
        self.limits = active()
        self.used = 0

    def check(self, sheet: Sheet, row: int, col: int) -> None:
        """After a value was put at (row, col) of ``sheet``."""
        lim = self.limits
        self.used += 1
        if row > lim.rows or col > lim.columns or self.used > lim.cells:
            raise WorkbookError(self.refusal(sheet, row, col))

    def cover(self, sheet: Sheet, cells: int) -> None:
        """Before cells are spanned by one merged cell of a format that lists them (HTML rowspan)."""
        self.used += cells
        if self.used > self.limits.cells:
            raise WorkbookError(self.refusal(sheet, 0, 0))

    def check_sheet(self, sheet: Sheet, added: int) -> None:
        """After a sheet was filled by a reader that does not count cell by cell."""
        lim = self.limits
        self.used += added
        if sheet.max_row > lim.rows or sheet.max_col > lim.columns or self.used > lim.cells:
            raise WorkbookError(self.refusal(sheet, sheet.max_row, sheet.max_col))

    def refusal(self, sheet: Sheet, row: int, col: int) -> str:
        lim = self.limits
        if self.used > lim.cells:
            what = f"有数据的单元格超过 {lim.cells:,} 个"
        elif row > lim.rows:
            what = f"第 {row:,} 行还有数据（上限 {lim.rows:,} 行）"
        else:
            what = f"第 {col:,} 列还有数据（上限 {lim.columns:,} 列）"
        return (f"工作表“{sheet.title}”{what}，超过可读取的上限，真实的附件远小于此；"
                "请删去表格以外的数据后重新提交")
