"""The command line: `grader grade`, `grader stubs`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grader import manifest as manifest_module
from grader import stubs
from grader.submission import SubmissionError, exercises_folder


def _grade(args: argparse.Namespace) -> int:
    from rich.console import Console

    from grader.engine import Engine
    from grader.formats import json as json_format
    from grader.formats import table as table_format

    err = Console(stderr=True)
    submission = Path(args.submission)
    try:
        exercises_folder(submission)
        manifest_module.load().select(args.kata)
    except (SubmissionError, KeyError) as error:
        err.print(f"[red]error:[/red] {error.args[0]}", highlight=False, soft_wrap=True)
        return 2
    with err.status("grading…") if err.is_terminal else _nothing():
        with Engine() as engine:
            grade = engine.grade(submission, args.kata)
    if args.format == "json":
        text = json_format.render(grade)
    elif args.output:
        text = table_format.render(grade)
    else:
        table_format.show(grade, Console())
        return 0
    if args.output:
        Path(args.output).write_text(text)
        err.print(f"wrote {args.output}", highlight=False, soft_wrap=True)
    else:
        sys.stdout.write(text)
    return 0


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        return None


def _stubs(args: argparse.Namespace) -> int:
    try:
        katas = manifest_module.load().select(args.kata)
    except KeyError as error:
        print(f"error: {error.args[0]}", file=sys.stderr)
        return 2
    solutions, exercises = Path(args.solutions), Path(args.exercises)
    if args.check:
        drifted = stubs.drift(katas, solutions, exercises)
        for path in drifted:
            print(f"out of date: {exercises / path}")
        if drifted:
            print("run `grader stubs` to regenerate them from the solutions")
        return 1 if drifted else 0
    for path in stubs.write(katas, solutions, exercises):
        print(f"wrote {exercises / path}")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="grader",
                                  description="Gradient-descent katas: grade and manage them.")
    commands = top.add_subparsers(dest="command", required=True)

    grade = commands.add_parser("grade", help="grade one submission with the hidden suites")
    grade.add_argument("submission", help="a learner's repo (holding exercises/) or the exercises folder")
    grade.add_argument("--format", choices=["table", "json"], default="table")
    grade.add_argument("--output", help="write the result to this file instead of standard output")
    grade.add_argument("--kata", action="append",
                       help="only this kata (an id, topic or file stem); repeatable")
    grade.set_defaults(run=_grade)

    stub = commands.add_parser("stubs", help="regenerate exercises/ stubs from solutions/")
    stub.add_argument("--check", action="store_true", help="only report stubs that drifted; exit 1 if any")
    stub.add_argument("--kata", action="append",
                      help="only this kata (an id, topic or file stem); repeatable")
    stub.add_argument("--solutions", default=str(stubs.REPO / "solutions"))
    stub.add_argument("--exercises", default=str(stubs.REPO / "exercises"))
    stub.set_defaults(run=_stubs)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
