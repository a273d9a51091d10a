"""Show how each mutant of some katas fares, one line each: python -m tests.mutant_report KATA...

A development aid for writing hidden suites and mutants; tests/test_mutants.py is the real check.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from grader.grading.engine import Engine

from .conftest import MUTANTS, build_submission
from .test_mutants import header, mutant_files


def main(patterns: list[str]) -> None:
    with Engine() as engine:
        katas = engine.manifest.select(patterns)
        for kata in katas:
            for path in mutant_files().get(kata.id, []):
                with tempfile.TemporaryDirectory() as tmp:
                    root = build_submission(Path(tmp), {kata.id: path.read_text()})
                    result = engine.grade(root, [kata.id]).katas[0]
                expect = header(path, "expect")
                messages = [t.message for t in result.tests if t.status != "passed"]
                found = any(expect.lower() in m.lower() for m in messages)
                verdict = "ok " if result.score < result.max_score and found else "BAD"
                print(f"{verdict} {path.relative_to(MUTANTS)}: {result.score}/{result.max_score}, "
                      f"expect {expect!r} {'found' if found else 'NOT found'}")
                for message in messages[:3]:
                    print("      " + message.replace("\n", "\n      "))


if __name__ == "__main__":
    main(sys.argv[1:])
