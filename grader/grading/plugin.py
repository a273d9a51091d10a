"""The pytest plugin that runs hidden suites: the ``learner`` fixture, points, and results.

Each suite file ``suites/<topic>/test_<stem>.py`` grades kata ``<topic>/<stem>``. Tests mark their
weight with ``@pytest.mark.points(n)`` and reach the learner's code only through ``learner``. A
kata is worth its points in the manifest (by difficulty); its tests share them by weight.

A test that checks a side rule a function doing nothing could keep (inputs left alone, a Python
float returned, ValueError on bad shapes, ...) is also marked ``@pytest.mark.rule``. Its points
count only once every other ("result") test of its kata has passed, so doing nothing earns nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from grader import diagnoses
from grader.manifest import kata_id_of_test
from grader.model import TestResult, shorten
from grader.sandbox.limits import Limits
from grader.sandbox.seam import (
    Budget,
    Learner,
    LearnerRaised,
    SeamError,
    ZygoteClient,
    is_pytest_timeout,
)
from grader.submission import Located


def points_of(item: pytest.Item) -> float:
    marker = item.get_closest_marker("points")
    if marker is None or not marker.args:
        raise pytest.UsageError(f"{item.nodeid} has no @pytest.mark.points(n)")
    return marker.args[0]


def is_rule(item: pytest.Item) -> bool:
    return item.get_closest_marker("rule") is not None


def display_name(item: pytest.Item) -> str:
    doc = (getattr(item, "function", None).__doc__ or "").strip()
    name = doc.splitlines()[0].rstrip(".") if doc else item.originalname.removeprefix("test_")
    callspec = getattr(item, "callspec", None)
    return f"{name} [{callspec.id}]" if callspec else name


def gated_message(kata_id: str, failing: int, results: int) -> str:
    """What a rule test that passed says while its kata's results are not all right."""
    if not results:  # refused when the suites are collected; said plainly should one slip through
        return f"grader error: {kata_id}'s hidden suite has no result test, so no rule can count"
    if failing == results == 1:
        status = "its result test does not pass yet"
    elif failing == results:
        status = f"none of its {results} result tests pass yet"
    else:
        status = f"{failing} of its {results} result tests {'does' if failing == 1 else 'do'} not pass yet"
    return f"this check passes; its points count once {kata_id}'s results are right ({status})"


def gate_rules(kata_id: str, tests: list[TestResult], rules: list[bool]) -> list[TestResult]:
    """A kata's tests with its passed rule tests failed at 0 unless all its result tests passed.

    ``rules`` says which of ``tests`` are rule tests. A kata with no result test at all gets no
    rule points either (the suites are checked for one when collected)."""
    results = [test for test, rule in zip(tests, rules, strict=True) if not rule]
    failing = sum(test.status != "passed" for test in results)
    if results and not failing:
        return tests
    message = gated_message(kata_id, failing, len(results))
    return [replace(test, status="failed", score=0, message=message) if rule and test.status == "passed"
            else test for test, rule in zip(tests, rules, strict=True)]


def classify(error: BaseException, kata_id: str = "") -> tuple[str, str]:
    """A test's status and learner-facing message from what it raised."""
    if isinstance(error, SeamError):
        return error.status, str(error)
    if isinstance(error, LearnerRaised):
        likely = diagnoses.advice(kata_id, error.raised.type, error.raised.message)
        return "failed", f"{error}: {likely}" if likely else str(error)
    if isinstance(error, AssertionError):
        return "failed", str(error) or "a check failed"
    if is_pytest_timeout(error):
        return "timeout", "the test did not finish in time"
    return "error", f"grader error: {type(error).__name__}: {error}"


class GradingPlugin:
    """Built once, where the suites are collected; each forked judge ``begin``s its own run."""

    def __init__(self, limits: Limits, worth: dict[str, float] | None = None) -> None:
        self.limits = limits
        self.worth = worth or {}  # kata id -> its points in the manifest, shared by its tests
        self.weights: dict[str, float] = {}  # kata id -> the sum of its tests' weights
        self.run: _JudgeRun | None = None  # the submission being judged, in a judge process
        self.results: dict[str, list[TestResult]] = {}
        self.rules: dict[str, list[bool]] = {}  # for each of results' tests: is it a rule test?
        self.kata_seconds: dict[str, float] = {}  # each kata's tests' run time, for the reports
        self.test_seconds = 0.0  # the tests' own run time, for benchmarks
        self.collection_errors: list[str] = []  # suites that did not load: the grader's fault

    def begin(self, submission: Located, zygote: ZygoteClient) -> None:
        """In a judge: the submission its tests reach, and a fresh time budget for it."""
        self.run = _JudgeRun(submission, zygote, Budget(self.limits.per_submission))

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "points(n): what the test is worth")
        config.addinivalue_line(
            "markers", "rule: a side rule; its points count once its kata's other tests all pass")

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """A kata made only of rule tests would pay for doing nothing: refuse its suite."""
        for item in items:
            kata_id = kata_id_of_test(Path(item.path))
            self.weights[kata_id] = self.weights.get(kata_id, 0) + points_of(item)
        with_results = {kata_id_of_test(Path(item.path)) for item in items if not is_rule(item)}
        for kata_id in sorted({kata_id_of_test(Path(item.path)) for item in items} - with_results):
            self.collection_errors.append(f"{kata_id}: every test is marked rule; a kata needs a result test")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtestloop(self, session: pytest.Session):
        """Gate rule tests once every kata's results are in, whatever order the tests ran in."""
        try:
            return (yield)
        finally:
            self.results = {kata_id: gate_rules(kata_id, tests, self.rules[kata_id])
                            for kata_id, tests in self.results.items()}

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            last = (report.longreprtext.strip().splitlines() or ["no details"])[-1]
            self.collection_errors.append(f"{report.nodeid or 'collection'}: {last}")

    @pytest.fixture(scope="module")
    def learner(self, request: pytest.FixtureRequest):
        kata_id = kata_id_of_test(Path(request.path))
        if self.run is None:
            raise RuntimeError("the grading plugin judges nothing until begin() names a submission")
        seam = Learner(kata_id, self.run.submission, self.run.zygote, self.limits, self.run.budget)
        yield seam
        seam.close()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
        """Record the test's result, and report it barely: pytest's own report renders a
        traceback for every failure (~1.5 ms each) that nobody reads, as the learner's message is
        built from the exception itself."""
        error = call.excinfo.value if call.excinfo is not None else None
        if isinstance(error, pytest.skip.Exception):
            report = pytest.TestReport.from_item_and_call(item, call)
        else:
            report = pytest.TestReport(
                item.nodeid, item.location, {}, "passed" if error is None else "failed",
                None if error is None else shorten(str(error)), call.when,
                duration=call.duration, start=call.start, stop=call.stop)
        self._record(item, call, report)
        return report

    def share(self, kata_id: str, weight: float) -> float:
        """A test's points: its weight's share of its kata's worth (its weight, without one)."""
        if kata_id not in self.worth or not self.weights.get(kata_id):
            return weight
        return self.worth[kata_id] * weight / self.weights[kata_id]

    def _record(self, item: pytest.Item, call: pytest.CallInfo, report: pytest.TestReport) -> None:
        self.test_seconds += report.duration
        kata_id = kata_id_of_test(Path(item.path))
        self.kata_seconds[kata_id] = self.kata_seconds.get(kata_id, 0.0) + report.duration
        if report.when == "teardown" or (report.when == "setup" and report.passed):
            return
        points = self.share(kata_id, points_of(item))
        if report.passed:
            status, message, score = "passed", "", points
        else:
            error = call.excinfo.value if call.excinfo else RuntimeError("no result")
            status, message = classify(error, kata_id)
            score = 0
        self.results.setdefault(kata_id, []).append(
            TestResult(name=display_name(item), status=status, score=score, max_score=points,
                       message=message))
        self.rules.setdefault(kata_id, []).append(is_rule(item))


@dataclass(frozen=True)
class _JudgeRun:
    """What one judge grades: the submission, its learner-process server, its time budget."""

    submission: Located
    zygote: ZygoteClient
    budget: Budget
