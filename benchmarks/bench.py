"""Speed and memory of ``check`` and ``run`` over N synthetic questionnaires.

    python benchmarks/bench.py [N]        (default 500)

The questionnaires are written with openpyxl in the seeds' layouts, with random counts and every
tenth one carrying a copied share column; the figures printed are files per second and peak
memory (RSS of this process) for each phase, plus the openpyxl-load floor for comparison.
"""

from __future__ import annotations

import copy
from fractions import Fraction
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "data"))

import make_fixtures as mf  # noqa: E402
import seeds  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from reportlib import batch  # noqa: E402
from reportlib.schema import Config  # noqa: E402
from reportlib.values import round_half_up  # noqa: E402


def xround(x: float, d: int = 2) -> float:
    """Round as Excel displays (half away from zero), not as Python's round() (half to even, binary)."""
    return float(round_half_up(Fraction(x), d))  # exact input: no binary surprises

LAYOUTS = [mf.Layout(), mf.Layout(labels="repeated", percent_as_text=True, top=2, left=2, extra_right="备注"),
           mf.Layout(labels="first", extra_left="序号", title_rows=3)]


def synthetic(i: int, rng: random.Random) -> dict:
    """A table with consistent shares and scores (weights 1/0.8/0.6/0.2/0), faults in every tenth."""
    data = copy.deepcopy(seeds.KUNMING_001)
    weights = [Fraction(w) for w in ("1", "0.8", "0.6", "0.2", "0")]
    n = rng.randint(20, 200)
    questions = []
    for label, *_ in data["questions"]:
        cuts = sorted(rng.randint(0, n) for _ in range(4))
        counts = [b - a for a, b in zip([0] + cuts, cuts + [n])]
        exact = [Fraction(c, n) * 100 for c in counts]  # exact, as the cell's c/n shows it
        shares = [xround(x, 2) for x in exact]
        if i % 10 == 0:
            shares[3] = shares[2]  # the copied-column fault of seed 001
            exact[3] = exact[2]
        # scores come from unrounded shares, as an Excel formula computes them
        unrounded = [x / 100 * w * 10 for x, w in zip(exact, weights)]
        questions.append((label, counts, n, shares, 100, [xround(x, 2) for x in unrounded], xround(sum(unrounded), 2)))
    cols = list(zip(*[q[1] for q in questions]))
    total_counts = [sum(c) for c in cols]
    all_n = sum(total_counts)
    total_scores = [xround(sum(Fraction(c[k], q[2]) * weights[k] * 10 for q, c in zip(questions, [q[1] for q in questions])), 2)
                    for k in range(5)]
    data["questions"] = questions
    data["total"] = (total_counts, all_n, [xround(Fraction(c, all_n) * 100, 2) for c in total_counts], 100, total_scores,
                     xround(sum(total_scores), 2))
    data["final"] = xround(sum(total_scores), 2)
    return data


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(n: int = 500) -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        t0 = time.perf_counter()
        for i in range(n):
            mf.write_ae(inbox / f"project{i:05d}_问卷统计表.xlsx", synthetic(i, rng), LAYOUTS[i % len(LAYOUTS)])
        print(f"generated {n} questionnaires in {time.perf_counter() - t0:.1f} s")
        files = sorted(inbox.glob("*.xlsx"))

        t0 = time.perf_counter()
        for f in files:
            load_workbook(f, data_only=True).close()
        floor = time.perf_counter() - t0
        print(f"floor   openpyxl load only : {n / floor:7.1f} files/s  ({floor:.2f} s)")

        t0 = time.perf_counter()
        checked = batch.check([inbox], Config())
        elapsed = time.perf_counter() - t0
        print(f"check                      : {n / elapsed:7.1f} files/s  ({elapsed:.2f} s, "
              f"{elapsed / floor:.2f}x floor), peak RSS {peak_mb():.0f} MB, "
              f"{sum(f.errors for f in checked.files)} error findings")

        t0 = time.perf_counter()
        batch.run(inbox, Path(tmp) / "out", Config())
        elapsed = time.perf_counter() - t0
        print(f"run (corrected workbooks)  : {n / elapsed:7.1f} files/s  ({elapsed:.2f} s, "
              f"{elapsed / floor:.2f}x floor), peak RSS {peak_mb():.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
