"""Every grade the project's corpora get on some katas, to compare before and after a change.

    python -m tests.corpus_snapshot OUT.json KATA...    # ids, topics or file stems
    python -m tests.corpus_snapshot --diff BEFORE.json AFTER.json

A development aid for making a hidden suite faster or stricter: it grades the reference solution,
every mutant and every correct variant of the chosen katas, and writes each one's score and each
test's status and message. ``--diff`` prints what changed; nothing printed means identical grades.
Also prints the judge's time in the katas' tests (kata seconds of the solution, summed).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path, PurePosixPath

from grader.grading.engine import Engine, Job
from grader.submission import Located

from .conftest import MUTANTS, build_submission
from .test_correct_variants import CORRECT


def _entries(kata_ids: list[str]) -> list[tuple[str, str, Path | None]]:
    """(label, kata id, replacement file or None for the solution)."""
    entries: list[tuple[str, str, Path | None]] = []
    for kata_id in kata_ids:
        entries.append((f"solution {kata_id}", kata_id, None))
        for folder in (MUTANTS, CORRECT):
            for path in sorted((folder / kata_id).glob("*.py")):
                entries.append((str(path.relative_to(folder.parent)), kata_id, path))
    return entries


def snapshot(patterns: list[str]) -> dict:
    with Engine() as engine, tempfile.TemporaryDirectory() as scratch:
        kata_ids = [kata.id for kata in engine.manifest.select(patterns)]
        entries = _entries(kata_ids)
        jobs = []
        for index, (label, kata_id, path) in enumerate(entries):
            root = build_submission(Path(scratch) / str(index),
                                    {kata_id: path.read_text()} if path else None)
            jobs.append(Job(label, Located(root, PurePosixPath("exercises")), [kata_id]))
        grades: dict = {}
        engine.grade_many(jobs, workers=2, on_graded=lambda job, grade: grades.__setitem__(job.name, grade))
        seconds = sum(grades[label].katas[0].seconds for label, _, path in entries if path is None)
    return {"seconds": round(seconds, 3),
            "grades": {label: {"score": grade.score,
                               "tests": {t.name: [t.status, t.message] for t in grade.katas[0].tests}}
                       for label, grade in sorted(grades.items())}}


def diff(before: dict, after: dict) -> list[str]:
    lines = []
    for label in sorted(set(before["grades"]) | set(after["grades"])):
        old, new = before["grades"].get(label), after["grades"].get(label)
        if old is None or new is None:
            lines.append(f"{label}: only {'after' if old is None else 'before'}")
            continue
        if old["score"] != new["score"]:
            lines.append(f"{label}: score {old['score']} -> {new['score']}")
        for name in sorted(set(old["tests"]) | set(new["tests"])):
            if old["tests"].get(name) != new["tests"].get(name):
                lines.append(f"{label} :: {name}\n    before {old['tests'].get(name)}\n"
                             f"    after  {new['tests'].get(name)}")
    return lines


def main(argv: list[str]) -> None:
    if argv[:1] == ["--diff"]:
        before, after = (json.loads(Path(p).read_text()) for p in argv[1:3])
        print(f"solution kata seconds: {before['seconds']} -> {after['seconds']}")
        print("\n".join(diff(before, after)) or "identical grades")
        return
    taken = snapshot(argv[1:])
    Path(argv[0]).write_text(json.dumps(taken, indent=1))
    print(f"{len(taken['grades'])} grades written; solution kata seconds {taken['seconds']}")


if __name__ == "__main__":
    main(sys.argv[1:])
