"""指标体系评分表: a clean indicator system and its tables, the full one and the level-1 summary.

Arithmetic (domain.md §2): children's weights add to the parent's; level-1 weights add to 100;
0 ≤ score ≤ weight; 扣分 = weight − score; 得分率 = score ÷ weight; totals are sums; the grade follows
from the total (national bands: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差). Quantitative indicators (with a
target and an actual value) always meet their target and score full marks, so the scoring rules agree;
only qualitative ones lose points, each with a 扣分原因 where the table has that column.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction

from .case import Case, assemble, frame
from .formulas import add_formulas
from .layout import Layout
from .sheet import Block, Piece, Spec, grid, merge_label
from .shown import exact_text

FRAMEWORKS = {
    "20/20/60": [("A", "项目决策", 20, ["项目立项", "绩效目标", "资金投入"]),
                 ("B", "项目管理", 20, ["资金管理", "组织实施"]),
                 ("C", "项目绩效", 60, ["项目产出", "项目效益", "满意度"])],
    "15/20/40/25": [("A", "决策", 15, ["项目立项", "绩效目标", "资金投入"]),
                    ("B", "过程", 20, ["资金管理", "组织实施"]),
                    ("C", "产出", 40, ["产出数量", "产出质量", "产出时效", "产出成本"]),
                    ("D", "效益", 25, ["社会效益", "可持续影响", "满意度"])],
}
#: leaf names per level-2 group; (name, target, actual) for quantitative ones, (name, None, None) else
LEAVES = {
    "项目立项": [("立项依据充分性", "充分", "充分"), ("立项程序规范性", "规范", "规范")],
    "绩效目标": [("绩效目标合理性", "合理", "合理"), ("绩效指标明确性", "明确", "明确")],
    "资金投入": [("预算编制科学性", "科学", "科学"), ("资金分配合理性", "合理", "合理")],
    "资金管理": [("资金到位率", "100%", "100%"), ("预算执行率", "100%", "100%"), ("资金使用合规性", "合规", "合规")],
    "组织实施": [("管理制度健全性", "健全", "健全"), ("制度执行有效性", "有效", "有效")],
    "项目产出": [("帮扶户数", "≥200户", "463户"), ("培训合格率", "≥90%", "96%"), ("完成及时性", "及时", "及时")],
    "项目效益": [("社会效益", "效果明显", "效果明显"), ("可持续影响", "长效", "长效")],
    "满意度": [("服务对象满意度", "≥90%", "95%")],
    "产出数量": [("残疾人基本康复服务人数", "≥100人", "100人"), ("寄宿制托养人数", "≥50人", "52人")],
    "产出质量": [("康复服务达标率", "≥90%", "92%"), ("验收合格率", "100%", "100%")],
    "产出时效": [("完工及时性", "及时", "及时"), ("资金及时拨付率", "100%", "100%")],
    "产出成本": [("人均康复成本", "≤0.02万元", "0.02万元"), ("成本控制有效性", "有效", "有效")],
    "社会效益": [("康复服务水平提高", "效果明显", "效果明显"), ("家庭照护成本降低", "效果明显", "效果明显")],
    "可持续影响": [("可持续影响年限", "≥1年", "1年"), ("长效管理机制健全性", "健全", "健全")],
}
QUALITATIVE_ACTUAL = {"充分": "基本充分", "规范": "基本规范", "合理": "基本合理", "明确": "基本明确",
                      "科学": "基本科学", "合规": "基本合规", "健全": "基本健全", "有效": "基本有效",
                      "及时": "部分延迟", "效果明显": "效果一般", "长效": "一般"}
REASONS = ["部分资料未及时归档", "制度执行记录不完整", "绩效目标细化不足", "部分资金拨付滞后", "管理台账不健全"]
GRADES = [(90, "优"), (80, "良"), (60, "中"), (0, "差")]


@dataclass
class Node:
    code: str
    name: str
    weight: Fraction
    score: Fraction = Fraction(0)
    target: str | None = None
    actual: str | None = None
    reason: str | None = None
    children: list[Node] = field(default_factory=list)

    @property
    def leaves(self) -> list[Node]:
        return [self] if not self.children else [x for c in self.children for x in c.leaves]


def grade(total: Fraction) -> str:
    return next(g for bound, g in GRADES if total >= bound)


def _split(rng: random.Random, total: int, parts: int, least: int) -> list[int]:
    """``total`` in ``parts`` integers of at least ``least``, near-even but uneven as real frameworks are."""
    parts = max(1, min(parts, total // least))
    shares = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    sizes = [max(least, int(total * w / sum(shares))) for w in shares]
    while sum(sizes) != total:  # settle the rounding on random parts that stay at or above ``least``
        i = rng.randrange(parts)
        step = 1 if sum(sizes) < total else -1
        if sizes[i] + step >= least:
            sizes[i] += step
    return sizes


def system(rng: random.Random, layout: Layout) -> list[Node]:
    """A three-level system: sections, groups, leaves, with scores; qualitative leaves may lose points."""
    step = Fraction(1, 10) if layout.score_format == "0.0" else Fraction(1, 100)
    sections = []
    for code, name, weight, groups in FRAMEWORKS[layout.framework]:
        chosen = groups if len(groups) <= 3 else rng.sample(groups, rng.randint(3, len(groups)))
        chosen = [g for g in groups if g in chosen]
        section = Node(code, name, Fraction(weight))
        for gi, (gname, gweight) in enumerate(zip(chosen, _split(rng, weight, len(chosen), 2)), 1):
            group = Node(f"{code}{gi}", gname, Fraction(gweight))
            options = LEAVES[gname]
            k = rng.randint(1, len(options))
            for li, ((lname, target, actual), lw) in enumerate(zip(options[:k], _split(rng, gweight, k, 1)), 1):
                leaf = Node(f"{code}{gi}{li}", lname, Fraction(lw), Fraction(lw), target, actual)
                if target in QUALITATIVE_ACTUAL and rng.random() < 0.15:
                    loss = rng.choice([Fraction(1, 2), Fraction(1), Fraction(lw, 5), Fraction(lw, 4)])
                    loss = max(step, (loss / step).__floor__() * step)
                    leaf.score = max(Fraction(0), leaf.weight - loss)
                    leaf.actual = QUALITATIVE_ACTUAL[target]
                    leaf.reason = f"{rng.choice(REASONS)}，扣{exact_text(leaf.weight - leaf.score, 2).rstrip('0').rstrip('.')}分"
                group.children.append(leaf)
            group.weight = sum((x.weight for x in group.children), Fraction(0))
            group.score = sum((x.score for x in group.children), Fraction(0))
            section.children.append(group)
        section.score = sum((g.score for g in section.children), Fraction(0))
        sections.append(section)
    return sections


def _num(layout: Layout, value: Fraction, role: tuple | None, **kw) -> Spec:
    """A weight or score: a number in the layout's format, or text where the layout writes scores so."""
    if layout.text_numbers == "scores" and role is not None and role[0] in ("score", "total_score"):
        return Spec(exact_text(value, 1 if layout.score_format == "0.0" else 2), None, role, border=True, **kw)
    fmt = None if layout.score_format == "General" else layout.score_format
    number = int(value) if value.denominator == 1 and fmt is None else float(value)
    return Spec(number, fmt, role, border=True, **kw)


def _rate(layout: Layout, value: Fraction, role: tuple) -> Spec:
    if layout.text_numbers == "rates":
        return Spec(exact_text(value, 2, percent=True), None, role, border=True)
    return Spec(float(value), "0.00%", role, border=True)


def _label(layout: Layout, node: Node, level: int) -> str:
    declared = layout.label_weights == "all" or (layout.label_weights == "upper" and level < 3)
    weight = exact_text(node.weight, 2).rstrip("0").rstrip(".")
    return f"{node.code}{node.name}" + (layout.label_weight_style.format(weight) if declared else "")


def detail_block(layout: Layout, sections: list[Node]) -> Block:
    """一级指标 | 二级指标 | 三级指标 | [text columns] | 分值 | [目标值 | 实际值] | 得分 | [扣分原因]."""
    names = ["l1", "l2", "l3", *layout.text_columns, "weight"] + (["target", "actual"] if layout.target_columns
                                                                  else []) + ["score"]
    names += ["reason"] if layout.reason_column else []
    col = {n: i for i, n in enumerate(names)}
    own = layout.label_style == "own-row"
    leaves = [leaf for s in sections for leaf in s.leaves]
    upper_rows = sum(1 + len(s.children) for s in sections) if own else 0
    h = layout.header_rows
    rows = h + len(leaves) + upper_rows + 1 + layout.grade_row
    block = Block(grid(rows, len(names)), header_rows=h)
    block.widths = [16.0, 18.0, 22.0] + [30.0] * len(layout.text_columns) + [8.0] + [10.0, 10.0] * \
        layout.target_columns + [8.0] + [24.0] * layout.reason_column
    heads = {"l1": "一级指标", "l2": "二级指标", "l3": "三级指标", "指标解释": "指标解释", "评价标准": "评价标准",
             "weight": layout.weight_header, "target": "目标值", "actual": "实际完成值", "score": layout.score_header,
             "reason": "扣分原因"}
    for name, c in col.items():
        level = name in ("l1", "l2", "l3")
        block.rows[h - 1][c] = Spec(heads[name], bold=True, border=True, wrap=True, align="center")
        if h == 2 and not level:
            block.rows[0][c] = block.rows[1][c]
            block.rows[1][c] = Spec(border=True)
            block.merges.append((0, c, 1, c))
    if h == 2:
        block.rows[0][0] = Spec("评价指标", bold=True, border=True, align="center")
        block.merges.append((0, 0, 0, 2))
    style = "merged" if own else layout.label_style
    r = h
    leaf_links = (layout.label_weights == "all") + (layout.label_weights in ("all", "upper"))
    for s in sections:
        s_start = r
        if own:
            _own_row(layout, block, r, col, s, 1)
            r += 1
        for g in s.children:
            g_start = r
            if own:
                _own_row(layout, block, r, col, g, 2)
                r += 1
            for leaf in g.children:
                row = block.rows[r]
                row[col["l3"]] = Spec(_label(layout, leaf, 3), border=True, wrap=True)
                for text in layout.text_columns:
                    row[col[text]] = Spec(f"{leaf.name}情况", border=True, wrap=True)
                row[col["weight"]] = _num(layout, leaf.weight, ("weight", leaf.code), input=True, links=leaf_links)
                # a leaf's score is in one relation only (its parent's sum): a fault in it is found
                # by the evidence only when it breaks its bound
                row[col["score"]] = _num(layout, leaf.score, ("score", leaf.code), input=True, links=1,
                                         upper=float(leaf.weight))
                if layout.target_columns:
                    row[col["target"]] = Spec(leaf.target, border=True)
                    row[col["actual"]] = Spec(leaf.actual, border=True)
                if layout.reason_column and leaf.reason:
                    row[col["reason"]] = Spec(leaf.reason, border=True, wrap=True)
                r += 1
            if not own:
                merge_label(block, range(g_start, r), col["l2"], _label(layout, g, 2), style)
        if not own:
            merge_label(block, range(s_start, r), col["l1"], _label(layout, s, 1), style)
    _total_rows(layout, block, r, col, sections, first=0, last=col["weight"] - 1)
    block.row_gaps = [h, r]
    block.col_gaps = [col["weight"]] if layout.text_columns else []
    return block


def _own_row(layout: Layout, block: Block, r: int, col: dict, node: Node, level: int) -> None:
    """A section's or group's own row: its label, and its weight and score as sums of its children."""
    row = block.rows[r]
    row[col["l1" if level == 1 else "l2"]] = Spec(_label(layout, node, level), bold=level == 1, border=True)
    row[col["weight"]] = _num(layout, node.weight, ("weight", node.code))
    row[col["score"]] = _num(layout, node.score, ("score", node.code), upper=float(node.weight))


def _total_rows(layout: Layout, block: Block, r: int, col: dict, sections: list[Node], first: int,
                last: int) -> None:
    total_w = sum((s.weight for s in sections), Fraction(0))
    total_s = sum((s.score for s in sections), Fraction(0))
    block.rows[r][first] = Spec("合计", bold=True, border=True, align="center")
    if layout.label_style == "merged" and last > first:
        block.merges.append((r, first, r, last))
    block.rows[r][col["weight"]] = _num(layout, total_w, ("total_weight",))
    block.rows[r][col["score"]] = _num(layout, total_s, ("total_score",))
    if layout.grade_row:
        block.rows[r + 1][first] = Spec("评价等级", bold=True, border=True, align="center")
        if layout.label_style == "merged" and last > first:
            block.merges.append((r + 1, first, r + 1, last))
        block.rows[r + 1][col["weight"]] = Spec(grade(total_s), None, ("grade",), border=True, align="center")


def summary_block(layout: Layout, sections: list[Node], tag: str = "") -> Block:
    """一级指标 | 权重分 | 得分 | 扣分 | 得分率, in rows, or transposed (seed 003 table 3-1)."""
    cols = ["weight", *("score" if c == "得分" else "deduction" if c == "扣分" else "rate"
                        for c in layout.summary_columns)]
    heads = {"weight": layout.weight_header, "score": layout.score_header, "deduction": "扣分", "rate": "得分率"}
    ded, rate = "deduction" in cols, "rate" in cols
    items = [(s.code, f"{s.code}{s.name}", s.weight, s.score) for s in sections]
    total_w = sum((s.weight for s in sections), Fraction(0))
    total_s = sum((s.score for s in sections), Fraction(0))
    items.append(("total", "合计", total_w, total_s))
    seq = "序号" in layout.extra_columns and not layout.transposed
    lead = 1 + seq
    # the 评价等级 line is always a row at the bottom, its grade beside the label (merged across)
    shape = (len(cols) + 1 + layout.grade_row, len(items) + 1) if layout.transposed else \
        (len(items) + 1 + layout.grade_row, lead + len(cols))
    block = Block(grid(*shape), header_rows=1)

    def put(i: int, j: int, spec: Spec) -> None:  # item i (0 = header), field j (0 = label)
        if layout.transposed:
            block.rows[j][i] = spec
        else:
            block.rows[i][j + seq] = spec

    label_head = "指标类别" if layout.transposed else ("一级指标" if tag else "项目")
    put(0, 0, Spec(label_head, bold=True, border=True, align="center"))
    if seq:
        block.rows[0][0] = Spec("序号", bold=True, border=True)
    for j, name in enumerate(cols, 1):
        put(0, j, Spec(heads[name], bold=True, border=True, align="center"))
    for i, (code, label, w, s) in enumerate(items, 1):
        total = code == "total"
        roles = {"weight": ("total_weight",) if total else ("weight", tag + code),
                 "score": ("total_score",) if total else ("score", tag + code),
                 "deduction": ("total_deduction",) if total else ("deduction", tag + code),
                 "rate": ("total_rate",) if total else ("rate", tag + code)}
        if tag:
            roles = {k: (v[0], tag + "total") if total else v for k, v in roles.items()}
        put(i, 0, Spec(label, bold=total, border=True))
        if seq and not total:
            block.rows[i][0] = Spec(i, border=True)
        links = 1 + ded + rate
        values = {"weight": _num(layout, w, roles["weight"], input=not total, links=links),
                  "score": _num(layout, s, roles["score"], input=not total, links=links, upper=float(w)),
                  "deduction": _num(layout, w - s, roles["deduction"]),
                  "rate": _rate(layout, s / w, roles["rate"])}
        for j, name in enumerate(cols, 1):
            put(i, j, values[name])
    if layout.grade_row:
        r, c0 = shape[0] - 1, (0 if layout.transposed else seq)
        block.rows[r][c0] = Spec("评价等级", bold=True, border=True)
        block.rows[r][c0 + 1] = Spec(grade(total_s), None, ("grade", tag) if tag else ("grade",), border=True,
                                     align="center")
        if layout.label_style == "merged" and shape[1] - 1 > c0 + 1:
            block.merges.append((r, c0 + 1, r, shape[1] - 1))
    block.widths = [14.0] * block.width
    block.row_gaps = [] if layout.transposed else [1, len(items)]
    return block


def build(seed: int, rng: random.Random, layout: Layout) -> Case:
    """A clean indicator case."""
    sections = system(rng, layout)
    total = sum((s.score for s in sections), Fraction(0))
    figures = {"total_score": exact_text(total, 2), "grade": grade(total)}
    block = detail_block(layout, sections) if layout.form == "detail" else summary_block(layout, sections)
    if layout.empty_row and block.row_gaps:
        block.insert_row(rng.choice(block.row_gaps))
    if layout.empty_col and block.col_gaps:
        block.insert_col(rng.choice(block.col_gaps))
    pieces = [Piece("block", block=block)]
    if layout.second_table:
        second = Layout.from_json({**layout.to_json(), "transposed": False, "grade_row": False,
                                   "summary_columns": ("得分", "扣分", "得分率"), "extra_columns": [],
                                   "weight_header": "权重分", "score_header": "得分", "label_style": "merged"})
        pieces += [Piece("blank"), Piece("title", ["一级指标得分情况汇总表"]),
                   Piece("block", block=summary_block(second, sections, tag="sum:"))]
    case = assemble(seed, layout, frame(layout, pieces), figures)
    case.add_sums(_sums(sections, layout))
    if layout.formulas:
        add_formulas(case)
    return case


def _sums(sections: list[Node], layout: Layout) -> dict[tuple, list[tuple]]:
    sums: dict[tuple, list[tuple]] = {}
    if layout.form == "detail":
        leaves = [leaf for s in sections for leaf in s.leaves]
        if layout.label_style == "own-row":
            for s in sections:
                sums[("weight", s.code)] = [("weight", g.code) for g in s.children]
                sums[("score", s.code)] = [("score", g.code) for g in s.children]
                for g in s.children:
                    sums[("weight", g.code)] = [("weight", x.code) for x in g.children]
                    sums[("score", g.code)] = [("score", x.code) for x in g.children]
        sums[("total_weight",)] = [("weight", x.code) for x in leaves]
        sums[("total_score",)] = [("score", x.code) for x in leaves]
    else:
        for kind in ("weight", "score", "deduction"):
            sums[(f"total_{kind}",)] = [(kind, s.code) for s in sections]
    if layout.second_table:
        for kind in ("weight", "score", "deduction"):
            sums[(f"total_{kind}", "sum:total")] = [(kind, "sum:" + s.code) for s in sections]
    return sums
