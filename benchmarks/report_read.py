"""How long reading a submitted report, finding the figures it states and comparing them with its
project's tables takes (issue 18's target: a 30-page report read and compared in under 200 ms).

    python benchmarks/report_read.py [PAGES]      (default 30; a page is taken as 900 characters)

The report is seed 004's text repeated as a .docx of about PAGES pages; the figures are the best of
five runs of reading it (python-docx), of finding its stated figures (``schemas/report.yaml``) and of
comparing them with seed 004's three attachments, checked beforehand (not timed).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402

from reportlib.audit import audit_file  # noqa: E402
from reportlib.batch import finish_project  # noqa: E402
from reportlib.projects import Project  # noqa: E402
from reportlib.reports import read_report  # noqa: E402
from reportlib.reports.compare import compare_report  # noqa: E402
from reportlib.reports.stated import stated_figures  # noqa: E402
from reportlib.schema import Config  # noqa: E402


def seed004_project(config: Config) -> Project:
    files = [audit_file(ROOT / f"tests/data/seed004_职业技能培训_{kind}.xlsx", config)[0]
             for kind in ("指标体系评分表", "资金使用情况表", "问卷统计表")]
    project = Project(name="职业技能培训", folder=Path("职业技能培训"), named_by="folder", files=files)
    finish_project(project, config)
    return project


def main(pages: int) -> None:
    lines = [x.strip() for x in (ROOT / "tests/data/reports/seed004.txt").read_text(encoding="utf-8").splitlines()
             if x.strip()]
    document, chars = docx.Document(), 0
    while chars < pages * 900:
        for line in lines:
            document.add_paragraph(line)
            chars += len(line)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "report.docx"
        document.save(str(path))
        config = Config()
        project = seed004_project(config)
        read, found, compared = [], [], []
        for _ in range(5):
            t0 = time.perf_counter()
            report = read_report(path)
            t1 = time.perf_counter()
            figures = stated_figures(report)
            t2 = time.perf_counter()
            findings = compare_report(figures, project, config)
            t3 = time.perf_counter()
            read.append(t1 - t0)
            found.append(t2 - t1)
            compared.append(t3 - t2)
    print(f"{pages} pages ({chars} characters, {len(report.paragraphs)} paragraphs, {len(figures)} figures, "
          f"{len(findings)} findings): read {min(read) * 1000:.0f} ms, figures {min(found) * 1000:.0f} ms, "
          f"compared {min(compared) * 1000:.0f} ms, "
          f"total {(min(read) + min(found) + min(compared)) * 1000:.0f} ms (target < 200 ms)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
