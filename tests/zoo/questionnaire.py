"""问卷统计表: clean survey content and its table, in the A–E form and seed 003's yes/no form.

Arithmetic (domain.md §1), all exact in fractions: share = count / n; score = share × option weight ×
question points; question total = Σ option scores; the 合计 block holds column sums of counts, the
column count ÷ all answers, and column sums of the unrounded scores; 最终得分 = Σ question totals.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

from .case import Case, assemble, frame
from .layout import Layout
from .sheet import Block, Piece, Spec, grid, merge_label
from .shown import exact_text

QUESTIONS = [
    "您对该项目2022年工作的总体评价是：", "您认为该项目开展时效性及工作效率方面做得如何：",
    "您认为该项目在做好资金分配，做到补助资金“公平公正公开”方面做得如何：",
    "您认为该项目在实施政务公开，项目政策、申请流程、被补助人员、救助事项按规范公示等方面做得如何：",
    "您对工作人员的服务态度是否满意：", "您对项目资金发放的及时性是否满意：",
    "您认为该项目对改善残疾人生活状况的作用如何：", "您对项目宣传工作的评价是：",
    "您对项目申请审核程序的便捷程度是否满意：", "您对项目实施后的整体效果评价是：",
    "您对项目后续管理工作的评价是：", "您对本项目今后继续实施的支持程度是：",
]
YES_NO = [("您是本项目的受益人吗？", "是", "不是"), ("您是否收到本项目补助资金？", "是", "否"),
          ("您对本项目是否满意（受益对象）？", "是", "否"), ("您对建设本项目是否满意？（群众）", "是", "否"),
          ("您觉得本项目实施是否有效提高残疾人康复服务率？（群众）", "是", "否"),
          ("您对项目资金发放的及时性是否满意？", "满意", "不满意")]
LETTERS = "ABCDE"


@dataclass
class Survey:
    """Counts per question and option, and the scheme that scores them."""

    counts: list[list[int]]
    weights: list[Fraction]
    points: list[Fraction]

    @property
    def n(self) -> list[int]:
        return [sum(row) for row in self.counts]

    def share(self, q: int, k: int) -> Fraction:
        return Fraction(self.counts[q][k], self.n[q])

    def score(self, q: int, k: int) -> Fraction:
        return self.share(q, k) * self.weights[k] * self.points[q]

    def question_total(self, q: int) -> Fraction:
        return sum((self.score(q, k) for k in range(5)), Fraction(0))

    def column(self, k: int) -> int:
        return sum(row[k] for row in self.counts)

    @property
    def final(self) -> Fraction:
        return sum((self.question_total(q) for q in range(len(self.counts))), Fraction(0))


def draw_counts(rng: random.Random, n: int, options: int = 5) -> list[int]:
    """How ``n`` respondents answered one question: mostly the top option, the rest falling off."""
    mass, probs = 1.0, []
    for i in range(options - 1):
        p = mass * (rng.uniform(0.45, 0.97) if i == 0 else rng.uniform(0.3, 0.85))
        probs.append(p)
        mass -= p
    probs.append(mass)
    counts = [0] * options
    for choice in rng.choices(range(options), weights=probs, k=n):
        counts[choice] += 1
    return counts


def survey(rng: random.Random, layout: Layout) -> Survey:
    q, n = layout.questions, layout.respondents
    points = {"10": [Fraction(10)] * q, "even": [Fraction(100, q)] * q,
              "20+10": [Fraction(20)] + [Fraction(10)] * (q - 1)}[layout.points]
    return Survey([draw_counts(rng, n) for _ in range(q)], [Fraction(w) for w in layout.weights], points)


def _share_spec(layout: Layout, value: Fraction, role: tuple, whole: bool = False) -> Spec:
    """A share as the layout writes it: a number as 0.00% or 0.00, or text."""
    fmt = "0%" if whole else ("0.00%" if layout.share_style == "percent" else "0.00")
    if layout.text_numbers and "shares" in layout.text_numbers:
        percent = whole or layout.share_style == "percent"
        return Spec(exact_text(value, 0 if whole else 2, percent=percent), None, role, border=True)
    return Spec(float(value), fmt, role, border=True)


def _score_spec(layout: Layout, value: Fraction, role: tuple) -> Spec:
    if layout.text_numbers and "scores" in layout.text_numbers:
        return Spec(exact_text(value, 2), None, role, border=True)
    return Spec(float(value), "0.00", role, border=True)


def _option_label(layout: Layout, k: int) -> str:
    word = layout.option_labels[k]
    if layout.option_style == "halfwidth":
        return f"{LETTERS[k]}({word})"
    if layout.option_style == "break" and len(word) >= 4:
        return f"{LETTERS[k]}（{word[:2]}\n{word[2:]}）"
    return f"{LETTERS[k]}（{word}）"


def _columns(layout: Layout) -> dict[str, int]:
    names = (["seq"] if "序号" in layout.extra_columns else []) + ["question", "kind"] + list(LETTERS)
    if layout.totals_column != "none":
        names.append("T")
    return {name: i for i, name in enumerate(names)}


def _header(layout: Layout, block: Block, col: dict[str, int]) -> None:
    h = layout.header_rows
    tops = {"seq": "序号", "question": "问卷题目及选项", "kind": "项目",
            "T": "合计人数" if layout.totals_column == "row_total" else "各题得分"}
    for name, text in tops.items():
        if name in col:
            block.rows[0][col[name]] = Spec(text, bold=True, border=True, wrap=True, align="center")
            if h > 1:
                block.merges.append((0, col[name], h - 1, col[name]))
    for k, letter in enumerate(LETTERS):
        c = col[letter]
        if h == 1:
            block.rows[0][c] = Spec(_option_label(layout, k), bold=True, border=True, wrap=True, align="center")
        else:
            block.rows[h - 2][c] = Spec(letter, bold=True, border=True, align="center")
            block.rows[h - 1][c] = Spec(layout.option_labels[k], bold=True, border=True, wrap=True, align="center")
    if h == 3:
        block.rows[0][col["A"]] = Spec("满意程度", bold=True, border=True, align="center")
        block.merges.append((0, col["A"], 0, col["E"]))


def _formulas(col_refs, kind: str, q: int | str, k: int | str):
    """Formula builders for the derived cells (xlsxwriter layouts with formulas)."""
    span = lambda role_kind, qq: lambda ref: f"{ref((role_kind, qq, 'A'))}:{ref((role_kind, qq, 'E'))}"  # noqa: E731
    if kind == "share":
        return lambda ref: f"={ref(('count', q, k))}/SUM({span('count', q)(ref)})"
    if kind == "row_total":
        return lambda ref: f"=SUM({span('count', q)(ref)})"
    if kind == "share_sum":
        return lambda ref: f"=SUM({span('share', q)(ref)})"
    if kind == "question_score":
        return lambda ref: f"=SUM({span('score', q)(ref)})"
    if kind == "total_count":
        return lambda ref: "=" + "+".join(ref(("count", i, k)) for i in range(col_refs))
    if kind == "total_score":
        return lambda ref: "=" + "+".join(ref(("score", i, k)) for i in range(col_refs))
    if kind == "total_share":
        return lambda ref: f"={ref(('total_count', k))}/SUM({ref(('total_count', 'A'))}:{ref(('total_count', 'E'))})"
    raise KeyError(kind)


def ae_block(layout: Layout, sv: Survey) -> Block:
    """The A–E table: header, three rows per question, the 合计 block and 最终得分."""
    col = _columns(layout)
    h, nq = layout.header_rows, len(sv.counts)
    rows = h + 3 * (nq + 1) + (1 if layout.final_row else 0)
    block = Block(grid(rows, len(col)), header_rows=h)
    block.widths = [5.0] * ("seq" in col) + [42.0, 7.0] + [11.0] * 5 + [10.0] * ("T" in col)
    _header(layout, block, col)
    formulas = layout.formulas
    labels = layout.row_labels
    for q in range(nq + 1):
        top = h + 3 * q
        total = q == nq
        qq = "T" if total else q
        text = "合计" if total else f"{q + 1}.{QUESTIONS[q % len(QUESTIONS)]}"
        merge_label(block, range(top, top + 3), col["question"], text, layout.label_style, bold=total)
        if "seq" in col and not total:
            merge_label(block, range(top, top + 3), col["seq"], str(q + 1), layout.label_style)
        for i, label in enumerate(labels):
            block.rows[top + i][col["kind"]] = Spec(label, border=True, align="center")
        for k, letter in enumerate(LETTERS):
            c = col[letter]
            if total:
                count = Spec(sv.column(k), None, ("total_count", letter), border=True)
                share = _share_spec(layout, Fraction(sv.column(k), sum(sv.n)), ("total_share", letter))
                score = _score_spec(layout, sum((sv.score(i, k) for i in range(nq)), Fraction(0)),
                                    ("total_score", letter))
                if formulas:
                    count.formula = _formulas(nq, "total_count", None, letter)
                    share.formula = _formulas(nq, "total_share", None, letter)
                    score.formula = _formulas(nq, "total_score", None, letter)
            else:
                links = 2 + (layout.totals_column == "row_total")
                count = Spec(sv.counts[q][k], None, ("count", q, letter), input=True, links=links, border=True)
                share = _share_spec(layout, sv.share(q, k), ("share", q, letter))
                score = _score_spec(layout, sv.score(q, k), ("score", q, letter))
                if formulas:
                    share.formula = _formulas(nq, "share", q, letter)
                    w, p = sv.weights[k], sv.points[q]
                    score.formula = (lambda s, w=w, p=p: lambda ref: f"={ref(s)}*{float(w):g}*{float(p):g}")(
                        ("share", q, letter))
            block.rows[top][c], block.rows[top + 1][c], block.rows[top + 2][c] = count, share, score
        if "T" in col:
            _totals_column(layout, block, col["T"], top, qq, sv, nq)
    if layout.final_row:
        r = rows - 1
        block.rows[r][col["question"]] = Spec("最终得分", bold=True, border=True)
        block.rows[r][col["kind"]] = Spec("权重" if layout.label_style != "first" else None, border=True)
        final = _score_spec(layout, sv.final, ("final",))
        if formulas:
            final.formula = lambda ref: f"=SUM({ref(('total_score', 'A'))}:{ref(('total_score', 'E'))})"
        block.rows[r][col["A"]] = final
        if layout.label_style == "merged":
            block.merges.append((r, col["A"], r, col["E"]))
    block.row_gaps = [h] + [h + 3 * q for q in range(1, nq + 1)] + ([rows - 1] if layout.final_row else [])
    block.col_gaps = [col["A"]] + ([col["T"]] if "T" in col else [])
    return block


def _totals_column(layout: Layout, block: Block, c: int, top: int, qq, sv: Survey, nq: int) -> None:
    total = qq == "T"
    n = sum(sv.n) if total else sv.n[qq]
    qtotal = sv.final if total else sv.question_total(qq)
    kinds = ("total_count", "total_share", "total_score") if total else ("row_total", "share_sum", "question_score")
    if layout.totals_column == "row_total":
        cells = [Spec(n, None, (kinds[0], "T") if total else (kinds[0], qq), border=True),
                 _share_spec(layout, Fraction(1), (kinds[1], "T") if total else (kinds[1], qq), whole=True),
                 _score_spec(layout, qtotal, (kinds[2], "T") if total else (kinds[2], qq))]
        if layout.formulas and not total:
            for spec, kind in zip(cells, kinds):
                spec.formula = _formulas(nq, kind, qq, None)
        elif layout.formulas:
            cells[0].formula = lambda ref: f"=SUM({ref(('total_count', 'A'))}:{ref(('total_count', 'E'))})"
            cells[1].formula = lambda ref: f"=SUM({ref(('total_share', 'A'))}:{ref(('total_share', 'E'))})"
            cells[2].formula = lambda ref: f"=SUM({ref(('total_score', 'A'))}:{ref(('total_score', 'E'))})"
        for i, spec in enumerate(cells):
            block.rows[top + i][c] = spec
        return
    spec = _score_spec(layout, qtotal, ("total_score", "T") if total else ("question_score", qq))
    if layout.formulas:
        spec.formula = (lambda ref: f"=SUM({ref(('total_score', 'A'))}:{ref(('total_score', 'E'))})") if total \
            else _formulas(nq, "question_score", qq, None)
    block.rows[top][c] = spec
    if layout.label_style == "merged":
        block.merges.append((top, c, top + 2, c))


def yes_no_block(rng: random.Random, layout: Layout) -> tuple[Block, Fraction]:
    """Seed 003's form: 序号 | 问题 | 回应1 | 回应2 | 比例; the option words on one row, the counts and the
    first answer's share on the next. Returns the block and the satisfaction (满意 questions only)."""
    questions = rng.sample(YES_NO, layout.questions)
    if not any("满意" in q[0] for q in questions):
        questions[-1] = YES_NO[2]
    n = layout.respondents
    block = Block(grid(2 + 2 * len(questions), 5), header_rows=2, widths=[6.0, 48.0, 10.0, 10.0, 16.0])
    for c, text in ((0, "序号"), (1, "问题"), (4, "比例\n回应1占比情况%")):
        block.rows[0][c] = Spec(text, bold=True, border=True, wrap=True, align="center")
        block.merges.append((0, c, 1, c))
    block.rows[0][2] = Spec("回应情况", bold=True, border=True, align="center")
    block.merges.append((0, 2, 0, 3))
    block.rows[1][2], block.rows[1][3] = Spec("回应1", bold=True, border=True), Spec("回应2", bold=True, border=True)
    yes_sum, asked = 0, 0
    for q, (text, first, second) in enumerate(questions):
        top = 2 + 2 * q
        yes = n - sum(1 for _ in range(n) if rng.random() < 0.06)
        merge_label(block, range(top, top + 2), 0, str(q + 1), layout.label_style)
        merge_label(block, range(top, top + 2), 1, text, layout.label_style)
        block.rows[top][2], block.rows[top][3] = Spec(first, border=True), Spec(second, border=True)
        block.rows[top + 1][2] = Spec(yes, None, ("count", q, 1), input=True, links=1, border=True)
        block.rows[top + 1][3] = Spec(n - yes, None, ("count", q, 2), input=True, links=1, border=True)
        share = Fraction(yes, n)
        if layout.text_numbers:
            spec = Spec(exact_text(share, 2, percent=True), None, ("share", q, 1), border=True)
        else:
            spec = Spec(float(share), "0%" if layout.share_style == "percent0" else "0.00%", ("share", q, 1),
                        border=True)
        if layout.formulas:
            spec.formula = (lambda q: lambda ref: f"={ref(('count', q, 1))}/({ref(('count', q, 1))}+"
                            f"{ref(('count', q, 2))})")(q)
        block.rows[top + 1][4] = spec
        if "满意" in text:
            yes_sum, asked = yes_sum + yes, asked + n
    block.row_gaps = [2 + 2 * q for q in range(1, len(questions))]
    return block, Fraction(100 * yes_sum, asked)


def build(seed: int, rng: random.Random, layout: Layout) -> Case:
    """A clean questionnaire case."""
    notes = list(layout.notes)
    if layout.form == "yes-no":
        block, satisfaction = yes_no_block(rng, layout)
        figures = {"respondents": layout.respondents, "satisfaction": exact_text(satisfaction, 2)}
    else:
        sv = survey(rng, layout)
        block = ae_block(layout, sv)
        figures = {"respondents": layout.respondents, "satisfaction": exact_text(sv.final, 2),
                   "questions": layout.questions}
        if layout.scheme_note:
            notes.append("计分方法：" + "、".join(f"{LETTERS[k]}={w}" for k, w in enumerate(layout.weights)))
    if layout.empty_row and block.row_gaps:
        block.insert_row(rng.choice(block.row_gaps))
    if layout.empty_col and block.col_gaps:
        block.insert_col(rng.choice(block.col_gaps))
    case = assemble(seed, layout, frame(layout, [Piece("block", block=block)], notes), figures)
    case.add_sums(_sums(layout))
    return case


def _sums(layout: Layout) -> dict[tuple, list[tuple]]:
    """Which cells add up which (all candidates; those absent from the layout are dropped)."""
    q = range(layout.questions)
    sums: dict[tuple, list[tuple]] = {}
    if layout.form == "yes-no":
        return sums
    for i in q:
        sums[("row_total", i)] = [("count", i, k) for k in LETTERS]
        sums[("share_sum", i)] = [("share", i, k) for k in LETTERS]
        sums[("question_score", i)] = [("score", i, k) for k in LETTERS]
    for k in LETTERS:
        sums[("total_count", k)] = [("count", i, k) for i in q]
        sums[("total_score", k)] = [("score", i, k) for i in q]
    sums[("total_count", "T")] = [("total_count", k) for k in LETTERS]
    sums[("total_score", "T")] = [("total_score", k) for k in LETTERS]
    sums[("final",)] = [("total_score", k) for k in LETTERS]
    return sums
