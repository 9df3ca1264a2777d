"""资金使用情况表: clean fund tables in four forms.

- ``allocation``: seeds 000 / 002, ``序号 | 县（市）区 | 下达金额 | 备注`` with a 合计 row;
- ``budget``: a 收支 table, ``项目 | 预算数 | 到位数 | 实际支出 | 结余 | 资金到位率 | 预算执行率``;
- ``grouped``: seed 003's 附件3, sources under 预算（调整后）资金 and 资金到位情况, 剩余资金 split;
- ``use``: seed 004, ``下达金额 | 使用经费 | 结余经费 | 备注`` with up to 6 decimals.

Amounts are whole numbers of the table's smallest shown unit (0.01, or 10⁻⁶ 万元), so every sum is
exact: 合计 = Σ sources per row, balance = arrived (or budget) − spent, the 合计 row = Σ items (and
小计 = Σ its items), rate = spent ÷ arrived. Spending never exceeds the funds, arrivals never exceed
the budget, so a clean table draws no warning.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from .case import Case, assemble, frame
from .formulas import add_formulas
from .layout import Layout
from .sheet import Block, Piece, Spec, grid, position
from .shown import exact_text

COUNTIES = ["五华区", "盘龙区", "官渡区", "西山区", "呈贡区", "晋宁区", "东川区", "安宁市", "富民县", "宜良县",
            "石林县", "嵩明县", "禄劝县", "寻甸县", "阳宗海风景名胜区", "滇中新区"]
EXPENSES = ["培训经费", "宣传经费", "采集员入户调查补贴", "监督评估验收经费", "办公设备购置", "残疾人康复补助",
            "寄宿制托养补助", "残疾儿童康复救助", "职业技能培训", "就业服务机构人员培训", "技能竞赛经费",
            "慰问及检查经费", "辅助器具适配", "无障碍改造", "信息系统维护", "劳务费"]
NAMES = ["李明", "王芳", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽"]
SOURCES = ["合计", "上级财政资金", "本级财政资金", "财政资金以外的其他资金"]
BUDGET_G, ARRIVED_G, REST_G = "预算（调整后）资金", "资金到位情况", "剩余资金"


@dataclass
class Column:
    """One table column: its name (group/part for two-row headers), and its cells' role key."""

    name: str
    group: str | None = None
    part: str | None = None
    money: bool = False


@dataclass
class Table:
    """Items as rows of amounts (in units of 10^-decimals), keyed by column name."""

    labels: list[str]
    rows: list[dict[str, int]]
    groups: list[tuple[str, int, int]] = field(default_factory=list)  # heading, first item, end item


def _amount(rng: random.Random, layout: Layout, low: int, high: int) -> int:
    """A budget line in the table's smallest unit, with the round figures budgets have."""
    scale = 10 ** layout.money_decimals
    if layout.unit == "元":
        scale *= 10000
    grain = rng.choice([scale, scale, scale // 10 or 1, scale // 100 or 1, max(1, scale // 10 ** 6)])
    return max(grain, rng.randint(low * scale, high * scale) // grain * grain)


def _part(rng: random.Random, whole: int, full: float) -> int:
    """Part of ``whole``: all of it with probability ``full``, else 50–99 % of it, on round figures."""
    if rng.random() < full or whole == 0:
        return whole
    grain = 10 ** rng.randint(0, max(0, len(str(whole)) - 3))
    return min(whole, int(whole * rng.uniform(0.5, 0.99)) // grain * grain)


def content(rng: random.Random, layout: Layout) -> Table:
    n = layout.items
    if layout.form == "allocation":
        labels = rng.sample(COUNTIES, n)
    elif layout.form == "grouped":
        labels = [f"{c}残疾人联合会" for c in rng.sample(COUNTIES, n)]
    else:
        labels = rng.sample(EXPENSES, n)
    rows = []
    for _ in range(n):
        budget = _amount(rng, layout, 1, 300)
        arrived = _part(rng, budget, 0.75)
        spent = _part(rng, arrived, 0.45)
        row = {"budget": budget, "arrived": arrived, "spent": spent}
        if layout.form == "grouped":
            upper = budget if rng.random() < 0.6 else _part(rng, budget, 0.0)
            other = 0 if rng.random() < 0.85 else _part(rng, budget - upper, 0.0)
            row.update({"b:上级": upper, "b:本级": budget - upper - other, "b:其他": other})
            a_upper = min(upper, arrived)
            a_other = min(other, arrived - a_upper)
            row.update({"a:上级": a_upper, "a:本级": arrived - a_upper - a_other, "a:其他": a_other})
            rest = arrived - spent
            kept = rest if rng.random() < 0.7 else _part(rng, rest, 0.0)
            row.update({"r:结余": kept, "r:调整": rest - kept})
        rows.append(row)
    table = Table(labels, rows)
    if layout.subtotals:
        cut = rng.randint(2, n - 2)
        heads = ("一、主城区", "二、县（市）区") if layout.form == "allocation" else ("一、市本级", "二、对下补助")
        table.groups = [(heads[0], 0, cut), (heads[1], cut, n)]
    return table


def seed003(layout: Layout) -> Table:
    """Seed 003's 附件3 as printed: one unit, 25.40 万元 budgeted, arrived and spent."""
    amount = 2540 if layout.unit == "万元" else 25400000
    row = {"budget": amount, "arrived": amount, "spent": amount, "b:上级": amount, "b:本级": 0, "b:其他": 0,
           "a:上级": amount, "a:本级": 0, "a:其他": 0, "r:结余": 0, "r:调整": 0}
    return Table(["塔什库尔干塔吉克自治县残疾人联合会"], [row])


def columns(layout: Layout) -> list[Column]:
    extra = [Column(c) for c in layout.extra_columns if c != "序号"]
    lead = [Column("序号")] if "序号" in layout.extra_columns else []
    if layout.form == "allocation":
        money = [Column(layout.money_header, money=True)]
        return lead + [Column("县（市）区")] + extra + money + [Column("备注")]
    if layout.form == "use":
        return lead + [Column("项目名称")] + extra + [Column(n, money=True) for n in ("下达金额", "使用经费", "结余经费")] \
            + [Column("备注")]
    if layout.form == "budget":
        cols = [Column(n, money=True) for n in ("预算数", "到位数", "实际支出", "结余")]
        rates = [Column("资金到位率")] * layout.arrival_rate_column + [Column("预算执行率")] * layout.rate_column
        return lead + [Column("项目")] + extra + cols + rates + [Column("备注")]
    groups = [Column(f"{BUDGET_G}/{p}", BUDGET_G, p, True) for p in SOURCES]
    groups += [Column(f"{ARRIVED_G}/{p}", ARRIVED_G, p, True) for p in SOURCES]
    groups += [Column("实际支出", money=True)]
    groups += [Column(f"{REST_G}/{p}", REST_G, p, True) for p in ("合计", "结余资金", "调整资金")]
    return lead + [Column("实施单位名称")] + extra + groups + [Column("备注")]


KEYS = {"下达金额": "budget", "对下资金": "budget", "分配金额": "budget", "预算数": "budget", "到位数": "arrived", "实际支出": "spent", "使用经费": "spent",
        "结余": "balance", "结余经费": "balance", f"{BUDGET_G}/合计": "budget", f"{ARRIVED_G}/合计": "arrived",
        f"{BUDGET_G}/上级财政资金": "b:上级", f"{BUDGET_G}/本级财政资金": "b:本级",
        f"{BUDGET_G}/财政资金以外的其他资金": "b:其他", f"{ARRIVED_G}/上级财政资金": "a:上级",
        f"{ARRIVED_G}/本级财政资金": "a:本级", f"{ARRIVED_G}/财政资金以外的其他资金": "a:其他",
        f"{REST_G}/合计": "balance", f"{REST_G}/结余资金": "r:结余", f"{REST_G}/调整资金": "r:调整"}
#: columns derived within their row, and from which columns
DERIVED = {f"{BUDGET_G}/合计": [f"{BUDGET_G}/{p}" for p in SOURCES[1:]],
           f"{ARRIVED_G}/合计": [f"{ARRIVED_G}/{p}" for p in SOURCES[1:]]}


def _money(layout: Layout, units: int, role: tuple, **kw) -> Spec:
    """An amount as the layout writes it: a number in its format, ``-`` for zero, or text."""
    scale = Decimal(1).scaleb(-layout.money_decimals)
    value = Decimal(units) * scale
    if units == 0 and layout.dash_zero:
        return Spec("-", None, role, border=True, align="right", **kw)
    fmt = None if layout.money_format == "General" else layout.money_format
    if layout.text_numbers == "amounts":
        places = layout.money_decimals
        return Spec(exact_text(value, places, thousands="," in (fmt or "")), None, role, border=True,
                    align="right", **kw)
    return Spec(float(value), fmt, role, border=True, **kw)


def _links(layout: Layout, name: str) -> int:
    """Relations an input amount takes part in: its column's 合计, and its row's."""
    if layout.form == "allocation":
        return 1
    if layout.form == "budget":
        return 1 + {"预算数": layout.arrival_rate_column, "到位数": 1 + layout.rate_column + layout.arrival_rate_column,
                    "实际支出": 1 + layout.rate_column}.get(name, 0)
    return 2


def table_block(layout: Layout, table: Table, tag: str = "") -> Block:
    """The table: header (1–3 rows), items (小计 rows, heading rows), the 合计 row."""
    cols = columns(layout)
    col = {c.name: i for i, c in enumerate(cols)}
    h = layout.header_rows
    lines: list[tuple[str, object]] = []  # ("item", i) | ("heading", text) | ("subtotal", g) | ("total", None)
    if layout.total_position == "top":
        lines.append(("total", None))
    if table.groups:
        for g, (head, a, b) in enumerate(table.groups):
            lines += [("heading", head)] + [("item", i) for i in range(a, b)] + [("subtotal", g)]
    else:
        lines += [("item", i) for i in range(len(table.rows))]
    if layout.total_position == "bottom":
        lines.append(("total", None))
    block = Block(grid(h + len(lines), len(cols)), header_rows=h)
    wide = 14.0 if layout.unit == "元" else 11.0  # room for the amounts themselves
    block.widths = [max(wide if c.money else 6.0, min(34.0, 2.2 * len(c.part or c.name))) for c in cols]
    block.widths[col[cols[1 if "序号" in col else 0].name]] = 30.0
    _header(layout, block, cols)
    avail = "arrived" if layout.form in ("budget", "grouped") else "budget"
    for row in table.rows:
        row["_avail"] = row[avail]
        row["balance"] = row[avail] - row["spent"]
    spent_col = next((c.name for c in cols if KEYS.get(c.name) == "spent"), None)
    for r, (what, which) in enumerate(lines, h):
        cells = block.rows[r]
        label_col = 1 if "序号" in col else 0
        if what == "heading":
            cells[label_col] = Spec(which, bold=True, border=True)
            continue
        if what == "item":
            i = which
            data = table.rows[i]
            if "序号" in col:
                cells[0] = Spec(i + 1, border=True, align="center")
            cells[label_col] = Spec(table.labels[i], border=True, wrap=True)
            _extras(layout, cells, col, i)
            key = (i,)
        else:
            parts = range(len(table.rows)) if what == "total" else range(*table.groups[which][1:])
            data = {k: sum(table.rows[i][k] for i in parts) for k in table.rows[0] if not k.startswith("_")}
            cells[label_col] = Spec("合计" if what == "total" else "小计", bold=True, border=True, align="center")
            if "序号" in col and what == "total" and layout.label_style == "merged":
                block.merges.append((r, 0, r, 1))
                cells[0], cells[1] = cells[1], Spec(border=True)
            key = None
        for c in cols:
            if not c.money:
                continue
            units = data[KEYS[c.name]]
            if key is None:
                role = (tag + "column_total", c.name) if what == "total" else (tag + "subtotal", which, c.name)
                cells[col[c.name]] = _money(layout, units, role)
            elif KEYS[c.name] == "balance":
                cells[col[c.name]] = _money(layout, units, (tag + "balance", key[0]))
            elif c.name in DERIVED or (layout.form == "grouped" and c.name.endswith("/合计")):
                cells[col[c.name]] = _money(layout, units, (tag + "source_total", key[0], c.group))
            else:
                cells[col[c.name]] = _money(layout, units, (tag + "amount", key[0], c.name), input=True,
                                            links=_links(layout, c.name))
        for name, num, den in (("预算执行率", "spent", "arrived"), ("资金到位率", "arrived", "budget")):
            if name in col and data[den]:
                role_kind = "rate" if name == "预算执行率" else "arrival_rate"
                where = key[0] if key else ("合计" if what == "total" else f"小计{which}")
                cells[col[name]] = Spec(float(Fraction(data[num], data[den])), "0.00%", (tag + role_kind, where),
                                        border=True)
        if what == "item" and "备注" in col and spent_col and data["spent"] == 0:
            cells[col["备注"]] = Spec("该项目使用办公经费，未使用此项目经费。", border=True, wrap=True)
    first_item = h + (layout.total_position == "top")
    block.row_gaps = [first_item] + ([h + len(lines) - 1] if layout.total_position == "bottom" else [])
    money_first = next(i for i, c in enumerate(cols) if c.money)
    block.col_gaps = [money_first, len(cols) - 1]
    return block


def _extras(layout: Layout, cells: list[Spec], col: dict, i: int) -> None:
    """Columns that hold numbers but not money: 年度, 编码, 联系电话; and 负责人."""
    values = {"年度": 2022, "编码": 530100221 + i, "联系电话": 13987158068 + 7 * i, "负责人": NAMES[i % len(NAMES)]}
    for name, value in values.items():
        if name in col:
            cells[col[name]] = Spec(value, None, border=True)


def _header(layout: Layout, block: Block, cols: list[Column]) -> None:
    h = layout.header_rows

    def head(r: int, c: int, text: str) -> None:
        block.rows[r][c] = Spec(text, bold=True, border=True, wrap=True, align="center")

    if h == 1:
        for c, column in enumerate(cols):
            head(0, c, column.name)
        return
    top = h - 2  # the group row
    money = [c for c, column in enumerate(cols) if column.money]
    for c, column in enumerate(cols):
        if column.group:
            continue
        if layout.form == "budget" and column.money:
            head(h - 1, c, column.name)
            continue
        start = 1 if column.money and h == 3 else 0  # under the top row's 资金使用情况
        head(start, c, column.name)
        block.merges.append((start, c, h - 1, c))
    if layout.form == "budget":
        head(top, money[0], "资金情况")
        block.merges.append((top, money[0], top, money[-1]))
    seen: dict[str, list[int]] = {}
    for c, column in enumerate(cols):
        if column.group:
            seen.setdefault(column.group, []).append(c)
            head(h - 1, c, column.part)
    for group, where in seen.items():
        head(top, where[0], group)
        block.merges.append((top, where[0], top, where[-1]))
    if h == 3:
        head(0, money[0], "资金使用情况")
        block.merges.append((0, money[0], 0, money[-1]))


def _figures(layout: Layout, table: Table) -> dict[str, str | None]:
    scale = Decimal(1).scaleb(-layout.money_decimals)

    def total(key: str) -> str:
        return format(Decimal(sum(r[key] for r in table.rows)) * scale, "f")

    return {"budget": total("budget"), "spent": None if layout.form == "allocation" else total("spent"),
            "unit": layout.unit, "decimals": layout.money_decimals}


def build(seed: int, rng: random.Random, layout: Layout) -> Case:
    """A clean fund case (seed 003's 附件3 itself for the named layouts)."""
    table = seed003(layout) if layout.name and layout.name.startswith("SEED003") else content(rng, layout)
    block = table_block(layout, table)
    if layout.empty_row and block.row_gaps:
        block.insert_row(rng.choice(block.row_gaps))
    if layout.empty_col and block.col_gaps:
        block.insert_col(rng.choice(block.col_gaps))
    pieces = [Piece("block", block=block)]
    if layout.second_table:
        pieces += _allocation(rng, layout, table)
    case = assemble(seed, layout, frame(layout, pieces, list(layout.notes)), _figures(layout, table))
    case.add_sums(_sums(case, layout))
    if layout.formulas:
        add_formulas(case)
    return case


def _allocation(rng: random.Random, layout: Layout, table: Table) -> list[Piece]:
    """An allocation list below the main table: the budget spread over counties."""
    total = sum(r["budget"] for r in table.rows)
    n = rng.randint(2, min(8, max(2, total // 10 ** layout.money_decimals)))
    cuts = sorted(rng.sample(range(1, total), n - 1)) if total > n else list(range(1, n))
    parts = [b - a for a, b in zip([0] + cuts, cuts + [total])]
    second = Layout.from_json({**layout.to_json(), "form": "allocation", "extra_columns": ["序号"], "header_rows": 1,
                               "subtotals": False, "total_position": "bottom", "sheet_name": "x"})
    alloc = Table(rng.sample(COUNTIES, n), [{"budget": p, "arrived": p, "spent": 0} for p in parts])
    pieces = [Piece("blank"), Piece("title", ["资金分配明细表"])]
    if layout.unit:
        pieces.append(Piece("info", [f"单位：{layout.unit}"]))
    return pieces + [Piece("block", block=table_block(second, alloc, tag="t2:"))]


def _sums(case: Case, layout: Layout) -> dict[tuple, list[tuple]]:
    """Totals and their addends, read back from where the roles sit: a 合计 or 小计 cell adds up the item
    cells above it in its column (a 小计 those since the previous 小计), a row's 合计 its sources."""
    sums: dict[tuple, list[tuple]] = {}
    specs = case.specs()
    items = [s for s in specs if s.role[0].split(":")[-1] in ("amount", "balance", "source_total")]
    subtotal_rows = sorted(position(s.ref)[0] for s in specs if s.role[0].split(":")[-1] == "subtotal")
    for spec in specs:
        kind = spec.role[0]
        tag = kind[: kind.index(":") + 1] if ":" in kind else ""
        row, col = position(spec.ref)
        if kind.endswith("column_total") or kind.endswith("subtotal"):
            above = [r for r in subtotal_rows if r < row] if kind.endswith("subtotal") else []
            low = above[-1] if above else 0
            sums[spec.role] = [s.role for s in items if s.role[0].startswith(tag) and (tag or ":" not in s.role[0])
                               and position(s.ref)[1] == col and (low < position(s.ref)[0] < row
                                                                   or kind.endswith("column_total"))]
        elif kind == "source_total":
            sums[spec.role] = [("amount", spec.role[1], f"{spec.role[2]}/{p}") for p in SOURCES[1:]]
    return sums
