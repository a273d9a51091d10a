"""What every command shares: the one error style and the options read the same way everywhere."""

from __future__ import annotations

import argparse
import sys

from grader.sandbox.limits import Limits


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

