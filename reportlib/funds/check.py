"""Checking one fund table: sums, balances, rates, overspending, merged group cells, units.

Inputs (budget and arrived sources, spending, the parts of a balance) stay constants unless the
evidence convicts one; derived cells (a row's 合计, its balance, 小计 and 合计 rows, rates) are
written back as live formulas with cached values.  Amounts are compared exactly at the table's
decimal precision; rates at the precision they are shown with.
"""

from __future__ import annotations

from fractions import Fraction

from ..checker import TableChecker, money_quote
from ..diagnose import diagnose
from ..fixes import CellFix, column_sum, row_sum
from ..grid import Pos, a1, a1_range
from ..messages import say
from ..results import TableResult
from ..values import DASHES, Number, Text, decimals_format, format_shape, group_digits, money_text, round_half_up
from .facts import FundFacts
from .judge import judge
from .locate import Column, FundTable
from .model import fund_model
from .relations import Rel, Relations


class FundChecker(TableChecker):
    def __init__(self, table: FundTable, aliases):
        super().__init__(table.sheet, "funds")
        self.t, self.aliases = table, aliases
        self.rows = table.items + [r for r, _ in table.subtotals] + ([table.total_row] if table.total_row else [])
        self.summed = [c for c in table.columns if c.summed]
        self.by_col = {c.col: c for c in table.columns}
        self.precision = self._money_precision()
        # amounts share the table's precision; a count column has its own (whole numbers, as a rule)
        self.col_precision = {c.col: self._count_precision(c.col) for c in self.summed if c.role == "count"}
        # decimals the table's own number formats show (0.00), so messages read like the table
        self.shown = max((_required(self.sheet.formats.get((r, c.col))) for c in self.summed if c.is_money
                          for r in self.rows), default=0)
        self.grouped = any(n.grouped for c in self.summed if c.is_money for r in self.rows
                           if isinstance(n := self.sheet.parsed(r, c.col), Number))  # 1,927.28
        self.rel = Relations(self._precision_of)
        self.vals: dict[Pos, Fraction | None] = {}
        self.inputs_fixed: set[Pos] = set()  # inputs already corrected (counts, inferred text)
        self.exact_cache: dict[Pos, Fraction | None] = {}
        self.defining: dict[Pos, Rel] = {}

    # -- reading -------------------------------------------------------------------------------

    def _money_precision(self) -> int:
        decimals = [n.decimals for c in self.summed if c.is_money for r in self.rows
                    if isinstance(n := self.sheet.parsed(r, c.col), Number)]
        return max(decimals, default=0)

    def _count_precision(self, col: int) -> int:
        return max((n.decimals for r in self.rows if isinstance(n := self.sheet.parsed(r, col), Number)), default=0)

    def _precision_of(self, col: int) -> int:
        return self.col_precision.get(col, self.precision)

    def ref(self, pos: Pos) -> str:
        """A reference for arithmetic: ``N(K8)`` over a cell holding text (``-``), which ``K8-…`` would not accept."""
        return f"N({a1(*pos)})" if isinstance(self.sheet.raw(*pos), str) else a1(*pos)

    def name(self, row: int) -> str:
        label = self.t.label_of(row)
        return say("funds.row-named", row=row, label=label) if label else say("funds.row", row=row)

    def show(self, value: Fraction | None, col: int | None = None) -> str:
        if value is None:
            return say("words.unknown")
        if col is not None and self._precision_of(col) != self.precision:
            return money_text(value, self._precision_of(col))
        text = money_text(value, self.precision, self.shown)
        return group_digits(text) if self.grouped else text

    def _read(self) -> None:
        for row in self.rows:
            for column in self.summed:
                pos = (row, column.col)
                parsed = self.sheet.parsed(*pos)
                if self.unknown_formula(pos):
                    self.vals[pos] = None  # unknown, not zero
                    continue
                self.vals[pos] = parsed.fraction if isinstance(parsed, Number) else (
                    None if isinstance(parsed, Text) else Fraction(0))

    # -- the relations ----------------------------------------------------------------------------

    def _relations(self) -> None:
        t = self.t
        sums = {r for r, _ in t.subtotals} | ({t.total_row} if t.total_row else set())
        balance, spent = t.column("balance"), t.column("spent")
        available = t.column("arrived") or t.column("budget")
        for row in self.rows:
            in_sum_row = row in sums
            for total in (c for c in t.columns if c.part == "total" and c.summed):
                sources = t.sources(total)
                if sources:
                    defines = not in_sum_row and total is not balance
                    self.rel.add(Rel("source-sum-mismatch", (row, total.col), [((row, s.col), 1) for s in sources],
                                     row_sum(row, [s.col for s in sources]),
                                     say("funds.sources-sum", column=_name(total),
                                         sources=" + ".join(_short(s) for s in sources)),
                                     defines, say("funds.sources-scope")))
            if balance and spent and available:
                self.rel.add(Rel("balance-mismatch", (row, balance.col), [((row, available.col), 1), ((row, spent.col), -1)],
                                 f"{self.ref((row, available.col))}-{self.ref((row, spent.col))}",
                                 say("funds.balance-rule", available=_name(available), spent=_name(spent)), not in_sum_row,
                                 say("funds.balance-scope")))
        for column in self.summed:
            for row, items in t.subtotals:
                self.rel.add(Rel("sum-mismatch", (row, column.col), [((r, column.col), 1) for r in items],
                                 column_sum(column.col, items), say("funds.subtotal-rule", n=len(items)),
                                 scope=say("funds.subtotal-scope")))
            if t.total_row:
                grouped = {r for _, items in t.subtotals for r in items}
                rows = [r for r in t.items if r not in grouped] + [r for r, _ in t.subtotals]
                self.rel.add(Rel("sum-mismatch", (t.total_row, column.col), [((r, column.col), 1) for r in rows],
                                 column_sum(column.col, rows), say("funds.total-rule", column=_name(column)),
                                 scope=say("funds.total-scope")))
            self._group_relations(column)

    def _group_relations(self, column: Column) -> None:
        """A merged group amount equals the sum of the rows it spans in a per-row column of its role."""
        if not column.spans or column.role == "count":
            return
        sibling = next((c for c in self.t.columns if c.role == column.role and c is not column and not c.spans
                        and c.part is None), None)
        if sibling is None:
            return
        for top, bottom in column.spans:
            rows = [r for r in self.t.items if top <= r <= bottom]
            self.rel.add(Rel("group-sum-mismatch", (top, column.col), [((r, sibling.col), 1) for r in rows],
                             column_sum(sibling.col, rows),
                             say("funds.group-rule", cells=a1_range((top, column.col), (bottom, column.col)),
                                 n=len(rows), column=_name(sibling)),
                             scope=say("funds.group-scope")))

    # -- inputs: text, counts and blame -----------------------------------------------------------

    def _inputs(self) -> None:
        defining = self.defining = self.rel.defining()
        for pos, value in list(self.vals.items()):
            if value is not None or pos in defining or pos in self.sheet.uncomputed:
                continue
            text = self.sheet.parsed(*pos).value
            guess = self.rel.infer(pos, self.vals)
            if guess is None:
                self.flag("not-a-number", pos, say("not-a-number:amount-unknown", row=self.name(pos[0]),
                                                    column=self._col_name(pos[1]), cell=a1(*pos), text=text), text, None)
                self.review(pos, say("funds.fill-amount"))
                continue
            shown = self.show(guess, pos[1])
            self._correct(pos, "not-a-number", guess,
                          say("not-a-number:amount-inferred", row=self.name(pos[0]), column=self._col_name(pos[1]),
                              cell=a1(*pos), text=text, value=shown), say("funds.text-inferred", text=text), text)
        self._group_counts()
        self.model = fund_model(self)
        self.diagnosis = diagnose(self.model)
        for fix in self.diagnosis.corrections:
            cell, value = fix.cell, fix.new
            stated = self.sheet.parsed(*cell)
            p = self._precision_of(cell[1])
            old = money_quote(stated.value, stated, p) if isinstance(stated, Number) else say("words.blank")
            new = money_quote(value, stated, p) if isinstance(stated, Number) else money_text(value, p)
            words = "、".join(w for w in (self.model.describe(k) for k in fix.mends) if w)
            self._correct(cell, "amount-inconsistent", value,
                          say("amount-inconsistent:cell", row=self.name(cell[0]), column=self._col_name(cell[1]),
                              cell=a1(*cell), old=old, new=new, checks=words),
                          say("funds.checks-contradict", checks=words), old)

    def _correct(self, pos: Pos, code: str, value: Fraction, message: str, reason: str, old: str) -> None:
        self.correct(pos, code, float(value), message, old, self.show(value, pos[1]), reason)
        self.vals[pos] = value
        self.inputs_fixed.add(pos)

    def _group_counts(self) -> None:
        """A merged count (县区机构数) equals the number of item rows it spans."""
        for column in self.summed:
            if column.role != "count" or not column.spans:
                continue
            for top, bottom in column.spans:
                pos, n = (top, column.col), sum(1 for r in self.t.items if top <= r <= bottom)
                value = self.vals.get(pos)
                if value is None or value == n or (value == 0 and n == 1 and self.sheet.raw(*pos) is None):
                    continue
                where = a1_range(pos, (bottom, column.col))
                self._correct(pos, "group-count-mismatch", Fraction(n),
                              say("group-count-mismatch:span", cells=where, column=_short(column),
                                  value=self.show(value, column.col), top=top, bottom=bottom, n=n),
                              say("funds.spans-rows", n=n), self.show(value, column.col))

    # -- derived cells ----------------------------------------------------------------------------

    def exact(self, pos: Pos) -> Fraction | None:
        if pos in self.exact_cache:
            return self.exact_cache[pos]
        self.exact_cache[pos] = None  # a cycle of formulas (an odd header) reads as unknown, not forever
        rel = self.defining.get(pos)
        if rel is None:
            value = self.vals.get(pos, Fraction(0))
        else:
            parts = [self.exact(p) for p, _ in rel.terms]
            value = None if any(v is None for v in parts) else sum(
                (s * v for v, (_, s) in zip(parts, rel.terms)), Fraction(0))
        self.exact_cache[pos] = value
        return value

    def _derive_all(self) -> None:
        for rel in sorted(self.defining.values(), key=lambda r: r.target):
            pos = rel.target
            value = self.exact(pos)
            if value is None:
                self.review(pos, say("funds.text-in-terms"))
                continue
            terms = self._terms_text(rel)
            reason = rel.what + (say("funds.terms", terms=terms) if terms else "")
            if rel.code == "sum-mismatch":
                reason += self._left_out(rel, value)
            reason += self._evidence(pos, value)
            parts = None
            if all(s == 1 for _, s in rel.terms):
                parts = [(n if isinstance(n := self.sheet.parsed(*p), Number) else None, self.exact(p) or Fraction(0))
                         for p, _ in rel.terms]
            fix = self.derive(pos, rel.formula, value, None, rel.code, reason, parts=parts,
                              precision=self._precision_of(pos[1]))
            self._money_format(fix, pos)
        for rel in self.rel.rels:
            if not rel.defines and rel.target[0] in self.t.items:
                self._check_only(rel)

    def _evidence(self, pos: Pos, value: Fraction) -> str:
        """The stated relations a derived cell's new value mends, beside its own (a balance typed
        4.2795 for 4.2975 breaks its row and its column total; 4.2975 mends both)."""
        stated = self.vals.get(pos)
        p = self._precision_of(pos[1])
        if stated is None or round_half_up(stated, p) == round_half_up(value, p):
            return ""
        scopes = [r.scope for r in self.rel.of_cell.get(pos, [])
                  if self.rel.holds(r, self.vals, (pos, value)) and self.rel.holds(r, self.vals) is False]
        if len(scopes) < 2:
            return ""
        return say("funds.mends", value=self.show(value, pos[1]), scopes=say("words.and").join(dict.fromkeys(scopes)))

    def _terms_text(self, rel: Rel) -> str:
        if len(rel.terms) > 4:
            return ""
        text = ""
        for i, (p, s) in enumerate(rel.terms):
            v = self.show(self.exact(p), p[1])
            text += (v if i == 0 else f" {'+' if s > 0 else '−'} {v}")
        return text

    def _left_out(self, rel: Rel, value: Fraction) -> str:
        """When a total is short by exactly one row's amount, name the row it left out."""
        stated = self.vals.get(rel.target)
        if stated is None:
            return ""
        gap, p = value - stated, self._precision_of(rel.target[1])
        if round_half_up(gap, p) == 0:
            return ""
        for pos, _ in rel.terms:
            v = self.exact(pos)
            if v and round_half_up(v, p) == round_half_up(abs(gap), p):
                return say("funds.left-out" if gap > 0 else "funds.added-twice", gap=self.show(abs(gap), rel.target[1]),
                           row=self.name(pos[0]))
        return ""

    def _money_format(self, fix: CellFix | None, pos: Pos) -> None:
        """An amount under its formula shows every decimal it has (General), as typed amounts do;
        a cell that showed ``-`` for zero keeps showing it."""
        if fix is None:
            return
        raw, fmt = self.sheet.raw(*pos), self.sheet.formats.get(pos, "General")
        if isinstance(raw, str) and fix.value == 0:
            decimals = self._precision_of(pos[1])
            zeros = decimals_format(decimals)
            dash = raw.strip() if raw.strip() in DASHES else "-"
            fix.number_format = f'{zeros};-{zeros};"{dash}"'
        elif fmt in ("General", "@"):
            fix.number_format = "General"

    def _check_only(self, rel: Rel) -> None:
        """A balance's parts (结余资金 + 调整资金) against the balance recomputed from the row."""
        value = self.exact(rel.target)
        parts = [self.exact(p) for p, _ in rel.terms]
        if value is None or any(v is None for v in parts):
            return
        total, p = sum(parts, Fraction(0)), self._precision_of(rel.target[1])
        if round_half_up(total, p) == round_half_up(value, p):
            return
        first, last = rel.terms[0][0], rel.terms[-1][0]
        self.flag(rel.code, first, say("funds.parts-differ", row=self.name(first[0]), rule=rel.what,
                                       parts=self.show(total), balance=self.show(value)), self.show(total), self.show(value),
                  range_=a1_range(first, last))
        for pos, _ in rel.terms:
            self.review(pos, say("funds.parts-should-be", value=self.show(value)))

    def _col_name(self, col: int) -> str:
        return say("funds.column", name=self.by_col[col].name)

    # -- running --------------------------------------------------------------------------------

    def _unfilled(self) -> bool:
        """No item rows, and a 合计 row (if any) of zeros: a blank template."""
        if self.t.items:
            return False
        row = self.t.total_row
        return row is None or not any(isinstance(n := self.sheet.parsed(row, c.col), Number) and n.value
                                      for c in self.summed)

    def run(self) -> TableResult:
        if self._unfilled():
            self.flag("empty-table", (self.t.header_top, self.t.columns[0].col),
                      say("empty-table:funds", title=self.t.title or self.sheet.title))
            self.result.establish(FundFacts(self.t.title, self.t.unit, 0, unit_pos=self.t.unit_pos, blank=True))
            return self.result
        self._read()
        self._relations()
        self._inputs()
        self._derive_all()
        judge(self)
        return self.result


def _required(number_format: str | None) -> int:
    """The decimals a number format always shows: 2 for ``0.00``, none for ``0.######`` or General."""
    decimals, _, minimum, _ = format_shape(number_format)
    return 0 if decimals is None else (decimals if minimum is None else minimum)


def _short(column: Column) -> str:
    """A source by its own label: ``上级财政资金``."""
    return column.name.split("/")[-1]


def _name(column: Column) -> str:
    """A column as a clerk names it: a group's 合计 by its group (``资金到位情况``)."""
    return column.name.split("/")[0] if column.part == "total" else column.name
