"""Results for formulas saved without them, computed as Excel would cache them.

Workbooks written by scripts, by openpyxl and by systems exporting through Apache POI hold formulas but
no results (``<f>SUM(C4:G4)</f>`` and no ``<v>``).  Read as they are, those cells are blank and every
check on them fails.  :func:`compute` gives each such cell (left in ``Sheet.uncomputed`` by
:mod:`.xlsx`) its value with the ``formulas`` package, in dependency order across sheets and ranges,
and moves it to ``Sheet.computed``.  What cannot be computed (a parse error, a function the engine
lacks, a cycle, a defined name or another workbook, a result that is an array, the budget spent) stays
in ``uncomputed`` with no value: unknown, not blank.

Results are stored as the reader stores a cached value: numbers as numbers (a datetime under a date
format), text as text, booleans as booleans, an error as its text (``#DIV/0!``, as Excel caches it with
``t="e"``).  A result of "" is left out, as the reader leaves out Excel's cached empty string and
:func:`~reportlib.formats.common.put` a blank; ``Sheet.parsed`` reads both as blank.  Formulas that
differ only by where they sit (a column filled down) are compiled once: each is moved to a fixed anchor
cell with openpyxl's Translator and the function compiled there is reused with the cell's own ranges.
The engine (``formulas``, with numpy and scipy) is imported only when there is something to compute.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter, OrderedDict
from datetime import date, datetime, time
from typing import Any, Callable

from openpyxl.styles.numbers import is_date_format
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel, to_excel

from ..grid import Pos, Sheet, a1, a1_range
from .references import Spec, anchored as at_anchor, parse_name, sheet_key, spec

#: formula cells evaluated per workbook; the rest stay unknown
MAX_CELLS = 50_000
#: distinct formulas compiled per workbook (about 2.5 ms each)
MAX_COMPILES = 5_000
#: cells in one range a formula reads, and in all the ranges a workbook's formulas read
MAX_RANGE, MAX_READ = 1_000_000, 10_000_000
#: Excel's own limit on the length of a formula
MAX_FORMULA = 8_192
MAX_ROW, MAX_COL = 1_048_576, 16_384

#: functions that read the formula's own cell, so the compiled function depends on where it is
_OWN_CELL = re.compile(r"\b(?:ROW|COLUMN|SINGLE)\s*\(|@", re.IGNORECASE)

_log = logging.getLogger(__name__)

Key = tuple[int, Pos]  # (sheet index, cell)
Range = tuple[int, tuple[int, int, int, int]]  # (sheet index, (top, left, bottom, right))

_FAILED = object()
_engine: dict[str, Any] = {}
_CACHE = 512  # compiled functions kept per process, about 50 KB each
_compiled: OrderedDict[tuple[str, Pos | None], Callable] = OrderedDict()
_specs: OrderedDict[str, tuple[Spec, ...] | None] = OrderedDict()


class _Unknown(Exception):
    """A cell whose value cannot be computed."""


def compute(sheets: list[Sheet], epoch: datetime = CALENDAR_WINDOWS_1900) -> None:
    """Compute every cell of ``Sheet.uncomputed`` that has a formula the engine can evaluate; put the
    results in ``Sheet.values`` and the positions in ``Sheet.computed``.  Never raises."""
    if not any(pos in sheet.formulas for sheet in sheets for pos in sheet.uncomputed):
        return  # nothing to compute: the engine is not even imported
    try:
        _load_engine()
    except Exception:  # not installed or broken: the cells stay unknown, which the checks can say
        _log.warning("无法加载公式计算组件（formulas）：没有保存计算结果的公式单元格按“未知”处理，"
                     "请安装 requirements.txt 中的依赖")
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with _engine["np"].errstate(all="ignore"):
                _Book(sheets, epoch).run()
        except Exception:  # a fault of this module must not stop a batch: what is left stays unknown
            _log.exception("公式计算中断，其余没有计算结果的公式单元格按“未知”处理")


def _load_engine() -> None:
    if _engine:
        return
    import numpy as np
    import schedula
    from formulas import Parser
    from formulas.cell import CELL
    from formulas.ranges import Ranges
    from formulas.tokens.operand import Error, XlError
    for name in ("schedula", "formulas"):  # it logs a traceback per function it lacks: an unknown cell here
        logging.getLogger(name).setLevel(logging.CRITICAL)
    _engine.update(np=np, EMPTY=schedula.EMPTY, Parser=Parser, Ranges=Ranges, XlError=XlError, CELL=CELL,
                   errors=dict(Error.errors))


class _Book:
    """One workbook's uncomputed cells, resolved depth first in a fixed order (so results and the
    budget's cut-off never depend on timing)."""

    def __init__(self, sheets: list[Sheet], epoch: datetime):
        self.sheets, self.epoch = sheets, epoch
        self.index = {s.title.upper(): i for i, s in reversed(list(enumerate(sheets)))}
        self.pending = [set(s.uncomputed) for s in sheets]
        self.done: dict[Key, Any] = {}  # the engine's value of each resolved cell, or _FAILED
        self.results: list[dict[Pos, Any]] = [{} for _ in sheets]  # the same per sheet, failures left out
        self.plans: dict[Key, tuple | None] = {}  # (text compiled, own cell for ROW(), input ranges)
        self.memo: dict[tuple, Any] = {}  # one function over the same ranges (``=SUM($C$2:$C$99)`` per row)
        self.arrays: dict[Range, Any] = {}
        self.deps: dict[Range, list[Key]] = {}  # the uncomputed cells inside a range
        self.cursor: dict[Range, int] = {}  # how many of them are resolved (resolution only grows)
        self.settled: dict[Range, bool] = {}  # all of them resolved: whether one failed
        self.evaluated = self.compiles = self.read = 0
        cells = [(s.max_row, s.max_col) for s in sheets] + [p for s in sheets for p in s.uncomputed]
        self.extent = max(r for r, _ in cells), max(c for _, c in cells)  # how far whole rows/columns reach
        self.anchored: dict[Key, str | None] = {}  # each formula moved to the first anchor
        for i, sheet in enumerate(sheets):
            for pos in self.pending[i]:
                text = sheet.formulas.get(pos)
                if text and len(text) <= MAX_FORMULA and not _OWN_CELL.search(text):
                    self.anchored[(i, pos)] = at_anchor(text, pos, 0)
        self.uses = Counter(t for t in self.anchored.values() if t)

    def run(self) -> None:
        for i in range(len(self.sheets)):
            for pos in sorted(self.pending[i]):
                if (i, pos) not in self.done:
                    self._resolve((i, pos))

    def _resolve(self, start: Key) -> None:
        """Resolve a cell after the uncomputed cells it reads, iteratively (a chain can be long)."""
        stack, on_stack = [start], {start}
        while stack:
            key = stack[-1]
            nxt = self._waiting(key)
            if nxt is None:
                self._finish(key, self._evaluate(key))
                stack.pop()
                on_stack.discard(key)
            elif nxt in on_stack:  # a cycle: every cell from ``nxt`` up waits on itself
                cut = stack.index(nxt)
                for k in stack[cut:]:
                    self._finish(k, _FAILED)
                    on_stack.discard(k)
                del stack[cut:]
            else:
                stack.append(nxt)
                on_stack.add(nxt)

    def _waiting(self, key: Key) -> Key | None:
        """The first unresolved cell in a cell's input ranges; each range keeps one cursor for all."""
        if key not in self.plans:
            try:
                self.plans[key] = self._plan(key)
            except Exception:
                self.plans[key] = None
        for rng in (self.plans[key] or ((),))[-1]:
            if rng in self.settled:
                continue
            deps, at = self._deps_in(rng), self.cursor.get(rng, 0)
            while at < len(deps) and deps[at] in self.done:
                at += 1
            self.cursor[rng] = at
            if at < len(deps):
                return deps[at]
            self.settled[rng] = any(self.done[d] is _FAILED for d in deps)
        return None

    def _plan(self, key: Key) -> tuple | None:
        i, pos = key
        text = self.sheets[i].formulas.get(pos)
        if not text or len(text) > MAX_FORMULA or self.evaluated >= MAX_CELLS:
            return None
        anchored = self.anchored.get(key)
        if anchored and self.uses[anchored] > 1:  # a filled-down formula: one function for all its cells
            try:
                specs = self._specs(anchored, text, pos)
            except Exception:  # the anchored text does not compile: the cell's own may
                specs = None
            if specs is not None:
                at = pos * 2  # (row, column) twice, like (top, left, bottom, right)
                inputs = tuple(self._range(ref, [None if c is None else c[1] if c[0] else at[k] + c[1]
                                                 for k, c in enumerate(coords)], i) for ref, coords in specs)
                if all(inputs):
                    return anchored, None, inputs
        own = pos if _OWN_CELL.search(text) else None
        inputs = tuple(self._range(*parse_name(name), i) for name in self._function(text, own).inputs)
        return (text, own, inputs) if all(inputs) else None

    def _specs(self, anchored: str, text: str, pos: Pos) -> tuple[Spec, ...] | None:
        """The inputs of the function compiled at the anchor, as absolute or relative coordinates."""
        if anchored in _specs:
            _specs.move_to_end(anchored)
            return _specs[anchored]
        specs, second = None, at_anchor(text, pos, 1)
        if second:
            names = list(self._function(anchored, None).inputs), list(self._function(second, None).inputs)
            if len(names[0]) == len(names[1]):
                pairs = [spec(a, b) for a, b in zip(*names)]
                specs = tuple(pairs) if all(pairs) else None
        _specs[anchored] = specs
        if len(_specs) > 4 * _CACHE:
            _specs.popitem(last=False)
        return specs

    def _range(self, sheet_ref: str, coords, i: int) -> Range | None:
        """A range on sheet ``i`` or the one named, whole rows and columns cut to the workbook's extent;
        None off the sheet, on another workbook or on a sheet that is not there."""
        if sheet_ref:
            i = -1 if sheet_ref.startswith("[") else self.index.get(sheet_key(sheet_ref), -1)
            if i < 0:
                return None
        top, left, bottom, right = coords
        top, bottom = (1, self.extent[0]) if top is None else (top, bottom)
        left, right = (1, self.extent[1]) if left is None else (left, right)
        if not (1 <= top <= bottom <= MAX_ROW and 1 <= left <= right <= MAX_COL):
            return None
        return i, (top, left, bottom, right)

    def _deps_in(self, rng: Range) -> list[Key]:
        if rng not in self.deps:
            i, (top, left, bottom, right) = rng
            pending, area = self.pending[i], (bottom - top + 1) * (right - left + 1)
            self._charge(min(area, len(pending)))
            if area <= len(pending):
                found = [(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1) if (r, c) in pending]
            else:
                found = sorted(p for p in pending if top <= p[0] <= bottom and left <= p[1] <= right)
            self.deps[rng] = [(i, p) for p in found]
        return self.deps[rng]

    def _charge(self, cells: int) -> None:
        self.read += cells
        if self.read > MAX_READ:
            raise _Unknown("budget")

    def _function(self, text: str, own: Pos | None) -> Callable:
        key = (text, own)
        if key in _compiled:
            _compiled.move_to_end(key)
            return _compiled[key]
        self.compiles += 1
        if self.compiles > MAX_COMPILES:
            raise _Unknown("compiles")
        if own is None:
            fn = _engine["Parser"]().ast(text)[1].compile()
        else:  # ROW() and COLUMN() without arguments read the cell the formula is in
            ast = _engine["Parser"]().ast(text, context={"cr": own[0], "cc": own[1]})[1]
            fn = ast.compile(**{_engine["CELL"]: _engine["Ranges"]().push(a1(*own))})
        _compiled[key] = fn
        if len(_compiled) > _CACHE:
            _compiled.popitem(last=False)
        return fn

    def _evaluate(self, key: Key) -> Any:
        plan = self.plans.get(key)
        if plan is None or any(self.settled[rng] for rng in plan[2]):
            return _FAILED  # it reads a cell whose value is unknown
        if plan not in self.memo:
            self.evaluated += 1
            try:
                if self.evaluated > MAX_CELLS:
                    raise _Unknown("cells")
                fn, ranges = self._function(*plan[:2]), _engine["Ranges"]
                value = _result(fn(*(ranges().push(a1_range(b[:2], b[2:]), self._array((i, b))) for i, b in plan[2])))
            except Exception:  # _Unknown, or whatever a hostile formula makes the engine raise
                value = _FAILED
            self.memo[plan] = value
        return self.memo[plan]

    def _array(self, rng: Range) -> Any:
        """A range's values as the engine reads them: blanks EMPTY, dates serial numbers, errors errors."""
        if rng in self.arrays:
            return self.arrays[rng]
        i, (top, left, bottom, right) = rng
        rows, cols = bottom - top + 1, right - left + 1
        if rows * cols > MAX_RANGE:
            raise _Unknown("range")
        self._charge(rows * cols)  # allocated whole, so charged whole
        out = _engine["np"].empty((rows, cols), dtype=object)
        out.fill(_engine["EMPTY"])
        values, results = self.sheets[i].values, self.results[i]
        if rows * cols <= len(values) + len(results):
            cells = ((r, c) for r in range(top, bottom + 1) for c in range(left, right + 1))
        else:  # a large range on a sparse sheet: visit the cells there are
            cells = (p for p in [*values, *results] if top <= p[0] <= bottom and left <= p[1] <= right)
        for pos in cells:
            if pos in results:
                out[pos[0] - top, pos[1] - left] = results[pos]
            elif pos in values:
                out[pos[0] - top, pos[1] - left] = self._engine_value(values[pos])
        if rows * cols > 1:  # ranges come back (an absolute one in every row); single cells are cheap
            self.arrays[rng] = out
        return out

    def _engine_value(self, value: Any) -> Any:
        if isinstance(value, (datetime, date, time)):
            return to_excel(value, self.epoch)
        if isinstance(value, str):
            return _engine["errors"].get(value, value)  # a cached error (``t="e"``) was read as text
        return value

    def _finish(self, key: Key, value: Any) -> None:
        """Record a resolved cell and put its result on the sheet as the reader would have read it."""
        self.done[key] = value
        if value is _FAILED:
            return
        i, pos = key
        self.results[i][pos] = value
        sheet = self.sheets[i]
        sheet.uncomputed.discard(pos)
        sheet.computed.add(pos)
        value = str(value) if isinstance(value, _engine["XlError"]) else value
        if value == "":  # as Excel's cached empty string is read: blank
            sheet.formats.pop(pos, None)
            return
        fmt = sheet.formats.setdefault(pos, "General")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and is_date_format(fmt):
            try:
                value = from_excel(value, self.epoch)
            except (ValueError, OverflowError):
                pass
        sheet.values[pos] = value
        sheet.max_row, sheet.max_col = max(sheet.max_row, pos[0]), max(sheet.max_col, pos[1])


def _result(value: Any) -> Any:
    """The engine's result as one cell value (an XlError stays one, for the cells that read it)."""
    np = _engine["np"]
    if hasattr(value, "ranges") and hasattr(value, "value"):  # a reference (``=INDEX(...)``)
        value = value.value
    if isinstance(value, np.ndarray):
        if value.size != 1:
            raise _Unknown("array")  # a spilled or multi-cell result has no single value
        value = value.reshape(-1)[0]
    if value is _engine["EMPTY"]:
        return 0  # ``=A1`` of a blank A1 shows 0
    if isinstance(value, str):  # text, or an XlError (a str too)
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else _engine["errors"]["#NUM!"]
    raise _Unknown(type(value).__name__)
