"""Which finding codes count as "found" for a fault in a cell of each role (from the README's catalogue).

A fault is found at its cell when the corrected workbook shows the clean value there, or a finding
with one of these codes names that cell, or the tool put a comment on that cell (any code).
Keys are (attachment kind, role kind); a role kind of a second table (``t2:amount``, ``sum:`` indices)
is looked up without its tag.
"""

from __future__ import annotations

ACCEPTABLE: dict[tuple[str, str], set[str]] = {
    # 问卷统计表
    ("questionnaire", "count"): {"count-mismatch", "invalid-count", "answers-differ", "not-a-number"},
    ("questionnaire", "share"): {"share-mismatch", "share-sum", "not-a-number"},
    ("questionnaire", "score"): {"score-mismatch"},
    ("questionnaire", "row_total"): {"count-total-mismatch"},
    ("questionnaire", "share_sum"): {"share-sum", "share-mismatch"},
    ("questionnaire", "question_score"): {"question-total-mismatch"},
    ("questionnaire", "total_count"): {"total-mismatch"},
    ("questionnaire", "total_share"): {"total-mismatch"},
    ("questionnaire", "total_score"): {"total-mismatch"},
    ("questionnaire", "final"): {"final-score-mismatch"},
    # 指标体系评分表
    ("indicators", "weight"): {"weight-mismatch", "weight-label-mismatch", "weight-sum-mismatch",
                               "weight-total-mismatch", "sum-mismatch"},
    ("indicators", "score"): {"score-inconsistent", "score-out-of-range", "score-missing", "score-rule-mismatch",
                              "sum-mismatch"},
    ("indicators", "deduction"): {"deduction-mismatch"},
    ("indicators", "rate"): {"rate-mismatch", "percent-missing"},
    ("indicators", "total_weight"): {"sum-mismatch"},
    ("indicators", "total_score"): {"sum-mismatch"},
    ("indicators", "total_deduction"): {"sum-mismatch", "deduction-mismatch"},
    ("indicators", "total_rate"): {"rate-mismatch", "percent-missing"},
    ("indicators", "grade"): {"grade-mismatch"},
    # 资金使用情况表
    ("funds", "amount"): {"amount-inconsistent", "not-a-number", "source-sum-mismatch", "balance-mismatch",
                          "sum-mismatch"},
    ("funds", "source_total"): {"source-sum-mismatch"},
    ("funds", "balance"): {"balance-mismatch", "amount-inconsistent", "negative-balance"},
    ("funds", "column_total"): {"sum-mismatch"},
    ("funds", "subtotal"): {"sum-mismatch"},
    ("funds", "rate"): {"execution-rate-mismatch", "arrival-rate-mismatch"},
    ("funds", "arrival_rate"): {"execution-rate-mismatch", "arrival-rate-mismatch"},
    # 项目支出绩效自评表
    ("self-evaluation", "amount"): {"amount-inconsistent", "not-a-number", "sum-mismatch"},
    ("self-evaluation", "column_total"): {"sum-mismatch"},
    ("self-evaluation", "rate"): {"execution-rate-mismatch"},
    ("self-evaluation", "funds_score"): {"funds-score-mismatch"},
    ("self-evaluation", "score"): {"score-rule-mismatch", "score-out-of-range", "reason-missing", "sum-mismatch"},
    ("self-evaluation", "weight"): {"weight-sum-mismatch", "weight-total-mismatch", "score-out-of-range"},
    ("self-evaluation", "total_score"): {"sum-mismatch"},
    ("self-evaluation", "total_weight"): {"weight-total-mismatch"},
}


def role_kind(role: list | tuple) -> str:
    """The role's kind without a second table's tag (``t2:amount`` -> ``amount``)."""
    return str(role[0]).split(":")[-1]


def acceptable(kind: str, role: list | tuple) -> set[str]:
    """The codes that count as finding a fault in a cell of ``role``."""
    return ACCEPTABLE.get((kind, role_kind(role)), set())


#: figures of a clean case that must equal the truth, per attachment kind (README "figures")
FIGURES = {"questionnaire": ("satisfaction", "respondents"), "indicators": ("total_score",),
           "funds": ("budget", "spent"), "self-evaluation": ("total_score", "spent")}
