"""The description of a layout, drawn at random dimension by dimension, and the named layouts.

A :class:`Layout` says how an attachment looks (lines around the table, header rows, label style,
number formats, extra columns, position, extra sheets…), never what it holds: the numbers come from
:mod:`tests.zoo.content`-style generators in each kind's module, from the same seed. Every dimension
is drawn independently, so a failure can be traced to one of them (see ``features``).
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field, fields
from typing import Any

KINDS = ("questionnaire", "indicators", "funds", "self-evaluation")

OPTION_LABELS = [
    ("非常满意", "满意", "一般", "不满意", "很不满意"),
    ("很满意", "满意", "基本满意", "不满意", "很不满意"),
    ("非常满意", "比较满意", "一般", "不太满意", "非常不满意"),
]
#: option weights A..E found in the seeds and the regions' rules
WEIGHT_SCHEMES = [
    ("1", "0.8", "0.6", "0.2", "0"),
    ("1", "0.9", "0.8", "0.4", "0.2"),
    ("1", "0.8", "0.6", "0.3", "0"),
    ("1", "0.8", "0.6", "0.4", "0.2"),
]
UNITS = {"万元": ["0.00", "0.00", "#,##0.00", "0.0000", "General"], "元": ["#,##0.00"]}


@dataclass
class Layout:
    """How one attachment is laid out. Kind-specific fields are ignored by the other kinds."""

    kind: str
    form: str  # questionnaire: a-e | yes-no; indicators: summary | detail; funds: allocation | budget | grouped | use
    name: str | None = None  # a named layout (SEED003_ANNEX3…)
    engine: str = "openpyxl"  # openpyxl | xlsxwriter
    formulas: bool = False  # derived cells as formulas with cached values (xlsxwriter only)
    sheet_name: str = "Sheet1"
    file_name: str = "表格"
    titles: list[str] = field(default_factory=list)
    title_merged: bool = True
    info: list[str] = field(default_factory=list)
    info_style: str = "lines"  # lines | lines-merged | one-row | one-row-merged
    blank_before_table: bool = False
    notes: list[str] = field(default_factory=list)
    signature: bool = False
    extra_columns: list[str] = field(default_factory=list)  # 序号 年度 编码 联系电话 负责人
    header_rows: int = 1
    label_style: str = "merged"  # merged | repeated | first
    text_numbers: str | None = None  # which numbers are written as text (kind-specific names)
    empty_row: bool = False
    empty_col: bool = False
    start_row: int = 1
    start_col: int = 1
    second_table: bool = False
    extra_sheets: list[str] = field(default_factory=list)  # Sheet2 (blank), 说明 (text)
    extra_sheets_first: bool = False
    # questionnaire
    questions: int = 10
    respondents: int = 40
    option_labels: tuple[str, ...] = OPTION_LABELS[0]
    option_style: str = "fullwidth"  # fullwidth A（非常满意） | halfwidth A(非常满意) | break A（非常\n满意）
    weights: tuple[str, ...] = WEIGHT_SCHEMES[0]
    points: str = "10"  # 10 (10 questions) | even (100/q) | 20+10 (q1 20 points, seed 002)
    share_style: str = "percent"  # percent | fraction
    totals_column: str = "row_total"  # row_total (合计人数) | question_score (各题得分) | none
    row_labels: tuple[str, ...] = ("人数", "占比", "分数")
    final_row: bool = True
    scheme_note: bool = False
    # indicators
    framework: str = "20/20/60"  # 20/20/60 | 15/20/40/25
    transposed: bool = False
    summary_columns: tuple[str, ...] = ("得分", "扣分", "得分率")
    grade_row: bool = False
    label_weights: str = "all"  # all | upper | none
    text_columns: tuple[str, ...] = ()  # 指标解释 评价标准
    target_columns: bool = False
    reason_column: bool = False
    score_format: str = "0.00"
    weight_header: str = "分值"  # 分值 | 权重 | 权重分 | 指标分值
    score_header: str = "得分"  # 得分 | 指标得分 | 评价得分 (分值 in seed 003's transposed summary)
    label_weight_style: str = "（{}分）"
    # funds
    items: int = 8
    unit: str | None = "万元"
    money_format: str = "0.00"
    money_decimals: int = 2
    dash_zero: bool = False
    subtotals: bool = False
    total_position: str = "bottom"  # bottom | top
    rate_column: bool = True
    arrival_rate_column: bool = False
    money_header: str = "下达金额"  # allocation lists: 下达金额 | 对下资金 | 分配金额

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Layout:
        names = {f.name for f in fields(cls)}
        values = {k: (tuple(v) if k in ("option_labels", "weights", "summary_columns", "text_columns", "row_labels") else v)
                  for k, v in data.items() if k in names}
        return cls(**values)

    def features(self) -> dict[str, str]:
        """The layout's dimensions as short strings, to break results down by feature."""
        out = {"form": self.form, "engine": self.engine + ("+formulas" if self.formulas else ""),
               "titles": str(len(self.titles)), "info": f"{len(self.info)}:{self.info_style}" if self.info else "0",
               "notes": str(bool(self.notes)), "signature": str(self.signature),
               "extra_columns": ",".join(self.extra_columns) or "-", "header_rows": str(self.header_rows),
               "label_style": self.label_style, "text_numbers": self.text_numbers or "-",
               "empty_row": str(self.empty_row), "empty_col": str(self.empty_col),
               "offset": "A1" if (self.start_row, self.start_col) == (1, 1) else "away",
               "second_table": str(self.second_table), "extra_sheets": ",".join(self.extra_sheets) or "-"}
        if self.name:
            out["name"] = self.name
        if self.kind == "questionnaire" and self.form == "a-e":
            out.update(points=self.points, share_style=self.share_style, totals_column=self.totals_column,
                       weights="/".join(self.weights), option_style=self.option_style, final_row=str(self.final_row))
        elif self.kind == "indicators":
            out.update(framework=self.framework, transposed=str(self.transposed), grade_row=str(self.grade_row))
            if self.form == "summary":
                out["summary_columns"] = ",".join(self.summary_columns)
            else:
                out.update(label_weights=self.label_weights, target_columns=str(self.target_columns),
                           reason_column=str(self.reason_column), text_columns=",".join(self.text_columns) or "-")
        elif self.kind == "funds":
            out.update(unit=self.unit or "-", money_format=self.money_format, dash_zero=str(self.dash_zero),
                       subtotals=str(self.subtotals), total_position=self.total_position)
        return out


def _common(rng: random.Random, layout: Layout, title: str, info: list[str]) -> None:
    """The dimensions every kind shares."""
    annex = {"questionnaire": "附件2", "indicators": "附件1", "funds": "附件3", "self-evaluation": "附件"}[layout.kind]
    n_titles = rng.choice([0, 1, 1, 2, 2])
    layout.titles = [annex, title][2 - n_titles:] if n_titles else []
    layout.title_merged = rng.random() < 0.7
    extra = ["填报单位：（盖章）", "填报日期：2023年1月5日", "制表：张三"]
    chosen = [t for t in info if rng.random() < 0.6] + [t for t in extra if rng.random() < 0.2]
    layout.info = chosen
    layout.info_style = rng.choice(["lines", "lines-merged", "one-row", "one-row-merged"])
    layout.blank_before_table = rng.random() < 0.2
    layout.signature = rng.random() < 0.3
    layout.label_style = rng.choice(["merged", "merged", "repeated", "first"])
    layout.empty_row = rng.random() < 0.15
    layout.empty_col = rng.random() < 0.1
    layout.start_row = rng.choice([1, 1, 1, 2, 3, 4, 5, 6])
    layout.start_col = rng.choice([1, 1, 1, 2, 3, 4])
    layout.extra_sheets = [s for s in ("Sheet2", "说明") if rng.random() < 0.15]
    layout.extra_sheets_first = bool(layout.extra_sheets) and rng.random() < 0.3
    layout.engine = "xlsxwriter" if rng.random() < 0.35 else "openpyxl"
    layout.formulas = layout.engine == "xlsxwriter" and rng.random() < 0.5
    own = {"questionnaire": "问卷统计表", "indicators": "指标体系评分表", "funds": "资金使用情况表",
           "self-evaluation": "项目支出绩效自评表"}[layout.kind]
    layout.sheet_name = rng.choice(["Sheet1", own, annex])


def _settle(layout: Layout) -> None:
    """Combinations no office writes: more than three info cells on one row; text from formulas."""
    if layout.info_style.startswith("one-row") and len(layout.info) > 3:
        layout.info_style = "lines" if layout.info_style == "one-row" else "lines-merged"
    if layout.formulas:
        layout.text_numbers = None  # a formula yields a number, never text
        layout.dash_zero = False  # nor a "-" (that takes a number format this zoo does not write)


def random_layout(rng: random.Random, kind: str) -> Layout:
    """A layout of ``kind`` with every dimension drawn independently."""
    makers = {"questionnaire": _questionnaire, "indicators": _indicators, "funds": _funds, "self-evaluation": _selfeval}
    if kind not in makers:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    layout = makers[kind](rng)
    _settle(layout)
    return layout


def _questionnaire(rng: random.Random) -> Layout:
    form = "yes-no" if rng.random() < 0.12 else "a-e"
    layout = Layout("questionnaire", form, file_name=rng.choice(["问卷统计表", "满意度调查问卷统计表", "附件2 问卷统计表"]))
    n = rng.randint(20, 300)
    issued = n + rng.choice([0, 0, 2, 5, 10])
    _common(rng, layout, "2022年XX项目满意度调查问卷统计表",
            [f"调查时间：2022年11月；发放问卷{issued}份，回收有效问卷{n}份", "项目名称：2022年XX项目"])
    layout.respondents = n
    if form == "yes-no":
        layout.questions = rng.randint(3, 6)
        layout.header_rows = 2
        layout.extra_columns = ["序号"]
        layout.text_numbers = rng.choice([None, None, "shares"])
        layout.share_style = rng.choice(["percent", "percent", "percent0"])
        layout.label_style = rng.choice(["merged", "first"])
        layout.second_table = False
        return layout
    layout.points = rng.choice(["10", "10", "even", "20+10"])
    layout.questions = {"10": 10, "20+10": 9}.get(layout.points) or rng.choice([4, 5, 8, 10])
    layout.option_labels = rng.choice(OPTION_LABELS)
    layout.option_style = rng.choice(["fullwidth", "fullwidth", "halfwidth", "break"])
    layout.weights = rng.choice(WEIGHT_SCHEMES)
    layout.header_rows = rng.choice([1, 1, 1, 2, 3])
    layout.share_style = rng.choice(["percent", "percent", "percent", "fraction"])
    layout.text_numbers = rng.choice([None, None, None, "shares", "scores", "shares+scores"])
    layout.totals_column = rng.choice(["row_total", "row_total", "row_total", "question_score", "none"])
    layout.row_labels = rng.choice([("人数", "占比", "分数"), ("人数", "占比", "得分"), ("人数", "比例", "得分")])
    layout.final_row = rng.random() < 0.85
    layout.extra_columns = ["序号"] if rng.random() < 0.2 else []
    layout.scheme_note = rng.random() < 0.25
    if layout.points == "20+10":
        layout.notes = ["第1题20分，其余各题10分/题。"]
    if rng.random() < 0.2:
        layout.notes.insert(0, "注：本次问卷调查采取不记名的方式进行。")
    layout.second_table = False
    return layout


def _indicators(rng: random.Random) -> Layout:
    form = rng.choice(["summary", "detail", "detail"])
    layout = Layout("indicators", form, file_name=rng.choice(["指标体系评分表", "绩效评价指标体系评分表", "附件1 评分表"]))
    _common(rng, layout, "2022年XX项目支出绩效评价指标体系及评分表", ["项目名称：2022年XX项目", "评价机构：XX会计师事务所"])
    layout.framework = rng.choice(["20/20/60", "15/20/40/25"])
    layout.grade_row = rng.random() < 0.3
    layout.score_format = rng.choice(["0.00", "0.00", "0.0", "General"])
    layout.weight_header = rng.choice(["分值", "权重", "权重分", "指标分值"])
    layout.score_header = rng.choice(["得分", "得分", "指标得分", "评价得分"])
    layout.label_weight_style = rng.choice(["（{}分）", "（{}分）", " ({}分)", "({})"])
    if form == "summary":
        layout.transposed = rng.random() < 0.25
        layout.summary_columns = rng.choice([("得分",), ("得分", "扣分"), ("得分", "得分率"),
                                             ("得分", "扣分", "得分率"), ("得分", "扣分", "得分率")])
        layout.text_numbers = rng.choice([None, None, None, "rates", "scores"])
        layout.extra_columns = ["序号"] if not layout.transposed and rng.random() < 0.2 else []
        layout.header_rows = 1
        layout.second_table = False
        if layout.transposed:
            layout.label_style = "merged"
            layout.weight_header = rng.choice(["权重", "权重分"])
            layout.score_header = rng.choice(["得分", "分值"])  # seed 003 table 3-1: 权重 / 分值
        else:
            layout.weight_header = rng.choice(["权重分", "权重", "分值"])
            layout.score_header = "得分"
        return layout
    layout.header_rows = rng.choice([1, 1, 2])
    layout.label_style = rng.choice(["merged", "merged", "repeated", "first", "own-row"])
    layout.label_weights = rng.choice(["all", "all", "upper", "none"])
    layout.text_columns = rng.choice([(), (), ("指标解释",), ("指标解释", "评价标准")])
    layout.target_columns = rng.random() < 0.3
    layout.reason_column = rng.random() < 0.5
    layout.text_numbers = rng.choice([None, None, None, None, "scores"])
    layout.second_table = rng.random() < 0.2  # the level-1 summary below the full table
    return layout


def _funds(rng: random.Random) -> Layout:
    form = rng.choice(["allocation", "budget", "grouped", "use"])
    layout = Layout("funds", form, file_name=rng.choice(["资金使用情况表", "资金使用情况明细表", "附件3 资金使用情况表"]))
    unit = rng.choice(["万元", "万元", "万元", "元"])
    unit_line = rng.choice(["单位：", "金额单位："]) + unit
    _common(rng, layout, rng.choice(["资金使用情况明细表", "2022年XX项目资金分配明细表"]),
            ["项目名称：2022年XX项目", "截止日：2022年12月31日", unit_line])
    if unit_line not in layout.info and rng.random() < 0.8:
        layout.info.append(unit_line)  # most tables state their unit
    layout.unit = unit if unit_line in layout.info else None
    layout.money_format = rng.choice(UNITS[unit])
    layout.money_decimals = {"0.0000": 4, "General": rng.choice([2, 4, 6])}.get(layout.money_format, 2)
    if form == "use" and unit == "万元" and rng.random() < 0.5:
        layout.money_format, layout.money_decimals = "General", 6  # seed 004: 17.477354
    layout.items = rng.randint(1, 16)
    layout.money_header = rng.choice(["下达金额", "下达金额", "对下资金", "分配金额"])
    layout.dash_zero = form == "grouped" and rng.random() < 0.7
    layout.subtotals = form in ("allocation", "budget") and layout.items >= 4 and rng.random() < 0.25
    layout.total_position = "top" if form == "allocation" and rng.random() < 0.1 else "bottom"
    layout.rate_column = form == "budget" and rng.random() < 0.7
    layout.arrival_rate_column = form == "budget" and rng.random() < 0.3
    layout.header_rows = {"grouped": rng.choice([2, 2, 3]), "budget": rng.choice([1, 2])}.get(form, 1)
    pool = ["序号", "年度", "编码", "联系电话", "负责人"]
    layout.extra_columns = [c for c in pool if rng.random() < (0.5 if c == "序号" else 0.15)]
    layout.text_numbers = rng.choice([None, None, None, None, "amounts"])
    layout.second_table = form in ("budget", "grouped", "use") and rng.random() < 0.2
    if rng.random() < 0.3:
        layout.notes = [rng.choice(["注：本表资金均为财政资金。", "备注：结余资金按规定结转下年使用。"])]
    return layout


def _selfeval(rng: random.Random) -> Layout:
    """The national 自评表: always a title (the form is named by it), the rest of the surroundings drawn
    as for the other kinds; its own grid (no empty row or column inside it, no formulas yet)."""
    layout = Layout("self-evaluation", "national", file_name=rng.choice(["项目支出绩效自评表", "附件 项目支出绩效自评表"]))
    title = rng.choice(["项目支出绩效自评表（2022年度）", "2022年度项目支出绩效自评表", "财政项目支出绩效自评表（2022年度）"])
    _common(rng, layout, title, ["项目名称：2022年XX项目", "主管部门：XX局", "单位：万元"])
    if title not in layout.titles:
        layout.titles = layout.titles[:1] + [title] if layout.titles and layout.titles[0] == "附件" else [title]
    layout.money_decimals = rng.choice([2, 2, 3, 4])
    layout.label_weights = rng.choice(["all", "all", "none"])
    layout.text_numbers = rng.choice([None, None, None, "amounts"])
    layout.empty_row = layout.empty_col = False
    layout.engine, layout.formulas = rng.choice(["openpyxl", "xlsxwriter"]), False
    layout.extra_columns = []
    return layout


def _seed003(name: str, unit: str, info_style: str) -> Layout:
    return Layout(
        "funds", "grouped", name=name, sheet_name="附件3", file_name="附件3 资金使用情况明细表",
        titles=["附件3", "资金使用情况明细表"], title_merged=False,
        info=["项目名称：2022年自治区财政残疾人事业发展补助资金项目", "截止日：2022年12月31日", f"单位：{unit}"],
        info_style=info_style, extra_columns=["年度"], header_rows=2, items=1, unit=unit,
        money_format="0.00" if unit == "万元" else "#,##0.00", money_decimals=2, dash_zero=True,
        rate_column=False)


#: seed 003's 附件3 exactly as printed, its variants with the info line split, and in 元
NAMED: dict[str, Layout] = {
    "SEED003_ANNEX3": _seed003("SEED003_ANNEX3", "万元", "one-row-merged"),
    "SEED003_ANNEX3_LINES": _seed003("SEED003_ANNEX3_LINES", "万元", "lines"),
    "SEED003_ANNEX3_YUAN": _seed003("SEED003_ANNEX3_YUAN", "元", "one-row-merged"),
}


def named_layout(name: str) -> Layout:
    """A fresh copy of a named layout."""
    return Layout.from_json(NAMED[name].to_json())
