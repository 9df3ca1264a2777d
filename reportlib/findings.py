"""The catalogue of finding codes and the :class:`Finding` record.

Codes are stable English kebab-case and part of the public ``check --json`` contract; messages are
Chinese and written for the clerk who must fix the table.  Add codes, never rename them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

ERROR, WARNING, INFO = "error", "warning", "info"

#: code -> (default severity, short Chinese title used in the README and the 问题清单 sheet)
CATALOGUE: dict[str, tuple[str, str]] = {
    "share-mismatch": (ERROR, "占比与人数不符"),
    "share-sum": (ERROR, "各选项占比合计不等于100%"),
    "score-mismatch": (ERROR, "分数与占比、选项权重、题目分值不符"),
    "question-total-mismatch": (ERROR, "题目得分不等于各选项分数之和"),
    "count-total-mismatch": (ERROR, "题目合计人数不等于各选项人数之和"),
    "count-mismatch": (ERROR, "人数与合计行、合计列相互矛盾"),
    "answers-differ": (WARNING, "某题作答人数与其他题目不同"),
    "total-mismatch": (ERROR, "合计行与各题数据之和不符"),
    "final-score-mismatch": (ERROR, "最终得分与重新计算的满意度不符"),
    "final-score-scale": (INFO, "最终得分为各题得分之和，未折算为百分制"),
    "not-a-number": (ERROR, "应填数字的单元格填了文字"),
    "invalid-count": (ERROR, "人数不是非负整数"),
    "option-weights-differ": (WARNING, "表中分数所用的选项权重与采用的权重不同"),
    "question-points-differ": (WARNING, "表中分数所用的题目分值与采用的分值不同"),
    "scheme-default": (INFO, "选项权重或题目分值无法从表中推断，采用默认值"),
    "empty-table": (INFO, "表格尚未填写人数或得分"),
    "row-label-missing": (INFO, "行的类别（人数、占比、分数）未填写，按其他各题的行序推断"),
    "formula-uncomputed": (INFO, "公式保存时没有计算结果，本工具也无法计算，按未知处理"),
    # 指标体系评分表
    "weight-mismatch": (ERROR, "权重栏与指标名称中的分值及上级权重不符"),
    "weight-label-mismatch": (WARNING, "指标名称中的分值与权重栏不同"),
    "weight-inconsistent": (ERROR, "权重与同行的扣分、得分率及合计矛盾"),
    "weight-sum-mismatch": (ERROR, "下级指标权重之和不等于上级权重"),
    "weight-total-mismatch": (ERROR, "一级指标权重之和不等于总分（通常为100）"),
    "score-out-of-range": (ERROR, "得分小于0或超过权重"),
    "score-missing": (ERROR, "有权重的指标没有填得分"),
    "score-inconsistent": (ERROR, "得分与同行的扣分、得分率矛盾"),
    "deduction-mismatch": (ERROR, "扣分不等于权重减得分"),
    "rate-mismatch": (ERROR, "得分率不等于得分除以权重"),
    "percent-missing": (WARNING, "得分率缺少百分号"),
    "sum-mismatch": (ERROR, "小计或合计与各项之和不符"),
    "grade-mismatch": (ERROR, "评价等级与总分对应的等级不符"),
    "score-rule-mismatch": (WARNING, "得分与按目标值、实际值和评分规则算出的得分不符"),
    "qualitative-unexplained": (INFO, "定性指标未得满分且未写扣分原因"),
    "summary-detail-mismatch": (ERROR, "一级指标汇总表与明细表不一致"),
    # 资金使用情况表 (sum-mismatch and not-a-number above apply too)
    "source-sum-mismatch": (ERROR, "合计栏不等于各资金来源之和"),
    "balance-mismatch": (ERROR, "结余不等于到位资金（或预算）减实际支出"),
    "amount-inconsistent": (ERROR, "金额与同行算式及本列合计均矛盾，按证据更正"),
    "group-count-mismatch": (ERROR, "合并单元格中的数量与其所跨行数不符"),
    "group-sum-mismatch": (ERROR, "合并单元格中的金额与其所跨各行之和不符"),
    "execution-rate-mismatch": (ERROR, "预算执行率不等于实际支出除以到位资金（或预算）"),
    "arrival-rate-mismatch": (ERROR, "资金到位率不等于到位资金除以预算"),
    "overspent": (WARNING, "支出超过预算或到位资金，需说明原因"),
    "arrived-over-budget": (WARNING, "到位资金超过预算"),
    "negative-balance": (ERROR, "结余为负数"),
    "unit-missing": (INFO, "未注明金额单位"),
    "unit-mixed": (WARNING, "金额单位不一致（万元与元混用）"),
    # 项目：附件之间的交叉核对
    "attachment-missing": (WARNING, "项目缺少某个附件"),
    "satisfaction-indicator-mismatch": (ERROR, "满意度指标的实际值与问卷统计表重新计算的满意度不符"),
    "rate-indicator-mismatch": (ERROR, "资金到位率、预算执行率指标的实际值与资金使用情况表不符"),
    "indicator-score-mismatch": (WARNING, "按问卷或资金表的实际结果，指标得分应不同"),
    "amount-cross-mismatch": (ERROR, "同一项目不同表格中的预算、到位或支出金额不一致"),
    "grade-cross-mismatch": (ERROR, "不同表格中的总分或评价等级不一致"),
}


@dataclass
class Finding:
    """One thing that does not add up, pointing at the input cell judged wrong."""

    code: str
    severity: str
    sheet: str | None
    cell: str | None
    message: str
    found: Any = None
    expected: Any = None
    range: str | None = None  # the cells a table-level finding is about, e.g. "C12:G12"
    #: the other side of a cross-check: ``[{"path", "sheet", "cell", "value"}]`` in another attachment
    related: list[dict[str, Any]] | None = None

    def to_json(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in _FIELDS}  # asdict's deep copy cost a monthly batch 10 %
        for optional in ("range", "related"):
            if data[optional] is None:
                del data[optional]
        return data


_FIELDS = [f.name for f in fields(Finding)]


def finding(code: str, sheet: str | None, cell: str | None, message: str, found: Any = None,
            expected: Any = None, severity: str | None = None, range: str | None = None,
            related: list[dict[str, Any]] | None = None) -> Finding:
    """Build a finding with the catalogue's severity unless one is given."""
    if code not in CATALOGUE:
        raise KeyError(f"unknown finding code {code!r}: add it to CATALOGUE first")
    return Finding(code, severity or CATALOGUE[code][0], sheet, cell, message, found, expected, range, related)
