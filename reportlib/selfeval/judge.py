"""A 项目支出绩效自评表's indicators judged by the rules (:mod:`.rules`): a score above its 分值, below
full marks for a target met, off the rule's score for one missed or outside a qualitative band, a
score below its 分值 without a reason, the level-1 labels' 分值.  Warnings and pink cells: a score is
a person's decision and is never rewritten."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from ..findings import INFO
from ..grid import a1
from ..messages import say
from ..values import Number, round_half_up
from .locate import level1_name
from .rules import judge

if TYPE_CHECKING:
    from .check import SelfEvalChecker


def weight_parts(c: "SelfEvalChecker", values) -> str:
    parts = [f"{level1_name(name, c.words)} {c.show(c.weight_of(rows, values))}" for name, rows in c.level1_groups().items()]
    if c.weight_pos is not None and values.get(c.weight_pos) is not None:
        parts.append(say("selfeval.funds-weight", weight=c.show(values[c.weight_pos])))
    return "、".join(parts)


def judge_indicators(c: "SelfEvalChecker", values) -> None:
    """Each indicator's score against its 分值 and its rule; a reason for a score below its 分值."""
    f, w, sc = c.f, c.f.ind_cols["weight"], c.f.ind_cols["score"]
    reason_col = f.ind_cols.get("reason")
    for i in f.indicators:
        weight, score = values.get((i.row, w)), c.num((i.row, sc))
        label = i.name or i.level2
        if weight is None:
            continue
        if score is None:
            c.flag("score-missing", (i.row, sc), say("score-missing:selfeval", row=i.row, name=label), None, None)
            continue
        if score > weight or score < 0:
            c.flag("score-out-of-range", (i.row, sc), say("score-out-of-range:selfeval", row=i.row, name=label,
                                                             score=c.show(score), weight=c.show(weight)),
                      c.show(score), c.show(weight))
            c.review((i.row, sc), say("selfeval.out-of-range-note", weight=c.show(weight)))
            continue
        j = judge(label, i.target, i.actual, c.spec["scoring"])
        _rule(c, i, j, weight, score)
        if score < weight and reason_col is not None and not str(c.sheet.shown(i.row, reason_col) or "").strip():
            c.flag("reason-missing", (i.row, reason_col), say("reason-missing:row", row=i.row, name=label,
                                                                 score=c.show(score), weight=c.show(weight)),
                      None, None)


def _rule(c: "SelfEvalChecker", i, j, weight: Fraction, score: Fraction) -> None:
    """A score the rule leaves no room for: below full marks for a target met, off the proportional
    score of one missed, outside a qualitative band.  A warning and a pink cell, never a rewrite."""
    pos, label = (i.row, c.f.ind_cols["score"]), i.name or i.level2
    stated = c.sheet.parsed(*pos)
    decimals = stated.decimals if isinstance(stated, Number) else 0
    if j.share is not None:
        expected = j.share * weight
        if round_half_up(expected, decimals) == round_half_up(score, decimals):
            return
        params = dict(row=i.row, name=label, target=i.target, actual=i.actual, score=c.show(score),
                      expected=c.show(expected), weight=c.show(weight))
        if j.met:
            message = say("score-rule-mismatch:met", **params)
        elif j.kind == "reverse":
            message = say("score-rule-mismatch:reverse", **params)
        else:
            message = say("score-rule-mismatch:missed", **params)
    elif j.band is not None:
        lo, hi = j.band
        if lo * weight <= score <= hi * weight:
            return
        message = say("score-rule-mismatch:band", row=i.row, name=label, actual=i.actual, score=c.show(score),
                      lo=c.show(lo * weight), hi=c.show(hi * weight), weight=c.show(weight))
        expected = None
    else:
        return
    c.flag("score-rule-mismatch", pos, message, c.show(score), c.show(expected) if expected is not None else None)
    c.review(pos, message)


def level1_weights(c: "SelfEvalChecker", values) -> None:
    """Each level-1 label's 分值 (产出指标(50分)) against its indicators' 分值; where the form states no
    weights, the national ones (产出 50, 效益 30, 满意度 10) as information: a province may set others."""
    f, groups = c.f, c.level1_groups()
    if not f.level1_weights:
        defaults = c.spec["indicators"]["weights"]
        for name, rows in groups.items():
            plain = level1_name(name, c.words)
            if plain not in defaults:
                continue
            got = c.weight_of(rows, values)
            if got != defaults[plain]:
                pos = c.sheet.anchor_of.get((rows[0].row, f.ind_cols["level1"]), (rows[0].row, f.ind_cols["level1"]))
                c.flag("weight-default-differs", pos, say("weight-default-differs:level1", cell=a1(*pos), name=plain,
                                                          got=c.show(got), default=defaults[plain]),
                       c.show(got), str(defaults[plain]), INFO)
    for name, (weight, pos) in f.level1_weights.items():
        got = c.weight_of(groups.get(name, []), values)
        if got != Fraction(Decimal(str(weight))):
            c.flag("weight-sum-mismatch", pos, say("weight-sum-mismatch:level1-label", cell=a1(*pos),
                                                      name=level1_name(name, c.words), weight=c.show(
                                                          Fraction(Decimal(str(weight)))), got=c.show(got)),
                      c.show(Fraction(Decimal(str(weight)))), c.show(got))
