"""`--format autolab`: feedback lines, then the autoresult on the last line, whose scores add up to
the grade; and the README's autograde-Makefile recipe, run as Autolab runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from grader import model
from grader.formats import autolab

from .conftest import MUTANTS, REPO, SOLUTIONS


def _autoresult(text: str) -> dict:
    last = text.rstrip("\n").splitlines()[-1]
    return json.loads(last)


def test_the_last_line_is_the_autoresult_and_sums_to_our_score():
    shares = [model.TestResult(name=f"public {n}", status="passed" if n else "failed",
                               score=13 / 3 if n else 0, max_score=13 / 3, message="off by one\nmore")
              for n in range(3)]
    grade = model.summarize("ada", [model.summarize_kata("02_losses/mse", 13, shares, missing=False),
                                    model.summarize_kata("02_losses/sqrt_loss", 11, [], missing=True)])
    text = autolab.render(grade)
    result = _autoresult(text)
    assert set(result) == {"scores", "scoreboard"}
    assert list(result["scores"]) == ["02_losses/mse", "02_losses/sqrt_loss"]
    assert sum(result["scores"].values()) == pytest.approx(grade.score)
    assert result["scoreboard"][0] == grade.score
    assert "02_losses/mse: 8.6667/13 failed: off by one" in text  # feedback above it, one line each


def _autograde_makefile() -> str:
    """The recipe as the README gives it (the block after 'autograde-Makefile')."""
    readme = (REPO / "README.md").read_text()
    block = readme.split("`autograde-Makefile`:", 1)[1].split("```make\n", 1)[1].split("```", 1)[0]
    return block


def test_the_readme_recipe_grades_a_handin_as_autolab_does(engine, tmp_path):
    lab = tmp_path / "autograding"  # what Autolab copies to the autograding instance
    lab.mkdir()
    with tarfile.open(lab / "autograde.tar", "w") as archive:
        for name in ("grader", "pyproject.toml", "constraints.txt", "README.md"):
            archive.add(REPO / name, arcname=name,
                        filter=lambda info: None if "__pycache__" in info.name else info)
    (lab / "Makefile").write_text(_autograde_makefile().replace("--format autolab",
                                                                "--kata 02_losses --format autolab"))
    with zipfile.ZipFile(lab / "handin.zip", "w") as handin:
        handin.write(MUTANTS / "02_losses" / "mse" / "sum_not_mean.py", "exercises/02_losses/mse.py")
        handin.write(SOLUTIONS / "02_losses" / "sqrt_loss.py", "exercises/02_losses/sqrt_loss.py")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    done = subprocess.run(["make"], cwd=lab, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    result = _autoresult(done.stdout)
    submission = tmp_path / "submission"
    with zipfile.ZipFile(lab / "handin.zip") as handin:
        handin.extractall(submission)
    grade = engine.grade(submission, ["02_losses"])
    assert result["scores"] == {kata.id: kata.score for kata in grade.katas}
    assert sum(result["scores"].values()) == pytest.approx(grade.score) and grade.score > 0
