"""How trustworthy the 项目支出绩效自评表 checks are on generated forms: random clean forms in random
surroundings (the layout zoo of ``tests/selfeval_forms.py``), and the same with one cell changed (a
total or item amount, the rate, the 资金得分, the 总分, a score, a 分值).

    python benchmarks/selfeval_precision.py [--cases N] [--seed S]

Prints, over N cases (a third clean): false alarms (an error or warning on a clean form), faults found
(a finding at the changed cell or at one computed from it), cells written back yellow, how many of
those hold a value other than the clean form's (wrong corrections), and scores or 分值 rewritten.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import audit  # noqa: E402
from reportlib.grid import a1  # noqa: E402
from selfeval_forms import write  # noqa: E402
from test_selfeval_property import (FAULTS, HEADER_ROW, I_SCORE, I_WEIGHT, _rc, computed_from, inject,  # noqa: E402
                                    offset, random_around, random_form)


def main(cases: int, seed: int) -> None:
    counts = dict(clean=0, false_alarms=0, faulted=0, found=0, fixed=0, wrong=0, scores_rewritten=0, reviewed=0)
    with tempfile.TemporaryDirectory() as scratch:
        for n in range(cases):
            rng = random.Random(f"{seed}-{n}")
            form, cells, places = random_form(rng)
            around = random_around(rng)
            path = Path(scratch) / f"{n}_项目支出绩效自评表.xlsx"
            if n % 3 == 0:
                counts["clean"] += 1
                result = audit(write(path, form, around))
                counts["false_alarms"] += any(f.severity in ("error", "warning") for f in result.findings)
                continue
            fault = FAULTS[n % len(FAULTS)]
            faulty, pos = inject(form, cells, places, fault, rng)
            result = audit(write(path, faulty, around))
            counts["faulted"] += 1
            dr, dc = offset(around)
            where = {a1(r - dr, c - dc) for r, c in (_rc(f.cell) for f in result.findings if f.cell)}
            marked = {a1(x.pos[0] - dr, x.pos[1] - dc): x for t in result.tables for x in t.fixes if x.mark}
            counts["found"] += bool((where | set(marked)) & computed_from(pos, len(form.indicators)))
            first = HEADER_ROW + 8
            scores = {a1(*p) for p in cells if p[1] in (I_WEIGHT, I_SCORE) and first <= p[0] < first + len(form.indicators)}
            for cell, fix in marked.items():
                if fix.mark == "review":
                    counts["reviewed"] += 1
                    continue
                counts["fixed"] += 1
                counts["scores_rewritten"] += cell in scores
                true = next((v for p, v in cells.items() if a1(*p) == cell), None)
                if true is None or abs(float(fix.value) - float(true)) > 10 ** -places / 2:
                    counts["wrong"] += 1
    recall = counts["found"] / counts["faulted"] * 100 if counts["faulted"] else 0
    print(f"{cases} cases ({counts['clean']} clean, {counts['faulted']} with one changed cell): "
          f"false alarms {counts['false_alarms']}, found {counts['found']} ({recall:.0f} %), "
          f"corrections {counts['fixed']}, wrong {counts['wrong']}, scores or 分值 rewritten "
          f"{counts['scores_rewritten']}, cells for review {counts['reviewed']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    main(args.cases, args.seed)
