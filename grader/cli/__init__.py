"""The command line, by who runs each command: the learner (check, watch, list, hint, reset,
solution), the instructor (grade, batch, merge, shard-jobs, release, gradescope, arrange) and the
kata author (stubs). Light commands import neither torch nor pytest."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from grader.cli import author, instructor, learner
from grader.cli.common import refuse
from grader.learner.progress import NotALearnerRepo
from grader.manifest import UnknownKata
from grader.sandbox import environment


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="grader",
                                  description="Gradient-descent katas: grade and manage them.")
    commands = top.add_subparsers(dest="command", required=True)
    instructor.add_commands(commands)
    author.add_commands(commands)
    learner.add_commands(commands)
    return top


GRADING = ("grade", "batch")  # the commands that start learner processes


def _this_grader() -> list[str]:
    """Interpreter arguments that run this very grader package, and no module from the working
    folder: `-P` keeps the working folder off sys.path (`python -m grader` would put it first,
    ahead of the standard library, and an instructor grades from a learner's or a class folder,
    whose tomllib.py or grader/ would then run as the grader). The package's own folder is on the
    path only while `grader` itself is imported, so nothing else is ever taken from there either
    (a checkout or platform folder the grader was started from with `python -m grader`)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    boot = (f"import sys; sys.path.insert(0, {os.path.dirname(package)!r}); import grader; "
            "del sys.path[0]; import runpy; runpy.run_module('grader', run_name='__main__', alter_sys=True)")
    return ["-P", "-c", boot]


def main(argv: list[str] | None = None) -> int:
    if argv is None and set(sys.argv[1:2]) & set(GRADING) and os.environ.get("PYTHONHASHSEED") != "0":
        # learner processes are forked from this one, so start again (~40 ms): with a fixed hash
        # seed (learner code must hash strings alike on every run; Python reads it only as it
        # starts), and with none of the caller's variables but the allowed ones in memory
        os.execve(sys.executable, [sys.executable, *_this_grader(), *sys.argv[1:]],
                  {**environment.kept(os.environ), "PYTHONHASHSEED": "0"})
    argv = sys.argv[1:] if argv is None else argv
    if not argv:  # `grader` alone: in a kata repository, watch; elsewhere, the help
        from grader.learner.progress import find_repo

        try:
            find_repo(Path.cwd())
        except NotALearnerRepo:
            parser().print_help()
            return 2
        argv = ["watch"]
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (NotALearnerRepo, UnknownKata) as error:
        return refuse(error.args[0])
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return 130
    except RuntimeError as error:
        from grader.grading.judge import SuiteError  # pytest comes with it: only when needed

        if not isinstance(error, SuiteError):
            raise
        return refuse(str(error))


if __name__ == "__main__":
    sys.exit(main())
