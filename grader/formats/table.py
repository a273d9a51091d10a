"""The grade as a table for people, with the first failure of each kata spelled out."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from grader.class_model import LATE, ClassRecord, duration
from grader.formats.class_summary import MISSING, NOT_WRITTEN, ClassFigures, top_mistakes
from grader.model import Grade

STATUS_STYLE = {"passed": "green", "failed": "red", "error": "magenta", "missing": "yellow",
                "timeout": "yellow"}


def _score(value: float) -> str:
    return f"{value:g}"


def build(grade: Grade) -> Group:
    title = Text(f"{grade.submission}: {_score(grade.score)} / {_score(grade.max_score)}")
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left")
    table.add_column("kata")
    table.add_column("score", justify="right")
    table.add_column("status")
    table.add_column("first problem", overflow="fold")
    for kata in grade.katas:
        problem = next((t for t in kata.tests if t.status != "passed"), None)
        first = f"{problem.name}: {problem.message.splitlines()[0]}" if problem else ""
        table.add_row(Text(kata.id), f"{_score(kata.score)}/{_score(kata.max_score)}",
                      Text(kata.status, style=STATUS_STYLE.get(kata.status, "")), Text(first))
    return Group(table)


def render(grade: Grade, width: int | None = None) -> str:
    console = Console(width=width or 120, record=True, file=io.StringIO(), force_terminal=False)
    console.print(build(grade))
    return console.export_text()


def show(grade: Grade, console: Console) -> None:
    console.print(build(grade))


def class_table(figures: ClassFigures, title: str) -> Table:
    """A class at a glance: per kata, how many pass, the mean, how many have not written it, and
    the most common real mistake (stubs and missing files are never called mistakes)."""
    table = Table(box=box.SIMPLE_HEAD, title=Text(title), title_justify="left")
    table.add_column("kata")
    table.add_column("pass", justify="right")
    table.add_column("mean", justify="right")
    table.add_column("not written", justify="right")
    table.add_column("most common mistake", overflow="fold")
    for kata in figures.katas:
        common = top_mistakes(kata, 1)
        absent = kata.outcomes[NOT_WRITTEN] + kata.outcomes[MISSING]
        table.add_row(Text(kata.id), f"{kata.passed}/{kata.graded}",
                      f"{kata.mean_score:.1f}/{_score(kata.max_score)}", str(absent),
                      Text(f"{common[0][1]} × {common[0][0]}" if common else ""))
    return table


def need_table(record: ClassRecord, figures: ClassFigures, count: int = 10) -> Table:
    """The learners most in need of a teacher, as report.html sorts them, with what to look at;
    a learner with full marks and nothing flagged is not in need."""
    rows = []
    for learner in figures.learners:
        flags = list(learner.flags)
        if record.lateness(learner.submission) == LATE:
            flags.append(f"late by {duration(record.late_by(learner.submission))}")  # type: ignore[arg-type]
        similar = {pair.kata for pair in record.similar_to(learner.submission)}
        if similar:
            flags.append(f"similar work in {len(similar)} kata{'s' if len(similar) > 1 else ''}")
        if flags or learner.score < learner.max_score:
            rows.append((learner, flags))
    title = f"most in need ({min(count, len(rows))} of {len(rows)}; all in report.html)"
    table = Table(box=box.SIMPLE_HEAD, title=Text(title), title_justify="left")
    table.add_column("learner", overflow="fold")
    table.add_column("score", justify="right")
    table.add_column("to look at", overflow="fold")
    for learner, flags in rows[:count]:
        table.add_row(Text(learner.submission), f"{_score(learner.score)}/{_score(learner.max_score)}",
                      Text("; ".join(flags)))
    return table
