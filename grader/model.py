"""The grade: one definition of the JSON that every output format is a view of."""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

TestStatus = Literal["passed", "failed", "error", "timeout"]
KataStatus = Literal["passed", "failed", "error", "missing", "timeout"]

# Characters that act on whatever shows the text rather than being shown: C0 controls but \n, DEL,
# C1 (terminal escapes, OSC 52 clipboard writes), Unicode's Bidi_Control set (reorders what is
# read), surrogates and U+FFFE/U+FFFF (not XML, not UTF-8).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                      "\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
# `::` starts a GitHub Actions workflow command and `##` an Azure Pipelines (`##vso[`) or old
# Actions (`##[`) one: with no two of either side by side, no wrap or indent can start one.
_COMMAND_MARK = re.compile(r"([:#])(?=\1)")


MAX_MESSAGE = 1200  # characters of one test's message: the diagnosis, the input, expected, received


def shorten(text: str) -> str:
    """A message as a grade records it: trimmed, and cut at MAX_MESSAGE with an ellipsis."""
    text = text.strip()
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def without_controls(text: str) -> str:
    """Text with no character that acts on whatever shows it (a tab becomes a space, line breaks
    stay); learner code shown as code in a page, where `::` and `##` are harmless, is kept so."""
    return _CONTROL.sub("", text.replace("\t", " "))


def clean_text(text: str) -> str:
    """Learner-controlled text made into plain data: no control characters (a tab becomes a space,
    line breaks stay), and `::` and `##` spaced out (`: :`, `# #`) so no CI runner obeys it."""
    return _COMMAND_MARK.sub(r"\1 ", without_controls(text))


def _clean_data(value: Any) -> Any:
    """Every string in JSON-like data (keys too) cleaned; other values as they are."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {_clean_data(key): _clean_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean_data(item) for item in value]
    return value


class _CleanText:
    """Cleans the listed text fields on every assignment, in __init__ or later, so that no grade,
    however it was built or edited, holds learner text that could act on a terminal or a CI log;
    a message is also cut to MAX_MESSAGE, whoever wrote it (a hidden suite, the public runner)."""

    _text_fields: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._text_fields:
            value = clean_text(value) if isinstance(value, str) else _clean_data(value)
            if name == "message" and isinstance(value, str):
                value = shorten(value)
        super().__setattr__(name, value)


@dataclass
class TestResult(_CleanText):
    _text_fields = ("name", "status", "message")

    name: str
    status: TestStatus
    score: float
    max_score: float
    message: str = ""


@dataclass
class KataResult(_CleanText):
    _text_fields = ("id", "status")

    id: str
    score: float = 0
    max_score: float = 0
    status: KataStatus = "error"
    tests: list[TestResult] = field(default_factory=list)
    seconds: float = field(default=0.0, compare=False)  # its tests' run time: the one thing that varies


@dataclass
class Grade(_CleanText):
    _text_fields = ("submission", "locks", "problem")

    submission: str
    score: float = 0
    max_score: float = 0
    katas: list[KataResult] = field(default_factory=list)
    # the locks learner code ran under: {"active": [names], "inactive": {name: why not}}
    locks: dict[str, Any] = field(default_factory=dict)
    # the time limits it was graded under, in seconds: {"per_test", "per_kata", "per_submission"}
    limits: dict[str, float] = field(default_factory=dict)
    problem: str = ""  # why the submission could not be graded at all (every kata then scores 0)

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
        """A grade from its JSON, checked field by field: ValueError, saying where, for anything
        that is not a grade (a shard folder to merge may hold anything)."""
        _check_grade(data)
        katas = [
            KataResult(**{**kata, "tests": [TestResult(**test) for test in kata["tests"]]})
            for kata in data["katas"]
        ]
        return cls(submission=data["submission"], score=data["score"],
                   max_score=data["max_score"], katas=katas, locks=data.get("locks", {}),
                   limits=data.get("limits", {}), problem=data.get("problem", ""))


def locks_warning(locks: dict) -> str | None:
    """One paragraph naming the locks learner code did not run under, and why; None if none."""
    inactive = locks.get("inactive") or {}
    if not inactive:
        return None
    lines = "\n".join(f"  {name}: {why}" for name, why in inactive.items())
    return f"warning: learner code ran without {len(inactive)} of the grader's locks:\n{lines}"


def _want(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ValueError(f"not a grade: {where} is not a {getattr(kind, '__name__', 'number')}")
    return value


def _points(value: Any, where: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value) or value < 0:
        raise ValueError(f"not a grade: {where} is not a number of points")
    return value


def _check_scores(score: Any, max_score: Any, where: str) -> None:
    if _points(score, f"{where} score") > _points(max_score, f"{where} max_score") + 1e-9:
        raise ValueError(f"not a grade: {where} scores more than its maximum")


def _check_grade(data: Any) -> None:
    """Every field a grade's JSON must hold, of the right type; scores within their maximum."""
    _want(data, dict, "the file")
    _want(data.get("submission"), str, "submission")
    _check_scores(data.get("score"), data.get("max_score"), "the submission")
    for name, kind in (("locks", dict), ("limits", dict), ("problem", str)):
        if name in data:
            _want(data[name], kind, name)
    for number, kata in enumerate(_want(data.get("katas"), list, "katas")):
        where = f"kata {number + 1}"
        _want(kata, dict, where)
        _want(kata.get("id"), str, f"{where} id")
        _check_scores(kata.get("score"), kata.get("max_score"), where)
        if kata.get("status") not in get_args(KataStatus):
            raise ValueError(f"not a grade: {where} has no known status")
        _want(kata.get("seconds", 0.0), int | float, f"{where} seconds")
        for test_number, test in enumerate(_want(kata.get("tests"), list, f"{where} tests")):
            at = f"{where} test {test_number + 1}"
            _want(test, dict, at)
            _want(test.get("name"), str, f"{at} name")
            _want(test.get("message", ""), str, f"{at} message")
            _check_scores(test.get("score"), test.get("max_score"), at)
            if test.get("status") not in get_args(TestStatus):
                raise ValueError(f"not a grade: {at} has no known status")
    locks = data.get("locks", {})
    _want(locks.get("active", []), list, "locks active")
    _want(locks.get("inactive", {}), dict, "locks inactive")


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


def not_graded(submission: str, katas: list[tuple[str, float]], problem: str) -> Grade:
    """The grade of a submission that could not be graded at all: each kata (id, points) an
    error scoring 0 that says why, and the reason in ``problem``."""
    grade = summarize(submission, [
        summarize_kata(kata_id, points, [TestResult(
            name="submission", status="error", score=0, max_score=points,
            message=f"could not read the submission: {problem}")], missing=False)
        for kata_id, points in katas])
    grade.problem = problem
    return grade


def summarize(submission: str, katas: list[KataResult]) -> Grade:
    return Grade(submission=submission,
                 score=_number(sum(kata.score for kata in katas)),
                 max_score=_number(sum(kata.max_score for kata in katas)),
                 katas=katas)
