"""The pytest plugin that runs hidden suites: the ``learner`` fixture, points, and results.

Each suite file ``suites/<topic>/test_<stem>.py`` grades kata ``<topic>/<stem>``. Tests mark their
worth with ``@pytest.mark.points(n)`` and reach the learner's code only through ``learner``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.model import TestResult
from grader.seam import Learner, LearnerRaised, Limits, SeamError, ZygoteClient, is_pytest_timeout

MAX_MESSAGE = 1200


def kata_id_of(path: Path) -> str:
    return f"{path.parent.name}/{path.stem.removeprefix('test_')}"


def points_of(item: pytest.Item) -> float:
    marker = item.get_closest_marker("points")
    if marker is None or not marker.args:
        raise pytest.UsageError(f"{item.nodeid} has no @pytest.mark.points(n)")
    return marker.args[0]


def display_name(item: pytest.Item) -> str:
    doc = (getattr(item, "function", None).__doc__ or "").strip()
    name = doc.splitlines()[0].rstrip(".") if doc else item.originalname.removeprefix("test_")
    callspec = getattr(item, "callspec", None)
    return f"{name} [{callspec.id}]" if callspec else name


def _shorten(text: str) -> str:
    text = text.strip()
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def classify(error: BaseException) -> tuple[str, str]:
    """A test's status and learner-facing message from what it raised."""
    if isinstance(error, SeamError):
        return error.status, str(error)
    if isinstance(error, LearnerRaised):
        return "failed", str(error)
    if isinstance(error, AssertionError):
        return "failed", str(error) or "a check failed"
    if is_pytest_timeout(error):
        return "timeout", "the test did not finish in time"
    return "error", f"grader error: {type(error).__name__}: {error}"


class GradingPlugin:
    def __init__(self, exercises: Path, zygote: ZygoteClient, limits: Limits) -> None:
        self.exercises = exercises
        self.zygote = zygote
        self.limits = limits
        self.results: dict[str, list[TestResult]] = {}
        self.kata_seconds: dict[str, float] = {}  # each kata's tests' run time, for the reports
        self.test_seconds = 0.0  # the tests' own run time, for benchmarks
        self.collection_errors: list[str] = []  # suites that did not load: the grader's fault

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "points(n): what the test is worth")

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            last = (report.longreprtext.strip().splitlines() or ["no details"])[-1]
            self.collection_errors.append(f"{report.nodeid or 'collection'}: {last}")

    @pytest.fixture(scope="module")
    def learner(self, request: pytest.FixtureRequest):
        kata_id = kata_id_of(Path(request.path))
        seam = Learner(kata_id, self.exercises / f"{kata_id}.py", self.zygote, self.limits)
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
                None if error is None else _shorten(str(error)), call.when,
                duration=call.duration, start=call.start, stop=call.stop)
        self._record(item, call, report)
        return report

    def _record(self, item: pytest.Item, call: pytest.CallInfo, report: pytest.TestReport) -> None:
        self.test_seconds += report.duration
        kata_id = kata_id_of(Path(item.path))
        self.kata_seconds[kata_id] = self.kata_seconds.get(kata_id, 0.0) + report.duration
        if report.when == "teardown" or (report.when == "setup" and report.passed):
            return
        points = points_of(item)
        if report.passed:
            status, message, score = "passed", "", points
        else:
            error = call.excinfo.value if call.excinfo else RuntimeError("no result")
            status, message = classify(error)
            score = 0
        self.results.setdefault(kata_id, []).append(
            TestResult(name=display_name(item), status=status, score=score, max_score=points,
                       message=_shorten(message)))
