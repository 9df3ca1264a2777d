from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from process import cli
from reportlib.audit import audit_file
from reportlib.schema import Config

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def audit(path: Path, config: Config | None = None):
    """The FileResult of one fixture."""
    result, _ = audit_file(Path(path), config or Config())
    return result


def codes_cells(result) -> list[tuple]:
    return [(f.code, f.cell or f.range, f.found, f.expected) for f in result.findings]


def corrected(base: Path, names: list[str]):
    """Run the batch over copies of these fixtures in ``base/in``; the inputs must stay untouched.
    Returns the output folder and the batch result."""
    from reportlib import batch
    inbox = base / "in"
    inbox.mkdir()
    for name in names:
        shutil.copyfile(DATA / f"{name}.xlsx", inbox / f"{name}.xlsx")
    before = {p.name: sha256(p) for p in inbox.iterdir()}
    result = batch.run(inbox, base / "out", Config())
    assert {p.name: sha256(p) for p in inbox.iterdir()} == before
    return base / "out", result


def corrected_path(out: Path, stem: str) -> Path:
    """Where ``run`` wrote the corrected copy of input ``stem``: under its project's folder."""
    found = list(Path(out).rglob(f"{stem}_校核.xlsx"))
    assert len(found) == 1, (stem, found)
    return found[0]


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """A copy of the seed questionnaires in a drop folder of its own."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    for path in DATA.glob("seed00*_问卷统计表.xlsx"):
        shutil.copyfile(path, folder / path.name)
    return folder


def invoke(*args):
    """The CLI as a user calls it, arguments as strings; stdout and stderr kept apart."""
    return CliRunner().invoke(cli, [str(a) for a in args])


def pytest_addoption(parser):
    """``--zoo-cases N``: generated cases per attachment kind in tests/test_zoo.py (CI: 30; the local
    run is ``pytest tests/test_zoo.py --zoo-cases 500``)."""
    parser.addoption("--zoo-cases", type=int, default=30,
                     help="cases per attachment kind for the layout-zoo property tests (default 30)")
    parser.addoption("--fuzz-cases", type=int, default=24,
                     help="mutated workbooks in the fault suite, tests/test_faults.py (default 24)")
