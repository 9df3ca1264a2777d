"""The blank template staff fill in, and a file written by another office program."""

from __future__ import annotations

from openpyxl import load_workbook

from conftest import DATA, ROOT, audit
from test_questionnaire_seeds import SEED_001

TEMPLATE = ROOT / "input_templates" / "问卷统计表.xlsx"


def test_blank_template_is_recognised_as_not_filled_in():
    result = audit(TEMPLATE)
    assert [(f.code, f.severity) for f in result.findings] == [("empty-table", "info")]
    assert result.figures["questions"] == 10


def test_template_counts_are_validated_and_everything_else_is_a_formula():
    ws = load_workbook(TEMPLATE)["问卷统计表"]
    validations = ws.data_validations.dataValidation
    assert validations and all(v.type == "whole" and v.operator == "greaterThanOrEqual" for v in validations)
    assert "C4:G4" in {str(r) for v in validations for r in v.sqref.ranges}
    assert ws["C5"].value == "=IF($H4=0,0,C4/$H4)"
    assert ws["C6"].value == "=C5*1*10" and ws["D6"].value == "=D5*0.8*10"
    assert ws["C34"].value.startswith("=SUM(C4,C7,")
    assert ws["C37"].value == "=H36"


def test_filled_template_example_is_clean_and_reads_its_scheme_from_the_note():
    result = audit(ROOT / "input_templates" / "examples" / "示例_按模板填写_问卷统计表.xlsx")
    assert result.status == "clean"
    fig = result.figures
    assert (fig["option_weights_source"], fig["question_points_source"]) == ("notes", "notes")
    assert fig["satisfaction"] == 96.93


def test_a_file_resaved_by_libreoffice_gives_the_same_judgements():
    # shared strings, LibreOffice's own styles and number formats: not our writer's output
    result = audit(DATA / "libreoffice_seed001.xlsx")
    assert [(f.code, f.found, f.expected) for f in result.findings] == [(c, f, e) for c, _, f, e in SEED_001]
    assert result.figures["satisfaction"] == 92.52
