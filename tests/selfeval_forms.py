"""项目支出绩效自评表 fixtures: forms transcribed from published copies (each with its source), and a
writer that lays a form out as offices print it — the national template's grid (财预〔2020〕10号), or
a province's (中江's column order, 永德's 指标性质 / 指标值 / 度量单位 columns) — with what offices put
around it: a 附件 line, a 公开表 number, info lines, a code column, signature lines, the whole form
shifted, numbers typed as text, 元 with thousands separators.

The transcriptions keep what the pages print, including their mistakes; a value a page does not show
is None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

FUND_ROWS = ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")


@dataclass(frozen=True)
class Form:
    source: str
    title: str
    project: str
    department: str
    unit_name: str
    unit: str  # 万元 / 元
    #: per fund row (FUND_ROWS order): 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分 as printed
    funds: tuple[tuple, ...]
    #: (一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因)
    indicators: tuple[tuple, ...]
    total: tuple | None = None  # (分值, 得分) of the 总分 row; None when the page does not show it
    grade: str | None = None  # a grade printed in the 总分 row (永德)
    rows: tuple[str, ...] = FUND_ROWS
    layout: str = "national"  # national | zhongjiang (no 年初预算数, 分值 before 年度指标值) | yongde
    notes: str = ""


#: 上海市普陀区体育事业管理中心 2022: https://pdf.chddh.cn/archives/48n5zg2zkkjxn27q6rjv.html (the PDF
#: 上海市普陀区体育事业管理中心2022年度项目自评价.pdf). 执行率 printed 86.19%: 215457.6 ÷ 250000 = 86.18%.
PUTUO = Form(
    "https://pdf.chddh.cn/archives/48n5zg2zkkjxn27q6rjv.html", "财政项目支出绩效自评表（2022年度）",
    "普陀体育中心与委托运营方结算费用", "上海市普陀区体育局", "上海市普陀区体育事业管理中心", "元",
    (("250000.00", "250000.00", "215,457.6", "10", "86.19%", "8.62"),
     ("250000.00", "250000.00", "215457.6", "—", None, "—"), ("0", "0", "0", "—", None, "—"), ("0", "0", "0", "—", None, "—")),
    (("产出指标", "数量指标", "与委托运营方结算完成率", "=100%", "100%", "10", "10", ""),
     ("产出指标", "质量指标", "合同结算条款完成率", "=100%", "100%", "20", "20", ""),
     ("产出指标", "时效指标", "费用结算及时性", "及时", "及时", "20", "20", ""),
     ("效益指标", "社会效益指标", "与委托运营方合同完成率", "=100%", "100%", "30", "30", ""),
     ("满意度指标", "服务对象满意度指标", "场馆开放满意度", ">=90%", "100%", "10", "10", "")),
    ("100", "98.62"), notes="执行率 86.19% for 86.18%")

#: 永德县明朗中学 义务教育营养改善计划 2022 (云南 决算公开 公开14表):
#: https://www.yongde.gov.cn/info/3003/116104.htm. 资金到位及时率 met (100%) but scored 7 of 10 with no
#: reason; 政策知晓率 98% of 100% scored 9 (in proportion 9.8), no reason.
YONGDE = Form(
    "https://www.yongde.gov.cn/info/3003/116104.htm", "2022年度项目支出绩效自评表",
    "义务教育营养改善计划专项资金", "永德县教育体育局", "永德县明朗中学", "元",
    ((None, "387664.62", "387664.62", "10", "100%", "10"), (None, "387664.62", "387664.62", "—", None, "—"),
     (None, None, None, "—", None, "—"), (None, None, None, None, None, None)),
    (("产出指标", "数量指标", "学生受资助人数", ("≧", "735", "人次"), "735", "10", "10", ""),
     ("产出指标", "质量指标", "营养改善计划覆盖率", ("≧", "100", "%"), "100%", "10", "10", ""),
     ("产出指标", "时效指标", "资金到位及时率", ("≧", "100", "%"), "100%", "10", "7", ""),
     ("产出指标", "成本指标", "生均补助标准达标率", ("═", "100", "%"), "100%", "10", "10", ""),
     ("效益指标", "经济效益指标", "减轻贫困学生家庭经济负担", ("", "有效", ""), "有效", "10", "10", ""),
     ("效益指标", "社会效益指标", "政策知晓率", ("═", "100", "%"), "98%", "10", "9", ""),
     ("效益指标", "可持续影响指标", "促进学校教育事业健康发展", ("≧", "100", "%"), "100%", "10", "10", ""),
     ("满意度指标", "服务对象满意度指标等", "学生满意度", ("≧", "95", "%"), "100%", "10", "10", ""),
     ("满意度指标", "服务对象满意度指标等", "家长满意度", ("≧", "95", "%"), "100%", "10", "10", "")),
    ("100", "96"), grade="优", layout="yongde", notes="a met target scored 7 of 10; 98% scored 9, no reasons")

#: 稷山县医疗保障局 建档立卡个人缴费县级配套资金 2020 (山西):
#: https://keke.chddh.cn/archives/bqg98jldqdz7y2xm7pe6.html. 总分 printed 94: 9 + 13 + 15 + 10 + 10 + 27 + 9
#: = 93; 执行率 65.07 ÷ 65.66 = 99.10% printed 99%, scored 9 (9.91 in proportion); two targets met
#: (95% of 95%) scored 27 of 30 and 9 of 10 without a reason.
JISHAN = Form(
    "https://keke.chddh.cn/archives/bqg98jldqdz7y2xm7pe6.html", "稷山县项目支出绩效自评表（2020年度）",
    "建档立卡个人缴费县级配套资金", "稷山县医疗保障局", "稷山县医疗保险服务中心", "万元",
    ((None, "65.66", "65.07", "10", "99%", "9"), (None, "65.66", "65.07", "—", "99%", "—"),
     (None, None, None, "—", None, "—"), (None, None, None, "—", None, "—")),
    (("产出指标(50分)", "数量指标", "指标1:全县参合人数", "8755", "8676", "15", "13", "建档立卡中有新增死亡人员,导致有偏差"),
     ("产出指标(50分)", "质量指标", "指标1:资金是否全部纳入医保统筹", "100%", "100%", "15", "15", ""),
     ("产出指标(50分)", "时效指标", "指标1:资金是否全部及时纳入", "100%", "100%", "10", "10", ""),
     ("产出指标(50分)", "成本指标", "指标1:配套资金每人每年", "75元", "75元", "10", "10", ""),
     ("效益指标(30分)", "社会效益", "指标1:是否解决建档立卡人员看病难贵问题", "95%", "95%", "30", "27", ""),
     ("满意度指标(10分)", "服务对象满意度指标", "指标1:是否满意", "95%", "95%", "10", "9", "")),
    ("100", "94"), notes="总分 94 for 93; 资金得分 9 for 9.91")

#: 中江县水利局 小型水库水标尺 2022 (四川 衔接资金 绩效目标自评表):
#: https://chacewang.com/newsdetail/news242266.html. No 年初预算数 column, no 上年结转资金 row, 分值
#: before 年度指标值; weights 70 / 20 / 10 and 10 for the funds: 110, yet 总分 100 / 100.
ZHONGJIANG = Form(
    "https://chacewang.com/newsdetail/news242266.html", "绩效目标自评表(2022年度)",
    "中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装项目", "中江县水利局", "中江县水利局", "万元",
    (("20", "20", "10", "100.00%", "10"), ("20", "20", "", "", ""), ("", "", "", "", "")),
    (("产出指标(70分)", "数量指标", "安装坡面水标尺", "≥266米", "≥266米", "10", "10", ""),
     ("产出指标(70分)", "数量指标", "水标尺宽度", "≥50厘米", "≥50厘米", "10", "10", ""),
     ("产出指标(70分)", "质量指标", "项目(工程)验收合格率", "100%", "100%", "20", "20", ""),
     ("产出指标(70分)", "时效指标", "及时(按期)开工率", "≥90%", "≥90%", "10", "10", ""),
     ("产出指标(70分)", "时效指标", "及时(按期)完工率", "≥90%", "≥90%", "10", "10", ""),
     ("产出指标(70分)", "成本指标", "项目计划总投资", "20万元", "20万元", "10", "10", ""),
     ("效益指标(20分)", "社会效益指标", "受益脱贫(含监测对象)户人口数", "≥1000人", "≥1000人", "10", "10", ""),
     ("效益指标(20分)", "社会效益指标", "群众生产生活条件改善状况", "显著提升", "显著提升", "10", "10", ""),
     ("满意度指标(10分)", "服务对象满意度指标", "受益脱贫(含监测对象)户满意度", "≥95%", "≥95%", "10", "10", "")),
    ("100", "100"), rows=("年度资金总额：", "其中：本年财政拨款", "其他资金"), layout="zhongjiang",
    notes="weights 100 + 10 under a 总分 of 100")

#: 池州市贵池区棠溪镇 委托业务项目 2022 (安徽): http://www.anthempetcare.com/upload_cz/download?id=502364&siteId=2.
#: 年度资金总额 left at 0 / 0 / 0 (分值 10, 执行率 and 得分 0) under 本年财政拨款 90 / 89.974 / 89.974; the page
#: stops in the 满意度 rows (no 总分 shown).
CHIZHOU = Form(
    "http://www.anthempetcare.com/upload_cz/download?id=502364&siteId=2", "项目支出绩效自评表（2022年度）",
    "委托业务项目", "219-池州市贵池区棠溪镇人民政府", "219001-池州市贵池区棠溪镇人民政府", "万元",
    (("0", "0", "0", "10", "0", "0"), ("90", "89.974", "89.974", "", "", ""), ("", "", "", "", "", ""),
     ("", "", "", "", "", "")),
    (("产出指标(50分)", "数量指标", "基建工程委托业务项目数量", "≥50个", "50", "8", "8", ""),
     ("产出指标(50分)", "质量指标", "委托业务报告合格率", "≥100百分比", "100", "8", "8", ""),
     ("产出指标(50分)", "质量指标", "经费支出合规性", "严格执行相关制度规定", "达成预期指标", "8", "8", ""),
     ("产出指标(50分)", "时效指标", "提交报告及时性", "在项目计划完成时间内完成", "达成预期指标", "8", "8", ""),
     ("产出指标(50分)", "成本指标", "项目总成本", "≤90万元", "90", "8", "8", ""),
     ("产出指标(50分)", "成本指标", "单项业务成本", "符合相关规定", "达成预期指标", "10", "10", ""),
     ("效益指标(30分)", "社会效益指标", "对维护基建市场公平的影响程度", "效果明显", "达成预期指标", "10", "10", ""),
     ("效益指标(30分)", "生态效益指标", "对控制基建项目成本影响程度", "效果明显", "达成预期指标", "10", "10", ""),
     ("效益指标(30分)", "可持续影响指标", "对推动基建项目“四项制度”健全和落实的持续性影响", "效果明显", "达成预期指标", "10",
      "10", "")),
    None, rows=("年度资金总额：", "其中：本年财政拨款", "上年结转资金", "其他资金"), notes="the total row never summed")

FORMS = {"putuo": PUTUO, "yongde": YONGDE, "jishan": JISHAN, "zhongjiang": ZHONGJIANG, "chizhou": CHIZHOU}


@dataclass(frozen=True)
class Around:
    """What an office puts around the form."""

    annex: bool = False  # 附件1 above the title, 公开14表 beside it
    info_line: bool = False  # 填报单位：… 单位：元 above the head
    signatures: bool = False  # 填报人 / 联系电话 / 审核人 below the form
    code_column: bool = False  # a 项目编码 column left of everything
    shift: tuple[int, int] = (0, 0)  # rows and columns the whole form is moved by
    text_numbers: bool = False  # every number typed as text
    grouped: bool = False  # amounts with thousands separators (1,234.56)
    blank_placeholders: bool = False  # the template's 指标2 / …… rows left in
    percent_numbers: bool = False  # 95% typed as the number 0.95 in a cell formatted 0% (or 0.00%)


def write(path: Path, form: Form, around: Around = Around()) -> Path:
    """The form as an .xlsx at ``path``."""
    import openpyxl
    from openpyxl.styles import Alignment
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    dr, dc = around.shift
    dc += 1 if around.code_column else 0
    row = 1 + dr

    def put(r: int, c: int, value, span: int = 1, down: int = 1) -> None:
        if value is None:
            return
        cell = ws.cell(r, c + dc, _typed(value, around))
        if around.percent_numbers and isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?%", value):
            digits = len(value[:-1].partition(".")[2])
            cell.value = float(Decimal(value[:-1]) / 100)
            cell.number_format = "0%" if not digits else "0." + "0" * digits + "%"
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # "=100%" is a target written as text, not a formula
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if span > 1 or down > 1:
            ws.merge_cells(start_row=r, start_column=c + dc, end_row=r + down - 1, end_column=c + dc + span - 1)

    width = 11 if form.layout == "yongde" else 9
    if around.annex:
        put(row, 1, "附件1")
        put(row, width, "公开14表")
        row += 1
    put(row, 1, form.title, span=width)
    row += 1
    if around.info_line:
        put(row, 1, f"填报单位：{form.unit_name}", span=4)
        put(row, width - 1, f"单位：{form.unit}", span=2)
        row += 1
    if around.code_column:
        ws.cell(row, 1, "项目编码")
    put(row, 1, "项目名称")
    put(row, 2, form.project, span=width - 1)
    row += 1
    put(row, 1, "主管部门")
    put(row, 2, form.department, span=3)
    put(row, 5, "实施单位")
    put(row, 6, form.unit_name, span=width - 5)
    row += 1
    head = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    if form.layout == "zhongjiang":
        head = ("全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分")
    put(row, 1, f"项目资金（{form.unit}）", down=len(form.rows) + 1)
    for c, name in enumerate(head, 3):
        put(row, c, name)
    row += 1
    for label, values in zip(form.rows, form.funds):
        put(row, 2, label)
        for c, value in enumerate(values, 3):
            put(row, c, _amount(value, around) if c < 3 + (2 if form.layout == "zhongjiang" else 3) else value)
        row += 1
    put(row, 1, "年度总体目标", down=2)
    put(row, 2, "预期目标", span=4)
    put(row, 6, "实际完成情况", span=width - 5)
    put(row + 1, 2, "按计划完成项目。", span=4)
    put(row + 1, 6, "已按计划完成。", span=width - 5)
    row += 2
    if form.layout == "zhongjiang":
        cols = ("一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分", "未完成原因及拟采取的改进措施")
    elif form.layout == "yongde":
        cols = ("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值", "分值", "得分",
                "偏差原因分析及改进措施")
    else:
        cols = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    indicators = list(form.indicators)
    if around.blank_placeholders:
        blank = ("", "", "") if form.layout == "yongde" else ""
        indicators = [x for i in indicators for x in (i, (i[0], i[1], "指标2", blank, "", "", "", ""))]
    put(row, 1, "绩效指标", down=len(indicators) + 1)
    for c, name in enumerate(cols, 2):
        put(row, c, name)
    row += 1
    for n, (l1, l2, l3, target, actual, weight, score, reason) in enumerate(indicators):
        if n == 0 or indicators[n - 1][0] != l1:
            span = sum(1 for x in indicators[n:] if x[0] == l1)
            stop = next((k for k, x in enumerate(indicators[n:]) if x[0] != l1), len(indicators) - n)
            put(row, 2, l1, down=min(span, stop))
        put(row, 3, l2)
        put(row, 4, l3)
        if form.layout == "zhongjiang":
            values = (weight, target, actual, score, reason)
        elif form.layout == "yongde":
            op, value, measure = target
            values = (op, value, measure, actual, weight, score, reason)
        else:
            values = (target, actual, weight, score, reason)
        for c, value in enumerate(values, 5):
            put(row, c, value)
        row += 1
    if form.total is not None:
        weight_col = 5 if form.layout == "zhongjiang" else (9 if form.layout == "yongde" else 7)
        put(row, 1, "总分", span=weight_col - 1)
        put(row, weight_col, form.total[0])
        put(row, weight_col + (3 if form.layout == "zhongjiang" else 1), form.total[1])
        if form.grade:
            put(row, weight_col + 2, form.grade)
        row += 1
    if around.signatures:
        row += 1
        put(row, 1, "填报人：张三", span=3)
        put(row, 4, "联系电话：0871-12345678", span=3)
        put(row, 7, "审核人：李四", span=3)
    wb.save(path)
    return path


def _typed(value, around: Around):
    """A number as a number (or as text, when the office typed numbers as text); a text as written."""
    if not isinstance(value, str) or around.text_numbers:
        return value
    plain = value.replace(",", "")
    try:
        number = float(plain)
    except ValueError:
        return value
    if "," in value:
        return value  # 215,457.6 as the page prints it: a text the readers parse
    return int(number) if number.is_integer() and "." not in plain else number


def _amount(value, around: Around):
    if value is None or not around.grouped:
        return value
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        return value
    return f"{number:,.2f}"


def variant(form: Form, **changes) -> Form:
    return replace(form, **changes)


__all__ = ["Around", "FORMS", "Form", "field", "variant", "write"]
