"""The Chinese words for the tool's own codes, in one place: statuses, severities, amount roles and
the bases of a rate.  Messages about a table are built where their arithmetic is; these are the labels
every output shares, so a change of wording is a change here."""

from __future__ import annotations

#: a file's status, as the text report, the watch lines and the draft show it
FILE_STATUS = {"clean": "无问题", "findings": "有发现", "error": "无法读取", "skipped": "已跳过"}
#: a project's status, as 汇总.xlsx and the per-project log line show it
PROJECT_STATUS = {"clean": "无问题", "findings": "有发现", "error": "有文件无法读取", "skipped": "已跳过"}
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
#: the amount columns of a 资金使用情况表 by role
AMOUNT_ROLE = {"budget": "预算", "arrived": "到位资金", "spent": "实际支出"}
#: what 预算执行率 is computed over: in a line of text, and as the formula the draft states
RATE_BASIS = {"arrived": "按到位资金", "budget": "按预算"}
RATE_FORMULA = {"arrived": "实际支出 ÷ 到位资金", "budget": "实际支出 ÷ 预算资金"}
