"""项目支出绩效自评表: clean forms in the national layout (财预〔2020〕10号), described cell by cell.

The 项目资金 block: 1–3 其中 rows of 年初预算数 / 全年预算数 / 全年执行数 typed in, the 年度资金总额 row their
sums, its 执行率 = 全年执行数 ÷ 全年预算数 and its 得分 = 执行率 × 10. The 绩效指标 block: 产出 50, 效益 30,
满意度 10 split over 1–4 indicators each, every target met (≥ n, done ≥ n) and scored full. The 总分 row
adds the 分值 (100) and the scores. Amounts are whole numbers of 0.01 (or of 10⁻⁴ 万元), so every sum is
exact.
"""

from __future__ import annotations

import random
from fractions import Fraction

from .case import Case, assemble, frame
from .layout import Layout
from .sheet import Block, Piece, Spec, grid, merge_label

FUND_COLS = ("年初预算数", "全年预算数", "全年执行数")
ITEMS = ("其中：当年财政拨款", "上年结转资金", "其他资金")
LEVEL1 = (("产出指标", 50, ("数量指标", "质量指标", "时效指标", "成本指标")),
          ("效益指标", 30, ("社会效益指标", "经济效益指标", "可持续影响指标")),
          ("满意度指标", 10, ("服务对象满意度指标",)))
NAMES = ["培训人次", "发放数量", "覆盖人数", "合格率", "及时率", "完成率", "受益人数", "服务次数", "满意度"]


def _split(rng: random.Random, total: int) -> list[int]:
    n = rng.randint(1, 4)
    cuts = sorted(rng.sample(range(1, total), n - 1)) if n > 1 else []
    return [b - a for a, b in zip([0] + cuts, cuts + [total])]


def build(seed: int, rng: random.Random, layout: Layout) -> Case:
    places = layout.money_decimals
    fmt = "0." + "0" * places
    scale = 10 ** places
    n_items = rng.randint(1, 3)
    items = []
    for _ in range(n_items):
        budget = rng.randint(10 * scale, 500 * scale)
        initial = budget if rng.random() < 0.6 else rng.randint(10 * scale, 500 * scale)
        spent = budget * rng.randint(70, 100) // 100
        items.append((initial, budget, spent))
    totals = [sum(x[k] for x in items) for k in range(3)]
    rate = Fraction(totals[2], totals[1])
    funds_score = min(rate, Fraction(1)) * 10
    indicators = []
    for level1, weight, level2s in LEVEL1:
        label = f"{level1}({weight}分)" if layout.label_weights != "none" else level1
        for k, w in enumerate(_split(rng, weight)):
            goal = rng.randint(5, 500)
            indicators.append((label, level2s[k % len(level2s)], rng.choice(NAMES) + str(len(indicators) + 1),
                               f"≥{goal}", str(goal + rng.randint(0, 20)), w))
    n_rows = 1 + 1 + n_items + 2 + 1 + len(indicators) + 1
    rows = grid(n_rows, 9)
    block = Block(rows, header_rows=1)
    text = (lambda v: f"{v}") if layout.text_numbers == "amounts" else (lambda v: v)

    def money(value: int) -> Spec:
        return Spec(text(value / scale) if layout.text_numbers != "amounts" else f"{value / scale:.{places}f}",
                    None if layout.text_numbers == "amounts" else fmt, border=True)

    rows[0][2:8] = [Spec(h, bold=True, border=True) for h in FUND_COLS + ("分值", "执行率", "得分")]
    merge_label(block, range(0, 2 + n_items), 0, "项目资金（万元）", layout.label_style)
    rows[1][1] = Spec("年度资金总额", border=True)
    for k in range(3):
        spec = money(totals[k])
        spec.role = ("column_total", FUND_COLS[k])
        rows[1][2 + k] = spec
    rows[1][5] = Spec(10, border=True, role=("funds_weight",), input=True, links=1)
    rows[1][6] = Spec(float(rate), "0.00%", border=True, role=("rate",))
    rows[1][7] = Spec(float(funds_score), "0.00", border=True, role=("funds_score",))
    for i, item in enumerate(items):
        r = 2 + i
        rows[r][1] = Spec(ITEMS[i], border=True)
        for k in range(3):
            spec = money(item[k])
            # one column total and the rate over it see every item alike: which item is wrong cannot be told
            spec.role, spec.input, spec.links = ("amount", i, FUND_COLS[k]), True, 1
            rows[r][2 + k] = spec
        rows[r][5] = Spec("—", border=True)
        rows[r][7] = Spec("—", border=True)
    goals = 2 + n_items
    merge_label(block, range(goals, goals + 2), 0, "年度总体目标", "merged")
    rows[goals][1] = Spec("预期目标", border=True)
    rows[goals][5] = Spec("实际完成情况", border=True)
    rows[goals + 1][1] = Spec("按计划完成项目。", border=True)
    rows[goals + 1][5] = Spec("已按计划完成。", border=True)
    head = goals + 2
    rows[head][1:9] = [Spec(h, bold=True, border=True) for h in
                       ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")]
    merge_label(block, range(head, head + 1 + len(indicators)), 0, "绩效指标", layout.label_style)
    first = head + 1
    n = 0
    while n < len(indicators):
        label = indicators[n][0]
        span = next((k for k, x in enumerate(indicators[n:]) if x[0] != label), len(indicators) - n)
        merge_label(block, range(first + n, first + n + span), 1, label, layout.label_style)
        n += span
    for n, (_, level2, name, target, actual, weight) in enumerate(indicators):
        r = first + n
        rows[r][2] = Spec(level2, border=True)
        rows[r][3] = Spec(name, border=True)
        rows[r][4] = Spec(target, border=True)
        rows[r][5] = Spec(actual, border=True)
        rows[r][6] = Spec(weight, border=True, role=("weight", n), input=True, links=1)
        rows[r][7] = Spec(weight, border=True, role=("score", n), input=True, links=2, upper=weight)
    total_row = first + len(indicators)
    rows[total_row][0] = Spec("总分", border=True)
    block.merges.append((total_row, 0, total_row, 5))
    rows[total_row][6] = Spec(100, border=True, role=("total_weight",))
    total = 90 + funds_score
    rows[total_row][7] = Spec(float(total), "0.00", border=True, role=("total_score",))
    block.widths = [10, 14, 14, 20, 12, 12, 8, 8, 20]
    figures = {"total_score": float(total), "spent": totals[2] / scale, "decimals": places}
    case = assemble(seed, layout, frame(layout, [Piece("block", block=block)], list(layout.notes)), figures)
    case.add_sums({("column_total", FUND_COLS[k]): [("amount", i, FUND_COLS[k]) for i in range(n_items)]
                   for k in range(3)})
    return case
