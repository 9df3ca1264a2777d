"""Random clean fund tables in the layouts offices use: no finding but info, and exact figures."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from openpyxl import Workbook

from conftest import audit


def _amount(rng, decimals):
    return Decimal(rng.randint(0, 10**(decimals + 3))).scaleb(-decimals)


def _table(rng):
    decimals = rng.choice([0, 1, 2, 4, 6])
    n = rng.randint(1, 12)
    rows = []
    for i in range(n):
        sources = [_amount(rng, decimals) for _ in range(2)]
        budget = sum(sources)
        arrived_sources = [s if rng.random() < 0.7 else (s * Decimal("0.5")).quantize(Decimal(1).scaleb(-decimals)) for s in sources]
        arrived = sum(arrived_sources)
        spent = (arrived * Decimal(rng.randint(0, 100)) / 100).quantize(Decimal(1).scaleb(-decimals))
        rows.append((f"单位{i + 1}", sources, budget, arrived_sources, arrived, spent, arrived - spent))
    return decimals, rows


def _cell(value, as_text, dash):
    if value == 0 and dash:
        return "-"
    return (str(value) if as_text else float(value))


def _write(tmp_path, rng, decimals, rows, two_rows, fault=None):
    """Write the table; ``fault`` = (item index, column 1…8, delta) changes one stated cell.
    Returns the path, the 合计 line and the fault's cell."""
    as_text, dash = rng.random() < 0.3, rng.random() < 0.5
    total_first, offset = rng.random() < 0.3, rng.randint(0, 3)
    wb = Workbook()
    ws = wb.active
    ws.cell(1 + offset, 1, "资金使用情况表")
    ws.cell(2 + offset, 1 + rng.randint(0, 3), "单位：万元")
    top = 3 + offset
    if two_rows:
        heads = [("单位名称", None), ("预算资金", "合计"), (None, "上级资金"), (None, "本级资金"), ("到位资金", "合计"),
                 (None, "上级资金"), (None, "本级资金"), ("实际支出", None), ("结余资金", None)]
        for c, (upper, lower) in enumerate(heads, 1):
            if upper:
                ws.cell(top, c, upper)
            if lower:
                ws.cell(top + 1, c, lower)
        first = top + 2
    else:
        heads = ["单位名称", "预算合计", "上级资金", "本级资金", "到位合计", "到位上级", "到位本级", "实际支出", "结余资金"]
        for c, h in enumerate(heads, 1):
            ws.cell(top, c, h)
        first = top + 1
    lines = [[name, budget, *sources, arrived, *arr, spent, balance]
             for name, sources, budget, arr, arrived, spent, balance in rows]
    total = ["合计"] + [sum(line[c] for line in lines) for c in range(1, 9)]
    where = None
    if fault:
        index, col, delta = fault
        lines[index][col] += delta
        where = f"{'ABCDEFGHI'[col]}{first + index + (1 if total_first else 0)}"
    ordered = [total] + lines if total_first else lines + [total]
    for r, line in enumerate(ordered, first):
        for c, v in enumerate(line, 1):
            ws.cell(r, c, v if c == 1 else _cell(v, as_text, dash))
    path = tmp_path / "t.xlsx"
    wb.save(path)
    return path, total, where


@pytest.mark.parametrize("seed", range(30))
def test_clean_random_tables_have_no_findings(tmp_path, seed):
    rng = random.Random(seed)
    decimals, rows = _table(rng)
    path, total, _ = _write(tmp_path, rng, decimals, rows, rng.random() < 0.5)
    result = audit(path)
    assert [(f.code, f.cell) for f in result.findings if f.severity != "info"] == [], seed
    fig = result.figures
    assert Decimal(str(fig["budget"])) == total[1] and Decimal(str(fig["spent"])) == total[7], seed
    assert Decimal(str(fig["balance"])) == total[8] and fig["items"] == len(rows)


@pytest.mark.parametrize("seed", range(30))
def test_one_wrong_cell_is_found_at_that_cell(tmp_path, seed):
    """Any one amount of an item off by a few units of the table's last decimal (a typo) is blamed
    where it is, whether it is an input (a source, spending) or a derived cell (a 合计, a balance)."""
    rng = random.Random(1000 + seed)
    decimals, rows = _table(rng)
    col = rng.randint(1, 8)
    delta = Decimal(rng.choice([1, 9, 10, 90, 100])).scaleb(-decimals)
    path, _, where = _write(tmp_path, rng, decimals, rows, True, (rng.randrange(len(rows)), col, delta))
    result = audit(path)
    errors = [(f.code, f.cell) for f in result.findings if f.severity == "error"]
    assert errors and all(cell == where for _, cell in errors), (seed, where, errors)
