"""The grade for a GitHub Classroom-style workflow: the runner result that
`classroom-resources/autograding-grading-reporter@v1` reads, a Markdown summary for the job page,
and error annotations on the kata files that lose points.

One reporter test per kata, carrying the kata's partial score: the reporter's "Points X/Y" sums
the tests' scores, so it equals the grade. Every result has a `tests` list, even when nothing
could run (a result without one crashes the reporter).
"""

from __future__ import annotations

import base64
import json
import re

from grader.formats.markdown import code as _code
from grader.model import Grade, KataResult

_LINE = re.compile(r"\(line (\d+)\)")


def kata_file(kata_id: str) -> str:
    return f"exercises/{kata_id}.py"


def _problems(kata: KataResult, limit: int = 3) -> list[str]:
    seen: list[str] = []
    for test in kata.tests:
        if test.status != "passed" and test.message and test.message not in seen:
            seen.append(test.message)
    return seen[:limit]


def _line(kata: KataResult) -> int:
    for message in _problems(kata, limit=len(kata.tests)):
        found = _LINE.search(message)
        if found:
            return int(found.group(1))
    return 1


def _status(kata: KataResult) -> str:
    return {"passed": "pass", "failed": "fail"}.get(kata.status, "error")


def result(grade: Grade) -> dict:
    """The reporter's runner result: version 1, an overall status, the maximum, one test per kata."""
    if grade.katas and all(kata.status == "passed" for kata in grade.katas):
        status = "pass"
    elif grade.katas and any(kata.status in ("passed", "failed") for kata in grade.katas):
        status = "fail"
    else:
        status = "error"  # nothing could be graded: every kata missing, broken or timed out
    tests = []
    for kata in grade.katas:
        problems = _problems(kata)
        tests.append({
            "name": f"{kata.id} ({kata.score:g}/{kata.max_score:g})",
            "status": _status(kata),
            "score": kata.score,
            "message": "\n\n".join(problems) if problems else "",
            "test_code": f"grader grade . --kata {kata.id}",
            "filename": kata_file(kata.id),
            "line_no": _line(kata),
            "duration": round(kata.seconds * 1000),  # milliseconds
        })
    return {"version": 1, "status": status, "max_score": grade.max_score, "tests": tests}


def encoded(grade: Grade) -> str:
    """The step output `result`: base64 of the compact runner result."""
    text = json.dumps(result(grade), separators=(",", ":"), ensure_ascii=False)
    return base64.b64encode(text.encode()).decode()


def summary(grade: Grade) -> str:
    """A Markdown table for `$GITHUB_STEP_SUMMARY`; learner text in it is code, not Markdown."""
    lines = [f"### Gradient-descent katas: {grade.score:g} / {grade.max_score:g}", "",
             "| kata | points | status | first problem |", "|---|---:|---|---|"]
    for kata in grade.katas:
        problems = _problems(kata, limit=1)
        first = problems[0].splitlines()[0] if problems else ""
        lines.append(f"| {_code(kata.id)} | {kata.score:g}/{kata.max_score:g} | {_code(kata.status)} | "
                     f"{_code(first)} |")
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotations(grade: Grade) -> list[str]:
    """`::error` workflow commands, one per kata that lost points, on its file and line."""
    found = []
    for kata in grade.katas:
        if kata.score < kata.max_score:
            problems = _problems(kata, limit=1)
            title = f"{kata.id}: {kata.score:g}/{kata.max_score:g} ({kata.status})"
            found.append(f"::error file={_escape_property(kata_file(kata.id))},line={_line(kata)},"
                         f"title={_escape_property(title)}::"
                         f"{_escape_data(problems[0] if problems else kata.status)}")
    return found
