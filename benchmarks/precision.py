"""Precision and recall of the tool on generated cases: ``python benchmarks/precision.py [--cases 500]
[--seed 1] [--kinds questionnaire,indicators,funds,self-evaluation] [--keep DIR]``.

Generates ``--cases`` cases per kind with the layout zoo (``tests/zoo``; about a third clean, a third
with one fault, a third with two), runs ``process.py run`` once over all of them (``--jobs 2``), scores
the corrected workbooks and findings against each case's ``truth.json`` and prints the figures: false
alarms on clean cases (also by layout feature), corrections right and wrong, recall per fault kind, and
the lists of wrong corrections, false alarms and missed faults. A case is reproduced with
``python -m tests.zoo.make SEED KIND OUTDIR``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.zoo.layout import KINDS  # noqa: E402
from tests.zoo.make import generate_batch  # noqa: E402
from tests.zoo.report import report  # noqa: E402
from tests.zoo.score import run_tool, score_batch  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=500, help="cases per kind (default 500)")
    parser.add_argument("--seed", type=int, default=1, help="base seed of the batch (default 1)")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated attachment kinds")
    parser.add_argument("--keep", type=Path, default=None, help="keep the cases and the output in DIR")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = set(kinds) - set(KINDS)
    if unknown:
        parser.error(f"unknown kinds: {', '.join(sorted(unknown))}")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="zoo-precision-"))
    inbox, output = work / "cases", work / "output"
    for folder in (inbox, output):
        if folder.exists():
            shutil.rmtree(folder)
    inbox.mkdir(parents=True)
    started = time.perf_counter()
    for kind in kinds:
        generate_batch(inbox, kind, args.cases, args.seed)
    made = time.perf_counter()
    result = run_tool("run", inbox, "-o", output, "--jobs", args.jobs, "--quiet")
    ran = time.perf_counter()
    if not (output / "findings.json").is_file():
        print(result.stdout[-2000:], result.stderr[-2000:], sep="\n")
        return 2
    scores = score_batch(inbox, output, check=True, jobs=args.jobs)
    scored = time.perf_counter()
    print(f"{len(scores)} cases ({args.cases} per kind: {', '.join(kinds)}; base seed {args.seed}); "
          f"generated in {made - started:.0f} s, run in {ran - made:.0f} s (exit {result.returncode}), "
          f"scored and re-checked in {scored - ran:.0f} s")
    print(result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "")
    print()
    print(report(scores))
    if args.keep:
        print(f"\ncases in {inbox}, output in {output}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
