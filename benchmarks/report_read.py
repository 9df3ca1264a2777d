"""How long reading a submitted report and finding the figures it states takes (issue 18's target: a
30-page report in under 200 ms).

    python benchmarks/report_read.py [PAGES]      (default 30; a page is taken as 900 characters)

The report is seed 004's text repeated as a .docx of about PAGES pages; the figures are the best of
five runs of reading it (python-docx) and of finding its stated figures (``schemas/report.yaml``).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402

from reportlib.reports import read_report  # noqa: E402
from reportlib.reports.stated import stated_figures  # noqa: E402


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
        read, found = [], []
        for _ in range(5):
            t0 = time.perf_counter()
            report = read_report(path)
            t1 = time.perf_counter()
            figures = stated_figures(report)
            t2 = time.perf_counter()
            read.append(t1 - t0)
            found.append(t2 - t1)
    print(f"{pages} pages ({chars} characters, {len(report.paragraphs)} paragraphs, {len(figures)} figures): "
          f"read {min(read) * 1000:.0f} ms, figures {min(found) * 1000:.0f} ms, "
          f"total {(min(read) + min(found)) * 1000:.0f} ms (target < 200 ms)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
