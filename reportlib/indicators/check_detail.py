"""Recomputing a full indicator table: weights down the hierarchy, scores, 小计 / 合计, grade.

Leaves' weights and scores are the inputs.  Evidence is weighed before anything is blamed: a
leaf's weight cell that disagrees with the weight its own label declares, while the label agrees
with the parent's weight, is the wrong cell (seed 003 附件1: A11立项依据充分性(2分) with 分值 3);
a score above its weight whose 小计 or 合计 says by how much is corrected by that amount; blank
scores whose weights add up exactly to the gap in a stated 小计 are the missing full marks.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from ..diagnose import diagnose
from ..fixes import column_sum
from ..findings import INFO
from ..grid import a1, a1_range
from ..messages import say
from ..values import agrees, format_at, label_key
from .facts import detail_facts
from .grades import Bands
from .locate import DetailTable, Node, SumRow
from .model import detail_model
from .rules import parse_measure, rule_score
from .scoring import Row, ScoredRows, show


class DetailChecker(ScoredRows):
    def __init__(self, table: DetailTable, schema: dict, bands: Bands):
        super().__init__(table.sheet, "indicators")
        self.t, self.schema, self.bands = table, schema, bands
        self.rules = schema["rules"]
        self.rows: dict[Node, Row] = {}
        self.settled: set[Node] = set()  # leaves whose score a finding already explains

    # -- reading -----------------------------------------------------------------------------
    def _read(self) -> list[Node]:
        t = self.t
        for leaf in t.leaves:
            row = Row(leaf.name(), t.pos(leaf.row, "weight"), t.pos(leaf.row, "score"),
                      t.pos(leaf.row, "deduction"), t.pos(leaf.row, "rate"))
            row.weight = self.number(row.weight_pos, say("scores.weight-of", row=leaf.name()))
            blank = row.weight_pos is None or self.sheet.parsed(*row.weight_pos) is None
            if blank:
                row.weight = leaf.declared  # a weight given in the label only
            row.score = self.number(row.score_pos, say("scores.score-of", row=leaf.name()))
            self.rows[leaf] = row
        return [leaf for leaf in t.leaves if not self.empty_section(leaf)]

    def empty_section(self, leaf: Node) -> bool:
        """``D1经济效益`` with no weight and no score: a section the project does not use."""
        row = self.rows[leaf]
        return row.weight is None and row.score is None and leaf.declared is None

    def eff(self, node: Node) -> Fraction:
        """A node's weight: a leaf's weight cell (or label), else its declared or its children's sum."""
        if node.is_leaf:
            row = self.rows[node]
            return row.weight if row.weight is not None else (node.declared or Fraction(0))
        if node.declared is not None:
            return node.declared
        own = self.own_weight(node)
        return own if own is not None else sum((self.eff(c) for c in node.children), Fraction(0))

    def own_weight(self, node: Node) -> Fraction | None:
        """The weight stated on a parent's own row, if it has one."""
        stated = self.stated_number(self.own_cell(node, "weight"))
        return stated.fraction if stated is not None else None

    def own_cell(self, node: Node, measure: str):
        """The weight / score cell on a parent's own row (each level on a row of its own)."""
        if node.is_leaf:
            return None
        return self.t.pos(node.row, measure) if node.row not in {x.row for x in node.leaves()} else None

    def leaf_sum(self, leaves: list[Node], what: str = "score") -> Fraction:
        return sum((getattr(self.rows[x], what) or Fraction(0) for x in leaves), Fraction(0))

    def scope(self, s: SumRow, leaves: list[Node]) -> list[Node]:
        """The leaves a 小计 sums (those since the previous 小计), or all of them for the 合计."""
        return leaves if s.kind == "total" else [x for x in leaves if s.after < x.row < s.row]

    # -- the checks --------------------------------------------------------------------------
    def run(self):
        t = self.t
        leaves = self._read()
        for leaf in leaves:
            self._blame_leaf_weight(leaf)
        if not any(self.rows[x].score is not None for x in leaves):
            self.flag("empty-table", None, say("empty-table:indicators"), severity=INFO)
            self.result.establish(detail_facts(self, leaves, None, None))
            return self.result
        for s in [x for x in t.sums if x.kind == "subtotal"] + [x for x in t.sums if x.kind == "total"]:
            self._blame_by_sum(s, leaves)
        self.model = detail_model(self, leaves)
        self.diagnosis = diagnose(self.model)
        corrected = self.apply_corrections([self.rows[x] for x in leaves])
        self.settled |= {x for x in leaves if id(self.rows[x]) in corrected}
        for leaf in leaves:
            row = self.rows[leaf]
            if leaf not in self.settled:
                self.check_range(row)
                if row.score is None and (row.weight or 0) > 0 and row.score_pos:
                    self.flag("score-missing", row.score_pos, say("score-missing:row", row=leaf.name(),
                                                                  weight=show(row.weight)), say("words.blank"), None)
                    self.review(row.score_pos, say("scores.fill-score"))
            self._check_rule(leaf, row)
            self.derive_row(row)
        self._check_node_weights()
        total = self.leaf_sum(leaves)
        total_ref = self._check_sum_rows(leaves)
        grade = None
        if self.complete:
            self.check_weight_total([(r.name(), self.eff(r)) for r in t.roots],
                                    a1_range(t.roots[0].pos, t.roots[-1].pos))
            grade = self.check_grade(total, total_ref or column_sum(t.cols["score"], [x.row for x in leaves]),
                                     self.bands, t.grade_pos, t.title, self.schema) if "score" in t.cols else None
        self.result.establish(detail_facts(self, leaves, total, grade))
        return self.result

    @property
    def complete(self) -> bool:
        """Whether the table holds the whole indicator system (not one section of it)."""
        return len(self.t.roots) >= 2 or self.t.total is not None

    def _blame_leaf_weight(self, leaf: Node) -> None:
        row = self.rows[leaf]
        declared, col = leaf.declared, row.weight
        if declared is None or col is None or declared == col or row.weight_pos is None:
            return
        parent = leaf.parent
        siblings = parent.children if parent else self.t.roots
        others = sum((self.eff(x) for x in siblings if x is not leaf), Fraction(0))
        expected = self._declared_parent(parent) if parent else Fraction(self.schema["total_weight"])
        where = say("scores.parent-weight", parent=parent.name(), weight=show(expected)) if parent else \
            say("scores.weights-total", weight=show(expected))
        if expected is not None and others + declared == expected != others + col:
            reason = say("scores.declared-weight-evidence", label=leaf.label, declared=show(declared), where=where,
                         others=show(others), column=show(col))
            self.correct_input(row.weight_pos, "weight-mismatch", declared,
                               lambda old, new: say("scores.corrected", row=leaf.name(), measure=say("scores.weight"),
                                                    cell=a1(*row.weight_pos), old=old, new=new, reason=reason), reason)
            row.weight = declared
            return
        if expected is not None and others + col == expected:
            self.flag("weight-label-mismatch", leaf.pos,
                      say("weight-label-mismatch:label-wrong", label=leaf.label, declared=show(declared),
                          column=show(col), where=where), show(declared), show(col))
            self.review(leaf.pos, say("scores.label-weight-should-be", weight=show(col)))
            return
        self.flag("weight-label-mismatch", row.weight_pos,
                  say("weight-label-mismatch:undecided", label=leaf.label, declared=show(declared), column=show(col)),
                  show(col), show(declared))
        self.review(row.weight_pos, say("scores.label-says", declared=show(declared)))

    def _declared_parent(self, node: Node) -> Fraction | None:
        """A parent's weight as the table declares it: its label, its own row, or its 小计 row."""
        if node.declared is not None:
            return node.declared
        own = self.own_weight(node)
        if own is not None:
            return own
        leaves = node.leaves()
        for s in self.t.sums:
            if s.kind == "subtotal" and self.scope(s, self.t.leaves) == leaves:
                stated = self.stated_number(self.t.pos(s.row, "weight"))
                if stated is not None:
                    return stated.fraction
        return None

    def _blame_by_sum(self, s: SumRow, leaves: list[Node]) -> None:
        """A stated 小计 / 合计 score that names the one leaf (or the blank leaves) that is off."""
        scope = self.scope(s, leaves)
        stated = self.stated_number(self.t.pos(s.row, "score"))
        if stated is None or not scope or agrees(stated, self.leaf_sum(scope)):
            return
        gap = stated.fraction - self.leaf_sum(scope)
        label = s.label
        wrong = [x for x in scope if x not in self.settled and self.rows[x].score is not None
                 and self.rows[x].weight is not None and not 0 <= self.rows[x].score <= self.rows[x].weight]
        if len(wrong) == 1:
            row = self.rows[wrong[0]]
            new = row.score + gap
            if new == row.weight:  # over by exactly what the sum is short of: full marks of the right weight
                reason = say("scores.over-by-sum" if gap > 0 else "scores.under-by-sum", score=show(row.score),
                             weight=show(row.weight), label=label, stated=stated.display(),
                             cell=a1(s.row, self.t.cols["score"]), gap=show(abs(gap)), new=show(new))
                self.correct_input(row.score_pos, "score-out-of-range", new,
                                   lambda old, new: say("scores.corrected", row=row.what, measure=say("scores.score"),
                                                        cell=a1(*row.score_pos), old=old, new=new, reason=reason),
                                   reason)
                row.score = new
                self.settled.add(wrong[0])
                return
        blanks = [x for x in scope if x not in self.settled and self.rows[x].score is None
                  and (self.rows[x].weight or 0) > 0 and self.rows[x].score_pos]
        if blanks and sum((self.rows[x].weight for x in blanks), Fraction(0)) == gap:
            names = "、".join(x.name() for x in blanks)
            for x in blanks:
                row = self.rows[x]
                reason = say("scores.blank-full-marks", label=label, stated=stated.display(),
                             cell=a1(s.row, self.t.cols["score"]), gap=show(gap), names=names)
                self.correct_input(row.score_pos, "score-missing", row.weight,
                                   lambda old, new, row=row, reason=reason: say(
                                       "scores.blank-corrected", row=row.what, cell=a1(*row.score_pos), new=new,
                                       reason=reason), reason)
                row.score = row.weight
                self.settled.add(x)

    def _check_rule(self, leaf: Node, row: Row) -> None:
        t = self.t
        if row.score is None or row.weight is None or row.score_pos is None:
            return
        target = parse_measure(self.sheet.parsed(*t.pos(leaf.row, "target")), self.rules) if "target" in t.cols else None
        actual = parse_measure(self.sheet.parsed(*t.pos(leaf.row, "actual")), self.rules) if "actual" in t.cols else None
        if target is not None and actual is not None:
            result = rule_score(label_key(leaf.label), target, actual, row.weight, self.rules)
            if result is None or leaf in self.settled:
                return
            stated = self.stated_number(row.score_pos)
            exact = result.score
            # a score typed as 4 is 4, not a rounded 3.6: compare rule scores to at least two decimals
            precise = replace(stated, decimals=max(stated.decimals, 2)) if stated is not None else None
            if (precise is not None and not agrees(precise, exact)) or (stated is None and row.score != exact):
                found = stated.display() if stated else show(row.score)
                expected = format_at(exact, max(stated.decimals if stated else 0, 2))
                self.flag("score-rule-mismatch", row.score_pos,
                          say("score-rule-mismatch:rule", row=leaf.name(), found=found, expected=expected,
                              reason=result.reason), found, expected)
                self.review(row.score_pos, say("scores.by-rule", expected=expected, reason=result.reason))
            return
        if row.score < row.weight and not self._explained(leaf.row):
            self.flag("qualitative-unexplained", row.score_pos,
                      say("qualitative-unexplained:row", row=leaf.name(), score=show(row.score),
                          weight=show(row.weight)), show(row.score), None)

    def _explained(self, row: int) -> bool:
        return any(str(self.sheet.shown(row, c) or "").strip() for c in self.t.reason_cols)

    def _check_node_weights(self) -> None:
        def visit(node: Node) -> None:
            for child in node.children:
                visit(child)
            if node.is_leaf:
                return
            total = sum((self.eff(c) for c in node.children), Fraction(0))
            leaves = node.leaves()
            for measure, code in (("weight", "weight-sum-mismatch"), ("score", "sum-mismatch")):
                own = self.own_cell(node, measure)
                if own is not None and measure in self.t.cols and self.sheet.raw(*own) is not None:
                    exact = total if measure == "weight" else self.leaf_sum(leaves)
                    self.derive(own, column_sum(self.t.cols[measure], [x.row for x in leaves]), exact, None, code,
                                say("scores.children-weights-rule" if measure == "weight"
                                    else "scores.children-scores-rule", node=node.name(), total=show(exact)))
            if node.declared is not None and node.declared != total:
                parts = "、".join(say("scores.named-weight", name=c.name(), weight=show(self.eff(c))) for c in node.children)
                self.flag("weight-sum-mismatch", node.pos,
                          say("weight-sum-mismatch:label", label=node.label, declared=show(node.declared),
                              total=show(total), parts=parts), show(node.declared), show(total))
                self.review(node.pos, say("scores.children-weights-note", total=show(total)))

        for root in self.t.roots:
            visit(root)

    def _check_sum_rows(self, leaves: list[Node]) -> str | None:
        """小计 and 合计 rows as formulas; returns the reference of the total score, if any."""
        t, total_ref = self.t, None
        subtotals = [s for s in t.sums if s.kind == "subtotal"]
        for s in t.sums:
            scope, label = self.scope(s, leaves), s.label
            covered = s.kind == "total" and subtotals and \
                sorted(x.row for sub in subtotals for x in self.scope(sub, leaves)) == sorted(x.row for x in leaves)
            sources = [sub.row for sub in subtotals] if covered else [x.row for x in scope]
            row = Row(label, t.pos(s.row, "weight"), t.pos(s.row, "score"), t.pos(s.row, "deduction"),
                      t.pos(s.row, "rate"), self.leaf_sum(scope, "weight"), self.leaf_sum(scope))
            if row.weight_pos and s.kind == "total":
                self.derive_total_weight(row.weight_pos, column_sum(t.cols["weight"], sources), row.weight)
            elif row.weight_pos:
                self.derive(row.weight_pos, column_sum(t.cols["weight"], sources), row.weight, None,
                            "sum-mismatch", say("scores.sum-weight-rule", label=label, weight=show(row.weight)))
            if row.score_pos:
                self.derive(row.score_pos, column_sum(t.cols["score"], sources), row.score, None, "sum-mismatch",
                            say("scores.sum-score-rule", label=label, score=show(row.score)))
                if s.kind == "total":
                    total_ref = a1(*row.score_pos)
            self.derive_row(row)
        return total_ref
