"""Checking one 项目支出绩效自评表: the 项目资金 block (年度资金总额 = Σ its 其中 rows per column, 执行率 =
全年执行数 ÷ 全年预算数, 资金得分 = 执行率 × 分值 at most 分值), the indicators (0 ≤ 得分 ≤ 分值, full marks for
a target met, the rule's score for one missed, a reason for any score below its 分值), the weights
(each level-1 label's 分值, 100 in all), the 总分 (Σ of the scores) and the grade.

The amounts, the 分值 and the scores are what a person typed; the sums, the rates, the 资金得分, the
总分 and the grade follow from them and are written back as live formulas.  Which cell is wrong when
the arithmetic fails is the diagnosis's call (:mod:`reportlib.diagnose`): a derived cell is rewritten
only when the cells it is computed from are confirmed, else it is marked for review with its rivals.
An indicator's score is never rewritten: the rules say what it should be, a person decides."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..cellmodel import Check, CheckModel, step_of
from ..diagnose import diagnose
from ..findings import INFO
from ..fixes import FIX, CellFix, fix_note, refs_sum
from ..grid import Pos, a1
from ..indicators.grades import Bands
from ..indicators.scoring import ScoredRows
from ..messages import say
from ..values import Number, agrees, format_at, label_key, money_agrees, money_text, round_half_up
from .facts import Level1, Satisfaction, SelfEvalFacts
from .locate import Form, Words, header, level1_name
from .judge import judge_indicators, level1_weights, weight_parts

AMOUNTS = ("budget_initial", "budget", "spent")


class SelfEvalChecker(ScoredRows):
    def __init__(self, form: Form, words: Words, bands: Bands, indicator_schema: dict):
        super().__init__(form.sheet, "self-evaluation")
        self.f, self.words, self.bands, self.schema = form, words, bands, indicator_schema
        self.spec = words.schema
        self.amount_cols = [form.fund_cols[r] for r in AMOUNTS if r in form.fund_cols]
        self.precision = max((n.decimals for r in form.fund_rows for c in self.amount_cols
                              if isinstance(n := self.sheet.parsed(r.row, c), Number)), default=0)
        self.total = form.total_fund_row
        self.filled: set[Pos] = set()  # cells filled in because the 年度资金总额 row was never summed
        self.items = [r for r in form.item_rows if any(isinstance(self.sheet.parsed(r.row, c), Number)
                                                       for c in self.amount_cols)]
        total_row = self.total.row if self.total is not None else None
        #: the 年度资金总额 row's 分值 and 得分 cells
        self.weight_pos = (total_row, self.fcol("weight")) if total_row and self.fcol("weight") else None
        self.score_pos = (total_row, self.fcol("score")) if total_row and self.fcol("score") else None
        #: 执行率 is 全年执行数 over this column (the schema's basis, else 全年预算数)
        self.basis_col = self.fcol(self.spec["funds"]["basis"]) or self.fcol("budget")
        self.sums: dict[Pos, tuple[list[Pos], str]] = {}  # each summed total: its parts and formula
        self.rate_of = None  # the 年度资金总额 row's rate as a function of the inputs
        #: the 总分 row: (its score cell, its 分值 cell, the scores and the 分值 it adds); None without one
        self.total_cells: tuple[Pos, Pos, list[Pos], list[Pos]] | None = None

    # -- reading ---------------------------------------------------------------------------------

    def num(self, pos: Pos | None) -> Fraction | None:
        if pos is None:
            return None
        parsed = self.sheet.parsed(*pos)
        return parsed.fraction if isinstance(parsed, Number) else None

    def fcol(self, role: str) -> int | None:
        return self.f.fund_cols.get(role)

    def summed(self, col: int) -> bool:
        """Whether the 年度资金总额 of this column is the sum of its 其中 rows (it is an input otherwise:
        a form whose 其中 rows are left blank)."""
        return self.total is not None and any(isinstance(self.sheet.parsed(r.row, col), Number) for r in self.items)

    # -- the model -------------------------------------------------------------------------------

    def build(self) -> CheckModel:
        f, s = self.f, self.sheet
        inputs: dict[Pos, Fraction | None] = {}
        for col in self.amount_cols:
            rows = [r.row for r in self.items] if self.summed(col) else ([self.total.row] if self.total else [])
            for row in rows:
                inputs[(row, col)] = self.num((row, col)) or Fraction(0)
        weight_pos = self.weight_pos
        if weight_pos is not None:
            inputs[weight_pos] = self.num(weight_pos)
        for i in f.indicators:
            for role in ("weight", "score"):
                pos = (i.row, f.ind_cols[role])
                inputs[pos] = self.num(pos) if self.num(pos) is not None or role == "weight" else Fraction(0)
        steps = {pos: (Fraction(1, 10 ** self.precision) if pos[1] in self.amount_cols else step_of(s.parsed(*pos)))
                 for pos in inputs}
        # only an amount may be judged mistyped: a 分值 or a score is a person's decision, never rewritten
        domains = {pos: ((lambda v, values: v >= 0) if pos[1] in self.amount_cols else (lambda v, values: False))
                   for pos in inputs}
        m = CheckModel(inputs, steps, domains, shown=lambda pos, v: self.show(v, pos))
        if self.total is not None:
            for col in self.amount_cols:
                if self.summed(col):
                    pos, parts = (self.total.row, col), [(r.row, col) for r in self.items]
                    self.sums[pos] = (parts, refs_sum(a1(*p) for p in parts))
                    m.add(Check(pos, tuple(parts), lambda v, parts=parts: sum((v.get(p) or 0 for p in parts), Fraction(0)),
                                _number(s.parsed(*pos)), agree=lambda st, ex: money_agrees(st, ex, self.precision),
                                domain=lambda v: v >= 0, label=say("selfeval.total-label", cell=a1(*pos))))
        self._rates(m)
        self._scores(m)
        return m

    def amount(self, pos: Pos, v) -> Fraction | None:
        """An amount from the inputs ``v``: a summed total's parts added up, else the cell's own value."""
        return sum((v.get(p) or 0 for p in self.sums[pos][0]), Fraction(0)) if pos in self.sums else v.get(pos)

    def level1_groups(self) -> dict[str, list]:
        """The indicators under each level-1 label, in the form's order."""
        groups: dict[str, list] = {}
        for i in self.f.indicators:
            groups.setdefault(i.level1, []).append(i)
        return groups

    def weight_of(self, indicators, values) -> Fraction:
        """The 分值 of these indicators together, from the inputs ``values``."""
        w = self.f.ind_cols["weight"]
        return sum((values.get((i.row, w)) or 0 for i in indicators), Fraction(0))

    def rate_formula(self, row: int) -> str:
        """A row's 执行率 as a formula: 全年执行数 ÷ its basis (0 where the basis is 0)."""
        spent, basis = a1(row, self.fcol("spent")), a1(row, self.basis_col)
        return f"IF({basis}=0,0,{spent}/{basis})"

    def _rates(self, m: CheckModel) -> None:
        """Each stated 执行率 (the 年度资金总额 row's, and any 其中 row's), and the 资金得分 from the total's."""
        rate_col, basis_col, spent_col = self.fcol("rate"), self.basis_col, self.fcol("spent")
        if spent_col is None or basis_col is None:
            return
        for row in [r.row for r in self.f.fund_rows]:
            n, d = (row, spent_col), (row, basis_col)

            def rate(v, n=n, d=d):
                a, b = self.amount(n, v), self.amount(d, v)
                return None if a is None or b is None or b == 0 else a / b
            if self.total is not None and row == self.total.row:
                self.rate_of = rate
            pos = (row, rate_col) if rate_col else None
            stated = _number(self.sheet.parsed(*pos)) if pos else None
            if pos is not None and stated is not None:
                m.add(Check(pos, self._leaves(n) + self._leaves(d), rate, stated, linear=False, domain=lambda v: v >= 0,
                            label=say("selfeval.rate-label", cell=a1(*pos), value=stated.display()),
                            agree=_rate_agree))

    def _leaves(self, pos: Pos) -> tuple[Pos, ...]:
        return tuple(self.sums[pos][0]) if pos in self.sums else (pos,)

    def funds_score(self, v) -> Fraction | None:
        """执行率 × 分值, at most 分值, by the schema's rule."""
        if self.rate_of is None or self.weight_pos is None:
            return None
        rate, weight = self.rate_of(v), v.get(self.weight_pos)
        if rate is None or weight is None:
            return None
        rule = self.score_rule
        if "full_from" in rule and rate >= Fraction(str(rule["full_from"])):
            return weight
        if "zero_below" in rule and rate < Fraction(str(rule["zero_below"])):
            return Fraction(0)
        score = min(rate, Fraction(1)) * weight
        if rule.get("round") is not None:
            score = Fraction(round_half_up(score, rule["round"]))
        return score

    @property
    def score_rule(self) -> dict:
        return self.spec["funds"]["score_rules"][self.spec["funds"]["score_rule"]] or {}

    def score_formula(self, rate: str, weight: str) -> str:
        """The 资金得分 as a formula of the rate and the 分值, by the same rule."""
        rule = self.score_rule
        formula = f"MIN({rate},1)*{weight}"
        if rule.get("round") is not None:
            formula = f"ROUND({formula},{rule['round']})"
        if "zero_below" in rule:
            formula = f"IF({rate}<{rule['zero_below']},0,{formula})"
        if "full_from" in rule:
            formula = f"IF({rate}>={rule['full_from']},{weight},{formula})"
        return formula

    def _scores(self, m: CheckModel) -> None:
        f, s, weight_pos, score_pos = self.f, self.sheet, self.weight_pos, self.score_pos
        funds_inputs = tuple(x for x in m.inputs if x[1] in self.amount_cols) + ((weight_pos,) if weight_pos else ())
        if score_pos is not None and _number(s.parsed(*score_pos)) is not None:
            m.add(Check(score_pos, funds_inputs, self.funds_score, _number(s.parsed(*score_pos)), linear=False,
                        domain=lambda v: v >= 0, label=say("selfeval.funds-score-label", cell=a1(*score_pos))))
        w, sc = f.ind_cols["weight"], f.ind_cols["score"]
        for i in f.indicators:
            wp, sp = (i.row, w), (i.row, sc)
            m.add(Check(("range", i.row), (wp, sp), lambda v: None, derived=False, confirms=False,
                        holds=lambda v, wp=wp, sp=sp: None if v.get(wp) is None else 0 <= (v.get(sp) or 0) <= v[wp]))
        for name, (weight, pos) in f.level1_weights.items():
            cells = tuple((i.row, w) for i in f.indicators if i.level1 == name)
            if cells:
                m.add(Check(("level1", name), cells, lambda v, cells=cells: sum((v.get(c) or 0 for c in cells), Fraction(0)),
                            Number(_decimal(weight), 0), derived=False,
                            label=say("selfeval.level1-label", name=level1_name(name, self.words), weight=weight)))
        if f.total_row is None:
            return
        funds = (lambda v: self.funds_score(v) or 0) if score_pos else (lambda v: 0)
        scores = [(i.row, sc) for i in f.indicators]
        weights = [(i.row, w) for i in f.indicators] + ([weight_pos] if weight_pos else [])
        total_score, total_weight = (f.total_row, sc), (f.total_row, w)
        # the 总分 is a derived cell even where the form left it blank
        m.add(Check(total_score, tuple(scores) + funds_inputs,
                    lambda v: sum((v.get(p) or 0 for p in scores), Fraction(0)) + funds(v),
                    _number(s.parsed(*total_score)), linear=not score_pos, domain=lambda v: v >= 0,
                    label=say("selfeval.total-score-label", cell=a1(*total_score))))
        self.total_cells = (total_score, total_weight, scores, weights)

    # -- the checks ------------------------------------------------------------------------------

    def show(self, value: Fraction | int | None, pos: Pos | None = None) -> str:
        if value is None:
            return say("words.unknown")
        value = Fraction(value)
        if pos is not None and pos[1] in self.amount_cols:
            return money_text(value, self.precision)
        return format_at(value, 2).rstrip("0").rstrip(".") if value.denominator != 1 else str(value.numerator)

    def blank(self) -> bool:
        """A form with only its labels (the blank template): no amount and no score typed in."""
        f = self.f
        amounts = [(r.row, c) for r in f.fund_rows for c in self.amount_cols]
        scores = [(i.row, f.ind_cols["score"]) for i in f.indicators]
        return not any(self.num(p) for p in amounts + scores)

    def run(self):
        if self.blank():
            self.flag("empty-table", self.f.title_pos, say("empty-table:selfeval", title=self.f.title), None, None,
                      INFO)
            f = self.f
            self.result.establish(SelfEvalFacts(f.title, f.info.get("project", (None,))[0],
                                                f.info.get("department", (None,))[0], f.info.get("unit_name", (None,))[0],
                                                f.year, f.unit, bands=self.bands, blank=True))
            return self.result
        model = self.model = self.build()
        self.diagnosis = diagnose(model)
        values = self.diagnosis.values
        if self.never_summed():  # one explanation for the whole row: the amounts stand as typed
            values = dict(model.inputs)
            self._fill_total_row(values)
        else:
            self._correct_amounts()
            for pos, (parts, formula) in self.sums.items():
                self.derive(pos, formula, model.value(pos, values), None, "sum-mismatch",
                            say("selfeval.total-why", rows="、".join(r.label for r in self.items)), precision=self.precision)
            self._derive_rates(values)
        self._derive_totals(values)
        judge_indicators(self, values)
        level1_weights(self, values)
        total = model.value(self.total_cells[0], values) if self.total_cells else None
        grade = None
        if total is not None:
            grade = self.check_grade(total, a1(*self.total_cells[0]), self.bands, self.f.grade_pos, None, self.schema)
        self.result.establish(self.facts(values, total, grade))
        return self.result

    def _correct_amounts(self) -> None:
        """An amount the diagnosis convicts (its new value mends two checks and breaks none), with the
        checks that say so."""
        for fix in self.diagnosis.corrections:
            cell, stated = fix.cell, self.sheet.parsed(*fix.cell)
            old = money_text(stated.value, self.precision) if isinstance(stated, Number) else say("words.blank")
            new = money_text(fix.new, self.precision)
            checks = "、".join(w for w in (self.model.describe(k) for k in fix.mends) if w)
            row = next((r.label for r in self.f.fund_rows if r.row == cell[0]), "")
            column = header(self.sheet, self.f.fund_header, cell[1])
            self.correct(cell, "amount-inconsistent", float(fix.new),
                         say("amount-inconsistent:cell", row=row, column=column, cell=a1(*cell), old=old, new=new,
                             checks=checks), old, new, say("funds.checks-contradict", checks=checks))

    def never_summed(self) -> bool:
        """The 年度资金总额 row all 0 or blank under 其中 rows that hold amounts (池州 2022: 0 0 0 10 0 0
        over 本年财政拨款 90 / 89.974 / 89.974): the row was never summed, and its 执行率 and 得分 follow
        from its zeros.  One explanation for all of it, so all of it is filled in."""
        if not self.sums or self.total is None:
            return False
        cells = [(self.total.row, c) for c in self.amount_cols]
        return all(not self.num(p) for p in cells) and any(self.num(p) for parts, _ in self.sums.values() for p in parts)

    def _fill_total_row(self, values) -> None:
        reason = say("selfeval.never-summed")
        for pos, (_, formula) in self.sums.items():
            self._fill(pos, "=" + formula, self.model.value(pos, values), money_text(self.model.value(pos, values),
                                                                                   self.precision), "sum-mismatch", reason)
        rate_col = self.fcol("rate")
        rate = self.rate_of(values) if self.rate_of else None
        if rate_col and rate is not None:
            self._fill((self.total.row, rate_col), "=" + self.rate_formula(self.total.row), rate,
                       format_at(rate, 2, True), "execution-rate-mismatch", reason, "0.00%")

    def _fill(self, pos: Pos, formula: str, exact: Fraction, shown: str, code: str, reason: str,
              number_format: str | None = None) -> None:
        stated = self.sheet.parsed(*pos)
        found = stated.display() if isinstance(stated, Number) else (str(self.sheet.raw(*pos) or "") or say("words.blank"))
        self.flag(code, pos, say("cell.differs", cell=a1(*pos), found=found, expected=shown, reason=reason, held=""),
                  found, shown)
        self.result.fixes.append(CellFix(self.sheet.title, pos, float(exact), formula, number_format=number_format,
                                         mark=FIX, note=fix_note(found, shown, reason)))
        self.filled.add(pos)

    def _derive_rates(self, values) -> None:
        rate_col, spent_col, basis_col = self.fcol("rate"), self.fcol("spent"), self.basis_col
        if rate_col is None or spent_col is None or basis_col is None:
            return
        for r in self.f.fund_rows:
            pos = (r.row, rate_col)
            if pos not in self.model.checks:
                continue
            exact = self.model.value(pos, values)
            if exact is None:
                continue
            stated = self.sheet.parsed(*pos)
            scale = 100 if isinstance(stated, Number) and not stated.percent and stated.value > 1 else 1
            formula = self.rate_formula(r.row) + ("*100" if scale == 100 else "")
            self.derive(pos, formula, exact * scale, None, "execution-rate-mismatch",
                        say("selfeval.rate-why", spent=a1(r.row, spent_col), basis=a1(r.row, basis_col)),
                        percent_default=scale == 1)

    def _derive_totals(self, values) -> None:
        if self.score_pos is not None and self.filled and self.funds_score(values) is not None:
            exact = self.funds_score(values)
            rate = a1(self.total.row, self.fcol("rate")) if self.fcol("rate") else None
            weight = a1(*self.weight_pos)
            self._fill(self.score_pos, "=" + self.score_formula(rate, weight) if rate else f"={self.show(exact)}", exact,
                       self.show(exact), "funds-score-mismatch", say("selfeval.never-summed"))
        elif self.score_pos is not None and self.score_pos in self.model.checks:
            exact = self.funds_score(values)
            rate_pos = (self.total.row, self.fcol("rate")) if self.fcol("rate") else None
            weight = a1(*self.weight_pos)
            if exact is not None:
                rate = a1(*rate_pos) if rate_pos and rate_pos in self.model.checks else None
                formula = self.score_formula(rate, weight) if rate else None
                fix = self.derive(self.score_pos, formula or f"{self.show(exact)}", exact, None, "funds-score-mismatch",
                                  say("selfeval.funds-score-why",
                                      weight=self.show(values.get(self.weight_pos))))
                _two_places(fix, exact)
        if self.total_cells is None:
            return
        total_score, total_weight, scores, weights = self.total_cells
        refs = [a1(*p) for p in scores] + ([a1(*self.score_pos)] if self.score_pos else [])
        exact = self.model.value(total_score, values)
        if exact is not None:
            _two_places(self.derive(total_score, refs_sum(refs), exact, None, "sum-mismatch", say("selfeval.total-score-why")),
                        exact)
        got = sum((values.get(p) or 0 for p in weights), Fraction(0))
        stated = _number(self.sheet.parsed(*total_weight)) if total_weight != total_score else None
        expected = stated.fraction if stated is not None else Fraction(self.spec["indicators"]["total_weight"])
        if weights and got != expected:  # the weights are wrong, not the form's 100: a person decides which
            where = total_weight if stated is not None else total_score
            self.flag("weight-total-mismatch", where, say("weight-total-mismatch:selfeval", got=self.show(got),
                                                          expected=self.show(expected), parts=weight_parts(self, values)),
                      self.show(got), self.show(expected))
            self.review(where, say("selfeval.weights-note", got=self.show(got), expected=self.show(expected)))

    def facts(self, values, total: Fraction | None, grade: str | None) -> SelfEvalFacts:
        f = self.f
        totals = {}
        for role in AMOUNTS:
            col = self.fcol(role)
            if col is not None and self.total is not None and any(
                    isinstance(self.sheet.parsed(r.row, col), Number) for r in f.fund_rows):
                totals[role] = self.amount((self.total.row, col), values)
        rate = self.rate_of(values) if self.rate_of else None
        sc = f.ind_cols.get("score")
        level1 = [Level1(level1_name(name, self.words), self.weight_of(rows, values),
                         sum((self.num((i.row, sc)) or 0 for i in rows), Fraction(0)))
                  for name, rows in self.level1_groups().items()]
        weight_pos, satisfaction = self.weight_pos, _satisfaction(f, self.words)
        stated_total = self.sheet.parsed(*self.total_cells[0]) if self.total_cells else None
        return SelfEvalFacts(
            title=f.title, project_name=f.info.get("project", (None,))[0], department=f.info.get("department", (None,))[0],
            unit_name=f.info.get("unit_name", (None,))[0], year=f.year, unit=f.unit, totals=totals,
            cells=(cells := {r: (self.total.row, self.fcol(r)) for r in ("budget", "spent")
                             if self.total is not None and self.fcol(r) and totals.get(r) is not None}),
            raw={p: self.sheet.raw(*p) for p in list(cells.values()) + [q for x in satisfaction for q in (x.pos, x.score_pos)]},
            numbers={p: n for x in satisfaction for p in (x.weight_pos, x.score_pos)
                     if isinstance(n := self.sheet.parsed(*p), Number)},
            execution_rate=rate, funds_weight=values.get(weight_pos) if weight_pos else None,
            funds_score=self.funds_score(values), level1=tuple(level1), indicators=len(f.indicators),
            total_score=total, total_weight=sum((values.get(p) or 0 for p in self.total_cells[3]), Fraction(0))
            if self.total_cells else None, stated_total=stated_total if isinstance(stated_total, Number) else None,
            total_pos=self.total_cells[0] if self.total_cells else None, grade=grade, bands=self.bands,
            satisfaction=satisfaction, precision=self.precision)


def _two_places(fix: CellFix | None, exact: Fraction) -> None:
    """A score written back shows two decimals (9.91, not 9.910143161742308 in a General cell)."""
    if fix is not None and fix.number_format is None and exact.denominator != 1 and (exact * 100).denominator != 1:
        fix.number_format = "0.00"


def _satisfaction(f: Form, words: Words) -> tuple[Satisfaction, ...]:
    """Each 满意度 indicator, for the survey's cross-check."""
    col = f.ind_cols.get("actual")
    if col is None:
        return ()
    w, sc = f.ind_cols["weight"], f.ind_cols["score"]
    return tuple(Satisfaction((i.row, col), i.actual, i.name or i.level2, i.target, (i.row, w), (i.row, sc))
                 for i in f.indicators if any(w in label_key(i.level1 + i.level2) for w in words.satisfaction))


def _number(parsed) -> Number | None:
    return parsed if isinstance(parsed, Number) else None


def _rate_agree(stated: Number, exact: Fraction) -> bool:
    if not stated.percent and stated.value > 1:  # 86.19 in points
        return agrees(stated, exact * 100)
    return agrees(stated, exact)


def _decimal(value) -> Decimal:
    return Decimal(str(value))
