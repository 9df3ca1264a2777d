"""The registry of kinds and the facts each kind's tables establish: ``figures`` is always the facts'
JSON, and the project's checks have the exact values behind the rounded figures."""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction

import pytest

from conftest import DATA, audit
from reportlib.kinds import KINDS, NAMES, READERS, TITLES
from reportlib.results import TableResult

SEEDS = sorted(DATA.glob("seed00*_*.xlsx"))


def test_the_registry_names_each_kind_once_with_its_reader_and_facts():
    assert NAMES == ("indicators", "funds", "questionnaire", "self-evaluation")
    assert TITLES == {"indicators": "指标体系评分表", "funds": "资金使用情况表", "questionnaire": "问卷统计表",
                      "self-evaluation": "项目支出绩效自评表"}
    # the 自评表 first: its 绩效指标 block has an indicator table's header
    assert [k.name for k in READERS] == ["self-evaluation", "questionnaire", "indicators", "funds"]
    assert [k.name for k in KINDS if k.optional] == ["self-evaluation"]
    for kind in KINDS:
        assert callable(kind.package.check_sheets) and dataclasses.is_dataclass(kind.facts)
        assert kind.facts.__dataclass_params__.frozen


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_every_table_of_a_seed_carries_its_kinds_facts_and_figures_are_their_json(path):
    result = audit(path)
    facts_type = {k.name: k.facts for k in KINDS}
    assert result.tables
    for table in result.tables:
        assert isinstance(table.facts, facts_type[table.kind])
        assert table.figures == table.facts.to_json()
        json.dumps(table.figures)  # plain JSON: no Fraction, no Decimal, no position tuple keys


def test_facts_keep_the_exact_values_the_figures_round():
    q = audit(DATA / "seed001_盲人按摩_问卷统计表.xlsx").tables[0]
    assert q.facts.satisfaction == Fraction(2498, 27)  # 92.5185…: 270 answers to 10 questions of 10 points
    assert q.figures["satisfaction"] == 92.52 and q.facts.satisfaction_shown == Fraction("92.52")
    funds = audit(DATA / "seed000_乡村振兴_资金使用情况表.xlsx").tables
    main = next(t for t in funds if t.figures.get("primary"))
    assert main.facts.primary and main.facts.totals["budget"] == Fraction(str(main.figures["budget"]))


def test_a_yes_no_survey_has_facts_too():
    q = audit(DATA / "seed003_自治区残疾人事业_问卷统计表.xlsx").tables[0]
    assert q.facts.form == "yes-no" and q.figures["form"] == "yes-no"
    assert q.facts.satisfaction is not None and q.facts.satisfaction_questions


def test_establishing_again_replaces_the_figures():
    q = audit(DATA / "seed001_盲人按摩_问卷统计表.xlsx").tables[0]
    named = TableResult(q.sheet, q.kind)
    named.establish(dataclasses.replace(q.facts, project_name="盲人医疗按摩人员培训项目"))
    assert named.figures["project_name"] == "盲人医疗按摩人员培训项目"
    assert {k: v for k, v in named.figures.items() if k != "project_name"} == q.figures
