"""Grading by a submission's public tests, where the hidden suites are not installed (a learner's
own repository, its push workflow).

The public tests run under plain pytest in a separate process, as a learner runs them; each kata
scores its points times the share of its public tests that pass. There are no locks: the learner
owns that repository and its workflow anyway. The grade of record comes from the hidden suites.
Loaded into that pytest process with ``-p grader.learner.public``, this module also collects the results.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from grader import manifest, quiet_pytest
from grader.learner import feedback
from grader.manifest import Kata, kata_id_of_test
from grader.model import Grade, KataResult, TestResult, not_graded, summarize, summarize_kata
from grader.sandbox import lockdown
from grader.submission import SubmissionError, locate, submission_id

RESULTS_ENV = "GRADER_PUBLIC_RESULTS"
# the same lock names as a hidden-suite grade, none of them applied
LOCKS = {"active": [], "inactive": dict.fromkeys(
    lockdown.LOCKS, "public tests run in-process (no hidden suites here): feedback, not the grade of record")}


def arguments_for(files: list[str], exercises: Path, per_test: float) -> list[str]:
    """pytest's arguments for public test files, with this module collecting the results."""
    return [*quiet_pytest.arguments(files, exercises, per_test, judge=False),
            "-p", "grader.learner.public", "-p", "grader.learner.feedback", "--no-header"]


def read_outcomes(results: Path) -> dict[str, list[dict]]:
    try:
        return json.loads(results.read_text())
    except (OSError, ValueError):
        return {}


def grade(submission: Path, katas: list[Kata], per_test: float = 10.0, limit: float = 900.0) -> Grade:
    name = submission_id(submission.resolve().name)
    try:
        exercises = locate(submission, manifest.load().katas).folder.resolve()
    except SubmissionError as error:
        grade = not_graded(name, [(kata.id, kata.points) for kata in katas], str(error))
        grade.locks = LOCKS
        return grade
    files = [str(exercises / kata.public_test) for kata in katas if (exercises / kata.public_test).is_file()]
    outcomes: dict[str, list[dict]] = {}
    if files:
        with tempfile.TemporaryDirectory(prefix="grader-public-") as scratch:
            results = Path(scratch) / "results.json"
            env = {**os.environ, RESULTS_ENV: str(results), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
            command = [sys.executable, "-m", "pytest", *arguments_for(files, exercises, per_test)]
            try:
                subprocess.run(command, cwd=scratch, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=limit)
            except subprocess.TimeoutExpired:
                pass
            outcomes = read_outcomes(results)
    grade = summarize(name,
                      [kata_result(exercises, kata, outcomes.get(kata.id)) for kata in katas])
    grade.locks = LOCKS
    return grade


def kata_result(exercises: Path, kata: Kata, outcomes: list[dict] | None) -> KataResult:
    missing = not (exercises / kata.relative_file).is_file()
    if missing or not outcomes:
        problem = (f"{kata.relative_file} is missing" if missing
                   else "its public tests did not run (a crash, or past the time limit)")
        tests = [TestResult("public tests", "error", 0, kata.points, problem)]
    else:
        share = kata.points / len(outcomes)  # unrounded, so a kata's shares add up to its points
        tests = [TestResult(o["name"], o["status"], share if o["status"] == "passed" else 0, share,
                            o["message"]) for o in outcomes]
    return summarize_kata(kata.id, kata.points, tests, missing)


# ---------------------------------------------------------------- inside the pytest process

_collected: dict[str, list[dict]] = {}
_rootpath = [Path()]  # the exercises folder (pytest's rootdir), where test ids start


def pytest_configure(config: pytest.Config) -> None:
    _rootpath[0] = config.rootpath
_timed_out: set[str] = set()  # katas a test of which ran over its time: the rest would hang too


def pytest_runtest_setup(item: pytest.Item) -> None:
    """After one test of a kata ran over its time, its other tests are not run (each would wait
    its whole limit, on the same loop): they count as timed out, saying why."""
    kata_id = kata_id_of_test(Path(item.location[0]))
    if kata_id in _timed_out:
        _collected.setdefault(kata_id, []).append(
            {"name": item.location[2], "status": "timeout",
             "message": "not run: an earlier test of this kata ran over its time"})
        pytest.skip("an earlier test of this kata ran over its time")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped or not (report.when == "call" or (report.when == "setup" and report.failed)):
        return
    kata_id = kata_id_of_test(Path(report.location[0]))
    if report.passed:
        status, message = "passed", ""
    elif "Timeout" in report.longreprtext:
        status, message = "timeout", _TIMEOUT
        _timed_out.add(kata_id)
    else:
        status = "failed" if report.when == "call" else "error"
        message = _message(report)
    _collected.setdefault(kata_id, []).append(
        {"name": report.location[2], "status": status, "message": message})


_TIMEOUT = ("your code ran over this test's time limit: is there a loop that never ends, or one "
            "that runs far more steps than the docstring asks?")


def pytest_collectreport(report: pytest.CollectReport) -> None:
    """A kata that does not import fails each of its tests, with why (so the count stays true)."""
    if report.failed:
        path = _rootpath[0] / report.nodeid.split("::")[0]
        message = _message(report)
        names = feedback.test_names(path) or ["importing the kata"]
        _collected.setdefault(kata_id_of_test(path), []).extend(
            {"name": name, "status": "error", "message": message} for name in names)


def _message(report: pytest.TestReport | pytest.CollectReport) -> str:
    """The failure as grader.learner.feedback words it; else pytest's one-line reason."""
    if isinstance(report.longrepr, str):
        return report.longrepr
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is None:
        return "".join(report.longreprtext.strip().splitlines()[-1:])
    text = crash.message
    if not Path(crash.path).name.startswith("test_"):
        text += f" (line {crash.lineno})"
    return text


def pytest_sessionfinish(session: pytest.Session) -> None:
    target = os.environ.get(RESULTS_ENV)
    if target:
        Path(target).write_text(json.dumps(_collected))
