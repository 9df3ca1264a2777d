"""Score what the tool did to a batch of cases, as a black box.

``python -m tests.zoo.score CASES OUTPUT [--no-recheck]``: CASES holds one folder per case (its workbook
and ``truth.json``), OUTPUT is what ``process.py run CASES -o OUTPUT`` wrote. Per case:

- false alarms: error or warning findings of the file on a clean case (project findings such as
  ``attachment-missing`` are in the project entry, not the file's, and do not count);
- corrections: every cell whose shown value in the corrected workbook (cached values) differs from the
  input's, right when it shows the clean value, else wrong; a cell not in the table's truth that
  changed is wrong too;
- recall: a fault is found when every cell it changed is restored, or named by a finding, or carries
  the tool's comment;
- untouched cells: every cell without the tool's comment keeps its shown value and its formula;
- re-check: ``process.py check`` on the corrected workbooks gives no error other than those, by
  (code, sheet, cell), that the first run left uncorrected (for review).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl

from .expect import FIGURES, acceptable
from .shown import Shown, display, quantize, same, shown

ROOT = Path(__file__).resolve().parent.parent.parent
AUTHOR = "绩效表格校核"
ISSUES_SHEET = "问题清单"


@dataclass
class Change:
    """A cell the tool changed."""

    case: str
    sheet: str
    ref: str
    input: str
    written: str
    clean: str
    role: list | None
    right: bool
    fault: str | None  # the fault kind that made this cell wrong, or None
    codes: list[str] = field(default_factory=list)


@dataclass
class FaultResult:
    kind: str
    role: list
    found: bool  # restored, flagged or commented at every cell
    accepted: bool  # the same, with a code the catalogue accepts for the role (a comment counts)
    how: str  # what was seen per cell


@dataclass
class CaseScore:
    name: str
    seed: int
    kind: str
    form: str
    features: dict[str, str]
    n_faults: int
    fault_kinds: list[str]
    findings: list[dict[str, Any]] = field(default_factory=list)
    false_alarms: list[dict[str, Any]] = field(default_factory=list)
    figure_errors: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    faults: list[FaultResult] = field(default_factory=list)
    untouched_changed: list[str] = field(default_factory=list)
    recheck_extra: list[dict[str, Any]] = field(default_factory=list)
    output: str | None = None
    error: str | None = None

    @property
    def wrong(self) -> list[Change]:
        return [c for c in self.changes if not c.right]

    @property
    def right(self) -> list[Change]:
        return [c for c in self.changes if c.right]


def run_tool(*args: Any, timeout: int = 3600) -> subprocess.CompletedProcess:
    """``process.py`` with ``args``, from the repository root, as a user runs it."""
    return subprocess.run([sys.executable, str(ROOT / "process.py"), *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def _cells(path: Path, data_only: bool) -> tuple[dict, dict, list[str]]:
    """(sheet, ref) -> (value, number format), (sheet, ref) -> comment text by the tool, sheet names."""
    wb = openpyxl.load_workbook(path, data_only=data_only)
    values, comments = {}, {}
    for ws in wb.worksheets:
        if ws.title == ISSUES_SHEET:
            continue
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    values[(ws.title, cell.coordinate)] = (cell.value, cell.number_format)
                if cell.comment is not None and (AUTHOR in (cell.comment.author or "") or AUTHOR in cell.comment.text
                                                 or "原值" in cell.comment.text):
                    comments[(ws.title, cell.coordinate)] = cell.comment.text
    return values, comments, wb.sheetnames


def _shown(pair: tuple | None) -> Shown:
    return shown(*pair) if pair else Shown("blank")


def _show_text(pair: tuple | None) -> str:
    return display(*pair) if pair else ""


def _figure_errors(kind: str, truth: dict, figures: dict) -> list[str]:
    errors = []
    for name in FIGURES[kind]:
        want, got = truth["figures"].get(name), figures.get(name)
        if want is None and got is None:
            continue
        if want is None or got is None:
            errors.append(f"{name}: {got!r}, clean {want!r}")
            continue
        if isinstance(want, int):
            ok = got == want
        else:
            places = 2 if kind not in ("funds", "self-evaluation") else int(truth["figures"].get("decimals", 2))
            ok = quantize(Decimal(repr(float(got))), places) == quantize(Decimal(want), places)
        if not ok:
            errors.append(f"{name}: {got!r}, clean {want}")
    return errors


def score_case(folder: Path, entry: dict | None) -> CaseScore:
    """Score one case from its folder and its file's entry in the batch ``findings.json``."""
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    faults = truth["faults"]
    score = CaseScore(truth["name"], truth["seed"], truth["kind"], truth["layout"]["form"], truth["features"],
                      len(faults), [f["kind"] for f in faults])
    if entry is None or not entry.get("output"):
        score.error = "no entry or no corrected workbook in findings.json" if entry is None else \
            f"no corrected workbook: {entry.get('status')} {entry.get('error')}"
        return score
    score.output = entry["output"]
    score.findings = entry.get("findings", [])
    if not faults:
        score.false_alarms = [f for f in score.findings if f["severity"] in ("error", "warning")]
        score.figure_errors = _figure_errors(truth["kind"], truth, entry.get("figures") or {})
    path_in, path_out = folder / truth["file"], Path(score.output)
    if not path_out.is_absolute():
        path_out = ROOT / path_out
    before, _, sheets = _cells(path_in, True)
    after, comments, _ = _cells(path_out, True)
    cells = {(c["sheet"], c["ref"]): c for c in truth["cells"]}
    faulty = {(c["sheet"], c["ref"]): f["kind"] for f in faults for c in f["cells"]}
    by_cell: dict[tuple, list[str]] = {}
    for f in score.findings:
        if f.get("cell"):
            by_cell.setdefault((f.get("sheet"), f["cell"]), []).append(f["code"])
    for key in sorted(set(before) | set(after)):
        if key[0] not in sheets:
            continue  # a sheet the tool added
        old, new = _shown(before.get(key)), _shown(after.get(key))
        if same(old, new) or (old.kind == "blank" and new.kind == "blank"):
            continue
        truth_cell = cells.get(key)
        clean_pair = (truth_cell["clean"], truth_cell["fmt"]) if truth_cell else before.get(key)
        right = truth_cell is not None and same(_shown(clean_pair), new) and key in faulty
        score.changes.append(Change(score.name, key[0], key[1], _show_text(before.get(key)),
                                    _show_text(after.get(key)), _show_text(clean_pair),
                                    truth_cell["role"] if truth_cell else None, right, faulty.get(key),
                                    by_cell.get(key, [])))
        if key not in comments:
            score.untouched_changed.append(f"{key[0]}!{key[1]} {_show_text(before.get(key))} → "
                                           f"{_show_text(after.get(key))} (no comment)")
    if truth["layout"].get("formulas"):
        f_before = _cells(path_in, False)[0]
        f_after = _cells(path_out, False)[0]
        for key, (value, _) in f_before.items():
            if isinstance(value, str) and value.startswith("=") and key not in comments:
                kept = f_after.get(key, (None,))[0]
                if kept != value:
                    score.untouched_changed.append(f"{key[0]}!{key[1]} formula {value} → {kept}")
    for f in faults:
        score.faults.append(_fault_result(truth["kind"], f, after, comments, by_cell, cells))
    return score


def _fault_result(kind: str, fault: dict, after: dict, comments: dict, by_cell: dict, cells: dict) -> FaultResult:
    found = accepted = True
    seen = []
    for c in fault["cells"]:
        key = (c["sheet"], c["ref"])
        restored = same(shown(c["clean"], cells[key]["fmt"]), _shown(after.get(key)))
        codes = by_cell.get(key, [])
        commented = key in comments
        ok = restored or bool(codes) or commented
        good = restored or commented or bool(set(codes) & acceptable(kind, c["role"]))
        found, accepted = found and ok, accepted and good
        seen.append(f"{c['ref']}: " + ("restored" if restored else "flagged " + ",".join(codes) if codes
                                       else "commented" if commented else "missed"))
    return FaultResult(fault["kind"], fault["role"], found, accepted, "; ".join(seen))


def recheck(scores: list[CaseScore], jobs: int = 2) -> None:
    """Check the corrected workbooks again; errors other than those the first run left uncorrected
    (by code, sheet and cell or range) go to ``recheck_extra``.

    The workbooks are copied to a folder of their own, one sub-folder per case, and that folder is
    checked: the tool is given one folder, as a user gives it an inbox (and ``汇总.xlsx`` stays out).
    """
    todo = [s for s in scores if s.output and s.error is None]
    if not todo:
        return
    with tempfile.TemporaryDirectory(prefix="zoo-recheck-") as tmp:
        where = {}
        for s in todo:
            source = Path(s.output) if Path(s.output).is_absolute() else ROOT / s.output
            target = Path(tmp) / s.name / source.name
            target.parent.mkdir()
            shutil.copyfile(source, target)
            where[str(target.resolve())] = s
        result = run_tool("check", tmp, "--json", "--jobs", jobs, "--quiet")
        try:
            data = json.loads(result.stdout[result.stdout.index("{"):result.stdout.rindex("}") + 1])
        except ValueError:
            for s in todo:
                s.recheck_extra.append({"code": "check-failed", "message": (result.stderr or result.stdout)[-300:]})
            return
        entries = {str((ROOT / e["path"]).resolve()): e for e in data["files"]}
        for path, s in where.items():
            entry = entries.get(path)
            if entry is None:
                s.recheck_extra.append({"code": "unreadable", "message": "not in the re-check"})
                continue
            changed = {(c.sheet, c.ref) for c in s.changes}
            left = {(f["code"], f.get("sheet"), f.get("cell") or f.get("range")) for f in s.findings
                    if (f.get("sheet"), f.get("cell")) not in changed}
            for f in entry.get("findings", []):
                key = (f["code"], f.get("sheet"), f.get("cell") or f.get("range"))
                if f["severity"] == "error" and key not in left:
                    s.recheck_extra.append(f)


def score_batch(cases: Path, output: Path, check: bool = True, jobs: int = 2) -> list[CaseScore]:
    """Score every case folder under ``cases`` against ``output/findings.json``."""
    data = json.loads((Path(output) / "findings.json").read_text(encoding="utf-8"))
    entries = {str((ROOT / e["path"]).resolve()): e for e in data["files"]}
    scores = []
    for folder in sorted(p for p in Path(cases).iterdir() if (p / "truth.json").is_file()):
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        scores.append(score_case(folder, entries.get(str((folder / truth["file"]).resolve()))))
    if check:
        recheck(scores, jobs)
    return scores


def main(argv: list[str] | None = None) -> int:
    from .report import report

    parser = argparse.ArgumentParser(prog="python -m tests.zoo.score", description=__doc__.splitlines()[0])
    parser.add_argument("cases", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--no-recheck", action="store_true")
    args = parser.parse_args(argv)
    print(report(score_batch(args.cases, args.output, not args.no_recheck)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
