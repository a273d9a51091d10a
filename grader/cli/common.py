"""What every command shares: the one error style and the options read the same way everywhere."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from grader.sandbox.limits import Limits

if TYPE_CHECKING:
    from grader.course.batch import ReportSettings


def refuse(message: str) -> int:
    """The command line's one way to refuse: `error: ...` on standard error, exit status 2."""
    print(f"error: {message}", file=sys.stderr)
    return 2


def kata_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--kata", action="append",
                         help="only this kata (an id, topic or file stem); repeatable")


def limit_options(command: argparse.ArgumentParser) -> None:
    defaults = Limits()
    command.add_argument("--test-timeout", type=float, default=defaults.per_test, metavar="SECONDS",
                         help=f"wall-clock limit per hidden test (default {defaults.per_test:g})")
    command.add_argument("--kata-timeout", type=float, default=defaults.per_kata, metavar="SECONDS",
                         help=f"learner time per kata, all tests together (default {defaults.per_kata:g})")
    command.add_argument("--submission-timeout", type=float, default=defaults.per_submission,
                         metavar="SECONDS", help="learner time per submission, all katas together "
                         f"(default {defaults.per_submission:g})")


MAX_SECONDS = 86_400.0  # a day: more is a typing mistake, and far more overflows the clocks


def limits_from(args: argparse.Namespace) -> Limits:
    """The time limits the options give; ValueError, in words, for one that is not a number of
    seconds above 0 and at most a day (nan, inf, 0 and negative numbers are refused)."""
    for option, seconds in (("--test-timeout", args.test_timeout), ("--kata-timeout", args.kata_timeout),
                            ("--submission-timeout", args.submission_timeout)):
        if not 0 < seconds <= MAX_SECONDS:  # false for nan too
            raise ValueError(f"{option} must be a number of seconds above 0 and at most "
                             f"{MAX_SECONDS:g} (a day); got {seconds:g}")
    return Limits(per_test=args.test_timeout, per_kata=args.kata_timeout,
                  per_submission=args.submission_timeout)


def _blocked(path: Path, what: str) -> str | None:
    """Why the folders above ``path`` cannot be made (a file stands in the way), or None."""
    for above in path.parents:
        if above.exists() or above.is_symlink():
            return None if above.is_dir() else f"{what} {path}: {above} is a file, not a folder"
    return None


def unwritable_file(path: Path, what: str) -> str | None:
    """Why ``path`` cannot be written as a file, its missing folders made on the way, or None.
    Checked before any work is done, so that no one waits for a result that cannot be written."""
    if path.is_dir():
        return f"{what} {path} is a folder; name a file"
    return _blocked(path, what)


def unwritable_folder(path: Path, what: str) -> str | None:
    """Why ``path`` cannot be made (or used) as a folder to write into, or None."""
    if (path.exists() or path.is_symlink()) and not path.is_dir():
        return f"{what} {path} is a file, not a folder"
    return _blocked(path, what)


def cannot_write(path: Path | str, error: OSError) -> str:
    """A refusal for a write that failed all the same (permissions, a full disk, ...)."""
    return f"cannot write {path}: {error.strerror or error}"


def file_problem(error: OSError, path: Path | str) -> str:
    """A refusal for a read or a write that failed, naming the file it failed on."""
    return f"{error.filename or path}: {error.strerror or error}"


def report_options(command: argparse.ArgumentParser) -> None:
    """What the class's views are told (grader batch and grader merge take the same)."""
    from grader.class_model import DEFAULT_ASSIGNMENT

    command.add_argument("--assignment-name", default=DEFAULT_ASSIGNMENT, metavar="NAME",
                         help="the assignment's name: the column header in gradebook.csv (Canvas "
                         "matches \"NAME (its assignment id)\" to an existing assignment) and the "
                         f"title of report.html and the feedback files (default: {DEFAULT_ASSIGNMENT})")
    command.add_argument("--deadline", metavar="ISO-8601",
                         help="mark work whose graded commit is later as late, e.g. "
                         "2025-03-01T23:59:00+01:00 (a submission that is not a git repository: "
                         "unknown, never late)")


def settings_from(args: argparse.Namespace) -> ReportSettings:
    """The report settings from the options; ValueError, in words, for a deadline without a zone."""
    from grader.course.batch import ReportSettings
    from grader.course.lateness import parse_deadline

    deadline = parse_deadline(args.deadline) if args.deadline else None
    return ReportSettings(assignment=" ".join(args.assignment_name.split()) or "Grades", deadline=deadline)
