"""One feedback file per learner, in Markdown, to hand back through any LMS: the score, a table of
the katas, what the grader said about each one that lost points, and the next step. It reads as
plain text too (an LMS comment box shows it raw).

Learner text is data here too: what a learner controls (their id, the messages their code
provoked, a kata id as a grade file states it) is in a code span or a fenced code block
(grader.formats.markdown), so no renderer reads it as Markdown or HTML. The assignment's name (in
the title) is the instructor's text, also data: it is put on one line, and a backslash goes before
each character that could start markup there, and only those (see md_text), so `Week 3: katas
(1234)` reads the same in an LMS that shows the Markdown raw."""

from __future__ import annotations

import re

from grader.class_model import LATE, ClassRecord, duration
from grader.formats import class_summary as summary
from grader.formats import markdown
from grader.model import Grade, KataResult

MAX_MISTAKES = 3  # per kata, with their full messages

# What can start markup inside one line of a heading or a table cell, in CommonMark and GitHub's
# Markdown: a backslash (it escapes the next character), code spans, emphasis and strikethrough
# (* and ~ always; _ unless both its neighbours are letters or digits, where it cannot open or
# close emphasis), links and images ([ ]), raw HTML and autolinks (<), entity and character
# references (&name; &#1;), math ($), and table cells (|). Nothing else needs a backslash there:
# ":", "(", ")", ".", "#", "!" (without "["), "-" and the rest show as they are mid-line, and the
# text is on one line after "# ", so nothing in it begins a block (a list, a quote, a heading).
_MARKUP = re.compile(r"[\\`*~\[\]<$|]|&(?=#?\w+;)|(?<![^\W_])_|_(?![^\W_])")


def md_text(text: str) -> str:
    """Text on one line that Markdown shows as it is, in a heading or a table cell: a backslash
    before each character that could start markup there (_MARKUP), and only those."""
    return _MARKUP.sub(lambda found: "\\" + found.group(), " ".join(text.split()))


def _block(text: str) -> str:
    return markdown.block(text.rstrip()) + "\n"


_points = summary.points  # the one rule for points shown (the report and terminal use it too)


_RESULT_WORDS = {
    summary.PASSED: "passed", summary.PARTIAL: "some tests fail", summary.FAILED: "tests fail",
    summary.BROKEN: "does not run", summary.TIMEOUT: "timed out", summary.NOT_WRITTEN: "not written yet",
    summary.MISSING: "no file", summary.UNREADABLE: "could not be read",
}


def _next_step(grade: Grade, outcomes: dict[str, str]) -> str:
    if grade.problem:
        return ("Your submission could not be graded (the reason is above). Check that your kata "
                "files are in `exercises/<topic>/<kata>.py` and hand it in again.\n")
    pending = [(kata, outcomes[kata.id]) for kata in grade.katas
               if kata.id in outcomes and outcomes[kata.id] != summary.PASSED]
    if not pending:
        return "Every kata passes. Well done.\n"
    kata, result = pending[0]
    doing = "Write" if result in summary.ABSENT else "Fix"
    text = (f"{doing} {markdown.code(kata.id)} next: it is the first kata that does not pass yet. "
            f"Run its public tests with {markdown.code(f'grader watch {kata.id}')} (they run again on "
            "every save), and "
            "ask `grader hint` when you are stuck.")
    found = summary.mistakes(kata)
    if found:
        text += " The grader said:\n\n" + _block(found[0])
    return text + "\n"


def _said(kata: KataResult) -> str:
    """The kata's distinct mistakes, each with the full message of its first test."""
    seen = {test.message.splitlines()[0] if test.message else "": test.message or "(no message)"
            for test in summary.mistake_tests(kata)}
    blocks = [_block(message) for message in list(seen.values())[:MAX_MISTAKES]]
    if len(seen) > MAX_MISTAKES:
        blocks.append(f"and {len(seen) - MAX_MISTAKES} more\n")
    return "\n".join(blocks)


def render(record: ClassRecord, grade: Grade) -> str:
    """One learner's feedback file."""
    outcomes = {kata.id: summary.outcome(kata, grade.problem) for kata in grade.katas}
    share = f" ({100 * grade.score / grade.max_score:.0f}%)" if grade.max_score else ""
    lines = [f"# {md_text(record.assignment)}: feedback for {markdown.code(grade.submission)}", "",
             f"**Score: {_points(grade.score)} / {_points(grade.max_score)}**{share}", ""]
    moment = record.committed.get(grade.submission)
    if moment is not None:
        when = f"Graded commit: {moment.isoformat()}"
        if record.lateness(grade.submission) == LATE:
            when += f", {duration(record.late_by(grade.submission))} after the deadline"  # type: ignore[arg-type]
        lines += [when, ""]
    if grade.problem:
        lines += ["Your submission could not be graded:", "", _block(grade.problem)]
    lines += ["## Next step", "", _next_step(grade, outcomes), "## Katas", "",
              "| kata | points | result |", "|---|---:|---|"]
    for kata in grade.katas:
        lines.append(f"| {markdown.code(kata.id)} | {_points(kata.score)} / "
                     f"{_points(kata.max_score)} | {_RESULT_WORDS[outcomes[kata.id]]} |")
    lines.append("")
    said = [(kata, _said(kata)) for kata in grade.katas if outcomes[kata.id] not in (summary.PASSED,
                                                                                      *summary.ABSENT)]
    said = [(kata, text) for kata, text in said if text]
    if said:
        lines += ["## What the grader said", ""]
        for kata, text in said:
            lines += [f"### {markdown.code(kata.id)}: {_points(kata.score)} / {_points(kata.max_score)}", "",
                      text]
    return "\n".join(lines).rstrip("\n") + "\n"
