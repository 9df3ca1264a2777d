"""Property tests over the layout zoo (tests/zoo): generated tables in many layouts, clean or with one
or two faults, given to ``process.py run`` as a black box.

``pytest tests/test_zoo.py`` runs 30 cases per attachment kind from a fixed seed (deterministic);
``--zoo-cases 500`` is the local run. A failing case is reproduced from the seed in the message with
``python -m tests.zoo.make SEED KIND OUTDIR`` (``--layout NAME`` for a named layout).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.zoo.expect import acceptable
from tests.zoo.layout import KINDS, NAMED
from tests.zoo.make import generate_batch, make_case
from tests.zoo.score import CaseScore, run_tool, score_batch
from tests.zoo.writer import write_case

BASE_SEED = 7  # fixed: CI sees the same cases every time
SHOWN = 40  # failures listed per assertion; the count says how many there are in all
_RUNS: dict[str, list[CaseScore]] = {}


def _batch(kind: str, count: int, tmp_path_factory) -> list[CaseScore]:
    """Generate, run once and score ``count`` cases of ``kind`` (cached for the module)."""
    if kind not in _RUNS:
        work = tmp_path_factory.mktemp(f"zoo-{kind}")
        inbox, output = work / "cases", work / "output"
        generate_batch(inbox, kind, count, BASE_SEED)
        result = run_tool("run", inbox, "-o", output, "--jobs", 2, "--quiet")
        assert (output / "findings.json").is_file(), f"run wrote no findings.json:\n{result.stderr[-3000:]}"
        _RUNS[kind] = score_batch(inbox, output, check=True)
    return _RUNS[kind]


@pytest.fixture(params=KINDS)
def scores(request, tmp_path_factory) -> list[CaseScore]:
    return _batch(request.param, request.config.getoption("--zoo-cases"), tmp_path_factory)


def _case(s: CaseScore) -> str:
    return f"{s.name} (seed {s.seed}: python -m tests.zoo.make {s.seed} {s.kind} DIR)"


def _fail(what: str, lines: list[str]) -> None:
    if lines:
        listed = "\n".join(lines[:SHOWN]) + (f"\n… and {len(lines) - SHOWN} more" if len(lines) > SHOWN else "")
        pytest.fail(f"{len(lines)} {what}:\n{listed}", pytrace=False)


def test_every_case_has_a_result(scores):
    _fail("cases without a corrected workbook", [f"{_case(s)}: {s.error}" for s in scores if s.error])


def test_clean_cases_draw_no_error_or_warning(scores):
    _fail("error/warning findings on clean tables", [
        f"{_case(s)} {s.form}: {f['severity']} {f['code']} at {f.get('sheet')}!{f.get('cell') or f.get('range')}: "
        f"{f['message'][:120]}" for s in scores if not s.n_faults for f in s.false_alarms])


def test_clean_figures_are_exact(scores):
    _fail("figures of clean tables that differ from the truth",
          [f"{_case(s)} {s.form}: {e}" for s in scores if not s.n_faults and not s.error for e in s.figure_errors])


def test_no_wrong_corrections(scores):
    _fail("wrong corrections (written value is not the clean one, or a cell that was right was changed)", [
        f"{_case(s)} {s.form}: {c.sheet}!{c.ref} role {tuple(c.role) if c.role else None} input {c.input!r} "
        f"written {c.written!r} clean {c.clean!r} ({c.fault or 'not faulty'}; codes {','.join(c.codes) or '-'})"
        for s in scores for c in s.wrong])


def test_single_faults_are_found_at_their_cell(scores):
    lines = []
    for s in scores:
        if s.n_faults != 1 or s.error:
            continue
        for f in s.faults:
            if not f.accepted:
                codes = ", ".join(sorted(acceptable(s.kind, f.role))) or "-"
                lines.append(f"{_case(s)} {s.form}: {f.kind} in {tuple(f.role)}: {f.how} (accepted: {codes})")
    _fail("single faults not restored nor flagged at their cell with an accepted code", lines)


def test_untouched_cells_are_kept(scores):
    _fail("cells changed without the tool's comment (value or formula)",
          [f"{_case(s)} {s.form}: {u}" for s in scores for u in s.untouched_changed])


def test_corrected_workbooks_recheck_clean(scores):
    _fail("errors in the re-check of corrected workbooks that the first run did not leave for review", [
        f"{_case(s)} {s.form}: {f['code']} at {f.get('sheet')}!{f.get('cell') or f.get('range')}: "
        f"{f.get('message', '')[:120]}" for s in scores for f in s.recheck_extra])


@pytest.mark.parametrize("name", sorted(NAMED))
def test_named_layout_is_read_as_printed(name, tmp_path):
    """Seed 003's 附件3 as printed (and split into lines, and in 元): clean, the right figures, nothing changed."""
    case = make_case(3, "funds", faults=0, layout=name)
    inbox = tmp_path / "in"
    write_case(case, inbox)
    output = tmp_path / "out"
    result = run_tool("run", inbox, "-o", output, "--jobs", 2, "--quiet")
    assert (output / "findings.json").is_file(), result.stderr[-3000:]
    [s] = score_batch(inbox, output, check=False)
    entry = json.loads((output / "findings.json").read_text(encoding="utf-8"))["files"][0]
    alarms = [f"{f['severity']} {f['code']} {f.get('cell')}: {f['message'][:120]}" for f in s.false_alarms]
    assert not alarms, f"{name}: findings on the clean table:\n" + "\n".join(alarms)
    figures = entry.get("figures") or {}
    want = 25.4 if case.layout.unit == "万元" else 254000.0
    assert (figures.get("budget"), figures.get("spent")) == (want, want), \
        f"{name}: budget/spent {figures.get('budget')!r}/{figures.get('spent')!r}, printed {want}/{want}"
    changed = [f"{c.sheet}!{c.ref} {c.input!r} → {c.written!r}" for c in s.changes]
    assert not changed, f"{name}: run changed cells of a clean table: " + "; ".join(changed)
    assert Path(s.output).is_file()
