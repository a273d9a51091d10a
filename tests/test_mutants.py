"""Realistic wrong implementations lose points on their own kata, with the diagnosis we expect.

Each file tests/mutants/<topic>/<stem>/<name>.py is a whole kata file holding one classic bug;
its first lines say what it is and which words the failure message must contain:

    # mutant: sums instead of averaging
    # expect: off by a factor of N

Mutants are graded in rounds: round i puts the i-th mutant of every kata into one submission.
Katas are graded in separate learner processes, so a round tells about each mutant on its own;
tests/test_isolation.py shows that a hostile kata cannot move another kata's grade.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import pytest

from grader.grading.engine import Job
from grader.model import Grade
from grader.submission import Located

from .conftest import MUTANTS, build_submission


def mutant_files() -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for path in sorted(MUTANTS.glob("*/*/*.py")):
        found.setdefault(f"{path.parent.parent.name}/{path.parent.name}", []).append(path)
    return found


def header(path: Path, key: str) -> str:
    match = re.search(rf"^# {key}: (.+)$", path.read_text(), re.MULTILINE)
    assert match, f"{path} has no '# {key}:' line"
    return match.group(1).strip()


ROUNDS = max((len(files) for files in mutant_files().values()), default=0)


def test_every_kata_has_two_mutants(manifest):
    found = mutant_files()
    thin = [kata.id for kata in manifest.katas if len(found.get(kata.id, [])) < 2]
    assert thin == []


def chosen_in(round_index: int) -> dict[str, Path]:
    return {kata_id: files[round_index] for kata_id, files in mutant_files().items()
            if round_index < len(files)}


@pytest.fixture(scope="module")
def round_grades(engine, tmp_path_factory) -> dict[int, Grade]:
    """Every round's submission, graded two at a time. The first round grades every kata (the
    others must keep full marks); later rounds, fewer katas each, grade only their mutants'."""
    root = tmp_path_factory.mktemp("mutants")
    jobs = []
    for round_index in range(ROUNDS):
        chosen = chosen_in(round_index)
        folder = build_submission(root / f"round{round_index}",
                                  {k: p.read_text() for k, p in chosen.items()})
        jobs.append(Job(str(round_index), Located(folder, PurePosixPath("exercises")),
                        None if round_index == 0 else sorted(chosen)))
    grades: dict[int, Grade] = {}
    engine.grade_many(jobs, workers=2, on_graded=lambda job, grade: grades.__setitem__(int(job.name), grade))
    return grades


@pytest.mark.parametrize("round_index", range(ROUNDS))
def test_mutants_lose_points_with_the_expected_diagnosis(round_grades, round_index):
    chosen = chosen_in(round_index)
    grade = round_grades[round_index]
    problems = []
    for kata in grade.katas:
        if kata.id not in chosen:
            if kata.score != kata.max_score:
                problems.append(f"{kata.id}: no mutant this round, yet scored {kata.score}")
            continue
        path = chosen[kata.id]
        expect = header(path, "expect").lower()
        messages = [t.message for t in kata.tests if t.status != "passed"]
        if kata.score >= kata.max_score:
            problems.append(f"{path.relative_to(MUTANTS)}: not caught (full marks)")
        elif not any(expect in m.lower() for m in messages):
            problems.append(f"{path.relative_to(MUTANTS)}: no message says {expect!r}; got "
                            + " | ".join(m.splitlines()[0] for m in messages[:4]))
    assert problems == []
