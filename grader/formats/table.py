"""The grade as a table for people, with the first failure of each kata spelled out."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from grader.class_model import LATE, ClassRecord, duration
from grader.formats.class_summary import MISSING, NOT_WRITTEN, ClassFigures, points, shorten, top_mistakes
from grader.model import Grade

STATUS_STYLE = {"passed": "green", "failed": "red", "error": "magenta", "missing": "yellow",
                "timeout": "yellow"}
TERMINAL_MISTAKE = 50  # characters of a kata's most common mistake after a batch (report.html: all)

_score = points  # the one rule for points shown (report.html and the feedback files use it too)


def kata_labels(kata_ids: list[str]) -> dict[str, str]:
    """How a class table names each kata: by its name alone where no other kata shown has that
    name, else by its full id; never cut (an id cut short can read as another)."""
    names = [kata_id.rsplit("/", 1)[-1] for kata_id in kata_ids]
    return {kata_id: name if names.count(name) == 1 else kata_id
            for kata_id, name in zip(kata_ids, names, strict=True)}


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
    labels = kata_labels([kata.id for kata in figures.katas])
    table = Table(box=box.SIMPLE_HEAD, title=Text(title), title_justify="left")
    table.add_column("kata", no_wrap=True, min_width=max(map(len, labels.values()), default=4))
    table.add_column("pass", justify="right", no_wrap=True)
    table.add_column("mean", justify="right", no_wrap=True)
    table.add_column("unwritten", justify="right")
    table.add_column("most common mistake (learners)", overflow="fold")
    for kata in figures.katas:
        common = top_mistakes(kata, 1)
        absent = kata.outcomes[NOT_WRITTEN] + kata.outcomes[MISSING]
        table.add_row(Text(labels[kata.id]), f"{kata.passed}/{kata.graded}",
                      f"{_score(kata.mean_score)}/{_score(kata.max_score)}", str(absent),
                      Text(f"{common[0][1]} × {shorten(common[0][0], TERMINAL_MISTAKE)}" if common else ""))
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
    learners = f"{len(rows)} learner{'' if len(rows) == 1 else 's'}"
    title = f"most in need ({min(count, len(rows))} of {learners}; all in report.html)"
    caption = f"{learners} of {len(figures.learners)} short of full marks or flagged"
    table = Table(box=box.SIMPLE_HEAD, title=Text(title), title_justify="left", caption=Text(caption),
                  caption_justify="left", min_width=min(len(title), 78))
    table.add_column("learner", overflow="fold")
    table.add_column("score", justify="right")
    table.add_column("to look at", overflow="fold")
    for learner, flags in rows[:count]:
        table.add_row(Text(learner.submission), f"{_score(learner.score)}/{_score(learner.max_score)}",
                      Text("; ".join(flags)))
    return table
