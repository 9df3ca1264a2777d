"""The scorer's printout: a table per attachment kind and fault kind, false alarms by layout feature, and
the lists that matter most (wrong corrections, false alarms, missed faults, untouched cells changed)."""

from __future__ import annotations

from collections import Counter, defaultdict

from .layout import KINDS

from .score import CaseScore


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}" if b else "-"


def table(scores: list[CaseScore]) -> str:
    """cases | false alarms | corrections right / wrong | precision % | recall %, per kind and fault kind."""
    rows: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for s in scores:
        if not s.n_faults:
            r = rows[(s.kind, "clean")]
            r["cases"] += 1
            r["alarm_cases"] += bool(s.false_alarms)
            r["alarms"] += len(s.false_alarms)
        for kind in set(s.fault_kinds):
            rows[(s.kind, kind)]["cases"] += 1
        for f in s.faults:
            rows[(s.kind, f.kind)]["faults"] += 1
            rows[(s.kind, f.kind)]["found"] += f.found
        for c in s.changes:
            bucket = rows[(s.kind, c.fault or ("clean" if not s.n_faults else "(cells not faulty)"))]
            bucket["right" if c.right else "wrong"] += 1
    lines = ["| kind | fault | cases | false alarms (cases / findings) | corrections right | wrong | precision % | "
             "recall % |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for kind in KINDS:
        keys = sorted(k for k in rows if k[0] == kind)
        total = Counter()
        for key in keys:
            r = rows[key]
            total.update(r)
            alarms = f"{r['alarm_cases']} / {r['alarms']}" if key[1] == "clean" else ""
            lines.append(f"| {kind} | {key[1]} | {r['cases']} | {alarms} | {r['right']} | {r['wrong']} | "
                         f"{_pct(r['right'], r['right'] + r['wrong'])} | {_pct(r['found'], r['faults'])} |")
        if keys:
            cases = sum(1 for s in scores if s.kind == kind)
            lines.append(f"| **{kind}** | all | {cases} | {total['alarm_cases']} / {total['alarms']} | {total['right']} | "
                         f"{total['wrong']} | {_pct(total['right'], total['right'] + total['wrong'])} | "
                         f"{_pct(total['found'], total['faults'])} |")
    return "\n".join(lines)


def by_feature(scores: list[CaseScore], least: int = 2, top: int = 10) -> str:
    """False-alarm rate of clean cases per layout feature value: the values whose rate is at least twice
    their kind's (the likely causes), highest first; figures that differ count as alarms too."""
    seen: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    base: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s in scores:
        if s.n_faults or s.error:
            continue
        bad = bool(s.false_alarms or s.figure_errors)
        base[s.kind][0] += 1
        base[s.kind][1] += bad
        for name, value in s.features.items():
            cell = seen[(s.kind, name, value)]
            cell[0] += 1
            cell[1] += bad
    out = ["| kind | feature = value | clean cases | with false alarms or wrong figures | % (kind: %) |",
           "| --- | --- | --- | --- | --- |"]
    for kind in KINDS:
        n, bad = base.get(kind, [0, 0])
        rate = bad / n if n else 0
        ranked = sorted(((k, v) for k, v in seen.items() if k[0] == kind and v[1] >= least
                         and v[1] / v[0] >= 2 * rate), key=lambda kv: (-kv[1][1] / kv[1][0], -kv[1][1]))
        for (_, name, value), (m, b) in ranked[:top]:
            out.append(f"| {kind} | {name} = {value} | {m} | {b} | {_pct(b, m)} ({_pct(bad, n)}) |")
    return "\n".join(out)


def lists(scores: list[CaseScore], limit: int = 60, per_case: int = 4) -> str:
    out = []
    wrong = [s for s in scores if s.wrong]
    out.append(f"\nWrong corrections ({sum(len(s.wrong) for s in wrong)} cells in {len(wrong)} cases; "
               f"per case its faults, then up to {per_case} cells):")
    for s in wrong[:limit]:
        out.append(f"  {s.name} seed {s.seed} {s.form} [{', '.join(s.fault_kinds) or 'clean'}]:")
        for c in s.wrong[:per_case]:
            out.append(f"    {c.sheet}!{c.ref} role {tuple(c.role) if c.role else None}: input {c.input!r} "
                       f"written {c.written!r} clean {c.clean!r} [{c.fault or 'not faulty'}; "
                       f"codes {','.join(c.codes) or '-'}]")
        if len(s.wrong) > per_case:
            out.append(f"    … {len(s.wrong) - per_case} more")
    alarms = [(s, f) for s in scores for f in s.false_alarms]
    codes = Counter((s.kind, f["code"]) for s, f in alarms)
    out.append(f"\nFalse alarms on clean cases ({len(alarms)} findings in "
               f"{sum(1 for s in scores if s.false_alarms)} cases), by code: "
               + ", ".join(f"{k[0]}/{k[1]} {n}" for k, n in codes.most_common()))
    for s, f in alarms[:limit]:
        out.append(f"  {s.name} seed {s.seed} {s.form} {f['severity']} {f['code']} {f.get('sheet')}!{f.get('cell')}: "
                   f"{f['message'][:110]}")
    figures = [(s, e) for s in scores for e in s.figure_errors]
    out.append(f"\nClean figures that differ ({len(figures)}):")
    out += [f"  {s.name} seed {s.seed} {s.form}: {e}" for s, e in figures[:limit]]
    missed = [(s, f) for s in scores for f in s.faults if not f.found]
    out.append(f"\nFaults not found at their cell ({len(missed)}):")
    out += [f"  {s.name} seed {s.seed} {s.form} {f.kind} {tuple(f.role)}: {f.how}" for s, f in missed[:limit]]
    untouched = [(s, u) for s in scores for u in s.untouched_changed]
    out.append(f"\nCells changed without a comment ({len(untouched)}):")
    out += [f"  {s.name} seed {s.seed}: {u}" for s, u in untouched[:limit]]
    extra = [(s, f) for s in scores for f in s.recheck_extra]
    out.append(f"\nRe-check errors not left for review by the first run ({len(extra)}):")
    out += [f"  {s.name} seed {s.seed} {f['code']} {f.get('sheet')}!{f.get('cell') or f.get('range')}: "
            f"{f.get('message', '')[:100]}" for s, f in extra[:limit]]
    errors = [s for s in scores if s.error]
    if errors:
        out.append(f"\nCases without a result ({len(errors)}):")
        out += [f"  {s.name} seed {s.seed}: {s.error}" for s in errors[:limit]]
    return "\n".join(out)


def report(scores: list[CaseScore]) -> str:
    return "\n\n".join([table(scores), "False alarms by layout feature (clean cases):\n" + by_feature(scores),
                        lists(scores)])
