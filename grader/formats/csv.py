"""A class's grades as CSV: one row per submission and one column per kata (opens in any
spreadsheet), a gradebook file in the layout LMS gradebooks import, and the pairs of similar work.

Every cell a learner controls goes through as_text: a spreadsheet shows it, never runs it."""

from __future__ import annotations

import csv
import io

from grader.class_model import ClassRecord
from grader.model import Grade

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text(cell: str) -> str:
    """A learner-controlled cell that a spreadsheet shows as text, never runs as a formula
    (OWASP's advice: a leading quote before =, +, -, @, tab, carriage return)."""
    return f"'{cell}" if cell.startswith(_FORMULA_START) else cell


def render(record: ClassRecord) -> str:
    """grades.csv: id, total, max, a column per kata, when the graded commit was made and whether
    it was late (empty without a deadline), and why the submission was not graded, if it was not."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "total", "max", *record.kata_ids, "committed", "late", "not graded because"])
    for grade in sorted(record.grades, key=lambda g: g.submission):
        scores = {kata.id: kata.score for kata in grade.katas}
        moment = record.committed.get(grade.submission)
        writer.writerow([as_text(grade.submission), grade.score, grade.max_score,
                         *(scores.get(kata_id, "") for kata_id in record.kata_ids),
                         moment.isoformat() if moment else "", record.lateness(grade.submission),
                         as_text(grade.problem)])
    return out.getvalue()


GRADEBOOK_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def render_gradebook(grades: list[Grade], assignment: str) -> str:
    """Canvas's gradebook import layout (Moodle and Blackboard map the same columns): the
    identifier columns, one column for the assignment, headed by its name, and a "Points Possible"
    row. A submission's id goes in "SIS Login ID", so it matches when submissions are named by the
    learners' logins. Canvas matches the column to an assignment by its header: "Name (1234)" with
    the assignment's Canvas id updates that assignment; a new name adds one."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*GRADEBOOK_COLUMNS, as_text(assignment)])
    possible = max((grade.max_score for grade in grades), default=0)
    writer.writerow(["Points Possible", "", "", "", "", possible])
    for grade in sorted(grades, key=lambda g: g.submission):
        writer.writerow([as_text(grade.submission), "", "", as_text(grade.submission), "", grade.score])
    return out.getvalue()


def render_similar(record: ClassRecord) -> str:
    """similar.csv: every pair of similar work, a row per kata and pair, most alike first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kata", "first", "second", "similarity", "first's code found in second",
                     "second's code found in first"])
    for pair in record.similar:
        writer.writerow([pair.kata, as_text(pair.first), as_text(pair.second), f"{pair.similarity:.2f}",
                         f"{pair.share_first:.2f}", f"{pair.share_second:.2f}"])
    return out.getvalue()
