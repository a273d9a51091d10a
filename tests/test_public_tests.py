"""The learner's public tests pass on the reference solutions and fail on every stub."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from .conftest import EXERCISES, SOLUTIONS


def run_pytest(folder: Path, report: Path) -> dict[str, str]:
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    f"--junitxml={report}", str(folder)], cwd=folder, capture_output=True, timeout=300)
    outcomes = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        failed = case.find("failure") is not None or case.find("error") is not None
        outcomes[f"{case.get('classname')}.{case.get('name')}"] = "failed" if failed else "passed"
    return outcomes


def test_public_tests_pass_on_solutions(manifest, tmp_path):
    folder = tmp_path / "exercises"
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    for kata in manifest.katas:
        shutil.copy(EXERCISES / kata.public_test, folder / kata.public_test)
    outcomes = run_pytest(folder, tmp_path / "report.xml")
    assert len(outcomes) >= len(manifest.katas)
    assert [name for name, outcome in outcomes.items() if outcome != "passed"] == []


def test_public_tests_fail_on_stubs(manifest, tmp_path):
    folder = tmp_path / "exercises"
    shutil.copytree(EXERCISES, folder, ignore=shutil.ignore_patterns("__pycache__", "*.md"))
    outcomes = run_pytest(folder, tmp_path / "report.xml")
    assert len(outcomes) >= len(manifest.katas)
    assert [name for name, outcome in outcomes.items() if outcome != "failed"] == []


def test_every_kata_has_one_to_six_public_tests(manifest):
    """Enough to try every rule of the kata, few enough to read."""
    for kata in manifest.katas:
        text = (EXERCISES / kata.public_test).read_text()
        assert 1 <= text.count("\ndef test_") <= 6, kata.id
