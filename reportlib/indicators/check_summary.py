"""Recomputing a level-1 summary: ``一级指标 | 权重分 | 得分 | 扣分 | 得分率`` (any subset of the last
three), in rows or transposed (seed 003 table 3-1), with its 合计 and grade.

Seed 000's ``C项目绩效 60 | 57 | 5 | 91.67%`` is the pattern: 扣分 and 得分率 agree on 55, the 合计
得分 94 agrees with 55 too, so the score cell is the wrong one.  Seed 002's ``18.60 / 20 | 99.50%``
has a right score and 扣分, so the rate is wrong (93.00 %); its ``58 / 60 | 97%`` is right at the
precision shown.
"""

from __future__ import annotations

from fractions import Fraction

from ..diagnose import diagnose
from ..findings import INFO
from ..fixes import column_sum, row_sum
from ..grid import a1, a1_range
from ..messages import say
from .facts import summary_facts
from .grades import Bands
from .locate import plain_name
from .locate_summary import Entry, SummaryTable
from .model import summary_model
from .scoring import Row, ScoredRows, show


def _refs(positions) -> str:
    """The sum of cells along one column or one row (ranges where they run on), else of each cell."""
    cells = sorted(positions)
    rows, cols = {r for r, _ in cells}, {c for _, c in cells}
    if len(cols) == 1:
        return column_sum(cells[0][1], sorted(rows))
    if len(rows) == 1:
        return row_sum(cells[0][0], sorted(cols))
    return f"SUM({','.join(a1(*p) for p in cells)})"


class SummaryChecker(ScoredRows):
    def __init__(self, table: SummaryTable, schema: dict, bands: Bands):
        super().__init__(table.sheet, "indicators")
        self.t, self.schema, self.bands = table, schema, bands
        self.rows: list[Row] = []

    def row_of(self, entry: Entry) -> Row:
        c = entry.cells
        row = Row(plain_name(entry.label), c.get("weight"), c.get("score"), c.get("deduction"), c.get("rate"))
        row.weight = self.number(row.weight_pos, say("scores.weight-of", row=row.what))
        if row.score_pos:
            row.score = self.number(row.score_pos, say("scores.score-of", row=row.what))
        elif row.weight is not None and (deduction := self.stated_number(row.deduction_pos)) is not None:
            row.score = row.weight - deduction.fraction
        return row

    def run(self):
        t = self.t
        self.rows = [self.row_of(e) for e in t.entries]
        if not any(r.score is not None for r in self.rows):
            self.flag("empty-table", None, say("empty-table:summary"), severity=INFO)
            self.result.establish(summary_facts(self, None, None))
            return self.result
        self.model = summary_model(self)
        self.diagnosis = diagnose(self.model)
        self.apply_corrections(self.rows)
        for row in self.rows:
            self.check_range(row)
            if row.score is None and row.score_pos and (row.weight or 0) > 0:
                self.flag("score-missing", row.score_pos, say("score-missing:row", row=row.what, weight=show(row.weight)),
                          say("words.blank"), None)
                self.review(row.score_pos, say("scores.fill-score"))
            self.derive_row(row, score_ref=None if row.score_pos else self._score_expr(row))
        weight = sum((r.weight or Fraction(0) for r in self.rows), Fraction(0))
        total = sum((r.score or Fraction(0) for r in self.rows), Fraction(0))
        total_ref = self._check_total(weight, total)
        if self.rows:
            self.check_weight_total([(r.what, r.weight or Fraction(0)) for r in self.rows],
                                    a1_range(t.entries[0].label_pos, t.entries[-1].label_pos))
        grade = self.check_grade(total, total_ref, self.bands, t.grade_pos, t.title, self.schema)
        self.result.establish(summary_facts(self, total, grade))
        return self.result

    def _score_expr(self, row: Row) -> str | None:
        if row.weight_pos and row.deduction_pos:
            return f"({a1(*row.weight_pos)}-{a1(*row.deduction_pos)})"
        return None

    def _check_total(self, weight: Fraction, total: Fraction) -> str:
        t = self.t
        measures = {m: [r for r in self.rows if getattr(r, f"{m}_pos")] for m in ("weight", "score", "deduction")}
        if t.total is None:
            return _refs([r.score_pos for r in self.rows]) if all(r.score_pos for r in self.rows) else "0"
        cells = t.total.cells
        row = Row(say("scores.total-label"), cells.get("weight"), cells.get("score"), cells.get("deduction"), cells.get("rate"),
                  weight, total)
        if row.weight_pos and measures["weight"]:
            self.derive_total_weight(row.weight_pos, _refs([r.weight_pos for r in measures["weight"]]), weight)
        total_ref = None
        if row.score_pos and measures["score"]:
            self.derive(row.score_pos, _refs([r.score_pos for r in measures["score"]]), total, None, "sum-mismatch",
                        say("scores.total-score-rule", score=show(total)))
            total_ref = a1(*row.score_pos)
        score_ref = total_ref or self._score_expr(row)
        self.derive_row(row, score_ref=score_ref)
        return total_ref or score_ref or _refs([r.score_pos for r in self.rows if r.score_pos])
