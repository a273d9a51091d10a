"""A learner's verdict on one kata after its public tests ran: short, warm and exact."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from grader.manifest import Kata
from grader.model import KataResult


def render(result: KataResult, kata: Kata, following: Kata | None) -> Group:
    passed = [test for test in result.tests if test.status == "passed"]
    if result.status == "passed":
        lines = [Text(f"✓ {kata.id}: all {len(passed)} public tests pass.", style="bold green")]
        lines.append(Text(f"  Next: {following.id} ({following.title})." if following
                          else "  That was the last kata. Well done!"))
        return Group(*lines)
    failing = [test for test in result.tests if test.status != "passed"]
    lines = [Text(f"✗ {kata.id}: {len(failing)} of {len(result.tests)} public tests "
                  f"{'fails' if len(failing) == 1 else 'fail'}.", style="bold red")]
    for test in failing:
        lines.append(Text(f"  {test.name}", style="bold"))
        for line in (test.message or test.status).splitlines():
            lines.append(Text(f"    {line}"))
    if kata.hints:
        lines.append(Text(f"  Stuck? `grader hint {kata.id}` gives a hint ({len(kata.hints)} in all).",
                          style="dim"))
    return Group(*lines)
