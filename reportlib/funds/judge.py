"""What a fund table says beyond its sums: rates, overspending, negative balances, units, figures."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from ..grid import a1
from ..messages import say
from ..values import Number, agrees, label_key, money_text, round_half_up
from .facts import FundFacts
from .locate import Column
from ..labels import AMOUNT_ROLE

if TYPE_CHECKING:
    from .check import FundChecker

BASIS_ZH = AMOUNT_ROLE


def judge(c: "FundChecker") -> None:
    t = c.t
    budget, arrived, spent = t.column("budget"), t.column("arrived"), t.column("spent")
    rate, arrival = t.column("execution_rate"), t.column("arrival_rate")
    basis = rate_basis(c, rate, budget, arrived, spent)
    points = {col.col: rate_in_points(c, col) for col in (rate, arrival) if col is not None}
    for row in c.rows:
        if rate is not None and spent is not None and basis is not None:
            _rate(c, row, rate, spent, basis, "execution-rate-mismatch",
                  say("funds.execution-rule", basis=BASIS_ZH[basis.role]), points[rate.col])
        if arrival is not None and arrived is not None and budget is not None:
            _rate(c, row, arrival, arrived, budget, "arrival-rate-mismatch", say("funds.arrival-rule"),
                  points[arrival.col])
    _overspending(c, budget, arrived, spent)
    _negative_balance(c)
    _units(c)
    c.result.establish(facts(c, budget, arrived, spent, basis))


def rate_basis(c: "FundChecker", rate: Column | None, budget, arrived, spent) -> Column | None:
    """Spending is measured against the funds arrived, or the budget when the table's own rates
    (or the rate header, 执行率（支出/预算）) say so, or when there is no arrived column."""
    if arrived is None or budget is None:
        return arrived or budget
    if rate is None or spent is None:
        return arrived
    key = label_key(rate.name)
    if any(w in key for w in c.aliases.basis_budget):
        return budget
    if any(w in key for w in c.aliases.basis_arrived):
        return arrived
    votes, scale = {"budget": 0, "arrived": 0}, (100 if rate_in_points(c, rate) else 1)
    for row in c.t.items:
        stated = c.sheet.parsed(row, rate.col)
        if not isinstance(stated, Number):
            continue
        for col in (budget, arrived):
            d, s = c.exact((row, col.col)), c.exact((row, spent.col))
            if d and s is not None and agrees(stated, s / d * scale):
                votes[col.role] += 1
    return budget if votes["budget"] > votes["arrived"] else arrived


def rate_in_points(c: "FundChecker", rate: Column) -> bool:
    """A rate written as 84.27 (a "(%)" header, or plain numbers above the schema's bound) is in
    percentage points."""
    return rate.points or any(isinstance(n := c.sheet.parsed(r, rate.col), Number) and not n.percent
                              and n.value > c.aliases.points_above for r in c.rows)


def _rate(c: "FundChecker", row: int, col: Column, num: Column, den: Column, code: str, what: str,
          points: bool) -> None:
    """A row's rate as a formula; a 小计 row may leave its rate blank, an item or the 合计 row may not."""
    n, d = c.exact((row, num.col)), c.exact((row, den.col))
    pos = (row, col.col)
    subtotal = row not in c.t.items and row != c.t.total_row
    if n is None or d is None or d == 0 or (subtotal and c.sheet.raw(*pos) is None):
        return
    value, formula = n / d, f"{c.ref((row, num.col))}/{c.ref((row, den.col))}"
    if points:
        value, formula = value * 100, formula + "*100"
    c.derive(pos, formula, value, None, code, f"{what}（{c.show(n)} ÷ {c.show(d)}）", percent_default=not points)


def _overspending(c: "FundChecker", budget, arrived, spent) -> None:
    """Spending above the funds arrived or the budget, and arrivals above the budget: warnings that
    need an explanation, per item row (the 合计 row only when no item row says so)."""
    if spent is None:
        return
    flagged = False
    for row in c.t.items + ([c.t.total_row] if c.t.total_row else []):
        if flagged and row == c.t.total_row:
            break
        s = c.exact((row, spent.col))
        over = [(col, v) for col in (arrived, budget) if col is not None
                and (v := c.exact((row, col.col))) is not None and s is not None and _above(c, s, v)]
        if over:
            col, v = over[0]
            exceeded = "、".join(say("funds.exceeded", basis=BASIS_ZH[x.role], amount=c.show(y)) for x, y in over)
            share = say("funds.share-of", basis=BASIS_ZH[col.role], percent=money_text(s / v * 100, 2)) if v else ""
            pos = (row, spent.col)
            note = _note(c, row)
            ask = say("funds.note-explains", note=note) if note else say("funds.explain-overspending")
            c.flag("overspent", pos, say("overspent:row", row=c.name(row), spent=c.show(s), exceeded=exceeded,
                                         share=share, ask=ask), c.show(s), c.show(v))
            c.review(pos, say("funds.overspent-note", exceeded=exceeded))
            flagged = True
        if arrived is not None and budget is not None:
            a, b = c.exact((row, arrived.col)), c.exact((row, budget.col))
            if a is not None and b is not None and _above(c, a, b) and not (flagged and row == c.t.total_row):
                pos = (row, arrived.col)
                c.flag("arrived-over-budget", pos, say("arrived-over-budget:row", row=c.name(row), arrived=c.show(a),
                                                       budget=c.show(b)), c.show(a), c.show(b))
                c.review(pos, say("funds.arrived-over-budget-note"))


def _note(c: "FundChecker", row: int) -> str:
    """What the row's 备注 says, or for the 合计 row the notes under the table."""
    texts = [v.strip() for col in c.t.columns if col.role == "note"
             if isinstance(v := c.sheet.raw(row, col.col), str) and v.strip()]
    if not texts and row == c.t.total_row:
        texts = c.t.notes
    return "；".join(texts)[:120]


def _above(c: "FundChecker", x: Fraction, y: Fraction) -> bool:
    return round_half_up(x, c.precision) > round_half_up(y, c.precision)


def _negative_balance(c: "FundChecker") -> None:
    for column in (x for x in c.t.columns if x.role == "balance"):
        for row in c.rows:
            stated = c.sheet.parsed(row, column.col)
            if isinstance(stated, Number) and stated.value < 0:
                pos = (row, column.col)
                c.flag("negative-balance", pos, say("negative-balance:cell", row=c.name(row), column=column.name,
                                                    cell=a1(*pos), value=c.show(stated.fraction)),
                       c.show(stated.fraction), "≥0")
                c.review(pos, say("funds.negative-balance-note"))


def _units(c: "FundChecker") -> None:
    t = c.t
    money = [x for x in t.columns if x.is_money]
    if t.unit is None:
        pos = (t.header_top, money[0].col) if money else (t.header_top, 1)
        c.flag("unit-missing", pos, say("unit-missing:table", title=t.title or c.sheet.title), None,
               say("funds.unit-choices"))
        return
    for column in money:
        if column.unit and column.unit != t.unit:
            c.flag("unit-mixed", column.header, say("unit-mixed:column", column=column.name, unit=column.unit,
                                                    table_unit=t.unit, cell=a1(*t.unit_pos)), column.unit, t.unit)


def _total_cell(t, role: str):
    """The cell that states a fund table's total of a role: its 合计 row, or its only item."""
    col = t.column(role)
    if col is None:
        return None
    if t.total_row is not None:
        return (t.total_row, col.col)
    return (t.items[0], col.col) if len(t.items) == 1 else None


def facts(c: "FundChecker", budget, arrived, spent, basis) -> FundFacts:
    """The table's recomputed totals in its own unit, and its rates."""
    t = c.t

    def total(col: Column | None) -> Fraction | None:
        if col is None:
            return None
        values = [c.exact((r, col.col)) for r in t.items]
        return None if any(v is None for v in values) else sum(values, Fraction(0))

    sums = {role: total(t.column(role)) for role in ("budget", "arrived", "spent", "balance", "amount")}
    available = sums["arrived"] if arrived is not None else sums["budget"]
    if sums["balance"] is None and available is not None and sums["spent"] is not None:
        sums["balance"] = available - sums["spent"]
    base = sums[basis.role] if basis is not None else None
    cells = {role: pos for role in sums if (pos := _total_cell(t, role)) is not None}
    roles = [r for r in ("budget", "arrived", "spent", "balance") if t.column(r) is not None]
    rows = tuple((t.label_of(r), {role: c.exact((r, t.column(role).col)) for role in roles}) for r in t.items)

    def rate(n, d):
        return None if n is None or not d else n / d

    return FundFacts(t.title, t.unit, len(t.items), sums, cells, {pos: c.sheet.raw(*pos) for pos in cells.values()},
                     t.unit_pos, rows, rate(sums["spent"], base),
                     basis.role if basis is not None and spent is not None else None,
                     rate(sums["arrived"], sums["budget"]), precision=c.precision, fixed=c.shown, grouped=c.grouped,
                     columns=tuple(r for r in ("budget", "arrived", "spent", "balance", "amount") if t.column(r)))
