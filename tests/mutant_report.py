"""Show how each mutant of some katas fares, one line each: python -m tests.mutant_report KATA...

With --public, each mutant meets its kata's public tests instead, as `grader check` runs them, and
so does every correct variant (tests/correct/) of those katas: a variant that fails is shown.
A development aid for writing hidden suites, public tests and mutants; tests/test_mutants.py is
the real check.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from grader import manifest as manifest_module
from grader.grading.engine import Engine

from .conftest import EXERCISES, MUTANTS, SOLUTIONS, build_submission
from .test_correct_variants import shown, variant_files
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


def public(patterns: list[str]) -> None:
    """Each mutant, then each correct variant, in place of its kata file in a copy of exercises/,
    run by the runner `grader check` uses; then how many mutants were caught and named, per topic."""
    from grader.learner.watch import Runner

    sys.dont_write_bytecode = True  # a file swapped within the same second must not meet a stale .pyc
    seen: dict[str, list[tuple[bool, bool]]] = {}  # topic → (caught, named) for each mutant
    variants, failing = 0, set()
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(EXERCISES, Path(tmp) / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
        # every other kata solved, as in a learner's repository at that point: a correct variant
        # may import a neighbouring kata (normalize reuses training_loop)
        shutil.copytree(SOLUTIONS, Path(tmp) / "exercises", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
        runner = Runner(Path(tmp))
        try:
            for kata in manifest_module.load().select(patterns):
                target = runner.exercises / kata.relative_file
                solved = target.read_text()
                for path in mutant_files().get(kata.id, []):
                    target.write_text(path.read_text())
                    result = runner.run(kata)
                    expect = header(path, "expect")
                    messages = [t.message for t in result.tests if t.status != "passed"]
                    caught = result.status != "passed"
                    named = any(expect.lower() in m.lower() for m in messages)
                    seen.setdefault(kata.topic, []).append((caught, named))
                    first = next((m.splitlines()[0] for m in messages if m.strip()), "")
                    print(f"{'caught' if caught else 'PASSED'} {'named  ' if named else 'UNNAMED'} "
                          f"{path.relative_to(MUTANTS)}: expect {expect!r}; {first}")
                for path in variant_files().get(kata.id, []):
                    target.write_text(path.read_text())
                    variants += 1
                    for test in runner.run(kata).tests:
                        if test.status != "passed":
                            failing.add(path)
                            print(f"VARIANT FAILS {shown(path)}: {test.name}: "
                                  + next(iter(test.message.splitlines()), test.status))
                target.write_text(solved)
        finally:
            shutil.rmtree(runner.scratch, ignore_errors=True)
    for topic, pairs in [*sorted(seen.items()), ("overall", [p for ps in seen.values() for p in ps])]:
        caught, named, total = sum(c for c, _ in pairs), sum(n for _, n in pairs), len(pairs)
        print(f"{topic:20} caught {caught}/{total} ({caught / (total or 1):.0%}), "
              f"named {named}/{total} ({named / (total or 1):.0%})")
    print(f"correct variants failing the public tests: {len(failing)}/{variants}")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    (public if "--public" in arguments else main)([a for a in arguments if a != "--public"])
