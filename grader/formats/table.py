"""The grade as a table for people, with the first failure of each kata spelled out."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from grader.formats.class_summary import ClassFigures
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
    """A class at a glance: per kata, how many pass, the mean, and the most common diagnosis."""
    table = Table(box=box.SIMPLE_HEAD, title=Text(title), title_justify="left")
    table.add_column("kata")
    table.add_column("pass", justify="right")
    table.add_column("mean", justify="right")
    table.add_column("most common diagnosis", overflow="fold")
    for kata in figures.katas:
        common = kata.diagnoses.most_common(1)
        table.add_row(Text(kata.id), f"{kata.passed}/{kata.graded}",
                      f"{kata.mean_score:.1f}/{_score(kata.max_score)}",
                      Text(f"{common[0][1]} × {common[0][0]}" if common else ""))
    return table
