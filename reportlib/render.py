"""Rendering a batch for people: one block per file, findings as aligned lines, then a summary."""

from __future__ import annotations

from .kinds import SHORT_TITLES, TITLES
from .indicators.grades import source_words
from .questionnaire.scheme import source_words as source_words_scheme
from .messages import say
from .projects import KINDS, project_figures
from .labels import FILE_STATUS, RATE_BASIS, SEVERITY

STATUS_ZH = FILE_STATUS  # the names other modules import
SEVERITY_MARK = SEVERITY


def _amount(value: float) -> str:
    """An amount with every decimal it has (82.050854, not 82.0509) and none it has not (110)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _funds_line(fig: dict) -> str:
    names = {"budget": "预算", "arrived": "到位", "spent": "支出", "balance": "结余", "amount": "金额"}
    stated = fig.get("roles")  # an amount the table has no column for (a balance worked out) is not said
    amounts = "、".join(f"{zh} {_amount(fig[k])}" for k, zh in names.items()
                       if fig.get(k) is not None and (stated is None or k in stated))
    unit = f"（{fig['unit']}）" if fig.get("unit") else "（未注明单位）"
    rates = []
    if fig.get("execution_rate") is not None:
        basis = RATE_BASIS.get(fig.get("execution_rate_basis") or "", "")
        rates.append(f"预算执行率 {fig['execution_rate']:.2f}%（{basis}）")
    if fig.get("arrival_rate") is not None:
        rates.append(f"资金到位率 {fig['arrival_rate']:.2f}%")
    return f"{fig['items']} 项：{amounts}{unit}" + (f"；{'，'.join(rates)}" if rates else "")


def project_lines(p) -> list[str]:
    """One line per project: its attachments, counts and main figures; then its own findings."""
    lines = []
    fig = project_figures(p)
    found = p.kinds()
    have = "".join(("✓" if found[k] else "✗") + SHORT_TITLES[k][:2] for k in KINDS if k in found)
    parts = []
    if fig["total_score"] is not None:
        parts.append(f"总分 {fig['total_score']:g}" + (f"（{fig['grade']}）" if fig["grade"] else ""))
    if fig["satisfaction"] is not None:
        parts.append(f"满意度 {fig['satisfaction']:.2f}")
    if fig["spent"] is not None:
        parts.append(f"支出 {_amount(fig['spent'])}{fig['unit'] or ''}")
    if fig["execution_rate"] is not None:
        parts.append(f"执行率 {fig['execution_rate']:.2f}%")
    lines.append(f"  {p.name}  [{have}] 错误 {p.count('error')}，警告 {p.count('warning')}"
                 + (f"；{'，'.join(parts)}" if parts else ""))
    for x in p.findings:
        lines.append(f"    {SEVERITY_MARK.get(x.severity, x.severity)}  {x.code:<24} {x.message}")
    for note in p.notes:
        lines.append(f"    {note}")
    return lines


def summary_line(s: dict) -> str:
    """The last line of every run, for people and job schedulers alike."""
    unchanged = f"（其中 {s['unchanged']} 个项目未变，沿用上次结果）" if s.get("unchanged") else ""
    unwritten = f"；{s['unwritten']} 项输出未能写出" if s.get("unwritten") else ""
    if s["unreadable"] or s.get("unwritten"):
        meaning = "（退出码 2：有文件无法读取或有输出未能写出）"
    elif s["errors"]:
        meaning = "（退出码 1：表格中有需要更正的错误；运行本身已完成）"
    else:
        meaning = ""
    return (f"共 {s['projects']} 个项目{unchanged}、{s['files']} 个文件：无问题 {s['clean']}，有发现 {s['with_findings']}，"
            f"无法读取 {s['unreadable']}，跳过 {s['skipped']}；错误 {s['errors']} 条，警告 {s['warnings']} 条"
            f"{unwritten}{meaning}")


def file_lines(f) -> list[str]:
    """A file's block: its kind and status, findings with their cells, then its recomputed figures."""
    lines: list[str] = []
    kind = TITLES.get(f.kind or "", say("report.title") if f.kind == "report" else "-")
    lines.append(f"{f.display_path}  [{kind}] {STATUS_ZH.get(f.status, f.status)}")
    if f.error:
        lines.append(f"  {f.error}")
    for x in f.findings:
        where = f"{x.sheet}!{x.cell or x.range}" if x.cell or x.range else \
            (x.place or x.sheet or "")
        lines.append(f"  {SEVERITY_MARK.get(x.severity, x.severity)}  {x.code:<24} {where:<14} {x.message}")
    fig = f.figures
    if fig.get("satisfaction") is not None:
        weights = fig.get("option_weights")
        scheme = ""
        if weights:
            scheme = (f"；选项权重 {'/'.join(f'{v:g}' for v in weights.values())}"
                      f"（{source_words_scheme(fig.get('option_weights_source'))}）")
        stated = fig.get("stated_satisfaction")
        stated_text = f"（表中为 {stated:g}）" if stated is not None and stated != fig["satisfaction"] else ""
        lines.append(f"  有效问卷 {fig['respondents']} 份，{fig['questions']} 题，"
                     f"满意度 {fig['satisfaction']:.2f}{stated_text}{scheme}")
    if fig.get("total_score") is not None:
        stated = fig.get("stated_total_score")
        stated_text = f"（表中为 {stated:g}）" if stated is not None and stated != fig["total_score"] else ""
        parts = "、".join(f"{x['name']} {x['score']:g}/{x['weight']:g}" for x in fig.get("level1", [])
                         if x.get("score") is not None)
        grade = f"，等级“{fig['grade']}”（{source_words(fig['grade_bands_source'])}）" if fig.get("grade") else ""
        lines.append(f"  总分 {fig['total_score']:g}/{fig['total_weight']:g}{stated_text}{grade}"
                     + (f"；{parts}" if parts else ""))
    if f.kind == "funds" and fig.get("items"):
        lines.append("  " + _funds_line(fig))
    if f.output:
        lines.append(f"  已写出：{f.output}")
    return lines
