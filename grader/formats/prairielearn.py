"""The grade as PrairieLearn's external grader `results.json`: `score` as a fraction in [0, 1] of
the grade's points, a message and a plain-text summary for the learner, and a test per hidden test
with its points and maximum, which `<pl-external-grader-results>` shows. A submission that could
not be graded at all (a file over the size limit, say) is `gradable: false`: PrairieLearn then
takes no attempt and awards nothing. The file stays under PrairieLearn's 1 MB limit: when long
messages would pass it, they are shortened.
"""

from __future__ import annotations

import json

from grader.model import Grade, locks_warning

MAX_BYTES = 1_000_000  # PrairieLearn's limit on results.json
MESSAGE_LIMITS = (None, 400, 80, 0)  # characters per test message, tried in turn to fit MAX_BYTES


def _cut(text: str, limit: int | None) -> str:
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…" if limit else ""


def _summary(grade: Grade) -> str:
    lines = [f"{grade.score:g} / {grade.max_score:g} points over {len(grade.katas)} katas."]
    width = max((len(kata.id) for kata in grade.katas), default=0)
    for kata in grade.katas:
        first = next((test for test in kata.tests if test.status != "passed" and test.message), None)
        problem = f"  {first.message.splitlines()[0]}" if first else ""
        lines.append(f"{kata.id:<{width}}  {kata.score:g}/{kata.max_score:g}  {kata.status}{problem}")
    warning = locks_warning(grade.locks)
    return "\n".join([*lines, *([warning] if warning else [])])


def result(grade: Grade, message_limit: int | None = None) -> dict:
    passing = sum(kata.status == "passed" for kata in grade.katas)
    message = (f"{grade.score:g} / {grade.max_score:g} points: {passing} of {len(grade.katas)} "
               "katas pass.")
    if grade.problem:
        return {"gradable": False, "format_errors": [grade.problem],
                "message": f"This submission could not be graded: {grade.problem}", "output": "",
                "tests": []}
    tests = [{"name": f"{kata.id}: {test.name}", "description": f"{kata.id} ({kata.status})",
              "points": test.score, "max_points": test.max_score,
              "message": _cut(test.message, message_limit), "output": ""}
             for kata in grade.katas for test in kata.tests]
    score = grade.score / grade.max_score if grade.max_score else 0.0
    return {"gradable": True, "score": min(1.0, max(0.0, score)), "message": message,
            "output": _summary(grade), "tests": tests}


def render(grade: Grade) -> str:
    for limit in MESSAGE_LIMITS:
        text = json.dumps(result(grade, limit), indent=1, ensure_ascii=False) + "\n"
        if len(text.encode()) < MAX_BYTES:
            return text
    return json.dumps({"gradable": True, "score": result(grade)["score"] if not grade.problem else 0.0,
                       "message": "The results were too long to show.", "tests": []}) + "\n"
