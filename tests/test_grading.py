"""The reference solutions score full marks, the stubs score nothing, and grading is repeatable."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from grader import model
from grader.formats import json as json_format
from grader.formats import table
from grader.manifest import SUITES_DIR
from grader.sandbox import lockdown

from .conftest import EXERCISES, SOLUTIONS


def test_solutions_score_full_marks(engine, manifest):
    grade = engine.grade(SOLUTIONS)
    failures = [(k.id, t.name, t.message) for k in grade.katas for t in k.tests if t.status != "passed"]
    assert failures == []
    assert grade.score == grade.max_score == sum(k.points for k in manifest.katas)
    assert [k.id for k in grade.katas] == [k.id for k in manifest.katas]


def test_stubs_score_zero_and_say_not_written_yet(engine):
    """Every test of a stub says it is not written yet, but a side rule the stub's given code keeps
    (Value(x) holds x), which says its points wait for the kata's results."""
    grade = engine.grade(EXERCISES)
    assert grade.score == 0
    for kata in grade.katas:
        assert kata.status == "failed", kata
        assert all("NotImplementedError" in t.message or "its points count once" in t.message
                   for t in kata.tests), kata.id
        assert any("NotImplementedError" in t.message for t in kata.tests), kata.id


def test_two_runs_give_identical_json_apart_from_timings(engine):
    first, second = engine.grade(SOLUTIONS), engine.grade(SOLUTIONS)
    assert first.without_timings() == second.without_timings()
    assert all(kata.seconds > 0 for kata in first.katas)


def test_json_has_exactly_the_contract_shape(engine):
    data = json.loads(json_format.render(engine.grade(EXERCISES, ["02_losses/mse"])))
    # locks: issue 4; limits and problem: the soundness issue
    assert set(data) == {"submission", "score", "max_score", "katas", "locks", "limits", "problem"}
    assert set(data["locks"]) == {"active", "inactive"}
    assert set(data["limits"]) == {"per_test", "per_kata", "per_submission"} and data["problem"] == ""
    assert set(data["locks"]["active"]) | set(data["locks"]["inactive"]) == set(lockdown.LOCKS)
    kata = data["katas"][0]
    assert set(kata) == {"id", "score", "max_score", "status", "tests", "seconds"}  # seconds: issue 5
    assert set(kata["tests"][0]) == {"name", "status", "score", "max_score", "message"}
    assert model.Grade.from_dict(data).to_dict() == data


def test_table_names_every_kata(engine, manifest):
    text = table.render(engine.grade(EXERCISES))
    for kata in manifest.katas:
        assert kata.id in text


def test_suite_points_add_up_to_the_manifest(engine, manifest):
    """A kata's tests share its points, so the kata and the whole grade add up exactly."""
    grade = engine.grade(SOLUTIONS)
    totals = {kata.id: sum(test.max_score for test in kata.tests) for kata in grade.katas}
    assert totals == pytest.approx({kata.id: kata.points for kata in manifest.katas})
    assert {kata.id: kata.max_score for kata in grade.katas} == {k.id: k.points for k in manifest.katas}
    assert grade.score == grade.max_score == sum(kata.points for kata in manifest.katas)


def test_a_hidden_suite_that_does_not_load_stops_the_engine(tmp_path):
    """A broken suite is the grader's fault: no class gets zeros from it, the author gets the file.
    (A fresh interpreter: this one has already imported the real suite under the same name.)"""
    suites = tmp_path / "suites"
    shutil.copytree(SUITES_DIR, suites)
    (suites / "02_losses" / "test_mse.py").write_text("def broken(:\n")
    script = ("import sys\nfrom pathlib import Path\nfrom grader.grading.engine import Engine\n"
              "from grader.grading.judge import SuiteError\ntry:\n"
              "    Engine(suites=Path(sys.argv[1]), katas=['02_losses'])\n"
              "except SuiteError as error:\n    print(error)\n")
    done = subprocess.run([sys.executable, "-c", script, str(suites)], capture_output=True,
                          text=True, timeout=120)
    assert re.search(r"02_losses/test_mse\.py: .*SyntaxError", done.stdout), done.stdout + done.stderr


def test_an_engine_for_some_katas_collects_and_grades_only_those(tmp_path):
    """`grader grade --kata` starts at the cost of the chosen katas: the other suites are never
    loaded (a broken one elsewhere does not matter), and a kata it did not collect is refused."""
    suites = tmp_path / "suites"
    shutil.copytree(SUITES_DIR, suites)
    (suites / "01_autograd" / "test_derivative.py").write_text("def broken(:\n")
    script = ("import sys\nfrom pathlib import Path\nfrom grader.grading.engine import Engine\n"
              "with Engine(suites=Path(sys.argv[1]), katas=['02_losses/mse']) as engine:\n"
              "    files = {item.path.name for item in engine._suites.items}\n"
              "    grade = engine.grade(Path(sys.argv[2]))\n"
              "    print(sorted(files), [(k.id, k.score == k.max_score) for k in grade.katas])\n"
              "    try:\n        engine.grade(Path(sys.argv[2]), ['01_autograd'])\n"
              "    except KeyError as error:\n        print('refused:', error)\n")
    done = subprocess.run([sys.executable, "-c", script, str(suites), str(SOLUTIONS)],
                          capture_output=True, text=True, timeout=120)
    lines = done.stdout.splitlines()
    assert lines[:1] == ["['test_mse.py'] [('02_losses/mse', True)]"], done.stdout + done.stderr
    assert "refused:" in lines[1] and "01_autograd/derivative" in lines[1]
