"""The kata author's command: stubs generated from the solutions."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from grader import manifest as manifest_module
from grader.cli.common import file_problem, kata_option, refuse, unwritable_folder
from grader.course import stubs
from grader.manifest import EXERCISES_DIR, SOLUTIONS_DIR

if TYPE_CHECKING:

    pass


def _stubs(args: argparse.Namespace) -> int:
    try:
        katas = manifest_module.load().select(args.kata)
    except KeyError as error:
        return refuse(error.args[0])
    solutions, exercises = Path(args.solutions), Path(args.exercises)
    if not solutions.is_dir():
        return refuse(f"--solutions {solutions} is not a folder")
    problem = unwritable_folder(exercises, "--exercises")
    if problem:
        return refuse(problem)
    if args.check:
        drifted = stubs.drift(katas, solutions, exercises)
        for path in drifted:
            print(f"out of date: {exercises / path}")
        if drifted:
            print("run `grader stubs` to regenerate them from the solutions")
        return 1 if drifted else 0
    try:
        for path in stubs.write(katas, solutions, exercises):
            print(f"wrote {exercises / path}")
    except OSError as error:
        return refuse(file_problem(error, exercises))
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register these commands on the top-level parser."""
    stub = commands.add_parser("stubs", help="regenerate exercises/ stubs from solutions/")
    stub.add_argument("--check", action="store_true", help="only report stubs that drifted; exit 1 if any")
    kata_option(stub)
    stub.add_argument("--solutions", default=str(SOLUTIONS_DIR))
    stub.add_argument("--exercises", default=str(EXERCISES_DIR))
    stub.set_defaults(run=_stubs)
