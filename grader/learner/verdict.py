"""A learner's verdict on one kata after its public tests ran: short, warm and exact."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.text import Text

from grader.learner import curves, pictures
from grader.manifest import Kata
from grader.model import KataResult, clean_text


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
    for names, message in _grouped(failing):
        # one message said once (a kata that does not import fails every test alike)
        lines.append(Text(f"  {', '.join(names)}", style="bold"))
        for line in message.splitlines():
            lines.append(Text(f"    {line}"))
    if kata.hints:
        lines.append(Text(f"  Stuck? `grader hint {kata.id}` gives a hint ({len(kata.hints)} in all).",
                          style="dim"))
    return Group(*lines)


def _grouped(tests: list) -> list[tuple[list[str], str]]:
    """Tests in order, those with the same message together."""
    groups: dict[str, list[str]] = {}
    for test in tests:
        groups.setdefault(test.message or test.status, []).append(test.name)
    return [(names, message) for message, names in groups.items()]


def render_curve(curve: curves.Curve, kata_file: Path) -> Group:
    """The learner's loss curve against the reference run's, a line on the kata's picture if it
    has one, and the PNG saved beside the kata."""
    lines = [Text(f"  Loss on the seed data ({curve.setting}):", style="bold")]
    if curve.losses is None:
        # the learner's own exception message: shown, never obeyed by the terminal
        lines.append(Text(f"    your run failed: {clean_text(curve.problem)}", style="red"))
        return Group(*lines)
    lines.append(Text(f"    yours      {curves.sparkline(curve.losses)}  last {curve.losses[-1]:.3g}"
                      if curve.losses else "    yours      (no losses)"))
    if curve.reference:
        reference = curve.reference
        lines.append(Text(f"    reference  {curves.sparkline(reference)}  last {reference[-1]:.3g}",
                          style="dim"))
    lines.append(Text(f"    {curves.compare(curve)}"))
    said = pictures.summary(curve.picture, curve.reference_picture)
    if said is not None:
        lines.append(Text(f"    {said}"))
    picture = kata_file.with_name(f"{kata_file.stem}_losses.png")
    try:
        curves.plot(curve, picture)
        # from the repository's root, where the learner runs check and watch
        lines.append(Text(f"    plot: exercises/{picture.parent.name}/{picture.name}", style="dim"))
    except OSError:
        pass
    return Group(*lines)
