"""The registry of attachment kinds: what each is called, how a sheet of it is recognised and read.

Audit, rendering, the summary, the drafts and the batch loop over :data:`KINDS`; adding a kind is one
new package and one entry here.  The order of :data:`KINDS` is the order a project's attachments are
shown in; ``read_order`` is the order readers take a workbook's sheets in (a sheet one reader takes is
not offered to the readers after it: a questionnaire is never also read as an indicator table).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from . import funds, indicators, questionnaire, selfeval
from .funds.facts import FundFacts
from .grid import Sheet
from .indicators.facts import IndicatorFacts
from .questionnaire.facts import QuestionnaireFacts
from .selfeval.facts import SelfEvalFacts
from .results import TableResult
from .schema import Config


@dataclass(frozen=True)
class Kind:
    name: str  # the code used in JSON: questionnaire | indicators | funds | self-evaluation
    title: str  # the attachment's Chinese name
    short: str  # its short name, for a narrow column (the draft's 附表)
    hint: str  # what its header must hold, for a sheet that looks like it but cannot be read
    package: ModuleType  # its reader: ``package.check_sheets(sheets, config) -> [TableResult]``
    facts: type  # what each of its tables established (``TableResult.facts``; their JSON is ``figures``)
    read_order: int
    #: not an attachment of the evaluation report: a project is complete without it, and it is shown
    #: only where a project has one
    optional: bool = False

    def check_sheets(self, sheets: list[Sheet], config: Config) -> list[TableResult]:
        return self.package.check_sheets(sheets, config)


KINDS: tuple[Kind, ...] = (
    Kind("indicators", "指标体系评分表", "指标表", "指标表表头含“一级指标/二级指标…权重/得分”或“一级指标|权重分|得分”",
         indicators, IndicatorFacts, 1),
    Kind("funds", "资金使用情况表", "资金表", "资金表表头含“预算/下达金额”“到位”“实际支出/使用经费”“结余/剩余资金”等列名，"
         "且有名称列（单位/项目/县区）", funds, FundFacts, 2),
    Kind("questionnaire", "问卷统计表", "问卷表", "问卷表头含“A（非常满意）…E（很不满意）”及“人数/占比/分数”", questionnaire,
         QuestionnaireFacts, 0),
    # read before the indicator tables: its 绩效指标 block has their 一级指标 / 二级指标 / 分值 / 得分 header
    Kind("self-evaluation", "项目支出绩效自评表", "自评表", "自评表含标题“项目支出绩效自评表”及“全年预算数/全年执行数/执行率”"
         "或“一级指标…年度指标值/实际完成值/分值/得分”表头", selfeval, SelfEvalFacts, -1, optional=True),
)
NAMES: tuple[str, ...] = tuple(k.name for k in KINDS)
OPTIONAL: frozenset[str] = frozenset(k.name for k in KINDS if k.optional)
TITLES: dict[str, str] = {k.name: k.title for k in KINDS}
SHORT_TITLES: dict[str, str] = {k.name: k.short for k in KINDS}
READERS: tuple[Kind, ...] = tuple(sorted(KINDS, key=lambda k: k.read_order))
