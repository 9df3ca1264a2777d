"""Writes ``input_templates/报告模板/报告草稿.docx``, the Word template of the report draft.

It is a docxtpl template: Jinja2 tags in ordinary paragraphs (``{{ funds.budget }}``), paragraph
and table-row loops (``{%p for … %}``, ``{%tr for … %}``), so a user can open it in Word, change
the wording, the styles or the order, and pass the folder with ``run --template DIR``.  Its form
(A4, margins, page numbers, fonts, indents, tables, captions, highlighted placeholders) is
:mod:`reportlib.docxform`.  Regenerate with ``python -m reportlib.template_report``.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document

from . import docxform
from .docxform import caption, highlighted
from .draft import DOCX_TEMPLATE, TEMPLATE_DIR
from .fsio import atomic_write

#: the groups a yes/no survey's questions were put to, when they differ in size
SELFEVAL = ("项目支出绩效自评表（来源：{{ selfeval.file }}）自评总分 {{ selfeval.total_score }} 分，等级为“{{ selfeval.grade }}”；"
            "其中预算执行率 {{ selfeval.execution_rate }}，资金得分 {{ selfeval.funds_score }} 分（分值 {{ selfeval.funds_weight }} 分）。")
GROUPS = ("{% if survey.groups %}（{% for g in survey.groups %}{% if not loop.first %}，{% endif %}第{{ g.questions }}题 "
          "{{ g.n }} 份{% endfor %}）{% endif %}")
#: the fund table's amounts that it gives, in a sentence
AMOUNTS = ("{{ [funds.budget and ('预算资金 ' ~ funds.budget ~ funds.unit), funds.arrived and ('实际到位 ' ~ funds.arrived ~ "
           "funds.unit), funds.spent and ('实际支出 ' ~ funds.spent ~ funds.unit), funds.balance and ('结余 ' ~ "
           "funds.balance ~ funds.unit), funds.execution_rate and ('预算执行率 ' ~ funds.execution_rate ~ '（' ~ "
           "funds.execution_basis ~ '）')] | select | join('，') }}")


def loop_table(doc, header: tuple[str, ...], loop: str, cells: tuple[str, ...], widths: tuple[float, ...],
               numeric: tuple[int, ...], total: tuple[str, ...] | None = None):
    """A table whose body row repeats for each item: header, ``{%tr for … %}``, the row, ``{%tr endfor %}``."""
    table = docxform.table(doc, header, widths, numeric, 4 + bool(total))
    for row, texts in ((2, cells), (4, total or ())):
        for cell, text in zip(table.rows[row].cells if row < len(table.rows) else (), texts):
            cell.paragraphs[0].add_run(text)
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for " + loop + " %}")
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    return table


def chart(p, doc, name: str, title: str) -> None:
    """A chart's image with its caption below, or the sentence saying why it was left out."""
    p("{%p if images." + name + " %}")
    p("{{ images." + name + " }}").paragraph_format.first_line_indent = 0
    caption(doc, title)
    p("{%p elif charts." + name + " %}")
    p("{{ charts." + name + ".omitted }}")
    p("{%p endif %}")


def build(path: Path) -> None:
    doc = Document()
    docxform.styles(doc)
    docxform.page(doc)

    def p(text: str = "", style: str | None = None):
        return doc.add_paragraph(text, style=style)

    def todo(name: str):
        """A paragraph the author must write: the placeholder, shaded."""
        paragraph = doc.add_paragraph()
        highlighted(paragraph, "{{ todo['" + name + "'] }}")
        return paragraph

    doc.add_paragraph("{{ project.full_name }}{{ report_kind }}（草稿）", style="Title")
    p("本草稿由绩效表格校核工具根据校核后的附件生成：所有数字取自重新计算的表格，与校核后的工作簿显示的一致；"
      "黄色底纹的“【待作者填写：…】”处须由作者补写，工具不会代写。")
    highlighted(p("待作者填写（{{ todo_list|length }} 处）："), "{{ todo_list|join('；') }}")
    p("{%p if missing %}")
    p("注意：本项目缺少{{ missing|join('、') }}，相关段落留空。")
    p("{%p endif %}")

    doc.add_heading("摘要", 1)
    doc.add_heading("（一）项目概况", 2)
    todo("项目立项背景和主要内容")
    p("{%p if funds %}")
    p("本项目" + AMOUNTS + "。")
    p("{%p endif %}")
    doc.add_heading("（二）评价结论", 2)
    p("{%p if indicators %}")
    p("通过对项目决策、过程（管理）、绩效等方面的指标进行评价、打分，最终自评得分 {{ indicators.total_score }} 分"
      "（满分 {{ indicators.total_weight }} 分），评定等级为“{{ indicators.grade }}”。")
    p("{%p else %}")
    todo("评价结论的总体判断")
    p("{%p endif %}")
    p("{%p if survey %}")
    p("满意度调查收回有效问卷 {{ survey.respondents }} 份" + GROUPS + "，综合满意度 {{ survey.satisfaction }}{{ survey.unit }}。")
    p("{%p endif %}")
    doc.add_heading("（三）经验、问题和建议", 2)
    todo("主要经验和做法")
    todo("改进建议")

    doc.add_heading("一、项目基本情况", 1)
    doc.add_heading("（一）项目概况", 2)
    todo("项目实施单位和组织管理")
    todo("绩效目标")
    doc.add_heading("（二）资金来源及使用情况", 2)
    p("{%p if funds %}")
    p("据资金使用情况表（{{ funds.file }}），本项目{{ [funds.budget and ('预算资金 ' ~ funds.budget ~ funds.unit), "
      "funds.arrived and ('资金到位 ' ~ funds.arrived ~ funds.unit), funds.arrival_rate and ('资金到位率 ' ~ "
      "funds.arrival_rate), funds.spent and ('实际支出 ' ~ funds.spent ~ funds.unit), funds.balance and ('结余 ' ~ "
      "funds.balance ~ funds.unit)] | select | join('，') }}。")
    p("{%p if funds.rows %}")
    caption(doc, "表1 资金使用情况（单位：{{ funds.unit }}）")
    loop_table(doc, ("项目/单位", "预算", "到位", "支出", "结余"), "r in funds.rows",
               ("{{ r.name }}", "{{ r.budget }}", "{{ r.arrived }}", "{{ r.spent }}", "{{ r.balance }}"),
               (6.6, 2.4, 2.4, 2.4, 2.4), (1, 2, 3, 4))
    p("{%p endif %}")
    p("{%p else %}")
    p("（缺少资金使用情况表，资金数据待补充。）")
    p("{%p endif %}")

    doc.add_heading("二、绩效评价工作开展情况", 1)
    todo("绩效评价工作过程")

    doc.add_heading("三、评价结论和绩效分析", 1)
    doc.add_heading("（一）评价结论", 2)
    p("{%p if indicators %}")
    p("项目绩效指标体系得分情况如表2（来源：{{ indicators.file }}）。")
    caption(doc, "表2 一级指标得分情况")
    loop_table(doc, ("一级指标", "权重分", "得分", "扣分", "得分率"), "r in indicators.level1",
               ("{{ r.name }}", "{{ r.weight }}", "{{ r.score }}", "{{ r.deduction }}", "{{ r.rate }}"),
               (5.6, 2.3, 2.3, 2.3, 2.3), (1, 2, 3, 4),
               total=("合计", "{{ indicators.total_weight }}", "{{ indicators.total_score }}",
                      "{{ indicators.deduction }}", ""))
    p("综合得分 {{ indicators.total_score }} 分，评价等级为“{{ indicators.grade }}”（等级标准：{{ indicators.bands_source }}）。")
    chart(p, doc, "level1", "图1 一级指标权重分与得分")
    p("{%p else %}")
    p("（缺少指标体系评分表。）")
    p("{%p endif %}")
    p("{%p if selfeval %}")
    p(SELFEVAL)
    p("{%p endif %}")
    doc.add_heading("（二）绩效分析", 2)
    todo("项目产出和效益的具体情况")
    doc.add_heading("1. 满意度", 3)
    p("{%p if survey %}")
    p("{% if survey.form == 'a-e' %}满意度调查共收回有效问卷 {{ survey.respondents }} 份，{{ survey.questions }} 个问题，"
      "按各题人数重新计算的综合满意度为 {{ survey.satisfaction }} 分{% if survey.stated %}（问卷统计表中写的是 "
      "{{ survey.stated }} 分，已更正）{% endif %}。{% if survey.lowest %}得分率最低的是第{{ survey.lowest.number }}题"
      "“{{ survey.lowest.label }}”，得 {{ survey.lowest.score }} 分（满分 {{ survey.lowest.points }} 分，得分率 "
      "{{ survey.lowest.rate }}）。{% endif %}{% else %}满意度调查共收回有效问卷 {{ survey.respondents }} 份" + GROUPS +
      "，{{ survey.questions }} 个问题，满意度为 {{ survey.satisfaction }}%。{% endif %}")
    p("{%p if survey.options %}")
    caption(doc, "表3 满意度调查各选项人次")
    loop_table(doc, ("选项", "人次", "占比"), "o in survey.options",
               ("{{ o.key }} {{ o.name }}", "{{ o.count }}", "{{ o.share }}"), (5.0, 3.0, 3.0), (1, 2))
    p("{%p endif %}")
    chart(p, doc, "distribution", "图2 满意度调查各选项人次分布")
    p("{%p else %}")
    p("（缺少问卷统计表。）")
    p("{%p endif %}")

    doc.add_heading("四、成本效益分析", 1)
    p("{%p if funds %}")
    p("本项目{{ [funds.budget and ('预算 ' ~ funds.budget ~ funds.unit), funds.spent and ('实际支出 ' ~ funds.spent ~ "
      "funds.unit), funds.execution_rate and ('预算执行率 ' ~ funds.execution_rate ~ '（' ~ funds.execution_basis ~ "
      "'）')] | select | join('，') }}。{% if funds.overspent %}实际支出超过可用资金，须说明原因。{% endif %}")
    p("{%p endif %}")
    todo("项目产出和效益的具体情况")

    doc.add_heading("五、存在的问题和建议", 1)
    doc.add_heading("（一）附件校核发现的问题", 2)
    p("{%p for k in problems.by_attachment %}")
    p("{{ k.kind }}（{{ k.file }}）中，{% for g in k.groups %}{% if not loop.first %}；{% endif %}{{ g.count }} 处"
      "{{ g.title }}{% if g.corrected and g.review %}（已更正 {{ g.corrected }} 处，{{ g.review }} 处需核对）"
      "{% elif g.corrected %}，已更正{% else %}，需核对{% endif %}{% endfor %}。")
    p("{%p endfor %}")
    p("{%p for x in problems.project %}")
    p("{{ x }}")
    p("{%p endfor %}")
    p("{%p if problems.rows %}")
    p("已更正的单元格在校核后的工作簿中以黄色标出，需核对的以粉色标出，批注写明原值和原因；逐格明细见附表。")
    p("{%p endif %}")
    p("{%p for e in problems.unreadable %}")
    p("{{ e }}")
    p("{%p endfor %}")
    p("{%p if not problems.rows and not problems.project and not problems.unreadable %}")
    p("附件校核未发现问题。")
    p("{%p endif %}")
    doc.add_heading("（二）存在问题的原因分析", 2)
    todo("存在问题的原因分析")
    doc.add_heading("（三）改进建议", 2)
    todo("改进建议")

    doc.add_heading("附件", 1)
    p("{%p for a in attachments %}")
    p("{{ loop.index }}. {{ a.kind }}{% if a.files %}：{{ a.files|join('、') }}{% else %}（缺）{% endif %}")
    p("{%p endfor %}")
    p("{%p if problems.rows %}")
    doc.add_heading("附表 校核发现的问题明细", 1)
    loop_table(doc, ("序号", "附件", "单元格", "原值", "更正为", "处理", "原因"), "x in problems.rows",
               ("{{ x.n }}", "{{ x.kind }}", "{{ x.where }}", "{{ x.found }}", "{{ x.expected }}", "{{ x.mark }}",
                "{{ x.message }}"), (1.3, 1.6, 2.6, 1.9, 1.9, 1.6, 4.7), (0, 3, 4))
    p("{%p if problems.more %}")
    p("另有 {{ problems.more }} 处未列出，见各工作簿的“问题清单”。")
    p("{%p endif %}")
    p("{%p endif %}")

    doc.core_properties.title = "绩效自评报告（草稿）模板"
    doc.core_properties.author = "绩效表格校核"
    buffer = io.BytesIO()
    doc.save(buffer)
    atomic_write(path, buffer.getvalue())


if __name__ == "__main__":
    build(TEMPLATE_DIR / DOCX_TEMPLATE)
    print(TEMPLATE_DIR / DOCX_TEMPLATE)
