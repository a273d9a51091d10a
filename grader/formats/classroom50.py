"""The grade for Classroom 50: its `result.json` (classroom50/result/v1) and the learner's
feedback, `release-body.md`, which it publishes as the notes of the submission's release.

Classroom 50 records whole points, overall and per test, and its runner refuses a result whose
test names repeat. So a test here is a kata: its id is its name (unique), its points are a kata's
points (whole numbers in the manifest), and its score is the kata's score rounded down to a whole
number, never up: a kata's tests share its points, so a partly solved kata's score is often
fractional (8.67 of 13). The total is the sum of the tests: equal to the grade's for fully solved
and unwritten katas, and below it by less than a point per partly solved kata.

The feedback is Markdown that GitHub renders; every learner-controlled string in it (messages,
diagnoses) is a code span or a fenced block, so nothing a learner wrote acts as Markdown, HTML, a
link or a mention.
"""

from __future__ import annotations

import math
from datetime import datetime

from grader.formats.class_summary import diagnosis
from grader.formats.markdown import block, code
from grader.model import Grade, KataResult

SCHEMA = "classroom50/result/v1"
MAX_DIAGNOSES = 3  # distinct failure messages shown per kata
MAX_DIAGNOSIS = 700  # characters of one, in the feedback
TABLE_CELL = 160  # characters of the first problem's first line, in the table
MAX_BODY = 100_000  # characters of feedback (a GitHub release's notes hold at most 125,000)


def whole(points: float) -> int:
    """Points as the whole number Classroom 50 records: exact when whole, else rounded down."""
    return max(0, math.floor(round(points, 6)))


def tests(grade: Grade) -> list[dict]:
    """One test per kata: its id, whether it passed, its whole score and points, and why not."""
    entries, names = [], set()
    for kata in grade.katas:
        name, copy = kata.id, 2
        while name in names:  # ids are unique in a grade; a hand-made grade is made unique too
            name, copy = f"{kata.id} ({copy})", copy + 1
        names.add(name)
        maximum = whole(kata.max_score)
        problems = _problems(kata, limit=1)
        entries.append({"test-name": name, "passed": kata.status == "passed",
                        "score": min(whole(kata.score), maximum), "max-score": maximum,
                        "status": kata.status, "message": problems[0] if problems else ""})
    return entries


def result(grade: Grade, *, classroom: str, assignment: str, owner: str, submission: str,
           commit: str, release: str, review: str, when: datetime,
           assignment_type: str = "individual") -> dict:
    """result.json: the identity Classroom 50's runner passed in, and the grade, per kata."""
    per_kata = tests(grade)
    return {
        "schema": SCHEMA,
        "classroom": classroom,
        "assignment": assignment,
        "assignment_type": assignment_type,
        "owner": owner,
        "submission": submission,
        "commit": commit,
        "release": release,
        "review": review or commit,
        "datetime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "score": sum(test["score"] for test in per_kata),
        "max-score": sum(test["max-score"] for test in per_kata),
        "tests": per_kata,
    }


def _problems(kata: KataResult, limit: int) -> list[str]:
    """A kata's distinct diagnoses, in the order its tests ran: the first message of each (two
    messages that differ only in their numbers, "N = 7" and "N = 15", are one diagnosis)."""
    seen: dict[str, str] = {}
    for test in kata.tests:
        if test.status != "passed" and test.message:
            seen.setdefault(diagnosis(test.message), test.message)
    return list(seen.values())[:limit]


def _shortened(text: str, limit: int = MAX_DIAGNOSIS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _next_step(grade: Grade) -> list[str]:
    """What to try next: the first kata, in the course's order, still short of its points."""
    if grade.problem:
        return ["Check that each kata file is at `exercises/<topic>/<kata>.py`, committed and pushed, "
                "then submit again."]
    short = [kata for kata in grade.katas if whole(kata.score) < whole(kata.max_score)]
    if not short:
        return ["Every kata earns all its points: nothing left to try here."]
    kata = short[0]
    lines = [f"Start with {code(kata.id)} ({whole(kata.score)}/{whole(kata.max_score)}, "
             f"{kata.status}): its public tests show what they tried and what they expected, and "
             "the hints go from a nudge to nearly the answer.", "",
             block(f".venv/bin/grader check {kata.id}\n.venv/bin/grader hint {kata.id}", "bash")]
    rest = len(short) - 1
    if rest:
        lines += ["", f"After it, {rest} more {'kata' if rest == 1 else 'katas'} short of full points."]
    return lines


def release_body(grade: Grade) -> str:
    """The learner's feedback: the score, a table of katas, each failing kata's diagnoses, and
    what to try next."""
    per_kata = tests(grade)
    score, maximum = sum(t["score"] for t in per_kata), sum(t["max-score"] for t in per_kata)
    passing = sum(kata.status == "passed" for kata in grade.katas)
    lines = [f"### Gradient-descent katas: {score} / {maximum}", "",
             f"{passing} of {len(grade.katas)} katas pass."]
    if grade.problem:
        lines += ["", "This submission could not be graded:", "", block(grade.problem)]
    lines += ["", "| kata | points | status | first problem |", "|---|---:|---|---|"]
    for kata, entry in zip(grade.katas, per_kata, strict=True):
        first = _problems(kata, limit=1)
        lines.append(f"| {code(kata.id)} | {entry['score']}/{entry['max-score']} | {kata.status} | "
                     f"{code(_shortened(first[0].splitlines()[0], TABLE_CELL)) if first else ''} |")
    diagnoses: list[str] = []
    for kata in grade.katas:
        problems = _problems(kata, limit=MAX_DIAGNOSES) if kata.score < kata.max_score else []
        if len(problems) == 1 and "\n" not in problems[0] and len(problems[0]) <= TABLE_CELL:
            continue  # the table shows it whole ("mse is not written yet: ...")
        if problems:
            diagnoses += ["", f"**{code(kata.id)}**: {whole(kata.score)}/{whole(kata.max_score)}", ""]
            diagnoses += [block(_shortened(problem)) for problem in problems]
    if diagnoses:
        lines += ["", "#### What went wrong", *diagnoses]
    lines += ["", "#### What to try next", "", *_next_step(grade)]
    body = "\n".join(lines) + "\n"
    if len(body) > MAX_BODY and diagnoses:  # the table and the next step come first: diagnoses go
        cut = "\n".join(lines[: lines.index("#### What went wrong")])
        body = (cut + "\n\nThe diagnoses are too many to show here: run `.venv/bin/grader check` "
                "on each kata for its own.\n\n#### What to try next\n\n"
                + "\n".join(_next_step(grade)) + "\n")
    return body
