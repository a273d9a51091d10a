"""`grader release`: a learner template with nothing hidden in it, a valid workflow, and a grade
that the Classroom reporter adds up to the same points, run as the workflow runs it."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from grader.course import release
from grader.manifest import SUITES_DIR

from .conftest import REPO, SOLUTIONS

SCHEMA = json.loads((Path(__file__).with_name("schemas") / "classroom_result.json").read_text())
SOLUTION_REGION = "### BEGIN SOLUTION"


@pytest.fixture(scope="module")
def template(manifest, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "katas-template"
    release.build(out, manifest)
    return out


def _texts(folder: Path) -> dict[Path, str]:
    return {path: path.read_text(errors="replace") for path in folder.rglob("*") if path.is_file()}


def test_nothing_hidden_goes_into_the_template(template):
    released = _texts(template)
    assert not any("suites" in path.relative_to(template).parts for path in released)
    assert not any("solutions" in path.relative_to(template).parts for path in released)
    secrets = [path.read_text() for path in SOLUTIONS.rglob("*.py")]
    secrets += [path.read_text() for path in SUITES_DIR.rglob("*.py") if path.read_text().strip()]
    for path, text in released.items():
        if path.is_relative_to(template / "exercises"):
            assert SOLUTION_REGION not in text, path
        assert text not in secrets, f"{path} is a copy of a hidden file"
    hints = template / "grader" / "katas.toml"  # the progressive hints are learners' by design
    for solution in SOLUTIONS.rglob("*.py"):  # each solution's own code, not just whole files
        body = solution.read_text().split(SOLUTION_REGION)[-1].split("### END SOLUTION")[0]
        lines = [line.strip() for line in body.splitlines() if len(line.strip()) > 25]
        for path, text in released.items():
            if path == hints:
                continue
            assert not (len(lines) >= 2 and all(line in text for line in lines)), f"{path} holds {solution}"


def test_the_template_has_what_a_learner_needs(template):
    for needed in ("README.md", "constraints.txt", "pyproject.toml", ".gitignore",
                   ".github/workflows/classroom.yml", "exercises/02_losses/mse.py",
                   "exercises/02_losses/test_mse.py", "grader/cli/learner.py", "grader/katas.toml"):
        assert (template / needed).is_file(), needed
    assert (template / "constraints.txt").read_text() == (REPO / "constraints.txt").read_text()


def test_the_workflow_is_a_valid_github_workflow(template):
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           "vendor.github-workflows", str(template / ".github/workflows/classroom.yml")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_release_refuses_a_folder_that_is_not_empty(manifest, tmp_path):
    (tmp_path / "something").write_text("x")
    with pytest.raises(release.ReleaseError):
        release.build(tmp_path, manifest)


def _grade_as_the_workflow_does(repo: Path, tmp_path: Path) -> tuple[dict, str]:
    outputs, summary = tmp_path / "output", tmp_path / "summary"
    outputs.write_text("")
    env = {**os.environ, "GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(summary)}
    done = subprocess.run([sys.executable, "-m", "grader", "grade", ".", "--format", "classroom"],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    (line,) = outputs.read_text().splitlines()
    return json.loads(base64.b64decode(line.removeprefix("result="))), done.stdout + done.stderr


def test_a_push_of_the_template_grades_by_the_public_tests(template, tmp_path, manifest):
    result, printed = _grade_as_the_workflow_does(template, tmp_path)
    jsonschema.validate(result, SCHEMA)
    assert "hidden suites are not installed" in printed
    assert "ran without" not in printed  # no lock is promised here: one line says so, not nine
    assert result["status"] == "fail" and result["max_score"] == sum(kata.points for kata in manifest.katas)
    assert sum(test["score"] for test in result["tests"]) == 0  # the reporter's "Points 0/<max>"


def test_a_push_of_finished_katas_gets_full_points(template, tmp_path, manifest):
    finished = tmp_path / "finished"
    shutil.copytree(template, finished)
    shutil.copytree(SOLUTIONS, finished / "exercises", dirs_exist_ok=True)
    result, _ = _grade_as_the_workflow_does(finished, tmp_path)
    jsonschema.validate(result, SCHEMA)
    assert result["status"] == "pass"
    total = sum(kata.points for kata in manifest.katas)
    assert sum(test["score"] for test in result["tests"]) == result["max_score"] == total
