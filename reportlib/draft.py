"""The report draft: ``<project>绩效自评报告（草稿）.docx`` and ``.md``, from Jinja2 templates.

Every number comes from the corrected tables (the recomputed figures); prose the tool cannot know is
a marked placeholder (``【待作者填写：…】``).  The templates live in ``input_templates/报告模板/``;
``run --template DIR`` takes a copy a user has changed (either file may be missing there: the
bundled one is used for it).  Word output is rendered by docxtpl with autoescaping, so a project
name holding ``<`` or ``&`` stays text.
"""

from __future__ import annotations

import io
import logging
import re
from functools import lru_cache
from fractions import Fraction
from pathlib import Path
from typing import Any

import jinja2

from .kinds import SHORT_TITLES, TITLES
from .charts import cjk_font, distribution_chart, level1_chart
from .fsio import atomic_write
from .findings import CATALOGUE
from .fixes import FIX
from .indicators.grades import source_words
from .resources import TEMPLATES
from .funds.facts import FundFacts
from .indicators.facts import IndicatorFacts
from .selfeval.facts import SelfEvalFacts
from .questionnaire.facts import QuestionnaireFacts
from .projects import KINDS, MAX_NAME, Project, safe_name
from .schema import Config
from .values import format_at
from .labels import RATE_FORMULA
from .messages import say

log = logging.getLogger(__name__)

TEMPLATE_DIR = TEMPLATES / "报告模板"
DOCX_TEMPLATE = "报告草稿.docx"
MD_TEMPLATE = "报告草稿.md.j2"
SUFFIX = "绩效自评报告（草稿）"  # a third-party evaluation's: 绩效评价报告（草稿）
BASIS_ZH = RATE_FORMULA


def draft_name(project: Project, kind: str | None = None) -> str:
    """``<name>绩效自评报告（草稿）`` (or ``kind``'s): a long name is cut, never the suffix that says what the
    file is."""
    suffix = f"{kind}（草稿）" if kind else SUFFIX
    name = safe_name(project.name)[:MAX_NAME - len(suffix)].rstrip(" ._") or safe_name(None)
    return name + suffix


def template_file(name: str, template_dir: Path | None) -> Path:
    if template_dir is not None and (Path(template_dir) / name).is_file():
        return Path(template_dir) / name
    return TEMPLATE_DIR / name


def _rate(value: Fraction | None) -> str | None:
    """A rate as the fund table's rate cells show it (two decimals of a percentage)."""
    return None if value is None else format_at(value, 4, True)


def context(project: Project, config: Config) -> dict[str, Any]:
    """What the templates may use; see ``input_templates/报告模板/README.md``."""
    schema = config.schema("project")["draft"]
    hole = schema["placeholder"]
    found = project.kinds()
    indicators = _indicators(project)
    holes = ("项目立项背景和主要内容", "项目实施单位和组织管理", "绩效目标", "主要经验和做法", "绩效评价工作过程",
             "项目产出和效益的具体情况", "存在问题的原因分析", "改进建议")
    ctx: dict[str, Any] = {
        "project": {"name": project.name, "full_name": project.full_name or project.name},
        "report_kind": config.report_kind or schema.get("report_kind") or "绩效自评报告",
        "todo": {w: hole.format(what=w) for w in holes + ("评价结论的总体判断",)},
        "todo_list": list(holes) + ([] if indicators else ["评价结论的总体判断"]),
        "attachments": [{"kind": TITLES[k], "files": [Path(p).name for p in found[k]], "present": bool(found[k])}
                        for k in KINDS if k in found],
        "missing": [TITLES[k] for k in KINDS if k in found and not found[k]],
        "funds": _funds(project),
        "selfeval": _selfeval(project),
        "indicators": indicators,
        "survey": _survey(project, schema),
        "problems": _problems(project, schema["max_listed"]),
        "charts": {},
    }
    return ctx


def _funds(project: Project) -> dict | None:
    """The fund table's amounts as the table shows them (its decimals, its separators); an amount the
    table has no column for (a balance it does not state) is not printed."""
    f, t = project.main("funds")
    if t is None or not isinstance(t.facts, FundFacts) or t.facts.blank:
        return None
    facts = t.facts
    unit = facts.unit or "（未注明单位）"

    def amount(role: str) -> str | None:
        return facts.show(facts.totals.get(role)) if role in facts.columns else None

    spent = facts.totals.get("spent")
    available = facts.totals.get("arrived") if facts.totals.get("arrived") is not None else facts.totals.get("budget")
    rows = []
    if len(facts.rows) <= 30:
        for name, values in facts.rows:
            rows.append({"name": name, **{role: facts.show(v) or "" for role, v in values.items()}})
    return {
        "file": f.path.name, "title": facts.title, "unit": unit,
        "budget": amount("budget"), "arrived": amount("arrived"), "spent": amount("spent"),
        "balance": amount("balance"), "execution_rate": _rate(facts.execution_rate),
        "execution_basis": BASIS_ZH.get(facts.execution_basis or ""), "arrival_rate": _rate(facts.arrival_rate),
        "overspent": spent is not None and available is not None and spent > available,
        "rows": rows,
    }


def _indicators(project: Project) -> dict | None:
    f, t = project.main("indicators")
    tables = [x for _, x in project.tables("indicators") if x.figures.get("total_score") is not None]
    best = t if t is not None and t.figures.get("level1") and t.figures.get("total_score") is not None else \
        next((x for x in tables if x.figures.get("level1")), None)
    if best is None:
        return None
    fig = best.figures
    facts = best.facts
    if not isinstance(facts, IndicatorFacts) or facts.total_score is None:
        return None
    wd, sd, rd = facts.decimals  # as the table shows weights, scores and rates

    def score(value: Fraction | None) -> str:
        return "" if value is None else format_at(value, sd)

    level1 = [{"name": x.name, "weight": format_at(x.weight, wd), "score": score(x.score),
               "deduction": score(None if x.score is None else x.weight - x.score),
               "rate": "" if x.score is None or not x.weight else format_at(x.score / x.weight, rd, True)}
              for x in facts.level1]
    return {
        "file": f.path.name if f else "", "total_score": score(facts.total_score),
        "total_weight": format_at(facts.total_weight, wd), "grade": facts.grade or "",
        "bands_source": source_words(fig.get("grade_bands_source")), "level1": level1,
        "raw_level1": fig["level1"], "indicators": facts.indicators,
        "deduction": score(facts.total_weight - facts.total_score),
    }


def _selfeval(project: Project) -> dict | None:
    """The 项目支出绩效自评表's own result, beside the evaluation's: its 总分 and grade, its 资金得分."""
    f, t = project.main("self-evaluation")
    facts = t.facts if t is not None else None
    if not isinstance(facts, SelfEvalFacts) or facts.blank or facts.total_score is None:
        return None
    return {"file": f.path.name, "total_score": format_at(facts.total_score, 2), "grade": facts.grade or "",
            "execution_rate": "" if facts.execution_rate is None else format_at(facts.execution_rate, 4, True),
            "funds_score": "" if facts.funds_score is None else format_at(facts.funds_score, 2),
            "funds_weight": "" if facts.funds_weight is None else format_at(facts.funds_weight, 0)}


def _survey(project: Project, schema: dict) -> dict | None:
    """The survey's figures as its corrected table shows them: the satisfaction at the 最终得分 cell's
    decimals (in 分 for an A–E survey, in % for a yes/no one), question scores at their cells' decimals;
    a survey whose questions were put to groups of different size gives each group's count and the total."""
    f, t = project.main("questionnaire")
    facts = t.facts if t is not None and isinstance(t.facts, QuestionnaireFacts) else None
    if facts is None or facts.satisfaction is None:
        return None
    names = schema["option_names"]
    decimals = facts.stated_final.decimals if facts.stated_final is not None else facts.satisfaction_decimals
    scheme = facts.scheme
    lowest = None
    if scheme is not None and facts.question_scores:
        rate, i = min((s / p if p else Fraction(0), i)
                      for i, (s, p) in enumerate(zip(facts.question_scores, scheme.question_points)))
        lowest = {"number": i + 1, "label": facts.labels[i], "score": format_at(facts.question_scores[i],
                                                                               facts.score_decimals),
                  "points": f"{float(scheme.question_points[i]):g}", "rate": format_at(rate, 4, True)}
    counts = facts.option_counts or {}
    total = sum(counts.values())
    options = [{"key": k, "name": names.get(k, k), "count": n,
                "share": format_at(Fraction(n, total) if total else Fraction(0), 4, True)} for k, n in counts.items()]
    stated = facts.stated_final
    shown = format_at(facts.satisfaction, decimals)
    groups = [{"questions": f"{a}–{b}" if b > a else str(a), "n": n} for a, b, n in facts.groups]
    return {
        "file": f.path.name, "form": facts.form, "questions": len(facts.labels),
        "respondents": facts.respondents, "groups": groups,
        "satisfaction": shown, "unit": "%" if facts.form == "yes-no" else " 分",
        "stated": None if stated is None or format_at(stated.value, decimals) == shown else stated.display(),
        "lowest": lowest, "options": options,
    }


def _problems(project: Project, limit: int) -> dict:
    """What the checks found, as the genre writes it: per attachment, how many cells of each kind of
    problem were corrected or need a look (the report's paragraphs), and the cell-by-cell list for the
    appendix table (单元格 / 原值 / 更正为 / 处理 / 原因)."""
    by_attachment: list[dict] = []
    rows: list[dict] = []
    for f in project.files:
        fixed_cells = {(t.sheet, fx.ref) for t in f.tables for fx in t.fixes if fx.mark == FIX}
        groups: dict[str, dict] = {}
        for x in f.findings:
            if x.severity == "info":
                continue
            corrected = (x.sheet, x.cell) in fixed_cells
            title = CATALOGUE.get(x.code, ("", x.code))[1]
            group = groups.setdefault(title, {"title": title, "count": 0, "corrected": 0, "review": 0})
            group["count"] += 1
            group["corrected" if corrected else "review"] += 1
            rows.append({"n": len(rows) + 1, "kind": SHORT_TITLES.get(f.kind or "", say("report.title")),
                         "file": f.path.name, "where": _where(x),
                         "found": "" if x.found is None else str(x.found),
                         "expected": "" if x.expected is None else str(x.expected),
                         "mark": "已更正" if corrected else "需核对",
                         "message": str((x.params or {}).get("reason") or x.message)})
        if groups:
            by_attachment.append({"kind": TITLES.get(f.kind or "", say("report.title")), "file": f.path.name,
                                  "groups": sorted(groups.values(), key=lambda g: -g["count"])})
    return {"by_attachment": by_attachment, "project": [x.message for x in project.findings],
            "rows": rows[:limit], "more": max(0, len(rows) - limit), "count": len(rows),
            "unreadable": [f.error for f in project.files if f.error]}


def _where(x) -> str:
    """Where a finding is: ``sheet!C5``, or the paragraph of a report."""
    if x.place is not None:
        return x.place
    return f"{x.sheet}!{x.cell or x.range or ''}".rstrip("!")


def _charts(ctx: dict, config: Config) -> dict[str, bytes]:
    """PNG charts by name; a chart that cannot be drawn is replaced by the reason in ``ctx['charts']``."""
    names = tuple(config.schema("project")["draft"]["chart_fonts"])
    font = cjk_font(names)
    drawn: dict[str, bytes] = {}
    wanted = {"level1": ctx["indicators"] is not None and bool(ctx["indicators"]["raw_level1"]),
              "distribution": ctx["survey"] is not None and bool(ctx["survey"]["options"])}
    for name, want in wanted.items():
        if not want:
            continue
        if font is None:
            ctx["charts"][name] = {"omitted": "（图表未生成：本机没有可显示中文的字体，请安装 fonts-noto-cjk 等中文字体后重新运行）"}
            continue
        if name == "level1":
            drawn[name] = level1_chart(ctx["indicators"]["raw_level1"], font)
        else:
            s = ctx["survey"]
            drawn[name] = distribution_chart([f"{o['key']} {o['name']}" for o in s["options"]],
                                             [o["count"] for o in s["options"]], font)
        ctx["charts"][name] = {"omitted": None}
    return drawn


def _markdown_escape(value: Any) -> str:
    text = "" if value is None else str(value)
    for ch in "\\`*_[]<>|#":
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", " ")


@lru_cache(maxsize=8)
def _markdown_template(template: Path) -> jinja2.Template:
    """Compiled once per batch: compiling costs more than rendering."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(template.parent)), autoescape=False,
                             undefined=jinja2.ChainableUndefined, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = _markdown_escape
    env.filters["mark"] = lambda text: f"<mark>{_markdown_escape(text)}</mark>"  # shaded where Markdown shows HTML
    return env.get_template(template.name)


def render_markdown(ctx: dict, template: Path) -> str:
    return _markdown_template(template).render(**ctx)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(value: Any) -> Any:
    """Text from a workbook without the control characters XML cannot hold (they would corrupt the .docx)."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, dict):
        return {k: _xml_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_xml_safe(v) for v in value]
    return value


class _CompiledOnce(jinja2.Environment):
    """docxtpl compiles each part's XML with ``from_string`` on every render (~50 ms for the report);
    the XML of a given template is the same every time, so its compiled form is kept."""

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            if len(self._compiled) > 32:  # a long watch with many --template folders
                self._compiled.clear()
            self._compiled[source] = super().from_string(source)
        return self._compiled[source]


_DOCX_ENV = _CompiledOnce(undefined=jinja2.ChainableUndefined, autoescape=True)


def render_docx(ctx: dict, template: Path, charts: dict[str, bytes]) -> bytes:
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    doc = DocxTemplate(str(template))
    values = _xml_safe(ctx)
    values["images"] = {name: InlineImage(doc, io.BytesIO(data), width=Mm(150)) for name, data in charts.items()}
    doc.render(values, _DOCX_ENV, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def write_drafts(project: Project, folder: Path, config: Config, template_dir: Path | None = None) -> None:
    """Write the project's draft as .md (with its charts as .png beside it) and as .docx."""
    ctx = context(project, config)
    charts = _charts(ctx, config)
    for name, chart in ctx["charts"].items():
        if chart["omitted"]:
            project.notes.append(f"项目“{project.name}”：{chart['omitted']}")
            log.warning("%s", project.notes[-1])
    base = draft_name(project, ctx["report_kind"])
    files = {"level1": f"{base}_图1_一级指标得分.png", "distribution": f"{base}_图2_满意度分布.png"}
    for name, data in charts.items():
        atomic_write(folder / files[name], data)
        ctx["charts"][name]["file"] = files[name]
    md = folder / f"{base}.md"
    atomic_write(md, render_markdown(ctx, template_file(MD_TEMPLATE, template_dir)).encode("utf-8"))
    docx = folder / f"{base}.docx"
    atomic_write(docx, render_docx(ctx, template_file(DOCX_TEMPLATE, template_dir), charts))
    project.outputs.update({"draft_md": md, "draft_docx": docx})
