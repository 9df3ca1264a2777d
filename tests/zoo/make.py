"""Make cases from seeds: ``python -m tests.zoo.make SEED KIND OUTDIR [--faults N] [--layout NAME]``.

A case is fully determined by (seed, kind, number of faults, named layout): the layout, the content
and the faults all come from ``random.Random(seed)`` streams, so a failing case in a batch is
reproduced by its seed alone. Without ``--faults`` the seed decides (seed % 3: clean, one, two).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from .case import Case
from .faults import inject
from .layout import KINDS, named_layout, random_layout
from .writer import write_case


def _builder(kind: str):
    if kind == "questionnaire":
        from .questionnaire import build
    elif kind == "indicators":
        from .indicators import build
    elif kind == "self-evaluation":
        from .selfeval import build
    else:
        from .funds import build
    return build


def make_case(seed: int, kind: str, faults: int | None = None, layout: str | None = None) -> Case:
    """The case of ``seed``: a random (or the named) layout of ``kind``, clean content, then faults."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    chosen = named_layout(layout) if layout else random_layout(random.Random(f"layout:{kind}:{seed}"), kind)
    case = _builder(chosen.kind)(seed, random.Random(f"content:{kind}:{seed}"), chosen)
    n_faults = seed % 3 if faults is None else faults
    case.name = f"{kind[0]}{seed:07d}" + (f"_{layout}" if layout else "")
    if n_faults:
        inject(case, random.Random(f"faults:{kind}:{seed}"), n_faults)
    return case


def batch_seeds(base: int, count: int) -> list[int]:
    """The case seeds of a batch: ``base`` * 100000 + i, so batches of different bases never share one."""
    return [base * 100000 + i for i in range(count)]


def generate_batch(folder: Path, kind: str, count: int, base: int = 1) -> list[Case]:
    """``count`` cases of ``kind`` under ``folder`` (one sub-folder each); about a third clean, a third
    with one fault and a third with two (seed % 3)."""
    cases = []
    for seed in batch_seeds(base, count):
        case = make_case(seed, kind)
        write_case(case, folder)
        cases.append(case)
    return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.zoo.make", description=__doc__.splitlines()[0])
    parser.add_argument("seed", type=int)
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--faults", type=int, choices=[0, 1, 2], default=None)
    parser.add_argument("--layout", default=None, help="a named layout, e.g. SEED003_ANNEX3")
    args = parser.parse_args(argv)
    case = make_case(args.seed, args.kind, args.faults, args.layout)
    folder = write_case(case, args.outdir)
    print(folder / case.file)
    for fault in case.faults:
        cells = ", ".join(f"{c['sheet']}!{c['ref']} {c['clean_shown']}→{c['faulty_shown']}" for c in fault["cells"])
        print(f"  fault {fault['kind']} on {tuple(fault['role'])}: {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
