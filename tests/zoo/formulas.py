"""Formulas for the derived cells of indicator and fund tables (layouts with ``formulas``).

Written after the case is composed, from the cells' roles and A1 references; the cached value stays
the clean value, which is what Excel would compute (the questionnaire builder writes its own formulas
while it builds, since its share and score formulas need the scheme).
"""

from __future__ import annotations

from .case import Case
from .sheet import Spec

GRADE = '=IF({t}>=90,"优",IF({t}>=80,"良",IF({t}>=60,"中","差")))'


def _sum(refs: list[str]) -> str:
    return "=" + "+".join(refs)


def add_formulas(case: Case) -> None:
    """Give every derived cell of an indicator or fund case its formula."""
    roles = case.by_role()
    ref = {role: spec.ref for role, spec in roles.items()}
    for role, spec in roles.items():
        if spec.input:
            continue
        formula = _indicator(role, ref) if case.kind == "indicators" else _fund(role, ref, case)
        if formula is None and role in case.sums:
            formula = _sum([ref[p] for p in case.sums[role]])
        if formula is not None and _computable(spec):
            spec.formula = formula


def _computable(spec: Spec) -> bool:
    """A formula yields a number (or the grade's text); a ``-`` typed for zero stays typed."""
    return spec.value != "-"


def _indicator(role: tuple, ref: dict) -> str | None:
    kind = role[0]
    if kind in ("deduction", "rate"):
        weight, score = ref.get(("weight", role[1])), ref.get(("score", role[1]))
        if weight and score:
            return f"={weight}-{score}" if kind == "deduction" else f"={score}/{weight}"
    if kind in ("total_deduction", "total_rate"):
        tag = role[1:]  # ("sum:total",) for the summary below a full table
        weight, score = ref.get(("total_weight", *tag)), ref.get(("total_score", *tag))
        if weight and score and kind == "total_rate":
            return f"={score}/{weight}"
    if kind == "grade":
        total = ref.get(("total_score", "sum:total") if len(role) > 1 else ("total_score",))
        return GRADE.format(t=total) if total else None
    return None


def _fund(role: tuple, ref: dict, case: Case) -> str | None:
    kind = role[0]
    form = case.layout.form
    if kind == "balance":
        i = role[1]
        avail = {"budget": ("amount", i, "到位数"), "grouped": ("source_total", i, "资金到位情况"),
                 "use": ("amount", i, "下达金额")}.get(form)
        spent = ("amount", i, "使用经费" if form == "use" else "实际支出")
        if avail in ref and spent in ref:
            return f"={ref[avail]}-{ref[spent]}"
    if kind in ("rate", "arrival_rate"):
        num, den = ("实际支出", "到位数") if kind == "rate" else ("到位数", "预算数")
        where = role[1]
        if isinstance(where, int):
            pair = ("amount", where, num), ("amount", where, den)
        elif where == "合计":
            pair = ("column_total", num), ("column_total", den)
        else:
            g = int(where[len("小计"):])
            pair = ("subtotal", g, num), ("subtotal", g, den)
        if pair[0] in ref and pair[1] in ref:
            return f"={ref[pair[0]]}/{ref[pair[1]]}"
    return None
