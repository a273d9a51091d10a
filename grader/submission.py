"""Where a submission's kata files are: a learner's repo holding exercises/, or that folder itself."""

from __future__ import annotations

from pathlib import Path


class SubmissionError(Exception):
    """The path given cannot be graded at all."""


def exercises_folder(path: Path) -> Path:
    if not path.exists():
        raise SubmissionError(f"{path} does not exist")
    if not path.is_dir():
        raise SubmissionError(f"{path} is not a folder")
    nested = path / "exercises"
    return nested if nested.is_dir() else path


def submission_name(path: Path) -> str:
    return path.resolve().name
