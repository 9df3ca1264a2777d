"""Projects: which input files belong together, and what a project is called.

A project is one submission: its 指标体系评分表, 资金使用情况表 and 问卷统计表.  Files are grouped
- by folder: a sub-folder of the inbox whose files do not fall into several projects by name is one
  project, named after the folder;
- by name: in a flat folder, the files whose name before the attachment word is the same
  (``2022年乡村振兴经费`` + ``绩效评价指标体系评分表`` / ``使用情况表`` / ``问卷统计表``) are one
  project; a name that contains another (``2022年乡村振兴经费`` and ``乡村振兴经费``) is the same;
- a file whose name names no attachment is a project of its own (a workbook holding all three tables
  on several sheets), named after its tables' titles when they name the project.

Names from input become folder names only after :func:`safe_name`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .findings import Finding
from .kinds import NAMES, OPTIONAL
from .messages import say
from .results import FAILED, SKIPPED, FileResult
from .values import label_key

KINDS = NAMES  # the attachment kinds, in the order a project shows them
UNNAMED = str(say("words.unnamed-project"))
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
MAX_NAME = 60


def safe_name(text: str | None, fallback: str = UNNAMED) -> str:
    """A folder or file name any file system and a Windows share accept, from untrusted text.

    Separators, ``<>:"|?*`` and control characters become ``_``; leading and trailing dots and
    spaces go (so ``..`` is never a name); reserved device names (``CON``, ``LPT1``) get a ``_``.
    """
    text = unicodedata.normalize("NFC", str(text or ""))
    text = _FORBIDDEN.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    text = re.sub(r"_+", "_", text)
    if len(text) > MAX_NAME:
        text = text[:MAX_NAME].rstrip(" ._")
    if not text.strip("_ ."):
        return fallback
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = "_" + text
    return text


@dataclass
class Project:
    """One submission: its files, where its outputs go, and what was found across its attachments."""

    name: str  # as shown, sanitised
    folder: Path  # relative output folder under OUTPUT
    named_by: str  # folder | file-name | title | file
    files: list[FileResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # about the project as a whole (a missing attachment)
    full_name: str | None = None  # the project's name as its tables' titles give it, for the report
    outputs: dict[str, Path] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what was left out of the outputs, and why
    restored: bool = False  # taken from the last run's results, its inputs being unchanged (see manifest)
    written: bool = True  # False when one of its outputs could not be written (a full disk, no permission)

    def unwritten(self, note: str) -> None:
        """One of the project's outputs could not be written: its note, and the project is redone next run."""
        self.written = False
        self.notes.append(note)

    @property
    def complete(self) -> bool:
        """Every output written and no failure that may not come back: what the manifest may remember.
        A file that cannot be read because of its content fails the same way again; one that could
        not be opened, or ran out of memory, may not."""
        return self.written and not any(f.status == FAILED and f.transient for f in self.files)

    def tables(self, kind: str):
        """(file, table) for every table of a kind, in file order."""
        return [(f, t) for f in self.files for t in f.tables if t.kind == kind]

    def main(self, kind: str):
        """(file, table) of the main table of a kind: the one marked ``primary``, else the first."""
        found = self.tables(kind)
        for pair in found:
            if pair[1].figures.get("primary"):
                return pair
        return found[0] if found else (None, None)

    def kinds(self) -> dict[str, list[str]]:
        """The attachments found: kind -> the display paths of the files holding it; an optional kind
        (the 项目支出绩效自评表) only where the project has one."""
        found: dict[str, list[str]] = {k: [] for k in KINDS}
        for f in self.files:
            for kind in {t.kind for t in f.tables} or ({f.kind} if f.kind else set()):
                if kind in found and f.display_path not in found[kind]:
                    found[kind].append(f.display_path)
        if self.only_optional:
            return {k: v for k, v in found.items() if v}
        return {k: v for k, v in found.items() if v or k not in OPTIONAL}

    @property
    def only_optional(self) -> bool:
        """A project of 项目支出绩效自评表 alone (a finance bureau's monthly batch): no evaluation
        report's attachments are expected of it."""
        kinds = {t.kind for f in self.files for t in f.tables}
        return bool(kinds) and kinds <= OPTIONAL

    @property
    def all_findings(self) -> list[Finding]:
        return [x for f in self.files for x in f.findings] + self.findings

    def count(self, severity: str) -> int:
        return sum(1 for x in self.all_findings if x.severity == severity)

    @property
    def status(self) -> str:
        if any(f.status == FAILED for f in self.files):
            return FAILED
        if all(f.status == SKIPPED for f in self.files):
            return SKIPPED
        return "findings" if self.all_findings else "clean"


# -- grouping ------------------------------------------------------------------------------------

def _words(schema: dict) -> list[tuple[str, str]]:
    """(normalised attachment word, kind), longest first."""
    return _sorted_words(tuple((kind, tuple(words)) for kind, words in schema["attachment_words"].items()))


@lru_cache(maxsize=8)
def _sorted_words(words: tuple[tuple[str, tuple[str, ...]], ...]) -> list[tuple[str, str]]:
    pairs = [(label_key(w), kind) for kind, group in words for w in group]
    return sorted(pairs, key=lambda p: len(p[0]), reverse=True)


def split_name(text: str, schema: dict) -> tuple[str | None, str | None]:
    """(the project part, the attachment kind) of a file name or title; (None, None) when no
    attachment word occurs.  ``附件3 2022年乡村振兴经费使用情况表`` -> (``2022年乡村振兴经费``, funds)."""
    key = label_key(re.sub(schema["leading_pattern"], "", unicodedata.normalize("NFKC", text).strip()))
    best = None
    for word, kind in _words(schema):
        at = key.find(word)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, kind)
    if best is None:
        return None, None
    prefix = key[: best[0]]
    changed = True
    while changed:
        changed = False
        prefix = prefix.rstrip("_-—–·.、:()[]{}")
        for word in schema["trailing_words"]:
            if prefix.endswith(label_key(word)):
                prefix, changed = prefix[: -len(label_key(word))], True
    return prefix, best[1]


def _display_prefix(stem: str, key: str) -> str:
    """The original spelling of a normalised prefix: the stem's characters up to where it ends."""
    folded, out = "", []
    for ch in stem:  # the characters as written (（对下） stays full-width); their half-width form is compared
        if len(label_key(folded)) >= len(key):
            break
        folded += unicodedata.normalize("NFKC", ch)
        out.append(ch)
    text = "".join(out)
    text = re.sub(r"^(附件|附表|表)\s*[0-9一二三四五六七八九十]+([-－—.][0-9]+)?[\s:：_、.-]*", "", text)
    return text.strip(" _-—–·.、")


def _reports_join(clusters: list[list], schema: dict) -> None:
    """A report (``盲人按摩绩效自评报告.docx``) joins the attachments of its folder it names: the only
    cluster of tables there, or the one whose name holds its name or is held by it."""
    def reports_only(cluster) -> bool:
        return all(split_name(e[0].stem, schema)[1] == "report" for e in cluster[2])

    tables = [c for c in clusters if not reports_only(c)]
    for cluster in [c for c in clusters if reports_only(c)]:
        home = tables if len(tables) == 1 else [c for c in tables if cluster[0] in c[0] or c[0] in cluster[0]]
        if len(home) == 1:
            home[0][2].extend(cluster[2])
            clusters.remove(cluster)


def _same_project(a: str, b: str) -> bool:
    """The same name, or a name of five characters or more inside the other (乡村振兴经费 in
    2022年乡村振兴经费); a short word inside a long name (补助经费, 需求调查) is no evidence: the tables
    decide those (:mod:`reportlib.regroup`)."""
    return a == b or (min(len(a), len(b)) >= 5 and (a in b or b in a))


def group_files(entries: list[tuple[Path, str, Path]], schema: dict) -> list[tuple[str | None, Path, str, list]]:
    """Group ``(file, shown, base)`` entries into projects: (name or None, relative folder, named_by, entries).

    The name is None when only the tables' titles can give it (they are read later).
    """
    buckets: dict[tuple[Path, Path], list] = {}
    for entry in entries:
        file, _, base = entry
        buckets.setdefault((base, file.parent), []).append(entry)
    # a folder with project folders below it is a container, read like the inbox itself
    containers = {parent for _, folder in buckets for parent in folder.parents}
    groups: list[tuple[str | None, Path, str, list]] = []
    for (base, folder), members in buckets.items():
        try:
            relative = folder.relative_to(base)
        except ValueError:
            relative = Path()
        parts = [safe_name(p) for p in relative.parts]
        named = [(entry, *split_name(entry[0].stem, schema)) for entry in members]
        clusters: list[list] = []  # [key, the stem that gave the key, entries]
        anonymous, loose = [], []  # an attachment word with nothing before it; no attachment word
        for entry, prefix, kind in named:
            if kind is None:
                loose.append(entry)
                continue
            if not prefix:
                anonymous.append(entry)
                continue
            for cluster in clusters:
                if _same_project(cluster[0], prefix):
                    if len(prefix) > len(cluster[0]):  # the longer spelling names the project better
                        cluster[0], cluster[1] = prefix, entry[0].stem
                    cluster[2].append(entry)
                    break
            else:
                clusters.append([prefix, entry[0].stem, [entry]])
        _reports_join(clusters, schema)
        for entry in list(loose):  # 职业技能培训_附表.xlsx beside 职业技能培训_问卷.xlsx: the project its name begins with
            stem = label_key(entry[0].stem)
            home = [c for c in clusters if len(c[0]) >= 4 and stem.startswith(c[0])]
            if len(home) == 1:
                home[0][2].append(entry)
                loose.remove(entry)
        if relative.parts and folder not in containers and len(clusters) <= 1:  # a project's own folder
            groups.append((parts[-1], Path(*parts), "folder", members))
            continue
        if len(clusters) == 1:  # one project, some files named by their attachment only
            key, stem, items = clusters[0]
            groups.append((_display_prefix(stem, key) or key, Path(*parts), "file-name", items + anonymous))
            anonymous = []
        elif not clusters and anonymous:  # "附件1 评分表", "附件3 资金使用情况表": the folder's project
            name = safe_name(folder.name)
            groups.append((name, Path(*parts) if parts else Path(name), "folder", anonymous))
            anonymous = []
        else:
            for key, stem, items in clusters:
                groups.append((_display_prefix(stem, key) or key, Path(*parts), "file-name", items))
        for entry in anonymous + loose:  # one project each, named after its tables' titles
            groups.append((None, Path(*parts), "file", [entry]))
    return groups


def title_name(results: list[FileResult], schema: dict) -> str | None:
    """The project's name as its tables' titles give it (``2022年昆明市“乡村振兴”残疾人帮扶项目补助经费``)."""
    not_names = re.compile(schema["not_names"])
    named = [str(t.figures["project_name"]) for f in results for t in f.tables if t.figures.get("project_name")
             and not not_names.search(str(t.figures["project_name"]))]
    if named:  # 项目名称：… in an info line says it outright
        return max(named, key=len)
    candidates = []
    for f in results:
        for t in f.tables:
            title = t.figures.get("title")
            if not title:
                continue
            prefix, _ = split_name(str(title), schema)
            if prefix and len(prefix) >= 4:
                name = _display_prefix(str(title), prefix)
                if not not_names.search(label_key(name)) and not not_names.search(name):
                    candidates.append(name)
    return max(candidates, key=len) if candidates else None


#: the batch's own files beside the project folders: no project may take their names
RESERVED = frozenset({"findings.json", "汇总.xlsx"})


def claim_folder(project: Project, used: set[str]) -> None:
    """Give a project a folder no earlier project has (``项目``, ``项目_2``), comparing case-insensitively,
    and record it in ``used`` (which starts as a copy of :data:`RESERVED`)."""
    if not project.folder.name:  # "." or "": never a folder to name outputs after
        project.folder = project.folder / safe_name(project.name)
    folder, n = project.folder, 1
    while str(folder).casefold() in used:
        n += 1
        folder = project.folder.with_name(f"{project.folder.name}_{n}")
    project.folder = folder
    used.add(str(folder).casefold())


def project_json(p: Project) -> dict[str, Any]:
    """The ``projects`` entry of ``check --json`` and ``findings.json``."""
    kinds = p.kinds()
    return {
        "name": p.name,
        "full_name": p.full_name,
        "named_by": p.named_by,
        "folder": str(p.folder),
        "status": p.status,
        "files": [f.display_path for f in p.files],
        "attachments": {k: (v[0] if v else None) for k, v in kinds.items()},
        "missing": [k for k, v in kinds.items() if not v],
        "errors": p.count("error"),
        "warnings": p.count("warning"),
        "findings": [x.to_json() for x in p.findings],
        "figures": project_figures(p),
        "notes": p.notes,
        **({"outputs": {k: str(v) for k, v in p.outputs.items()}} if p.outputs else {}),
    }


def restore_project(data: dict[str, Any], files: list[FileResult], output: Path) -> Project:
    """A project restored from its ``findings.json`` ``project`` entry (see :mod:`reportlib.manifest`)."""
    folder = Path(data["folder"])
    return Project(name=data["name"], folder=folder, named_by=data["named_by"], files=files,
                   findings=[Finding(**x) for x in data.get("findings") or []], full_name=data.get("full_name"),
                   outputs={k: output / folder / Path(v).name for k, v in (data.get("outputs") or {}).items()},
                   notes=list(data.get("notes") or []))


def project_figures(p: Project) -> dict[str, Any]:
    """The few figures a batch summary shows: score and grade, satisfaction, budget and spending."""
    _, ind = p.main("indicators")
    _, q = p.main("questionnaire")
    _, fund = p.main("funds")
    _, own = p.main("self-evaluation")
    fi, fq, ff = (t.figures if t else {} for t in (ind, q, fund))
    if own is not None:  # a 自评表 gives what the attachments do not: score, grade, budget, spending, rate
        fs = own.figures
        if not fi:  # the recomputed 总分 at the decimals a form shows it (93.91, not 93.910143)
            total = fs.get("total_score")
            fi = {"total_score": None if total is None else round(total, 2), "grade": fs.get("grade")}
        if not ff:
            ff = {k: fs.get(k) for k in ("budget", "spent", "execution_rate", "unit")}
            ff["execution_rate_basis"] = "budget" if fs.get("execution_rate") is not None else None
    return {
        "total_score": fi.get("total_score"),
        "grade": fi.get("grade"),
        "satisfaction": fq.get("satisfaction"),
        "respondents": fq.get("respondents"),
        "budget": ff.get("budget"),
        "arrived": ff.get("arrived"),
        "spent": ff.get("spent"),
        "balance": ff.get("balance"),
        "execution_rate": ff.get("execution_rate"),
        "execution_rate_basis": ff.get("execution_rate_basis"),
        "arrival_rate": ff.get("arrival_rate"),
        "unit": ff.get("unit"),
        "amount_decimals": ff.get("amount_decimals"),
    }
