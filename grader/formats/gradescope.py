"""The grade as Gradescope's results.json (its autograder specification): a test per hidden test,
numbered kata.test, each with its score, maximum, status and message."""

from __future__ import annotations

import json

from grader.model import Grade, locks_warning


def result(grade: Grade) -> dict:
    tests = []
    for kata_number, kata in enumerate(grade.katas, start=1):
        for test_number, test in enumerate(kata.tests, start=1):
            tests.append({
                "name": f"{kata.id}: {test.name}",
                "number": f"{kata_number}.{test_number}",
                "score": test.score,
                "max_score": test.max_score,
                "status": "passed" if test.status == "passed" else "failed",
                "output": test.message,
                "output_format": "text",
                "tags": [kata.id.split("/")[0]],
                "visibility": "visible",
            })
    return {
        "score": grade.score,
        "execution_time": round(sum(kata.seconds for kata in grade.katas), 3),
        "output": "\n\n".join(filter(None, [
            f"{grade.score:g} / {grade.max_score:g} points over {len(grade.katas)} katas.",
            locks_warning(grade.locks)])),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def render(grade: Grade) -> str:
    return json.dumps(result(grade), indent=2, ensure_ascii=False) + "\n"
