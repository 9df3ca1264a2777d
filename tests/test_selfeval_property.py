"""Property tests over random clean 项目支出绩效自评表 and single injected faults: a clean form raises
nothing; a form with one cell changed raises a finding there (or at the cell computed from it), every
cell written back yellow gets the clean form's value, and a score or a 分值 is never rewritten."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest
from openpyxl.utils.cell import coordinate_to_tuple

from conftest import audit
from reportlib.grid import a1
from reportlib.values import round_half_up
from selfeval_forms import FUND_ROWS, Around, Form, write

HEADER_ROW = 4  # the national layout with nothing around it: title, 项目名称, 主管部门, then the funds' header
C_INITIAL, C_BUDGET, C_SPENT, C_WEIGHT, C_RATE, C_SCORE = 3, 4, 5, 6, 7, 8
I_WEIGHT, I_SCORE = 7, 8


def money(value: Fraction, places: int) -> str:
    return f"{round_half_up(value, places):.{places}f}"


def random_around(rng: random.Random) -> Around:
    """What an office puts around the form, drawn at random (the layout zoo)."""
    return Around(annex=rng.random() < 0.3, info_line=rng.random() < 0.3, signatures=rng.random() < 0.4,
                  code_column=rng.random() < 0.2, shift=(rng.choice((0, 0, 1, 3)), rng.choice((0, 0, 2))),
                  text_numbers=rng.random() < 0.15)


def offset(around: Around) -> tuple[int, int]:
    return around.shift[0] + around.annex + around.info_line, around.shift[1] + around.code_column


def random_form(rng: random.Random):
    """A clean form and the value of every cell that matters (position -> exact), in the national layout
    with nothing around it."""
    places = rng.choice((2, 3, 4))
    n_items = rng.choice((1, 2, 3))
    cells: dict[tuple[int, int], Fraction] = {}
    funds, totals = [], [Fraction(0)] * 3
    items = []
    for _ in range(n_items):
        budget = Fraction(rng.randint(10 ** places, 500 * 10 ** places), 10 ** places)
        initial = budget if rng.random() < 0.6 else Fraction(rng.randint(10 ** places, 500 * 10 ** places), 10 ** places)
        spent = budget * Fraction(rng.randint(70, 100), 100)
        spent = Fraction(round_half_up(spent, places))
        items.append((initial, budget, spent))
        totals = [t + v for t, v in zip(totals, (initial, budget, spent))]
    rate = totals[2] / totals[1]
    score = min(rate, Fraction(1)) * 10
    total_row = HEADER_ROW + 1
    funds.append(tuple(money(v, places) for v in totals) + ("10", f"{round_half_up(rate * 100, 2):.2f}%",
                                                             f"{round_half_up(score, 2):.2f}"))
    for c, v in zip((C_INITIAL, C_BUDGET, C_SPENT), totals):
        cells[(total_row, c)] = v
    cells[(total_row, C_RATE)], cells[(total_row, C_SCORE)] = rate, score
    for n, item in enumerate(items):
        funds.append(tuple(money(v, places) for v in item) + ("—", None, "—"))
        for c, v in zip((C_INITIAL, C_BUDGET, C_SPENT), item):
            cells[(total_row + 1 + n, c)] = v
    while len(funds) < len(FUND_ROWS):
        funds.append((None,) * 6)
    indicators = []
    for level1, weight in (("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)):
        parts = _split(rng, weight)
        for k, w in enumerate(parts):
            goal = rng.randint(5, 500)
            done = goal + rng.randint(0, 20)
            indicators.append((f"{level1}({weight}分)", f"二级{k}", f"指标{len(indicators) + 1}", f"≥{goal}", str(done),
                               str(w), str(w), ""))
    first = HEADER_ROW + len(FUND_ROWS) + 1 + 2 + 1
    for n, ind in enumerate(indicators):
        cells[(first + n, I_WEIGHT)], cells[(first + n, I_SCORE)] = Fraction(ind[5]), Fraction(ind[6])
    total = 90 + score
    cells[(first + len(indicators), I_SCORE)] = total
    form = Form("generated", "项目支出绩效自评表（2022年度）", "随机项目", "某局", "某中心", "万元", tuple(funds),
                tuple(indicators), ("100", f"{round_half_up(total, 2):.2f}"))
    return form, cells, places


def _split(rng: random.Random, weight: int) -> list[int]:
    n = rng.randint(1, 4)
    cuts = sorted(rng.sample(range(1, weight), n - 1)) if n > 1 else []
    return [b - a for a, b in zip([0] + cuts, cuts + [weight])]


def test_the_property_test_writes_the_layout_it_reads(tmp_path):
    form, cells, _ = random_form(random.Random(1))
    result = audit(write(tmp_path / "项目支出绩效自评表.xlsx", form))
    assert result.figures["indicators"] == len(form.indicators)
    assert result.figures["total_score"] == pytest.approx(float(cells[(HEADER_ROW + 8 + len(form.indicators), I_SCORE)]))


@pytest.mark.parametrize("seed", range(25))
def test_clean_random_forms_raise_nothing(tmp_path, seed):
    rng = random.Random(seed)
    form, _, _ = random_form(rng)
    result = audit(write(tmp_path / "项目支出绩效自评表.xlsx", form, random_around(rng)))
    assert result.findings == [], [f.message for f in result.findings]


FAULTS = ("total-amount", "item-amount", "rate", "funds-score", "total-score", "indicator-score", "indicator-weight")


def inject(form: Form, cells: dict, places: int, fault: str, rng: random.Random):
    """The form with one cell changed, and that cell's position."""
    funds = [list(r) for r in form.funds]
    indicators = [list(i) for i in form.indicators]
    total = list(form.total)
    first = HEADER_ROW + len(FUND_ROWS) + 1 + 2 + 1
    n_items = sum(1 for r in funds[1:] if r[1] is not None)
    if fault in ("total-amount", "item-amount"):
        col = rng.choice((0, 1, 2))
        row = 0 if fault == "total-amount" else rng.randint(1, n_items)
        value = Decimal(funds[row][col])
        funds[row][col] = f"{value + Decimal(rng.choice((1, 9, 10))).scaleb(-places) * rng.choice((1, 10)):.{places}f}"
        pos = (HEADER_ROW + 1 + row, C_INITIAL + col)
    elif fault == "rate":
        funds[0][4] = f"{Decimal(funds[0][4].rstrip('%')) + Decimal('1.3'):.2f}%"
        pos = (HEADER_ROW + 1, C_RATE)
    elif fault == "funds-score":
        funds[0][5] = f"{Decimal(funds[0][5]) - Decimal('0.7'):.2f}"
        pos = (HEADER_ROW + 1, C_SCORE)
    elif fault == "total-score":
        total[1] = f"{Decimal(total[1]) + 2:.2f}"
        pos = (first + len(indicators), I_SCORE)
    else:
        n = rng.randrange(len(indicators))
        column = 6 if fault == "indicator-score" else 5
        indicators[n][column] = str(int(indicators[n][column]) - 1) if int(indicators[n][column]) > 1 else "0.5"
        pos = (first + n, I_SCORE if fault == "indicator-score" else I_WEIGHT)
    return Form(form.source, form.title, form.project, form.department, form.unit_name, form.unit,
                tuple(tuple(r) for r in funds), tuple(tuple(i) for i in indicators), tuple(total)), pos


def computed_from(pos: tuple[int, int], indicators: int) -> set[str]:
    """The cell itself and the cells computed from it: an item amount's column total (and the rate and
    score over it), an indicator's row (its score against its 分值, its level-1 label) and the 总分 row."""
    first, total_row = HEADER_ROW + 8, HEADER_ROW + 1
    row, col = pos
    cells = {a1(*pos)}
    if total_row < row <= total_row + len(FUND_ROWS):
        cells |= {a1(total_row, col), a1(total_row, C_RATE), a1(total_row, C_SCORE)}
    if first <= row < first + indicators:
        cells |= {a1(row, c) for c in range(1, I_SCORE + 2)} | {a1(first + indicators, I_WEIGHT),
                                                               a1(first + indicators, I_SCORE)}
    return cells


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("seed", range(12))
def test_one_changed_cell_is_found_and_nothing_is_rewritten_wrong(tmp_path, seed, fault):
    """In a random layout of the zoo: the changed cell (or one computed from it) is reported, a yellow
    cell holds the clean value, no score or 分值 is rewritten."""
    rng = random.Random(f"{seed}-{fault}")
    form, cells, places = random_form(rng)
    faulty, pos = inject(form, cells, places, fault, rng)
    around = random_around(rng)
    result = audit(write(tmp_path / "项目支出绩效自评表.xlsx", faulty, around))
    assert result.findings, (fault, a1(*pos), around)
    dr, dc = offset(around)
    where = {f.cell for f in result.findings}
    marked = {a1(x.pos[0] - dr, x.pos[1] - dc): x for t in result.tables for x in t.fixes if x.mark}
    where = {a1(r - dr, c - dc) for r, c in (_rc(w) for w in where if w)}
    assert (where | set(marked)) & computed_from(pos, len(form.indicators)), \
        (fault, a1(*pos), around, [f.message for f in result.findings])
    for cell, fix in marked.items():
        if fix.mark != "fix":
            continue
        true = next(v for p, v in cells.items() if a1(*p) == cell)
        assert fix.value == pytest.approx(float(true), abs=10 ** -places / 2), (fault, cell, fix.value, float(true))
    first = HEADER_ROW + 8
    scores = {a1(*p) for p in cells if p[1] in (I_WEIGHT, I_SCORE) and first <= p[0] < first + len(form.indicators)}
    assert not {c for c, x in marked.items() if x.mark == "fix"} & scores  # a score or a 分值 is never rewritten


def _rc(cell: str) -> tuple[int, int]:
    """(row, column) of an A1 reference."""
    return coordinate_to_tuple(cell)
