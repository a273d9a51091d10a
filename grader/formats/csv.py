"""A class's grades as CSV: one row per submission and one column per kata (opens in any
spreadsheet), and a gradebook file in the layout LMS gradebooks import."""

from __future__ import annotations

import csv
import io

from grader.model import Grade

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text(cell: str) -> str:
    """A learner-controlled cell that a spreadsheet shows as text, never runs as a formula
    (OWASP's advice: a leading quote before =, +, -, @, tab, carriage return)."""
    return f"'{cell}" if cell.startswith(_FORMULA_START) else cell


def render(grades: list[Grade], kata_ids: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "total", "max", *kata_ids, "not graded because"])
    for grade in sorted(grades, key=lambda g: g.submission):
        scores = {kata.id: kata.score for kata in grade.katas}
        writer.writerow([as_text(grade.submission), grade.score, grade.max_score,
                         *(scores.get(kata_id, "") for kata_id in kata_ids), as_text(grade.problem)])
    return out.getvalue()


GRADEBOOK_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def render_gradebook(grades: list[Grade], assignment: str) -> str:
    """Canvas's gradebook import layout (Moodle and Blackboard map the same columns): the
    identifier columns, one column for the assignment, and a "Points Possible" row. A submission's
    id goes in "SIS Login ID", so it matches when submissions are named by the learners' logins."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*GRADEBOOK_COLUMNS, assignment])
    possible = max((grade.max_score for grade in grades), default=0)
    writer.writerow(["Points Possible", "", "", "", "", possible])
    for grade in sorted(grades, key=lambda g: g.submission):
        writer.writerow([as_text(grade.submission), "", "", as_text(grade.submission), "", grade.score])
    return out.getvalue()
