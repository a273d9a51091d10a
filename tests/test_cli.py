"""The command line: clear errors for bad input, JSON alone on standard output."""

from __future__ import annotations

import json

from grader import cli

from .conftest import SOLUTIONS


def test_a_missing_submission_is_a_clear_error(capsys, tmp_path):
    assert cli.main(["grade", str(tmp_path / "nope")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_an_unknown_kata_is_a_clear_error(capsys):
    assert cli.main(["grade", str(SOLUTIONS), "--kata", "no_such_kata"]) == 2
    assert "no kata matches no_such_kata" in capsys.readouterr().err


def test_json_format_prints_only_the_grade(capsys):
    assert cli.main(["grade", str(SOLUTIONS), "--kata", "02_losses/mse", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["katas"][0]["id"] == "02_losses/mse"


def test_output_writes_the_table_to_a_file(tmp_path):
    target = tmp_path / "grade.txt"
    assert cli.main(["grade", str(SOLUTIONS), "--kata", "mse", "--output", str(target)]) == 0
    assert "02_losses/mse" in target.read_text() and "12/12" in target.read_text()


def test_stubs_check_reports_no_drift(capsys):
    assert cli.main(["stubs", "--check"]) == 0
