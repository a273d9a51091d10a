"""Shared fixtures: one grading engine for the whole test session, and submission builders."""

from __future__ import annotations

import importlib
import shutil
import warnings
from pathlib import Path

import pytest

from grader import manifest as manifest_module
from grader.grading.engine import Engine
from grader.sandbox import lockdown

REPO = Path(__file__).resolve().parents[1]
SOLUTIONS = REPO / "solutions"
# what a whole 02_losses/mse is worth: the kata many tests grade alone
MSE_POINTS = manifest_module.load().kata("02_losses/mse").points
EXERCISES = REPO / "exercises"
MUTANTS = Path(__file__).with_name("mutants")


@pytest.fixture(scope="session")
def manifest():
    return manifest_module.load()


@pytest.fixture(scope="session")
def engine():
    with Engine() as running:
        yield running


def build_submission(root: Path, replacements: dict[str, str] | None = None,
                     base: Path = SOLUTIONS) -> Path:
    """A learner repo at root: base's kata files, with some katas' sources replaced."""
    exercises = root / "exercises"
    shutil.copytree(base, exercises, ignore=shutil.ignore_patterns("__pycache__", "test_*.py"))
    for kata_id, source in (replacements or {}).items():
        target = exercises / f"{kata_id}.py"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source)
    return root


def in_forked_child(work) -> dict:
    """Run ``work`` in a forked child (for what must not touch this process: locks are for good,
    a judge must be a child of the grader); return what it returns, through JSON."""
    return lockdown.run_in_child(work)


def hidden_suite(kata_id: str):
    """A hidden suite's module, for its references (its marks mean something to the grader only)."""
    topic, stem = kata_id.split("/")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
        return importlib.import_module(f"grader.suites.{topic}.test_{stem}")
