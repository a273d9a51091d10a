"""A submission's content hash (what a batch compares to resume) reads a bounded amount: many files,
each under the one-file cap, cost only their own submission a clear error, never the class's time."""

from __future__ import annotations

import os
from pathlib import PurePosixPath

import pytest

from grader import submission
from grader.submission import Located, SubmissionError, content_hash


def _sparse_files(folder, count: int) -> None:
    """``count`` Python files of one byte under the one-file cap each, taking no disk space."""
    for number in range(count):
        with open(folder / f"filler{number:03d}.py", "wb") as handle:
            handle.truncate(submission.MAX_FILE_BYTES - 1)


def test_many_files_each_under_the_cap_are_refused_after_the_budget(tmp_path, monkeypatch):
    topic = tmp_path / "exercises" / "02_losses"
    topic.mkdir(parents=True)
    count = submission.MAX_HASHED_BYTES // submission.MAX_FILE_BYTES + 8
    _sparse_files(topic, count)
    read: list[int] = []
    real_read = submission.read_file
    monkeypatch.setattr(submission, "read_file",
                        lambda root, relative, *rest: read.append(1) or real_read(root, relative, *rest))
    with pytest.raises(SubmissionError, match=r"more than 32 MiB of Python files"):
        content_hash(Located(tmp_path, PurePosixPath("exercises")))
    # it stops at the budget: one file past it, not every file there is
    assert len(read) == submission.MAX_HASHED_BYTES // (submission.MAX_FILE_BYTES - 1) + 1 < count


def test_a_submission_within_the_budget_hashes_as_before(tmp_path):
    topic = tmp_path / "exercises" / "02_losses"
    topic.mkdir(parents=True)
    (topic / "mse.py").write_text("def mse(y_pred, y):\n    return ((y_pred - y) ** 2).mean()\n")
    located = Located(tmp_path, PurePosixPath("exercises"))
    first = content_hash(located)
    assert content_hash(located) == first
    os.utime(topic / "mse.py", (0, 0))  # a touch is no edit
    assert content_hash(located) == first
    (topic / "mse.py").write_text("def mse(y_pred, y):\n    return ((y_pred - y) ** 2).sum()\n")
    assert content_hash(located) != first
