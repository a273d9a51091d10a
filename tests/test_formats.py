"""The classroom, Gradescope and JUnit formats: each a view of the grade that its consumer accepts,
and that adds up to the same points."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from grader import model
from grader.formats import classroom, gradescope, junit
from grader.model import Grade, KataResult

from .conftest import EXERCISES, MUTANTS, REPO, SOLUTIONS, build_submission

SCHEMAS = Path(__file__).with_name("schemas")
KATAS = ["02_losses/mse", "02_losses/mse_numpy", "02_losses/sqrt_loss", "03_gradients/linear_grad"]


@pytest.fixture(scope="module")
def mixed(engine, tmp_path_factory) -> Grade:
    """A submission with a passing kata, a buggy one, a stub and a missing file."""
    root = build_submission(tmp_path_factory.mktemp("mixed") / "alice", {
        "02_losses/mse": (MUTANTS / "02_losses" / "mse" / "sum_not_mean.py").read_text(),
        "02_losses/mse_numpy": (EXERCISES / "02_losses" / "mse_numpy.py").read_text(),
    })
    (root / "exercises" / "02_losses" / "sqrt_loss.py").unlink()
    return engine.grade(root, KATAS)


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text())


def test_classroom_result_matches_the_reporters_schema_and_points(mixed):
    result = classroom.result(mixed)
    jsonschema.validate(result, _schema("classroom_result.json"))
    assert json.loads(base64.b64decode(classroom.encoded(mixed))) == result
    # the reporter's "Points X/Y": tests' scores summed, against max_score
    assert sum(test["score"] for test in result["tests"]) == mixed.score
    assert result["max_score"] == mixed.max_score
    statuses = {test["filename"]: test["status"] for test in result["tests"]}
    assert statuses == {"exercises/02_losses/mse.py": "fail", "exercises/02_losses/mse_numpy.py": "fail",
                        "exercises/02_losses/sqrt_loss.py": "error",
                        "exercises/03_gradients/linear_grad.py": "pass"}
    assert result["status"] == "fail"


def test_classroom_status_is_pass_only_with_full_marks_and_error_when_nothing_ran():
    def grade_of(*statuses: str) -> Grade:
        katas = [KataResult(id=f"t/k{n}", score=1 if status == "passed" else 0, max_score=1, status=status,
                            tests=[model.TestResult("t", "passed" if status == "passed" else "error", 0, 1)])
                 for n, status in enumerate(statuses)]
        return Grade("x", score=sum(k.score for k in katas), max_score=len(katas), katas=katas)

    assert classroom.result(grade_of("passed", "passed"))["status"] == "pass"
    assert classroom.result(grade_of("passed", "timeout"))["status"] == "fail"
    assert classroom.result(grade_of("missing", "error"))["status"] == "error"
    assert classroom.result(grade_of("missing"))["tests"]  # never a result without tests


def test_annotations_point_at_each_kata_file_that_lost_points(mixed):
    lines = classroom.annotations(mixed)
    assert len(lines) == 3
    assert all(line.startswith("::error file=exercises/02_losses/") for line in lines)
    assert all("\n" not in line for line in lines)
    assert "| `03_gradients/linear_grad` |" in classroom.summary(mixed)


def test_gradescope_results_follow_the_specification(mixed):
    result = gradescope.result(mixed)
    jsonschema.validate(result, _schema("gradescope_results.json"))
    # tests share a kata's points, so their sum can differ from the grade (rounded to 4 places)
    # by float rounding only
    assert sum(test["score"] for test in result["tests"]) == pytest.approx(mixed.score, abs=1e-4)
    assert result["score"] == mixed.score
    assert sum(test["max_score"] for test in result["tests"]) == pytest.approx(mixed.max_score, abs=1e-4)
    numbers = [test["number"] for test in result["tests"]]
    assert len(numbers) == len(set(numbers)) == sum(len(kata.tests) for kata in mixed.katas)


def test_junit_xml_parses_and_counts_every_test(mixed):
    root = ET.fromstring(junit.render(mixed))
    cases = root.findall("testsuite/testcase")
    assert len(cases) == int(root.get("tests")) == sum(len(kata.tests) for kata in mixed.katas)
    failed = sum(test.status == "failed" for kata in mixed.katas for test in kata.tests)
    assert len(root.findall("testsuite/testcase/failure")) == failed == int(root.get("failures"))
    assert [suite.get("name") for suite in root.findall("testsuite")] == KATAS


def test_classroom_format_inside_github_actions(tmp_path, manifest):
    """As the workflow runs it: step output, job summary, annotations and a table."""
    outputs, summary = tmp_path / "output", tmp_path / "summary"
    env = {**os.environ, "GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(summary)}
    done = subprocess.run([sys.executable, "-m", "grader", "grade", str(SOLUTIONS), "--format", "classroom",
                           "--kata", "02_losses/mse"], env=env, cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (line,) = outputs.read_text().splitlines()
    assert line.startswith("result=")
    result = json.loads(base64.b64decode(line.removeprefix("result=")))
    points = manifest.kata("02_losses/mse").points
    assert result["status"] == "pass" and result["tests"][0]["score"] == result["max_score"] == points
    assert f"{points} / {points}" in summary.read_text()
    assert "::error" not in done.stdout and "02_losses/mse" in done.stdout


def test_the_class_figures_show_real_wordings_never_placeholders():
    from grader.formats.class_summary import summarize_class
    from grader.model import KataResult, TestResult

    def graded(name: str, message: str) -> Grade:
        test = TestResult("t", "failed", 0, 1, message)
        return Grade(name, 0, 1, [KataResult("02_losses/mse", 0, 1, "failed", [test])])

    grades = [graded("a", "mse: off by a factor of N = 7\n  input: …"),
              graded("b", "mse: off by a factor of N = 7"), graded("c", "mse: off by a factor of N = 4")]
    (kata,) = summarize_class(grades, ["02_losses/mse"]).katas
    assert dict(kata.mistakes) == {"mse: off by a factor of N = 7": 3}
