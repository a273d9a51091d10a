"""Correct solutions written in other styles never lose points, on the hidden suites or the public tests.

Each file tests/correct/<topic>/<stem>/<name>.py is a whole kata file, a correct solution written
the way some learner would (torch.func, p.data updates, set_to_none, nn.Sequential, einsum, float64
internals cast back, loops instead of vectorized code...); its first line says what is different:

    # style: torch.func.grad instead of backward()

A correct variant that loses points shows a bug in the hidden suite or in the public tests (unless,
checked against the contract, the variant is not correct after all). Variants are graded in
rounds, as the mutants are: round i puts the i-th variant of every kata into one submission,
graded once, and runs the chosen katas' public tests on it once.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path, PurePosixPath

import pytest

from grader.grading.engine import Job
from grader.model import Grade
from grader.submission import Located

from .conftest import EXERCISES, SOLUTIONS, build_submission

CORRECT = Path(__file__).with_name("correct")


def variant_files() -> dict[str, list[Path]]:
    """kata id → its variants, in name order."""
    found: dict[str, list[Path]] = {}
    for path in sorted(CORRECT.glob("*/*/*.py")):
        found.setdefault(f"{path.parent.parent.name}/{path.parent.name}", []).append(path)
    return found


def style_of(path: Path) -> str | None:
    match = re.match(r"# style: (.+)", path.read_text())
    return match.group(1).strip() if match else None


def chosen_in_round(manifest, round_index: int) -> dict[str, Path]:
    """The round_index-th variant of every kata of the manifest that has that many."""
    known = {kata.id for kata in manifest.katas}
    return {kata_id: files[round_index] for kata_id, files in variant_files().items()
            if round_index < len(files) and kata_id in known}


def shown(path: Path) -> str:
    return f"{path.relative_to(CORRECT)} ({style_of(path)})"


ROUNDS = max((len(files) for files in variant_files().values()), default=0)


def test_every_kata_has_two_correct_variants(manifest):
    found = variant_files()
    known = {kata.id for kata in manifest.katas}
    thin = [kata.id for kata in manifest.katas if len(found.get(kata.id, [])) < 2]
    strays = sorted(set(found) - known)
    unlabelled = [str(p.relative_to(CORRECT)) for files in found.values() for p in files
                  if style_of(p) is None]
    assert (thin, strays, unlabelled) == ([], [], []), (
        f"katas with fewer than two variants: {thin}; folders that are no kata of the manifest: "
        f"{strays}; variants whose first line is not '# style: ...': {unlabelled}")


@pytest.fixture(scope="module")
def round_grades(manifest, engine, tmp_path_factory) -> dict[int, Grade]:
    """Every round's submission, graded two at a time, each on its own katas."""
    root = tmp_path_factory.mktemp("variants")
    jobs = []
    for round_index in range(ROUNDS):
        chosen = chosen_in_round(manifest, round_index)
        folder = build_submission(root / f"round{round_index}",
                                  {k: p.read_text() for k, p in chosen.items()})
        jobs.append(Job(str(round_index), Located(folder, PurePosixPath("exercises")), sorted(chosen)))
    grades: dict[int, Grade] = {}
    engine.grade_many(jobs, workers=2, on_graded=lambda job, grade: grades.__setitem__(int(job.name), grade))
    return grades


@pytest.mark.parametrize("round_index", range(ROUNDS))
def test_correct_variants_score_full_marks(manifest, round_grades, round_index):
    chosen = chosen_in_round(manifest, round_index)
    grade = round_grades[round_index]
    graded = {kata.id: kata for kata in grade.katas}
    problems = []
    for kata_id, path in chosen.items():
        kata = graded.get(kata_id)
        if kata is None:
            problems.append(f"{kata_id}: {shown(path)} was not graded ({grade.problem})")
            continue
        if kata.score >= kata.max_score:
            continue
        lost = [f"    {t.name}: " + t.message.replace("\n", "\n      ")
                for t in kata.tests if t.status != "passed"]
        problems.append(f"{kata_id}: {shown(path)} scored {kata.score}/{kata.max_score} "
                        f"({kata.status})\n" + "\n".join(lost))
    assert not problems, "correct variants lost points:\n" + "\n".join(problems)


def run_public_tests(folder: Path, report: Path) -> tuple[list[ET.Element], str]:
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           f"--junitxml={report}", str(folder)], cwd=folder, capture_output=True,
                          text=True, timeout=300)
    if not report.exists():
        return [], done.stdout[-3000:] + done.stderr[-3000:]
    return list(ET.parse(report).getroot().iter("testcase")), done.stdout[-3000:]


@pytest.mark.parametrize("round_index", range(ROUNDS))
def test_correct_variants_pass_the_public_tests(manifest, tmp_path, round_index):
    chosen = chosen_in_round(manifest, round_index)
    folder = tmp_path / "exercises"
    shutil.copytree(SOLUTIONS, folder, ignore=shutil.ignore_patterns("__pycache__", "test_*.py"))
    problems = []
    for kata in manifest.katas:
        if kata.id in chosen:
            (folder / kata.relative_file).parent.mkdir(parents=True, exist_ok=True)
            (folder / kata.relative_file).write_text(chosen[kata.id].read_text())
            if not (EXERCISES / kata.public_test).is_file():
                problems.append(f"{kata.id}: exercises/{kata.public_test} does not exist")
                continue
            shutil.copy(EXERCISES / kata.public_test, folder / kata.public_test)
    cases, output = run_public_tests(folder, tmp_path / "report.xml")
    passed: dict[str, int] = {}
    for case in cases:
        topic, _, module = (case.get("classname") or "").rpartition(".")
        kata_id = f"{topic}/{module.removeprefix('test_')}"
        bad = case.find("failure") if case.find("failure") is not None else case.find("error")
        if bad is None and case.find("skipped") is None:
            passed[kata_id] = passed.get(kata_id, 0) + 1
            continue
        where = shown(chosen[kata_id]) if kata_id in chosen else "?"
        text = "skipped" if bad is None else (bad.get("message") or bad.text or "")
        problems.append(f"{kata_id}: {where} fails {case.get('name')}: "
                        + " ".join(text.splitlines()[:6]))
    for kata in manifest.katas:
        if kata.id in chosen and not passed.get(kata.id) and (EXERCISES / kata.public_test).is_file():
            problems.append(f"{kata.id}: {shown(chosen[kata.id])}: none of its public tests passed")
    assert not problems, ("correct variants fail public tests:\n" + "\n".join(dict.fromkeys(problems))
                          + ("" if cases else "\npytest output:\n" + output))
