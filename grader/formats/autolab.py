"""The grade for Autolab: feedback lines for the learner, then the autoresult Autolab reads from
the last line of the autograder's output, `{"scores": {...}, "scoreboard": [...]}`.

Each kata is a problem, named by its id (`02_losses/mse`), so the assessment's problems are the
katas, each worth its points; the scores add up to the grade. The scoreboard row is the total,
then each kata's score, in the course's order.
"""

from __future__ import annotations

import json

from grader.model import Grade


def autoresult(grade: Grade) -> dict:
    scores = {kata.id: kata.score for kata in grade.katas}
    return {"scores": scores, "scoreboard": [grade.score, *scores.values()]}


def render(grade: Grade) -> str:
    lines = [f"Gradient-descent katas: {grade.score:g} / {grade.max_score:g}"]
    if grade.problem:
        lines.append(f"not graded: {grade.problem}")
    for kata in grade.katas:
        first = next((test for test in kata.tests if test.status != "passed" and test.message), None)
        lines.append(f"  {kata.id}: {kata.score:g}/{kata.max_score:g} {kata.status}"
                     + (f": {first.message.splitlines()[0]}" if first else ""))
    # Autolab reads the last line: one line of JSON, nothing after it
    return "\n".join(lines) + "\n" + json.dumps(autoresult(grade), separators=(", ", ": ")) + "\n"
