"""Hostile and broken files for the fault suite (tests/test_faults.py), written from a description of
each fault, and a seeded mutator of real workbooks.

``python -m tests.faults fuzz N DIR [--seed S]`` writes N mutated copies of the bundled examples into
DIR, to run ``check`` or ``run`` over by hand.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "input_templates" / "examples"
MB = 1 << 20

#: what a mutated cell may become: values no real table holds, blanks, text, formulas, near-misses
HOSTILE = [1e308, -1e308, 1e-300, 10**30, -5, 0, "", None, "abc", "=1/0", "=HYPERLINK(\"http://x\")", 1e15,
           123456789012, 2022, "1e400", "9" * 400, 0.5, -0.0001, "—", "100%", 3.3333333333, "١٢", "ＡＢＣ",
           "\x00\x01", "=" + "A1+" * 3000 + "1", float("inf")]


def examples() -> list[Path]:
    return sorted(EXAMPLES.glob("*.xlsx"))


def _replace_part(src: Path, target: Path, part: str, writer) -> Path:
    """A copy of ``src`` with one part's bytes written by ``writer(fh)`` (streamed, deflated)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename == part:
                info = zipfile.ZipInfo(part)
                info.compress_type = zipfile.ZIP_DEFLATED
                with zout.open(info, "w", force_zip64=True) as fh:
                    writer(fh)
            else:
                zout.writestr(item, zin.read(item.filename))
    return target


def zip_bomb(target: Path, unpacked_mb: int = 64) -> Path:
    """An .xlsx whose first sheet unpacks to ``unpacked_mb`` MB (whitespace inside the XML)."""
    def write(fh):
        fh.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        block = b" " * MB
        for _ in range(unpacked_mb):
            fh.write(block)
        fh.write(b"<sheetData/></worksheet>")
    return _replace_part(examples()[0], target, "xl/worksheets/sheet1.xml", write)


def strings_bomb(target: Path, unpacked_mb: int = 64) -> Path:
    """An .xlsx whose shared strings unpack to ``unpacked_mb`` MB."""
    def write(fh):
        fh.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        item = b"<si><t>" + "满意".encode() * 500 + b"</t></si>"
        for _ in range(unpacked_mb * MB // len(item)):
            fh.write(item)
        fh.write(b"</sst>")
    src = next(p for p in examples() if "xl/sharedStrings.xml" in zipfile.ZipFile(p).namelist())
    return _replace_part(src, target, "xl/sharedStrings.xml", write)


def tall_sheet(target: Path, rows: int = 60_000) -> Path:
    """An .xlsx of ``rows`` rows of one number each (small packed and unpacked: only the rows count)."""
    def write(fh):
        fh.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                 b"<sheetData>")
        for r in range(1, rows + 1):
            fh.write(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r))
        fh.write(b"</sheetData></worksheet>")
    return _replace_part(examples()[0], target, "xl/worksheets/sheet1.xml", write)


def dense_sheet(target: Path, unpacked_mb: float = 9.9) -> Path:
    """An .xlsx whose sheet is just under the part limit, packed with cells (about 1.5 million): the
    most a sheet can cost before it is refused by its cell count."""
    def write(fh):
        fh.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                 b"<sheetData>")
        written, r = 0, 1
        while written < unpacked_mb * MB:
            row = b'<row r="%d">' % r + b"".join(b'<c r="%s%d"><v>1</v></c>' % (c, r) for c in (b"A", b"B", b"C", b"D", b"E", b"F", b"G", b"H")) + b"</row>"
            fh.write(row)
            written, r = written + len(row), r + 1
        fh.write(b"</sheetData></worksheet>")
    return _replace_part(examples()[0], target, "xl/worksheets/sheet1.xml", write)


def repeated_ods(target: Path, times: int = 1_000_000) -> Path:
    """An .ods whose one row with a value is repeated ``times`` times."""
    content = ('<?xml version="1.0"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               f'<table:table table:name="问卷"><table:table-row table:number-rows-repeated="{times}">'
               '<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="50">'
               '<text:p>1</text:p></table:table-cell></table:table-row></table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(target, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    return target


def span_html(target: Path) -> Path:
    """An .xls that is an HTML page with one cell spanning 10,000 × 10,000 cells."""
    target.write_text('<html><body><table><tr><td rowspan="10000" colspan="10000">满意度</td><td>1</td></tr>'
                      '</table></body></html>', encoding="utf-8")
    return target


def merged_column(target: Path) -> Path:
    """An .xlsx with a merge over a whole column (A1:A1048576) and over a huge block."""
    def write(fh):
        fh.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                 b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
                 b'<mergeCells count="2"><mergeCell ref="A1:A1048576"/><mergeCell ref="B1:XFD1048576"/></mergeCells>'
                 b"</worksheet>")
    return _replace_part(examples()[0], target, "xl/worksheets/sheet1.xml", write)


def truncated(target: Path, keep: float = 0.6) -> Path:
    data = examples()[0].read_bytes()
    target.write_bytes(data[:int(len(data) * keep)])
    return target


def mutate(seed: int, target_dir: Path) -> Path:
    """A copy of one example with one to six cells of its first sheet set to hostile values."""
    import openpyxl
    import openpyxl.utils.exceptions

    rnd = random.Random(seed)
    src = rnd.choice(examples())
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    for _ in range(rnd.randint(1, 6)):
        r, c = rnd.randint(1, min(ws.max_row, 40)), rnd.randint(1, min(ws.max_column, 15))
        try:
            ws.cell(r, c).value = rnd.choice(HOSTILE)
        except (ValueError, TypeError, AttributeError, openpyxl.utils.exceptions.IllegalCharacterError):
            # refused by openpyxl (control characters, a merged cell): another cell
            continue
    target = Path(target_dir) / f"m{seed:04d}_{src.name}"
    wb.save(target)
    return target


# -- what the fault suite's tests share ------------------------------------------------------------

PEAK_MB = 500  # what one check of one hostile file may cost, the whole process included

_MEASURED = """
import resource, runpy, sys
sys.argv = ["process.py"] + sys.argv[1:]
code = 0
try:
    runpy.run_path("process.py", run_name="__main__")
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 1
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(f"PEAK_KB {peak}", file=sys.stderr)
sys.exit(code)
"""


def cli(*args, timeout: float = 300) -> tuple[subprocess.CompletedProcess, float]:
    """The CLI in a process of its own: its result and its peak resident memory in MB (workers too)."""
    res = subprocess.run([sys.executable, "-c", _MEASURED, *map(str, args)], cwd=ROOT, capture_output=True,
                         text=True, timeout=timeout)
    peak = next((int(line.split()[1]) for line in res.stderr.splitlines() if line.startswith("PEAK_KB")), 0)
    return res, peak / 1024


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_examples(folder: Path, prefixes: tuple[str, ...] = ("乡村振兴", "盲人按摩")) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in examples():
        if path.name.startswith(prefixes):
            shutil.copyfile(path, folder / path.name)
    return folder


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "fuzz":
        seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 0
        out = Path(argv[2])
        out.mkdir(parents=True, exist_ok=True)
        for k in range(int(argv[1])):
            mutate(seed + k, out)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
