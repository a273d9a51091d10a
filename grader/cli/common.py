"""What every command shares: the one error style and the options read the same way everywhere."""

from __future__ import annotations

import argparse
import sys
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


def limits_from(args: argparse.Namespace) -> Limits:
    return Limits(per_test=args.test_timeout, per_kata=args.kata_timeout,
                  per_submission=args.submission_timeout)



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
