"""The grade as a table for people, with the first failure of each kata spelled out."""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from grader.model import Grade

STATUS_STYLE = {"passed": "green", "failed": "red", "error": "magenta", "missing": "yellow",
                "timeout": "yellow"}


def _score(value: float) -> str:
    return f"{value:g}"


def build(grade: Grade) -> Group:
    table = Table(box=box.SIMPLE_HEAD, title=f"{grade.submission}: {_score(grade.score)} / "
                  f"{_score(grade.max_score)}", title_justify="left")
    table.add_column("kata")
    table.add_column("score", justify="right")
    table.add_column("status")
    table.add_column("first problem", overflow="fold")
    for kata in grade.katas:
        problem = next((t for t in kata.tests if t.status != "passed"), None)
        first = f"{problem.name}: {problem.message.splitlines()[0]}" if problem else ""
        table.add_row(kata.id, f"{_score(kata.score)}/{_score(kata.max_score)}",
                      Text(kata.status, style=STATUS_STYLE.get(kata.status, "")), first)
    return Group(table)


def render(grade: Grade, width: int | None = None) -> str:
    console = Console(width=width or 120, record=True, file=open("/dev/null", "w"),  # noqa: SIM115
                      force_terminal=False)
    console.print(build(grade))
    return console.export_text()


def show(grade: Grade, console: Console) -> None:
    console.print(build(grade))
