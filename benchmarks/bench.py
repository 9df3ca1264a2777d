"""Speed and memory of ``check`` and ``run`` over N synthetic projects (three attachments each).

    python benchmarks/bench.py [N ...] [--jobs J]      (default: 100 1000 5000, J = the machine's cores)

Each project is a folder ``县区K/项目NNNNN/`` holding a 指标体系评分表, a 资金使用情况表 and a 问卷统计表
taken in turn from the five seeds (their real mistakes kept, so some projects have faults and some do
not), with a questionnaire of random counts written in one of three layouts (every tenth with seed
001's copied share column).  Every phase runs in a child process, so its peak memory is its own:

- floor: openpyxl alone loading every workbook (``load_workbook(data_only=True)``);
- check: ``batch.check`` with J jobs;
- run: ``batch.run`` with J jobs (corrected workbooks, drafts with charts, findings, 汇总.xlsx);
- re-run: ``batch.run`` again over the unchanged inbox (the manifest restores every project).

Peak memory is the largest resident set of the phase's main process and of any of its workers.
"""

from __future__ import annotations

import copy
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DATA))

SEEDS = ["seed000_乡村振兴", "seed001_盲人按摩", "seed002_服务状况调查", "seed003_自治区残疾人事业", "seed004_职业技能培训"]


def xround(x, d: int = 2) -> float:
    """Round as Excel displays (half away from zero), not as Python's round()."""
    from reportlib.values import round_half_up
    return float(round_half_up(Fraction(x), d))


def synthetic(i: int, rng: random.Random) -> dict:
    """A questionnaire with consistent shares and scores (weights 1/0.8/0.6/0.2/0), faults in every tenth."""
    import seeds
    data = copy.deepcopy(seeds.KUNMING_001)
    weights = [Fraction(w) for w in ("1", "0.8", "0.6", "0.2", "0")]
    n = rng.randint(20, 200)
    questions = []
    for label, *_ in data["questions"]:
        cuts = sorted(rng.randint(0, n) for _ in range(4))
        counts = [b - a for a, b in zip([0] + cuts, cuts + [n])]
        exact = [Fraction(c, n) * 100 for c in counts]
        shares = [xround(x, 2) for x in exact]
        if i % 10 == 0:
            shares[3] = shares[2]  # the copied-column fault of seed 001
            exact[3] = exact[2]
        unrounded = [x / 100 * w * 10 for x, w in zip(exact, weights)]
        questions.append((label, counts, n, shares, 100, [xround(x, 2) for x in unrounded], xround(sum(unrounded), 2)))
    cols = list(zip(*[q[1] for q in questions]))
    total_counts = [sum(c) for c in cols]
    all_n = sum(total_counts)
    total_scores = [xround(sum(Fraction(q[1][k], q[2]) * weights[k] * 10 for q in questions), 2) for k in range(5)]
    data["questions"] = questions
    data["total"] = (total_counts, all_n, [xround(Fraction(c, all_n) * 100, 2) for c in total_counts], 100,
                     total_scores, xround(sum(total_scores), 2))
    data["final"] = xround(sum(total_scores), 2)
    return data


def generate(inbox: Path, n: int) -> None:
    import make_fixtures as mf
    layouts = [mf.Layout(), mf.Layout(labels="repeated", percent_as_text=True, top=2, left=2, extra_right="备注"),
               mf.Layout(labels="first", extra_left="序号", title_rows=3)]
    rng = random.Random(7)
    templates = inbox.parent / "questionnaires"
    templates.mkdir(exist_ok=True)
    for k in range(min(n, 60)):  # sixty distinct questionnaires, reused: writing them is not what is measured
        mf.write_ae(templates / f"{k}.xlsx", synthetic(k, rng), layouts[k % len(layouts)])
    for i in range(n):
        seed = SEEDS[i % len(SEEDS)]
        folder = inbox / f"县区{i % 16:02d}" / f"项目{i:05d}"
        folder.mkdir(parents=True)
        shutil.copyfile(DATA / f"{seed}_指标体系评分表.xlsx", folder / f"项目{i:05d}_指标体系评分表.xlsx")
        shutil.copyfile(DATA / f"{seed}_资金使用情况表.xlsx", folder / f"项目{i:05d}_资金使用情况表.xlsx")
        shutil.copyfile(templates / f"{i % min(n, 60)}.xlsx", folder / f"项目{i:05d}_问卷统计表.xlsx")


def phase(name: str, inbox: Path, out: Path, jobs: int) -> None:
    """One measured phase, in this (child) process."""
    from reportlib import batch
    from reportlib.schema import Config
    if name == "floor":
        import warnings
        from openpyxl import load_workbook
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for f in sorted(inbox.rglob("*.xlsx")):
                load_workbook(f, data_only=True).close()
    elif name == "check":
        batch.check([inbox], Config(), jobs=jobs, batch=batch.Batch(keep=False))
    else:
        batch.run(inbox, out, Config(), jobs=jobs, batch=batch.Batch(keep=False))


def measure(name: str, inbox: Path, out: Path, jobs: int) -> tuple[float, float]:
    """(seconds, peak RSS in MB of the phase's process and its workers)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--phase", name, str(inbox), str(out), str(jobs)])
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"phase {name} failed")
    return elapsed, usage.ru_maxrss / 1024


def _child_phase(argv: list[str]) -> None:
    name, inbox, out, jobs = argv
    phase(name, Path(inbox), Path(out), int(jobs))
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if children > own:  # report the largest worker as this phase's peak
        sys.stderr.write(f"  (largest worker {children / 1024:.0f} MB, main process {own / 1024:.0f} MB)\n")


def main(sizes: list[int], jobs: int) -> None:
    print(f"{os.cpu_count()} cores, --jobs {jobs}")
    print(f"{'projects':>8} {'phase':<8} {'wall s':>8} {'workbooks/s':>12} {'projects/s':>11} {'× floor':>8} {'peak MB':>8}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            inbox, out = Path(tmp) / "inbox", Path(tmp) / "out"
            t0 = time.perf_counter()
            generate(inbox, n)
            workbooks = sum(1 for _ in inbox.rglob("*.xlsx"))
            print(f"{n:>8} generated {workbooks} workbooks in {time.perf_counter() - t0:.1f} s")
            floor, floor_mb = measure("floor", inbox, out, 1)
            first = None
            for name in ("floor", "check", "run", "re-run"):
                elapsed, mb = (floor, floor_mb) if name == "floor" else measure(
                    "run" if name == "re-run" else name, inbox, out, jobs)
                first = elapsed if name == "run" else first
                extra = f"  {first / elapsed:.0f}× faster than the first run" if name == "re-run" else ""
                print(f"{n:>8} {name:<8} {elapsed:>8.1f} {workbooks / elapsed:>12.1f} {n / elapsed:>11.1f} "
                      f"{elapsed / floor:>8.2f} {mb:>8.0f}{extra}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        _child_phase(sys.argv[2:])
    else:
        args = sys.argv[1:]
        jobs = len(os.sched_getaffinity(0))
        if "--jobs" in args:
            at = args.index("--jobs")
            jobs = int(args[at + 1])
            del args[at:at + 2]
        main([int(a) for a in args] or [100, 1000, 5000], jobs)
