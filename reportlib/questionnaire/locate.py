"""Finding questionnaire tables in a sheet: the A–E form and the yes/no form.

A table may sit anywhere: title rows above, blank rows and columns around, notes below.  Headers
are matched through the aliases in ``schemas/questionnaire.yaml``; question labels may be merged
over their block, repeated on every row, or written only on its first row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..grid import Pos, Sheet, scan_tables
from ..locate import Aliases as BaseAliases
from ..messages import say
from ..schema import alias_set, group_of
from ..surround import Surroundings
from ..values import Number, label_key, parse_cell

ROW_KINDS = ("count", "share", "score")


@dataclass
class Block:
    """One question (or the 合计 block): its rows and the cells of each option in them."""

    label: str
    label_pos: Pos
    rows: dict[str, int] = field(default_factory=dict)  # row kind -> sheet row
    total_block: bool = False

    @property
    def first_row(self) -> int:
        return min(self.rows.values())


@dataclass
class AETable:
    """An A–E questionnaire table located in a sheet."""

    sheet: Sheet
    header_row: int
    options: list[str]
    option_cols: dict[str, int]
    row_total_col: int | None
    question_score_col: int | None
    question_col: int
    kind_col: int
    questions: list[Block]
    total_block: Block | None
    final_pos: Pos | None
    title: str | None
    notes: list[str]
    last_row: int
    #: rows whose kind label was blank, placed by the order of the other questions' rows: (row, kind)
    inferred: list[tuple[int, str]] = field(default_factory=list)

    def pos(self, block: Block, kind: str, option: str) -> Pos | None:
        row = block.rows.get(kind)
        return None if row is None else (row, self.option_cols[option])

    def total_pos(self, block: Block, kind: str) -> Pos | None:
        row = block.rows.get(kind)
        return None if row is None or self.row_total_col is None else (row, self.row_total_col)

    def question_score_pos(self, block: Block) -> Pos | None:
        """The per-question score cell (merged anchor) of the 各题得分 column, if any."""
        if self.question_score_col is None:
            return None
        for row in sorted(block.rows.values()):
            pos = self.sheet.anchor_of.get((row, self.question_score_col), (row, self.question_score_col))
            if self.sheet.raw(*pos) is not None or pos[0] == block.first_row:
                return pos
        return None

    def question_total_pos(self, block: Block) -> Pos | None:
        """Where a question's total score stands: the 合计 column of its score row, else 各题得分."""
        return self.total_pos(block, "score") or self.question_score_pos(block)

    def merged_total_score_pos(self, block: Block) -> Pos | None:
        """A score row whose option cells are one merged cell: the block's total score (seed 002)."""
        row = block.rows.get("score")
        if row is None:
            return None
        first = self.option_cols[self.options[0]]
        merge = self.sheet.merge_of(row, first)
        if merge and merge[1][1] > first:
            return merge[0]
        return None


@dataclass
class YesNoQuestion:
    label: str
    label_pos: Pos
    options: tuple[str, str]
    counts: tuple[Pos, Pos]
    share: Pos | None


@dataclass
class YesNoTable:
    sheet: Sheet
    header_row: int
    questions: list[YesNoQuestion]
    title: str | None
    notes: list[str]
    last_row: int


class Aliases(BaseAliases):
    """The questionnaire schema's labels in matching form."""

    def __init__(self, schema: dict[str, Any], around: Surroundings):
        super().__init__(schema, around)
        self.options = [(o["key"], alias_set(o["aliases"])) for o in schema["options"]]
        cols, rows, yn = schema["columns"], schema["rows"], schema["yes_no"]
        self.question = alias_set(cols["question"])
        self.row_kind = alias_set(cols["row_kind"])
        self.row_total = alias_set(cols["row_total"])
        self.question_score = alias_set(cols["question_score"] + ["得分"])
        self.kinds = {kind: alias_set(rows[kind]) for kind in ROW_KINDS}
        self.kind_words = {kind: rows[kind][0] for kind in ROW_KINDS}
        self.total_block = alias_set(rows["total_block"])
        self.final = alias_set(rows["final"])
        self.yn_responses = [label_key(v) for v in yn["response_headers"]]
        self.yn_group = alias_set(yn["group_headers"])
        self.yn_share = alias_set(yn["share_headers"])
        self.yn_question = alias_set(yn["question_headers"])

    def option_of(self, key: str) -> str | None:
        return group_of(key, self.options)

    def kind_of(self, key: str) -> str | None:
        return group_of(key, self.kinds.items())


def _option_header(sheet: Sheet, row: int, aliases: Aliases) -> dict[str, int]:
    found: dict[str, int] = {}
    for col in range(1, sheet.max_col + 1):
        if sheet.is_covered(row, col):
            continue
        option = aliases.option_of(sheet.label(row, col))
        if option and option not in found:
            found[option] = col
    return found


def find_ae_tables(sheet: Sheet, aliases: Aliases) -> list[AETable]:
    """Every A–E table in a sheet, top to bottom."""
    def read_at(row: int) -> AETable | None:
        option_cols = _option_header(sheet, row, aliases)
        if len(option_cols) >= 3 and _in_order(option_cols, aliases):
            return _read_ae(sheet, row, option_cols, aliases)
        return None

    return scan_tables(sheet, read_at)


def _in_order(option_cols: dict[str, int], aliases: Aliases) -> bool:
    order = [k for k, _ in aliases.options if k in option_cols]
    cols = [option_cols[k] for k in order]
    return cols == sorted(cols) and order[0] == aliases.options[0][0]


def _read_ae(sheet: Sheet, header_row: int, option_cols: dict[str, int], aliases: Aliases) -> AETable | None:
    options = [k for k, _ in aliases.options if k in option_cols]
    first_opt, last_opt = option_cols[options[0]], option_cols[options[-1]]
    data_start = header_row + 1
    while data_start <= sheet.max_row and len(_option_header(sheet, data_start, aliases)) >= 3:
        data_start += 1  # a second header row (A / 非常满意 split over two rows)

    # the row-kind column is the one left of the options that holds 人数 / 占比 / 分数
    hits: Counter[int] = Counter()
    for r in range(data_start, min(sheet.max_row, data_start + 40) + 1):
        for c in range(1, first_opt):
            if aliases.kind_of(sheet.label(r, c)):
                hits[c] += 1
    if not hits:
        return None
    kind_col = hits.most_common(1)[0][0]
    question_col = _question_col(sheet, header_row, data_start, first_opt, kind_col, aliases)

    row_total_col = question_score_col = None
    for c in range(last_opt + 1, sheet.max_col + 1):
        key = "".join(dict.fromkeys(sheet.label(r, c) for r in range(header_row, data_start)))  # merged: once
        if row_total_col is None and key in aliases.row_total:
            row_total_col = c
        elif question_score_col is None and key in aliases.question_score:
            question_score_col = c

    questions: list[Block] = []
    total_block: Block | None = None
    current: Block | None = None
    pending_label: tuple[str, Pos] | None = None
    final_pos: Pos | None = None
    blank_run = 0
    last_row = data_start - 1
    unlabelled: list[int] = []
    for r in range(data_start, sheet.max_row + 1):
        row_keys = [sheet.label(r, c) for c in range(1, last_opt + 1)]
        if any(k in aliases.final for k in row_keys):
            final_pos = _first_number_right_of(sheet, r, max(kind_col, question_col), sheet.max_col)
            last_row = r
            break
        kind = aliases.kind_of(sheet.label(r, kind_col))
        label_pos = sheet.anchor_of.get((r, question_col), (r, question_col))
        label_value = sheet.values.get(label_pos)
        label = str(label_value).strip() if isinstance(label_value, str) else ""
        if kind is None:
            if (questions or total_block) and aliases.around.is_outside(sheet, r):
                break  # 填表人：… 联系电话：… under the table
            if not any(sheet.shown(r, c) is not None for c in range(1, sheet.max_col + 1)):
                blank_run += 1
                if blank_run >= aliases.layout.blank_rows and (questions or total_block):
                    break
                continue
            blank_run = 0
            if label.startswith(("注", "说明", "备注")) or label_key(label).startswith("注"):
                break
            if label and not _has_numbers(sheet, r, option_cols):
                pending_label = (label, label_pos)  # a question written on its own row
                continue
            if _has_numbers(sheet, r, option_cols) and (not unlabelled or unlabelled[-1] != r - 1):
                unlabelled.append(r)  # a row whose 人数 / 占比 / 分数 label was left blank: placed below
                continue
            if questions or total_block:
                break
            continue
        blank_run = 0
        if not label and pending_label:
            label, label_pos = pending_label
        new_block = (
            current is None
            or kind in current.rows
            or (label and label_pos != current.label_pos and label != current.label)
        )
        if new_block:
            if not label:
                label, label_pos = (current.label, current.label_pos) if current else ("", (r, question_col))
            current = Block(label=label, label_pos=label_pos)
            current.total_block = label_key(label) in aliases.total_block
            if current.total_block:
                total_block = current
            else:
                questions.append(current)
            pending_label = None
        current.rows[kind] = r
        last_row = r
    inferred = _place_unlabelled(questions, unlabelled)
    if not questions or any("count" not in b.rows for b in questions):
        return None  # a question without its count row cannot be recomputed: never guessed
    last_row = max([last_row] + [r for r, _ in inferred])
    notes = aliases.notes_below(sheet, last_row)
    return AETable(
        sheet=sheet, header_row=header_row, options=options, option_cols=option_cols,
        row_total_col=row_total_col, question_score_col=question_score_col,
        question_col=question_col, kind_col=kind_col, questions=questions,
        total_block=total_block, final_pos=final_pos, title=_title(sheet, header_row, aliases),
        notes=notes, last_row=last_row, inferred=inferred,
    )


def _question_col(sheet: Sheet, header_row: int, data_start: int, first_opt: int, kind_col: int,
                  aliases: Aliases) -> int:
    for c in range(1, first_opt):
        if c != kind_col and sheet.label(header_row, c) in aliases.question:
            return c
    texts: Counter[int] = Counter()
    for r in range(data_start, min(sheet.max_row, data_start + 40) + 1):
        for c in range(1, first_opt):
            if c != kind_col and isinstance(sheet.shown(r, c), str) and not aliases.kind_of(sheet.label(r, c)):
                texts[c] += 1
    return texts.most_common(1)[0][0] if texts else kind_col


def _place_unlabelled(questions: list[Block], rows: list[int]) -> list[tuple[int, str]]:
    """Give a row without its 人数 / 占比 / 分数 label the kind its question lacks, where the other
    questions' rows say which kind stands there: the one missing kind, in its place in their order."""
    orders = Counter(tuple(sorted(b.rows, key=b.rows.get)) for b in questions)
    if not orders:
        return []
    order = orders.most_common(1)[0][0]
    placed = []
    for r in rows:
        fits = []
        for b in questions:
            missing = [k for k in order if k not in b.rows]
            if len(missing) != 1 or set(b.rows) - set(order):
                continue
            i = order.index(missing[0])
            before, after = [b.rows[k] for k in order[:i]], [b.rows[k] for k in order[i + 1:]]
            if all(x < r for x in before) and all(r < x for x in after) \
                    and r == (max(before) + 1 if before else min(after) - 1):
                fits.append((b, missing[0]))
        if len(fits) == 1:
            block, kind = fits[0]
            block.rows[kind] = r
            placed.append((r, kind))
    return placed


def _has_numbers(sheet: Sheet, row: int, option_cols: dict[str, int]) -> bool:
    return any(isinstance(parse_cell(sheet.raw(row, c)), Number) for c in option_cols.values())


def _first_number_right_of(sheet: Sheet, row: int, col: int, max_col: int) -> Pos | None:
    for c in range(col + 1, max_col + 1):
        if sheet.is_covered(row, c):
            continue
        if isinstance(sheet.parsed(row, c), Number):
            return (row, c)
    return None


def _title(sheet: Sheet, header_row: int, aliases: Aliases) -> str | None:
    found = aliases.title_above(sheet, header_row)
    return found[0] if found else None


def find_yes_no_tables(sheet: Sheet, aliases: Aliases) -> list[YesNoTable]:
    """Yes/no tables (seed 003): 回应1 / 回应2 counts per question and the share of the first."""
    tables = []
    for r in range(1, sheet.max_row + 1):
        keys = {sheet.label(r, c): c for c in range(1, sheet.max_col + 1) if not sheet.is_covered(r, c)}
        if all(k in keys for k in aliases.yn_responses):
            table = _read_yes_no(sheet, r, keys[aliases.yn_responses[0]], keys[aliases.yn_responses[1]], aliases)
            if table:
                tables.append(table)
    return tables


def _read_yes_no(sheet: Sheet, sub_row: int, col1: int, col2: int, aliases: Aliases) -> YesNoTable | None:
    header_row = sub_row
    for r in (sub_row - 1, sub_row):
        if r >= 1 and any(sheet.label(r, c) in aliases.yn_group for c in range(1, sheet.max_col + 1)):
            header_row = r
            break
    share_col = question_col = None
    for c in range(1, sheet.max_col + 1):
        key = "".join(dict.fromkeys(sheet.label(r, c) for r in range(header_row, sub_row + 1)))
        if share_col is None and c > col2 and key in aliases.yn_share:
            share_col = c
        if question_col is None and c < col1 and key in aliases.yn_question:
            question_col = c
    if question_col is None:
        question_col = col1 - 1
    questions: list[YesNoQuestion] = []
    r = sub_row + 1
    last_row = sub_row
    while r <= sheet.max_row:
        label = sheet.shown(r, question_col)
        if not isinstance(label, str) or not label.strip():
            if isinstance(sheet.parsed(r, col1), Number) or any(sheet.shown(r, c) for c in range(1, sheet.max_col + 1)):
                r += 1
                continue
            ahead = next((x for x in range(r + 1, min(sheet.max_row, r + aliases.layout.blank_rows) + 1)
                          if any(sheet.shown(x, c) for c in range(1, sheet.max_col + 1))), None)
            if questions and (ahead is None or not isinstance(sheet.shown(ahead, question_col), str)):
                break  # an empty row inside the table goes on to the next question; a gap ends it
            r += 1
            continue
        label_pos = sheet.anchor_of.get((r, question_col), (r, question_col))
        count_row = None
        for rr in (r, r + 1):
            if isinstance(sheet.parsed(rr, col1), Number) and isinstance(sheet.parsed(rr, col2), Number):
                count_row = rr
                break
        if count_row is None:
            break
        first, second = say("survey.response-1"), say("survey.response-2")
        names = (str(sheet.shown(r, col1) or first), str(sheet.shown(r, col2) or second)) if count_row != r \
            else (str(first), str(second))
        share = (count_row, share_col) if share_col else None
        questions.append(YesNoQuestion(label.strip(), label_pos, names, ((count_row, col1), (count_row, col2)), share))
        last_row = count_row
        r = count_row + 1
        while r <= sheet.max_row and sheet.anchor_of.get((r, question_col)) == label_pos:
            r += 1
    if not questions:
        return None
    return YesNoTable(sheet, header_row, questions, _title(sheet, header_row, aliases),
                      aliases.notes_below(sheet, last_row), last_row)
