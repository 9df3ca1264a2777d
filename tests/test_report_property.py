"""Property tests of the comparison, over the five seed projects' corrected tables: a report that
states each figure the tables give, in the phrasings the schema's patterns describe and at a random
number of decimals (rounded half up, as a writer rounds), raises nothing that is not the tables' own
fault; the same report with one figure off by one in its last written digit raises exactly one more
finding, at that paragraph, quoting that figure."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest

from reportlib.findings import INFO
from reportlib.funds.facts import FundFacts
from reportlib.indicators.facts import IndicatorFacts
from reportlib.questionnaire.facts import QuestionnaireFacts
from reportlib.reports.compare import _balance_basis, compare_report
from reportlib.reports.read import Paragraph, Report
from reportlib.reports.stated import stated_figures
from reportlib.schema import Config
from reportlib.values import round_half_up
from test_report_compare import SEEDS, project_of

CATEGORY = ("{name}类指标权重{w}分，得分{s}分，得分率{r}%。", "{name}指标的权重为{w}分，实际得分{s}分，得分率为{r}%。")
AMOUNT_WORD = {"budget": "预算资金", "arrived": "到位资金", "spent": "实际支出"}


def written(value: Fraction, decimals: int) -> str:
    return f"{round_half_up(value, decimals):.{decimals}f}"


def statements(project, rng: random.Random) -> list[tuple[str, str]]:
    """(sentence, its figure as written) for each figure the project's tables give."""
    out: list[tuple[str, str]] = []

    def facts(kind, kind_type):
        _, t = project.main(kind)
        return t.facts if t is not None and isinstance(t.facts, kind_type) else None

    ind, survey, funds = (facts("indicators", IndicatorFacts), facts("questionnaire", QuestionnaireFacts),
                          facts("funds", FundFacts))
    if ind and ind.total_score is not None:
        v = written(ind.total_score, rng.choice((0, 1, 2)))
        out.append((rng.choice(("最终自评得分{v}分，", "绩效评价总得分为{v}分。", "综合得分{v}分。")).format(v=v), v))
        for entry in ind.level1:
            if entry.score is None or not entry.weight:
                continue
            d = rng.choice((0, 1, 2))
            w, s, r = written(entry.weight, d), written(entry.score, d), written(entry.score / entry.weight * 100, d)
            out.append((rng.choice(CATEGORY).format(name=entry.name.lstrip("ABCDEFG.、 "), w=w, s=s, r=r), s))
    if survey and survey.satisfaction is not None:
        v = written(survey.satisfaction, rng.choice((0, 1, 2)))
        out.append((rng.choice(("群众满意度综合得分为{v}分。", "满意度为{v}分。")).format(v=v), v))
    if survey and survey.answers and min(survey.answers) == survey.respondents and not survey.groups:
        out.append((f"收回有效问卷{survey.respondents}份。", str(survey.respondents)))
    if funds and funds.unit == "万元":
        for role, word in AMOUNT_WORD.items():
            if role in funds.columns and funds.totals.get(role) is not None:
                v = written(Fraction(funds.totals[role]), rng.choice((2, 3, 4)))
                out.append((f"本项目{word}合计{v}万元。", v))
        balance = funds.totals.get("balance") if "balance" in funds.columns else None
        if balance is None and (basis := _balance_basis(funds)) is not None:
            balance = funds.totals[basis] - funds.totals["spent"]
        if balance is not None and balance >= 0:  # an overspent project's 结余 is not written as a figure
            v = written(Fraction(balance), rng.choice((2, 3, 4)))
            out.append((f"本项目结余资金{v}万元。", v))
        if funds.execution_rate is not None:
            v = written(funds.execution_rate * 100, rng.choice((0, 2)))
            out.append((f"预算执行率为{v}%。", v))
    return out


def findings(project, lines: list[str], config: Config):
    report = Report(project.folder / "报告.txt", "text", [Paragraph(n, text) for n, text in enumerate(lines, 1)])
    return compare_report(stated_figures(report, config.schema_dir), project, config)


@pytest.fixture(scope="module")
def projects():
    config = Config()
    return config, {seed: project_of(seed, config) for seed in SEEDS}


@pytest.mark.parametrize("trial", range(8))
@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_a_report_stating_the_tables_figures_raises_nothing_and_one_figure_off_raises_one(projects, seed, trial):
    config, by_seed = projects
    project = by_seed[seed]
    rng = random.Random(f"{seed}-{trial}")
    said = statements(project, rng)
    assert len(said) >= 3, said
    lines = [sentence for sentence, _ in said]
    clean = findings(project, lines, config)
    assert all(f.severity == INFO for f in clean), [f.message for f in clean]  # the tables' own faults only

    n = rng.randrange(len(said))
    sentence, figure = said[n]
    places = Decimal(figure).as_tuple().exponent
    off = Decimal(figure) + (Decimal(1).scaleb(places) if rng.random() < 0.5 or Decimal(figure) == 0 else
                             -Decimal(1).scaleb(places))
    lines[n] = sentence.replace(figure, f"{off:f}", 1)
    faulted = [f for f in findings(project, lines, config) if f.severity != INFO]
    assert [(f.paragraph, f.found.split()[0].rstrip("%万元")) for f in faulted] == [(n + 1, f"{off:f}")], \
        (lines[n], [f.message for f in faulted])
