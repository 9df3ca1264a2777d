"""The words in schemas/findings.yaml: every template the code says exists, is given exactly the
parameters it names, and is used; a finding keeps its template and parameters."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from reportlib.findings import CATALOGUE, finding
from reportlib.messages import _templates, say, template

LIBRARY = Path(__file__).resolve().parent.parent / "reportlib"


def _calls():
    """Every ``say("key", name=…)`` in the library: (file:line, key, keyword names, has **kwargs)."""
    for path in sorted(LIBRARY.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not any(isinstance(n, ast.ImportFrom) and (n.module or "").endswith("messages")
                   and any(a.name == "say" for a in n.names) for n in ast.walk(tree)):
            continue  # another say (watch.py prints with one)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "say" and node.args:
                key = node.args[0]
                if isinstance(key, ast.IfExp):  # say("a" if x else "b", …)
                    keys = [key.body, key.orelse]
                else:
                    keys = [key]
                names = {k.arg for k in node.keywords if k.arg}
                spread = any(k.arg is None for k in node.keywords)
                for k in keys:
                    assert isinstance(k, ast.Constant), f"{path.name}:{node.lineno}: say() with a computed key"
                    yield f"{path.name}:{node.lineno}", k.value, names, spread


def _fields(text: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


CALLS = list(_calls())


@pytest.mark.parametrize("where, key, names, spread", CALLS, ids=[c[0] for c in CALLS])
def test_each_template_said_exists_and_gets_exactly_its_parameters(where, key, names, spread):
    fields = _fields(template(key))
    if spread:
        assert names <= fields, f"{where}: {key} gets {names - fields} it does not use"
    else:
        assert names == fields, f"{where}: {key} names {fields}, is given {names}"


def test_every_template_is_said_somewhere():
    said = {key for _, key, _, _ in CALLS}
    assert set(_templates()) - said == set()


def test_every_code_of_the_catalogue_has_a_severity_and_a_title():
    assert len(CATALOGUE) >= 50
    for code, (severity, title) in CATALOGUE.items():
        assert severity in ("error", "warning", "info") and title and code == code.lower()


def test_a_finding_keeps_its_template_and_parameters_out_of_the_json():
    message = say("cell.differs", cell="C5", found="57.00", expected="55.00", reason="扣分 5.00 表明得分应为 55", held="")
    f = finding("score-inconsistent", "指标得分", "C5", message, "57.00", "55.00")
    assert f.message == "C5 为 57.00，应为 55.00：扣分 5.00 表明得分应为 55" and type(f.message) is str
    assert f.template == "cell.differs" and f.params["found"] == "57.00"
    assert set(f.to_json()) == {"code", "severity", "sheet", "cell", "message", "found", "expected"}


def test_a_rewording_is_an_edit_of_the_yaml(tmp_path):
    """A copy of the tool whose findings.yaml says one message in English says it so, and nothing else changes."""
    import json
    import shutil
    import subprocess
    import sys

    root = LIBRARY.parent
    copy = tmp_path / "copy"
    for part in ("reportlib", "schemas", "input_templates"):
        shutil.copytree(root / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(root / "process.py", copy)
    yaml_path = copy / "schemas" / "findings.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    original = '    corrected: "{row}的{measure}（{cell}）为 {old}，应为 {new}：{reason}"'
    assert original in text
    yaml_path.write_text(text.replace(original, '    corrected: "{cell} ({row}) reads {old}, should be {new}: {reason}"'),
                         encoding="utf-8")
    seed = root / "tests" / "data" / "seed000_乡村振兴_指标体系评分表.xlsx"
    out = subprocess.run([sys.executable, "process.py", "check", "--json", str(seed)], cwd=copy, capture_output=True,
                         text=True)
    messages = [f["message"] for f in json.loads(out.stdout)["files"][0]["findings"]]
    assert messages[0].startswith("C5 (C项目绩效) reads 57.00, should be 55.00: 扣分 5.00 与得分率 91.67% 都表明"), messages
