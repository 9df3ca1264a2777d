"""Finding a 项目支出绩效自评表 in a sheet: its title, the head's 项目名称 / 主管部门 / 实施单位, the 项目资金
block (its columns and its 年度资金总额 and 其中 rows), the 绩效指标 block (its columns and one row per
三级指标), the 总分 row and the grade.  The words are ``schemas/selfeval.yaml``; a form is found by its
title and its blocks' header rows wherever they sit (an info line above, a code or phone column, the
blocks shifted), never by fixed positions."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..grid import Pos, Sheet
from ..schema import alias_set
from ..values import Number, label_key

#: a header's letters and units, which the forms add to a column's name: 全年预算数(A), 执行率(B/A), （万元）
_HEADER_NOISE = re.compile(r"[(（][A-Za-z/÷×*]+[)）]|[(（]?(?:万元|元)[)）]?|[A-Za-z]$")


@dataclass
class FundRow:
    row: int
    label: str  # as printed
    role: str  # total | 当年财政拨款 | 上年结转资金 | 其他资金


@dataclass
class Indicator:
    row: int
    level1: str
    level2: str
    name: str  # the 三级指标 as printed
    target: str  # 年度指标值 as printed (with the 指标性质 and 度量单位 columns where the form has them)
    actual: str


@dataclass
class Form:
    sheet: Sheet
    title: str
    title_pos: Pos
    year: int | None = None
    info: dict[str, tuple[str, Pos]] = field(default_factory=dict)  # project / department / unit_name
    unit: str | None = None  # 万元 or 元, from the block's label or header
    unit_pos: Pos | None = None
    fund_header: int | None = None
    fund_cols: dict[str, int] = field(default_factory=dict)
    fund_rows: list[FundRow] = field(default_factory=list)
    ind_header: int | None = None
    ind_cols: dict[str, int] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    #: level-1 name -> (the weight its label states, the label's cell)
    level1_weights: dict[str, tuple[int | float, Pos]] = field(default_factory=dict)
    total_row: int | None = None
    grade_pos: Pos | None = None
    last_row: int = 0

    @property
    def total_fund_row(self) -> FundRow | None:
        return next((r for r in self.fund_rows if r.role == "total"), None)

    @property
    def item_rows(self) -> list[FundRow]:
        return [r for r in self.fund_rows if r.role != "total"]


class Words:
    """The schema's words, normalised as labels are compared."""

    def __init__(self, schema: dict[str, Any], grades: dict[str, Any]):
        self.schema = schema
        self.grade_words = {label_key(w) for ws in grades["grades"]["synonyms"].values() for w in ws}
        self.title = [label_key(w) for w in schema["title_words"]]
        self.title_ends = {w[-1] for w in self.title}  # a cheap first look: the title's last character (表)
        self.satisfaction = [label_key(w) for w in schema["indicators"]["satisfaction_words"]]
        self.not_title = [label_key(w) for w in schema["not_title_words"]]
        self.info = {k: alias_set(v) for k, v in schema["info"].items()}
        f, i = schema["funds"], schema["indicators"]
        self.fund_label = [label_key(w) for w in f["label"]]
        self.fund_cols = {k: alias_set(v) for k, v in f["columns"].items()}
        self.total = alias_set(f["rows"]["total"])
        self.items = {k: alias_set(v) for k, v in f["rows"]["items"].items()}
        self.ind_cols = {k: alias_set(v) for k, v in i["columns"].items()}
        self.level1 = [label_key(w) for w in i["level1"]]
        self.label_weight = re.compile(i["label_weight"])
        self.form_total = alias_set(schema["total"])
        self.grade = alias_set(schema["grade"])
        self.signatures = [label_key(w) for w in schema["signatures"]]
        self.year = re.compile(schema["year"])

    def is_title(self, text: str) -> bool:
        key = label_key(text)
        return any(w in key for w in self.title) and not any(w in key for w in self.not_title)


def header_key(text: Any) -> str:
    """A header cell as its column's name: 全年预算数(A) → 全年预算数, 执行率（B/A） → 执行率."""
    if not isinstance(text, str):
        return ""
    return label_key(_HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text).strip()))


def header(sheet: Sheet, row: int | None, col: int) -> str:
    """A column's header as printed (for messages)."""
    value = sheet.shown(row, col) if row else None
    return " ".join(str(value).split()) if value is not None else ""


def find_forms(sheet: Sheet, words: Words) -> list[Form]:
    """Every form in a sheet, top to bottom (a PDF turned workbook may hold one a page)."""
    titles = sorted((pos, text) for pos, text in sheet.values.items()  # a title names a 表: the rest is not read
                    if isinstance(text, str) and len(text) <= 60 and any(ch in text for ch in words.title_ends)
                    and words.is_title(text))
    forms = []
    for n, (pos, text) in enumerate(titles):
        end = titles[n + 1][0][0] - 1 if n + 1 < len(titles) else sheet.max_row
        form = _read(sheet, words, pos, " ".join(text.split()), end)
        if form is not None:
            forms.append(form)
    return forms


def _read(sheet: Sheet, words: Words, title_pos: Pos, title: str, end: int) -> Form | None:
    form = Form(sheet, title, title_pos)
    for r in range(title_pos[0], min(end, title_pos[0] + 2) + 1):  # （2022年度） on the title's row or the next
        for c in range(1, sheet.max_col + 1):
            m = words.year.search(unicodedata.normalize("NFKC", str(sheet.raw(r, c) or "")))
            if m and form.year is None:
                form.year = int(m.group(1))
    for r in range(title_pos[0] + 1, end + 1):
        if form.fund_header is not None and form.ind_header is not None:
            break  # both blocks' headers found: the rows below are the blocks' own
        keys = [header_key(sheet.shown(r, c)) for c in range(1, sheet.max_col + 1)]
        if form.fund_header is None and _fund_header(form, words, r, keys):
            continue
        if form.ind_header is None and _indicator_header(form, words, r, keys):
            continue
        if form.ind_header is None and form.fund_header is None:
            _info(form, words, sheet, r)
    if form.fund_header is None and form.ind_header is None:
        return None
    _unit(form, words, sheet)
    _fund_rows(form, words, sheet, end)
    _indicator_rows(form, words, sheet, end)
    return form


def _info(form: Form, words: Words, sheet: Sheet, row: int) -> None:
    """项目名称 | 2022年… : each label's value is the next text to its right."""
    for c in range(1, sheet.max_col + 1):
        key = label_key(sheet.raw(row, c))
        what = next((k for k, aliases in words.info.items() if key in aliases), None)
        if what is None or what in form.info:
            continue
        for v in range(c + 1, sheet.max_col + 1):
            value = sheet.raw(row, v)
            if isinstance(value, str) and value.strip():
                if label_key(value) not in {a for s in words.info.values() for a in s}:
                    form.info[what] = (" ".join(value.split()), (row, v))
                break


def _columns(keys: list[str], roles: dict[str, frozenset[str]]) -> dict[str, int]:
    """Each role's column in a header row: the first cell whose name is one of its aliases."""
    cols: dict[str, int] = {}
    for c, key in enumerate(keys, 1):
        role = next((k for k, aliases in roles.items() if key in aliases and k not in cols), None)
        if role is not None:
            cols[role] = c
    return cols


def _fund_header(form: Form, words: Words, row: int, keys: list[str]) -> bool:
    cols = _columns(keys, words.fund_cols)
    if "spent" not in cols or not ({"budget", "budget_initial"} & cols.keys()) or len(cols) < 3:
        return False
    if "budget" not in cols:  # a form with one budget column (年初预算数 only) divides by it
        cols["budget"] = cols.pop("budget_initial")
    form.fund_header, form.fund_cols = row, cols
    return True


def _indicator_header(form: Form, words: Words, row: int, keys: list[str]) -> bool:
    cols = _columns(keys, words.ind_cols)
    if not {"level1", "weight", "score"} <= cols.keys() or not ({"level3", "level2"} & cols.keys()):
        return False
    form.ind_header, form.ind_cols = row, cols
    return True


def _unit(form: Form, words: Words, sheet: Sheet) -> None:
    """项目资金（万元） / 资金情况(万元) / a header's （元）: the amounts' unit (万元 when none is said)."""
    rows = range(form.title_pos[0], (form.fund_header or form.title_pos[0]) + 1)
    for r in rows:
        for c in range(1, sheet.max_col + 1):
            text = unicodedata.normalize("NFKC", str(sheet.raw(r, c) or ""))
            m = re.search(r"(万元|元)", text)
            if m and (r == form.fund_header or any(w in label_key(text) for w in words.fund_label)
                      or re.search(r"单位[:：]", text)):
                form.unit, form.unit_pos = m.group(1), (r, c)
                return
    if form.fund_header is not None:
        form.unit = "万元"


def _row_label(sheet: Sheet, row: int, before: int) -> str:
    """The label of a block's row: the last text left of its first figure column."""
    label = ""
    for c in range(1, before):
        value = sheet.raw(row, c)
        if isinstance(value, str) and value.strip():
            label = value
    return label


def _fund_rows(form: Form, words: Words, sheet: Sheet, end: int) -> None:
    if form.fund_header is None:
        return
    first = min(form.fund_cols.values())
    stop = form.ind_header or end
    for r in range(form.fund_header + 1, stop):
        label = _row_label(sheet, r, first)
        key = fund_row_key(label)
        if key in words.total:
            form.fund_rows.append(FundRow(r, label.strip(), "total"))
            continue
        role = next((k for k, aliases in words.items.items() if key in aliases), None)
        if role is not None:
            form.fund_rows.append(FundRow(r, label.strip(), role))
        elif form.fund_rows and not any(isinstance(sheet.parsed(r, c), Number) for c in form.fund_cols.values()):
            break  # 年度总体目标 and what follows
    form.last_row = max([form.last_row] + [x.row for x in form.fund_rows])


def fund_row_key(label: str) -> str:
    """其中：当年财政拨款 → 当年财政拨款; 年度资金总额： → 年度资金总额."""
    return re.sub(r"^其中", "", label_key(label).replace(":", ""))


def _indicator_rows(form: Form, words: Words, sheet: Sheet, end: int) -> None:
    if form.ind_header is None:
        return
    cols = form.ind_cols
    level1 = level2 = ""
    for r in range(form.ind_header + 1, end + 1):
        texts = [label_key(sheet.raw(r, c)) for c in range(1, sheet.max_col + 1)]
        if any(t in words.form_total for t in texts if t):
            form.total_row = r
            _grade_in(form, words, sheet, r)
            break
        if any(t and any(t.startswith(s) for s in words.signatures) for t in texts):
            break
        shown = {k: _cell_text(sheet, r, c) for k, c in cols.items()}
        level1 = shown.get("level1") or level1
        level2 = shown.get("level2") or level2
        name = shown.get("level3") or ("" if "level3" in cols else level2)
        weight, score = sheet.parsed(r, cols["weight"]), sheet.parsed(r, cols["score"])
        if not isinstance(weight, Number) and not isinstance(score, Number):
            continue  # a blank row, or 指标2, …… : a placeholder row of the template
        target = " ".join(x for x in (shown.get("operator"), shown.get("target"), shown.get("measure")) if x)
        form.indicators.append(Indicator(r, level1, level2, name, target, shown.get("actual", "")))
        _level1_weight(form, words, sheet, r, cols["level1"], level1)
    for r in range(form.ind_header + 1, min(end, (form.total_row or form.ind_header) + 3) + 1):
        for c in range(1, sheet.max_col + 1):
            if label_key(sheet.raw(r, c)) in words.grade and form.grade_pos is None:
                form.grade_pos = next(((r, v) for v in range(c + 1, sheet.max_col + 1)
                                       if sheet.raw(r, v) not in (None, "")), None)
    rows = [i.row for i in form.indicators] + ([form.total_row] if form.total_row else [])
    form.last_row = max([form.last_row] + rows)


def _grade_in(form: Form, words: Words, sheet: Sheet, row: int) -> None:
    """永德's 总分 | 100 | 96 | 优: a grade word right of the score in the 总分 row."""
    score = form.ind_cols["score"]
    for c in range(score + 1, sheet.max_col + 1):
        value = sheet.raw(row, c)
        if isinstance(value, str) and label_key(value) in words.grade_words:
            form.grade_pos = (row, c)
            return


def _level1_weight(form: Form, words: Words, sheet: Sheet, row: int, col: int, level1: str) -> None:
    """产出指标(50分): the weight a level-1 label states, once per level-1."""
    if not level1 or level1 in form.level1_weights:
        return
    m = words.label_weight.search(unicodedata.normalize("NFKC", level1))
    if m:
        anchor = sheet.anchor_of.get((row, col), (row, col))
        number = float(m.group(1))
        form.level1_weights[level1] = (int(number) if number.is_integer() else number, anchor)


def level1_name(label: str, words: Words) -> str:
    """产出指标(50分) → 产出指标; 效益 指标 → 效益指标."""
    key = words.label_weight.sub("", label_key(label))
    return next((w for w in words.level1 if w in key or key in w and key), key)


def _cell_text(sheet: Sheet, row: int, col: int) -> str:
    """A cell as a reader sees it: a number as its format shows it (95%, not 0.95), a merged range's
    anchor for every cell it covers."""
    anchor = sheet.anchor_of.get((row, col), (row, col))
    parsed = sheet.parsed(*anchor)
    if isinstance(parsed, Number) and not isinstance(sheet.raw(*anchor), str):
        return parsed.display()
    return _text(sheet.shown(row, col))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())
