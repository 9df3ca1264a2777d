"""The installable package: its dependencies are requirements.txt's, and ``pip install .`` gives a
``jxjh`` command that finds its schemas, templates and examples without the checkout."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib

import pytest

from conftest import ROOT


def _names(lines) -> list[str]:
    return sorted(re.split(r"[<>=!~ ]", line.strip(), maxsplit=1)[0].lower() for line in lines
                  if line.strip() and not line.strip().startswith(("#", "-")))


def test_the_package_depends_on_what_requirements_txt_installs():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    listed = [line.split("#")[0] for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    assert _names(declared) == _names(listed)
    pins = {re.split(r"[<>=!~]", d, maxsplit=1)[0].lower(): d.replace(" ", "") for d in declared}
    for line in listed:
        if line.strip():
            assert line.replace(" ", "") == pins[_names([line])[0]]


def test_pip_install_gives_a_command_that_runs_without_the_checkout(tmp_path):
    source = tmp_path / "source"  # a copy: building leaves build/ and *.egg-info beside the sources
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv", ".git", "output", "build", "*.egg-info",
                                                                "__pycache__", ".pytest_cache"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(source)], capture_output=True, text=True)
    if pip.returncode and re.search(r"connection|resolve|network|No matching distribution", pip.stderr, re.I):
        pytest.skip("no package index reachable to install the build backend")
    assert pip.returncode == 0, pip.stderr[-2000:]
    work = tmp_path / "elsewhere"
    work.mkdir()
    run = subprocess.run([str(venv / "bin" / "jxjh"), "run", "--quiet", "--jobs", "1"], cwd=work,
                         capture_output=True, text=True)
    assert run.returncode == 1, run.stderr[-2000:]  # the bundled examples hold findings
    assert "共 6 个项目、19 个文件" in run.stdout
    data = json.loads((work / "output" / "findings.json").read_text(encoding="utf-8"))
    ours = json.loads(subprocess.run([sys.executable, "process.py", "check", "--json", "--jobs", "1",
                                      "input_templates/examples"], cwd=ROOT, capture_output=True,
                                     text=True).stdout)
    assert data["summary"]["errors"] == ours["summary"]["errors"]
    assert (work / "output" / "乡村振兴" / "乡村振兴绩效自评报告（草稿）.docx").is_file()
