"""`python -m grader`: the command line."""

# Before anything else is imported: `python -m grader` puts the working folder first on sys.path,
# ahead of the standard library, and an instructor grades with a learner's folder (or a class
# folder) as the working folder, where a learner's tomllib.py or msgpack/ would run inside the
# grader, as root, before any lock. So the working folder (and "", the same) leaves the path here.
# Only the grader package itself can have come from it so far: grader/__init__.py imports nothing
# but os, which Python loaded before the folder joined the path; keep it so, or that import is
# the learner's. (A grader/ folder in the working folder, as a learner's repository has, is what
# `python -m grader` runs there: no code of ours can help that. The `grader` command never looks.)
import os
import sys


def _without_working_folder(path: list[str]) -> list[str]:
    try:
        here = os.path.realpath(os.getcwd())
    except OSError:  # the working folder is gone: only "" and "." can still mean it
        here = None
    return [entry for entry in path
            if entry not in ("", ".") and (here is None or os.path.realpath(entry) != here)]


sys.path[:] = _without_working_folder(sys.path)

from grader.cli import main  # noqa: E402 - only now that the working folder is off the path

sys.exit(main())
