"""The hidden suites under pytest: set up and collected once in the grader, run in each judge.

Each judge is a fork of the grader and runs only pytest's test loop, over its submission's
learner processes, so no judge pays for pytest's configuration and collection (~90 ms each).
pytest has no public API for running a collected session later, so this makes the calls
``pytest.main`` makes (``_prepareconfig`` and the session hooks); pytest is pinned in
constraints.txt, and tests/test_grading.py runs this path on every kata.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterable
from pathlib import Path

import pytest
from _pytest.config import _prepareconfig

from grader import quiet_pytest
from grader.grading.plugin import GradingPlugin
from grader.manifest import SUITES_DIR, Kata, kata_id_of_test
from grader.sandbox.limits import Limits
from grader.sandbox.seam import ZygoteClient
from grader.submission import Located


def _suite_files(katas: Iterable[Kata], suites: Path) -> list[str]:
    return [str(kata.suite(suites)) for kata in katas if kata.suite(suites).is_file()]


def _pytest_args(files: list[str], suites: Path, limits: Limits) -> list[str]:
    return [*quiet_pytest.arguments(files, suites, limits.per_test, judge=True),
            "--capture=no", "--assert=plain", "--import-mode=importlib", "-o", "timeout_method=signal"]


class SuiteError(RuntimeError):
    """A hidden suite does not load: a fault of the grader, so no submission is graded by it."""


class CollectedSuites:
    """Every kata's hidden suite, collected; judges forked from here run the tests."""

    def __init__(self, katas: Iterable[Kata], suites: Path = SUITES_DIR,
                 limits: Limits | None = None) -> None:
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        limits = limits or Limits()
        katas = list(katas)
        self.plugin = GradingPlugin(limits, {kata.id: kata.points for kata in katas})
        files = _suite_files(katas, suites)
        # pytest's reports go here, never to the caller's standard output (JSON, a table)
        self._quiet = open(os.devnull, "w")  # noqa: SIM115 - the reporter writes here for good
        with contextlib.redirect_stdout(self._quiet):
            self.config = _prepareconfig(_pytest_args(files, suites, limits), plugins=[self.plugin])
            self.config._do_configure()
            self.session = pytest.Session.from_config(self.config)
            self.config.hook.pytest_sessionstart(session=self.session)
            if files:
                self.config.hook.pytest_collection(session=self.session)
        if self.plugin.collection_errors:
            raise SuiteError("hidden suites that do not load: " + "; ".join(self.plugin.collection_errors))
        self.items = list(self.session.items)
        gc.collect()
        gc.freeze()  # the judges share what was built here instead of copying it

    def run(self, submission: Located, katas: list[Kata], zygote: ZygoteClient) -> dict:
        """In a forked judge: the chosen katas' tests against one submission's kata files."""
        chosen = {kata.id for kata in katas}
        self.plugin.begin(submission, zygote)
        self.session.items = [item for item in self.items if kata_id_of_test(item.path) in chosen]
        self.session.testscollected = len(self.session.items)
        with contextlib.suppress(pytest.Session.Failed):  # --maxfail, were it ever set
            self.config.hook.pytest_runtestloop(session=self.session)
        return {"results": {kata_id: [vars(test) for test in tests]
                            for kata_id, tests in self.plugin.results.items()},
                "kata_seconds": self.plugin.kata_seconds,
                "test_seconds": self.plugin.test_seconds}
