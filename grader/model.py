"""The grade: one definition of the JSON that every output format is a view of."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

TestStatus = Literal["passed", "failed", "error", "timeout"]
KataStatus = Literal["passed", "failed", "error", "missing", "timeout"]


@dataclass
class TestResult:
    name: str
    status: TestStatus
    score: float
    max_score: float
    message: str = ""


@dataclass
class KataResult:
    id: str
    score: float = 0
    max_score: float = 0
    status: KataStatus = "error"
    tests: list[TestResult] = field(default_factory=list)
    seconds: float = field(default=0.0, compare=False)  # its tests' run time: the one thing that varies


@dataclass
class Grade:
    submission: str
    score: float = 0
    max_score: float = 0
    katas: list[KataResult] = field(default_factory=list)
    # the locks learner code ran under: {"active": [names], "inactive": {name: why not}}
    locks: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def without_timings(self) -> dict[str, Any]:
        """The grade as data, minus run times: equal for the same submission on every run."""
        data = self.to_dict()
        for kata in data["katas"]:
            kata.pop("seconds", None)
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Grade:
        katas = [
            KataResult(**{**kata, "tests": [TestResult(**test) for test in kata["tests"]]})
            for kata in data["katas"]
        ]
        return cls(submission=data["submission"], score=data["score"],
                   max_score=data["max_score"], katas=katas, locks=data.get("locks", {}))


def _number(value: float) -> float:
    """Whole scores print as integers; fractions keep at most four decimals."""
    value = round(value, 4)
    return int(value) if value == int(value) else value


def kata_status(tests: list[TestResult], missing: bool) -> KataStatus:
    if missing:
        return "missing"
    if not tests or all(test.status == "error" for test in tests):
        return "error"
    if any(test.status == "timeout" for test in tests):
        return "timeout"
    if all(test.status == "passed" for test in tests):
        return "passed"
    return "failed"


def summarize_kata(kata_id: str, max_score: float, tests: list[TestResult], missing: bool) -> KataResult:
    score = sum(test.score for test in tests)
    return KataResult(id=kata_id, score=_number(score), max_score=_number(max_score),
                      status=kata_status(tests, missing), tests=tests)


def summarize(submission: str, katas: list[KataResult]) -> Grade:
    return Grade(submission=submission,
                 score=_number(sum(kata.score for kata in katas)),
                 max_score=_number(sum(kata.max_score for kata in katas)),
                 katas=katas)
