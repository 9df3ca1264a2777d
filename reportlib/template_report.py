"""Writes ``input_templates/报告模板/报告草稿.docx``, the Word template of the report draft.

It is a docxtpl template: Jinja2 tags in ordinary paragraphs (``{{ funds.budget }}``), paragraph
and table-row loops (``{%p for … %}``, ``{%tr for … %}``), so a user can open it in Word, change
the wording, the styles or the order, and pass the folder with ``run --template DIR``.  Body and
heading styles carry Chinese fonts (宋体 / 黑体 for East Asian text), so Word, WPS and LibreOffice
show the same.  Regenerate with ``python -m reportlib.template_report``.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from .fsio import atomic_write
from .draft import DOCX_TEMPLATE, TEMPLATE_DIR

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
#: the groups a yes/no survey's questions were put to, when they differ in size
GROUPS = ("{% if survey.groups %}（{% for g in survey.groups %}{% if not loop.first %}，{% endif %}第{{ g.questions }}题 "
          "{{ g.n }} 份{% endfor %}）{% endif %}")


def _fonts(style, east_asian: str, latin: str = LATIN_FONT, size: float | None = None, bold=None) -> None:
    style.font.name = latin
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asian), ("w:cs", latin)):
        fonts.set(qn(attr), value)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def loop_table(doc, header: tuple[str, ...], loop: str, cells: tuple[str, ...], total: tuple[str, ...] | None = None):
    """A table whose body row repeats for each item: header, ``{%tr for … %}``, the row, ``{%tr endfor %}``."""
    table = doc.add_table(rows=4 + bool(total), cols=len(header), style="Table Grid")
    for row, texts in ((0, header), (2, cells), (4, total or ())):
        for cell, text in zip(table.rows[row].cells if row < len(table.rows) else (), texts):
            cell.text = text
    table.rows[1].cells[0].text = "{%tr for " + loop + " %}"
    table.rows[3].cells[0].text = "{%tr endfor %}"
    return table


def chart(p, name: str) -> None:
    """A chart's image, or the sentence saying why it was left out."""
    for line in ("{%p if images." + name + " %}", "{{ images." + name + " }}", "{%p elif charts." + name + " %}",
                 "{{ charts." + name + ".omitted }}", "{%p endif %}"):
        p(line)


def build(path: Path) -> None:
    doc = Document()
    styles = doc.styles
    _fonts(styles["Normal"], BODY_FONT, size=12)
    _fonts(styles["Title"], HEADING_FONT, size=18, bold=True)
    for level, size in ((1, 16), (2, 14), (3, 12)):
        _fonts(styles[f"Heading {level}"], HEADING_FONT, size=size, bold=True)
        styles[f"Heading {level}"].font.color.rgb = None
    _fonts(styles["Table Grid"], BODY_FONT, size=10.5)

    def p(text: str = "", style: str | None = None):
        return doc.add_paragraph(text, style=style)

    title = doc.add_paragraph("{{ project.full_name }}绩效自评报告（草稿）", style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p("本草稿由绩效表格校核工具根据校核后的附件生成：所有数字取自重新计算的表格；“【待作者填写：…】”处须由作者补写，工具不会代写。")
    p("{%p if missing %}")
    p("注意：本项目缺少{{ missing|join('、') }}，相关段落留空。")
    p("{%p endif %}")

    doc.add_heading("摘要", 1)
    doc.add_heading("（一）项目概况", 2)
    p("{{ todo['项目立项背景和主要内容'] }}")
    p("{%p if funds %}")
    p("本项目{{ [funds.budget and ('预算资金 ' ~ funds.budget ~ funds.unit), funds.arrived and ('实际到位 ' ~ funds.arrived ~ funds.unit), funds.spent and ('实际支出 ' ~ funds.spent ~ funds.unit), funds.balance and ('结余 ' ~ funds.balance ~ funds.unit), funds.execution_rate and ('预算执行率 ' ~ funds.execution_rate ~ '（' ~ funds.execution_basis ~ '）')] | select | join('，') }}。")
    p("{%p endif %}")
    doc.add_heading("（二）评价结论", 2)
    p("{% if indicators %}通过对项目决策、过程（管理）、绩效等方面的指标进行评价、打分，最终自评得分 "
      "{{ indicators.total_score }} 分（满分 {{ indicators.total_weight }} 分），评定等级为“{{ indicators.grade }}”。"
      "{% else %}{{ todo['评价结论的总体判断'] }}{% endif %}")
    p("{%p if survey %}")
    p("满意度调查收回有效问卷 {{ survey.respondents }} 份" + GROUPS + "，综合满意度 {{ survey.satisfaction }}{{ survey.unit }}。")
    p("{%p endif %}")
    doc.add_heading("（三）经验、问题和建议", 2)
    p("{{ todo['主要经验和做法'] }}")
    p("{{ todo['改进建议'] }}")

    doc.add_heading("一、项目基本情况", 1)
    p("{{ todo['项目实施单位和组织管理'] }}")
    p("{{ todo['绩效目标'] }}")
    doc.add_heading("资金来源及使用情况", 2)
    p("{%p if funds %}")
    p("据资金使用情况表（{{ funds.file }}），本项目{{ [funds.budget and ('预算资金 ' ~ funds.budget ~ funds.unit), funds.arrived and ('资金到位 ' ~ funds.arrived ~ funds.unit), funds.arrival_rate and ('资金到位率 ' ~ funds.arrival_rate), funds.spent and ('实际支出 ' ~ funds.spent ~ funds.unit), funds.balance and ('结余 ' ~ funds.balance ~ funds.unit)] | select | join('，') }}。")
    p("{%p if funds.rows %}")
    loop_table(doc, ("项目/单位", "预算", "到位", "支出", "结余"), "r in funds.rows",
               ("{{ r.name }}", "{{ r.budget }}", "{{ r.arrived }}", "{{ r.spent }}", "{{ r.balance }}"))
    p("单位：{{ funds.unit }}")
    p("{%p endif %}")
    p("{%p else %}")
    p("（缺少资金使用情况表，资金数据待补充。）")
    p("{%p endif %}")

    doc.add_heading("二、绩效评价工作开展情况", 1)
    p("{{ todo['绩效评价工作过程'] }}")

    doc.add_heading("三、评价结论和绩效分析", 1)
    doc.add_heading("（一）评价结论", 2)
    p("{%p if indicators %}")
    p("项目绩效指标体系得分情况如下表（来源：{{ indicators.file }}）。")
    loop_table(doc, ("一级指标", "权重分", "得分", "扣分", "得分率"), "r in indicators.level1",
               ("{{ r.name }}", "{{ r.weight }}", "{{ r.score }}", "{{ r.deduction }}", "{{ r.rate }}"),
               total=("合计", "{{ indicators.total_weight }}", "{{ indicators.total_score }}",
                      "{{ indicators.deduction }}", ""))
    p("综合得分 {{ indicators.total_score }} 分，评价等级为“{{ indicators.grade }}”（等级标准来源："
      "{{ indicators.bands_source }}）。")
    chart(p, "level1")
    p("{%p else %}")
    p("（缺少指标体系评分表。）")
    p("{%p endif %}")
    doc.add_heading("（二）绩效分析", 2)
    p("{{ todo['项目产出和效益的具体情况'] }}")
    doc.add_heading("满意度", 3)
    p("{%p if survey %}")
    p("{% if survey.form == 'a-e' %}满意度调查共收回有效问卷 {{ survey.respondents }} 份，{{ survey.questions }} 个问题，"
      "按各题人数重新计算的综合满意度为 {{ survey.satisfaction }} 分{% if survey.stated %}（问卷统计表中写的是 "
      "{{ survey.stated }} 分，已更正）{% endif %}。{% if survey.lowest %}得分率最低的是第{{ survey.lowest.number }}题"
      "“{{ survey.lowest.label }}”，得 {{ survey.lowest.score }} 分（满分 {{ survey.lowest.points }} 分，得分率 "
      "{{ survey.lowest.rate }}）。{% endif %}{% else %}满意度调查共收回有效问卷 {{ survey.respondents }} 份" + GROUPS +
      "，{{ survey.questions }} 个问题，满意度为 {{ survey.satisfaction }}%。{% endif %}")
    p("{%p if survey.options %}")
    loop_table(doc, ("选项", "人次", "占比"), "o in survey.options",
               ("{{ o.key }} {{ o.name }}", "{{ o.count }}", "{{ o.share }}"))
    p("{%p endif %}")
    chart(p, "distribution")
    p("{%p else %}")
    p("（缺少问卷统计表。）")
    p("{%p endif %}")

    doc.add_heading("四、成本效益分析", 1)
    p("{%p if funds %}")
    p("本项目{{ [funds.budget and ('预算 ' ~ funds.budget ~ funds.unit), funds.spent and ('实际支出 ' ~ funds.spent ~ funds.unit), funds.execution_rate and ('预算执行率 ' ~ funds.execution_rate ~ '（' ~ funds.execution_basis ~ '）')] | select | join('，') }}。{% if funds.overspent %}实际支出超过可用资金，须说明原因。{% endif %}")
    p("{%p endif %}")
    p("{{ todo['项目产出和效益的具体情况'] }}")

    doc.add_heading("五、存在的问题和建议", 1)
    doc.add_heading("（一）附件校核发现的问题", 2)
    p("{%p if problems.corrected %}")
    p("已更正（校核后的工作簿中以黄色标出，批注写明原值和原因）：")
    p("{%p for x in problems.corrected %}")
    p("{{ loop.index }}. {{ x.file }} {{ x.where }}：{{ x.message }}")
    p("{%p endfor %}")
    p("{%p endif %}")
    p("{%p if problems.review %}")
    p("需人工核对（校核后的工作簿中以粉色标出）：")
    p("{%p for x in problems.review %}")
    p("{{ loop.index }}. {% if x.file %}{{ x.file }} {{ x.where }}：{% endif %}{{ x.message }}")
    p("{%p endfor %}")
    p("{%p endif %}")
    p("{%p if problems.more %}")
    p("另有 {{ problems.more }} 条未列出，见项目文件夹中的 findings.json 和各工作簿的“问题清单”。")
    p("{%p endif %}")
    p("{%p for e in problems.unreadable %}")
    p("{{ e }}")
    p("{%p endfor %}")
    p("{%p if not problems.corrected and not problems.review and not problems.unreadable %}")
    p("附件校核未发现问题。")
    p("{%p endif %}")
    doc.add_heading("（二）存在问题的原因分析", 2)
    p("{{ todo['存在问题的原因分析'] }}")
    doc.add_heading("（三）改进建议", 2)
    p("{{ todo['改进建议'] }}")

    doc.add_heading("附件", 1)
    p("{%p for a in attachments %}")
    p("{{ loop.index }}. {{ a.kind }}{% if a.files %}：{{ a.files|join('、') }}{% else %}（缺）{% endif %}")
    p("{%p endfor %}")

    doc.core_properties.title = "绩效自评报告（草稿）模板"
    doc.core_properties.author = "绩效表格校核"
    buffer = io.BytesIO()
    doc.save(buffer)
    atomic_write(path, buffer.getvalue())


if __name__ == "__main__":
    build(TEMPLATE_DIR / DOCX_TEMPLATE)
    print(TEMPLATE_DIR / DOCX_TEMPLATE)
