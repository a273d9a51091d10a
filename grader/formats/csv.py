"""A class's grades as CSV: one row per submission, one column per kata; opens in any spreadsheet."""

from __future__ import annotations

import csv
import io

from grader.model import Grade


def render(grades: list[Grade], kata_ids: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "total", "max", *kata_ids])
    for grade in sorted(grades, key=lambda g: g.submission):
        scores = {kata.id: kata.score for kata in grade.katas}
        writer.writerow([grade.submission, grade.score, grade.max_score,
                         *(scores.get(kata_id, "") for kata_id in kata_ids)])
    return out.getvalue()
