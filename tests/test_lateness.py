"""Late work: the graded commit's time, read from the learner's repository without running anything
of theirs (hooks, configured programs), never looked for above the submission; a submission that
is not a repository is unknown, never late."""

from __future__ import annotations

import csv
import os
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from grader.class_model import LATE, ON_TIME, UNKNOWN, ClassRecord
from grader.course import batch, lateness
from grader.formats import feedback_md, html

from .conftest import build_submission

DEADLINE = "2025-03-01T23:59:00+01:00"


def commit(folder: Path, when: str) -> None:
    env = {**os.environ, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when, "GIT_CONFIG_NOSYSTEM": "1",
           "HOME": str(folder)}
    for command in (["init", "-q"], ["add", "-A"],
                    ["-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "work"]):
        subprocess.run(["git", *command], cwd=folder, env=env, check=True, capture_output=True)


def test_a_deadline_needs_its_time_zone():
    assert lateness.parse_deadline("2025-03-01T23:59:00Z").utcoffset().total_seconds() == 0
    assert lateness.parse_deadline(DEADLINE).isoformat() == DEADLINE
    for wrong in ("2025-03-01T23:59", "tomorrow", "2025-03-01"):
        with pytest.raises(ValueError, match="--deadline"):
            lateness.parse_deadline(wrong)


def test_a_commit_after_the_deadline_is_late_and_a_folder_without_git_unknown(engine, tmp_path):
    root = tmp_path / "class"
    commit(build_submission(root / "late"), "2025-03-02T08:30:00+01:00")
    commit(build_submission(root / "early"), "2025-03-01T12:00:00+00:00")  # 13:00 at +01:00
    build_submission(root / "plain")
    zipped = build_submission(tmp_path / "zipped" / "zoe")  # a zip of a repository, .git and all
    commit(zipped, "2025-03-03T08:00:00+01:00")
    with zipfile.ZipFile(root / "zoe.zip", "w") as archive:
        for path in sorted(zipped.rglob("*")):
            archive.write(path, path.relative_to(zipped.parent))
    settings = batch.ReportSettings(deadline=lateness.parse_deadline(DEADLINE))
    result = batch.run_batch(engine, root, tmp_path / "out", workers=2, katas=["02_losses/mse"],
                             settings=settings)
    record = result.record
    assert {who: record.lateness(who) for who in ("late", "early", "plain", "zoe")} == {
        "late": LATE, "early": ON_TIME, "plain": UNKNOWN, "zoe": LATE}
    assert record.committed["late"] == datetime.fromisoformat("2025-03-02T08:30:00+01:00")
    assert record.committed["plain"] is None
    rows = {row["id"]: row for row in csv.DictReader((tmp_path / "out" / "grades.csv").open())}
    assert rows["late"]["late"] == "late" and rows["late"]["committed"] == "2025-03-02T08:30:00+01:00"
    assert rows["plain"]["late"] == "unknown" and rows["plain"]["committed"] == ""
    page = (tmp_path / "out" / "report.html").read_text()
    assert "late by 8 h 31 min" in page and "Late work (2)" in page
    assert "8 h 31 min after the deadline" in (tmp_path / "out" / "feedback" / "late.md").read_text()


def test_git_runs_nothing_of_the_learners(tmp_path):
    folder = build_submission(tmp_path / "class" / "mallory")
    commit(folder, "2025-03-02T08:30:00+01:00")
    marker = tmp_path / "ran"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n")
    script.chmod(0o755)
    for key, value in (("core.fsmonitor", str(script)), ("core.pager", str(script)),
                       ("log.showSignature", "true"), ("gpg.program", str(script)),
                       ("core.hooksPath", str(tmp_path)), ("alias.log", f"!{script}")):
        subprocess.run(["git", "config", key, value], cwd=folder, check=True)
    for hook in ("post-checkout", "post-index-change", "reference-transaction"):
        (tmp_path / hook).write_text(f"#!/bin/sh\ntouch {marker}\n")
        (tmp_path / hook).chmod(0o755)
    when = lateness.commit_time(folder / "exercises", folder)
    assert when == datetime.fromisoformat("2025-03-02T08:30:00+01:00")
    assert not marker.exists()


def test_no_repository_is_looked_for_above_the_submission_nor_through_a_link(tmp_path):
    course = tmp_path / "course"  # the instructor's own repository, holding the class
    course.mkdir()
    (course / "notes.txt").write_text("x")
    commit(course, "2025-01-01T00:00:00Z")
    plain = build_submission(course / "class" / "plain")
    assert lateness.commit_time(plain / "exercises", plain) is None
    linked = build_submission(course / "class" / "linked")
    (linked / ".git").symlink_to(course / ".git")
    assert lateness.commit_time(linked / "exercises", linked) is None
    pointer = build_submission(course / "class" / "pointer")
    (pointer / ".git").write_text(f"gitdir: {course / '.git'}\n")
    assert lateness.commit_time(pointer / "exercises", pointer) is None


def test_a_repository_that_makes_git_hang_costs_only_the_timeout(tmp_path, monkeypatch):
    folder = build_submission(tmp_path / "slow")
    commit(folder, "2025-03-02T08:30:00+01:00")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # git reads its configuration: a FIFO nobody writes would block it for good
    subprocess.run(["git", "config", "include.path", str(fifo)], cwd=folder, check=True)
    monkeypatch.setattr(lateness, "GIT_TIMEOUT", 1.0)
    assert lateness.commit_time(folder, folder) is None


def test_without_a_deadline_nothing_is_late_or_unknown():
    record = ClassRecord([], [], committed={"a": datetime.fromisoformat("2030-01-01T00:00:00+00:00")})
    assert record.lateness("a") == "" and record.lateness("b") == ""
    assert "Late work" not in html.render(record)


def test_the_feedback_says_when_the_commit_was_made():
    from grader.model import Grade

    moment = datetime.fromisoformat("2025-03-01T20:00:00+01:00")
    record = ClassRecord([Grade("ada")], [], deadline=lateness.parse_deadline(DEADLINE),
                         committed={"ada": moment})
    text = feedback_md.render(record, record.grades[0])
    assert "Graded commit: 2025-03-01T20:00:00+01:00" in text and "after the deadline" not in text
