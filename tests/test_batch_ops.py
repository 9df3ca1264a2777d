"""Monthly re-runs and parallel runs: the manifest, --force, --jobs, --quiet, --log-file, interruption."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import DATA, ROOT, invoke
from reportlib import batch as batches, draft
from reportlib.manifest import NAME as MANIFEST
from reportlib.schema import Config
from reportlib.workers import in_order

SEEDS = ["seed000_乡村振兴", "seed001_盲人按摩", "seed002_服务状况调查", "seed003_自治区残疾人事业", "seed004_职业技能培训"]


@pytest.fixture
def inbox(tmp_path):
    """The five seed projects (three attachments each) and one unreadable file, as counties send them."""
    folder = tmp_path / "inbox"
    for seed in SEEDS:
        county = folder / ("县区A" if seed < "seed003" else "县区B")
        county.mkdir(parents=True, exist_ok=True)
        for kind in ("指标体系评分表", "资金使用情况表", "问卷统计表"):
            shutil.copyfile(DATA / f"{seed}_{kind}.xlsx", county / f"{seed}_{kind}.xlsx")
    (folder / "县区B" / "坏文件_问卷统计表.xlsx").write_bytes(b"%PDF-1.4")
    return folder


def _same(a, b):
    """A batch's findings.json with the output folder's own path taken out."""
    return a.read_text(encoding="utf-8").replace(str(a.parent), "OUT") == \
        b.read_text(encoding="utf-8").replace(str(b.parent), "OUT")


def test_jobs_give_the_results_of_one_job(inbox, tmp_path):
    one = invoke("run", inbox, "-o", tmp_path / "one", "--jobs", "1")
    two = invoke("run", inbox, "-o", tmp_path / "two", "--jobs", "2")
    assert one.exit_code == two.exit_code == 2  # the PDF wins over error findings
    assert one.stdout.replace(str(tmp_path / "one"), "OUT") == two.stdout.replace(str(tmp_path / "two"), "OUT")
    assert _same(tmp_path / "one" / "findings.json", tmp_path / "two" / "findings.json")
    files_one = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    files_two = sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*") if p.is_file())
    assert files_one == files_two and len(files_one) > 40
    data = json.loads((tmp_path / "two" / "findings.json").read_text(encoding="utf-8"))
    assert data["summary"]["projects"] == 6 and data["summary"]["unreadable"] == 1
    assert [p["name"] for p in data["projects"]][:3] == ["seed000_乡村振兴", "seed001_盲人按摩", "seed002_服务状况调查"]
    check_one = invoke("check", "--json", "--jobs", "1", inbox)
    check_two = invoke("check", "--json", "--jobs", "2", inbox)
    assert json.loads(check_one.stdout) == json.loads(check_two.stdout)


def test_an_unchanged_rerun_restores_every_project(inbox, tmp_path):
    out = tmp_path / "out"
    first = invoke("run", inbox, "-o", out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.parent != out}
    stamps[out / "汇总.xlsx"] = (out / "汇总.xlsx").stat().st_mtime_ns  # the same rows: not written again
    before = (out / "findings.json").read_text(encoding="utf-8")
    again = invoke("run", inbox, "-o", out)
    assert again.exit_code == first.exit_code == 2
    assert "（其中 6 个项目未变，沿用上次结果）" in again.stdout.splitlines()[-2]
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps  # no project output was rewritten
    after = (out / "findings.json").read_text(encoding="utf-8")
    assert after.replace('"unchanged": 6', '"unchanged": 0') == before
    # the printed report is the same as the first run's, apart from the summary line
    assert first.stdout.splitlines()[:-2] == again.stdout.splitlines()[:-2]
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    entry = manifest["projects"]["县区A/seed001_盲人按摩_指标体系评分表.xlsx\n县区A/seed001_盲人按摩_资金使用情况表.xlsx\n"
                                  "县区A/seed001_盲人按摩_问卷统计表.xlsx"]
    assert entry["result"] == {"status": "findings", "errors": 27, "warnings": 1}
    assert len(entry["inputs"]["县区A/seed001_盲人按摩_问卷统计表.xlsx"]) == 64
    assert manifest["tool_version"] and manifest["schema_version"]
    (out / "汇总.xlsx").unlink()  # a summary that went missing is written again
    invoke("run", inbox, "-o", out)
    assert (out / "汇总.xlsx").is_file()


def test_a_replaced_attachment_redoes_its_project_only(inbox, tmp_path):
    out = tmp_path / "out"
    invoke("run", inbox, "-o", out)
    target = inbox / "县区A" / "seed001_盲人按摩_问卷统计表.xlsx"
    shutil.copyfile(DATA / "variant004_question_own_row.xlsx", target)  # a corrected resubmission
    res = invoke("run", inbox, "-o", out)
    assert "（其中 5 个项目未变，沿用上次结果）" in res.stdout
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    blind = next(p for p in data["projects"] if p["name"] == "seed001_盲人按摩")
    assert blind["figures"]["satisfaction"] != 92.52  # the new questionnaire was read
    forced = invoke("run", inbox, "-o", out, "--force")
    assert forced.exit_code == 2 and "未变" not in forced.stdout


def test_changed_schemas_or_options_redo_everything(inbox, tmp_path):
    out = tmp_path / "out"
    batches.run(inbox, out, Config())
    assert batches.run(inbox, out, Config()).summary()["unchanged"] == 6
    assert batches.run(inbox, out, Config(grade_bands="优:95,良:80,中:60")).summary()["unchanged"] == 0
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    with (schemas / "indicators.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\n# a unit's own edit\n")
    assert batches.run(inbox, out, Config(schema_dir=schemas)).summary()["unchanged"] == 0


def test_quiet_prints_the_summary_line_and_log_file_one_line_per_project(inbox, tmp_path):
    log = tmp_path / "run.log"
    res = invoke("run", inbox, "-o", tmp_path / "out", "--quiet", "--log-file", log)
    assert res.exit_code == 2
    assert res.stdout.strip().splitlines() == [
        "共 6 个项目、16 个文件：无问题 7，有发现 8，无法读取 1，跳过 0；错误 79 条，警告 3 条（退出码 2：有文件无法读取或有输出未能写出）"]
    lines = log.read_text(encoding="utf-8").splitlines()
    blind = next(line for line in lines if "seed001_盲人按摩  " in line)
    assert "有发现  3 个文件  错误 27  警告 1 → " in blind and str(tmp_path / "out") in blind
    assert any("坏文件_问卷统计表.xlsx：文件实际是 PDF" in line for line in lines)
    assert lines[-1].endswith("错误 79 条，警告 3 条（退出码 2：有文件无法读取或有输出未能写出）")


def test_cron_gets_plain_log_lines_on_stderr(inbox, tmp_path):
    res = invoke("check", inbox)
    assert res.exit_code == 2
    assert "\r" not in res.stderr  # no progress bar when stderr is not a terminal
    assert sum(" 个文件  错误 " in line for line in res.stderr.splitlines()) == 6


def test_an_interrupted_run_leaves_whole_files_and_resumes(inbox, tmp_path, monkeypatch):
    out = tmp_path / "out"
    real, calls = draft.write_drafts, []

    def interrupted(project, folder, config, template_dir=None):
        calls.append(project.name)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(project, folder, config, template_dir)

    monkeypatch.setattr(batches, "write_drafts", interrupted)
    with pytest.raises(KeyboardInterrupt):
        batches.run(inbox, out, Config(), jobs=1)
    assert not list(out.rglob("*.tmp")) and not (out / ".staging").exists()
    assert not (out / "findings.json").exists()
    assert len(json.loads((out / MANIFEST).read_text(encoding="utf-8"))["projects"]) == 2
    monkeypatch.setattr(batches, "write_drafts", real)
    assert batches.run(inbox, out, Config()).summary()["unchanged"] == 2


def test_a_long_batch_keeps_no_finished_project(inbox, tmp_path, monkeypatch):
    """What is done is dropped: the task list empties as results are handed out, in process and in
    workers, and the project objects a run has finished are freed."""
    import gc
    from reportlib.results import FileResult
    tasks = [(k,) for k in range(7)] + [None]
    assert list(in_order(tasks, lambda k: k * 2, 1)) == [0, 2, 4, 6, 8, 10, 12, None]
    assert tasks == [None] * 8
    tasks = [(k,) for k in range(7)] + [None]
    assert list(in_order(tasks, abs, 2)) == [0, 1, 2, 3, 4, 5, 6, None]
    assert tasks == [None] * 8
    alive = []
    gc.collect()  # what earlier tests left (an interrupted run's traceback) is not this run's
    monkeypatch.setattr(batches.Batch, "add", lambda self, project: alive.append(
        sum(isinstance(o, FileResult) for o in gc.get_objects())))
    batches.run(inbox, tmp_path / "out", Config(), jobs=1, batch=batches.Batch(keep=False))
    assert len(alive) == 6 and max(alive) <= 4  # the project in hand, never the ones before it
