"""Inputs a third attack pass found getting through: hostile shard folders for `grader merge`,
answers that trickle in, numbers too big to print, and zips whose members clash."""

from __future__ import annotations

import json
import time
import zipfile

import pytest

from grader.course import batch
from grader.grading.engine import Engine
from grader.sandbox.limits import Limits
from grader.submission import Submission, SubmissionError, unpack

from .conftest import build_submission

MSE = "02_losses/mse"


def _grade(submission: str, score: float = 12, max_score: float = 12, **changes) -> dict:
    test = {"name": "t", "status": "passed", "score": score, "max_score": max_score, "message": ""}
    kata = {"id": MSE, "score": score, "max_score": max_score, "status": "passed", "tests": [test],
            "seconds": 0.1}
    return {"submission": submission, "score": score, "max_score": max_score, "katas": [kata],
            "locks": {"active": [], "inactive": {}}, "limits": {}, "problem": "", **changes}


@pytest.fixture
def shard(tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    (good / "alice.json").write_text(json.dumps(_grade("alice")))
    return good


HOSTILE = {
    "another learner's grade under a new name": ("zzz.json", json.dumps(_grade("alice", 407, 12))),
    "a score over its maximum": ("mallory.json", json.dumps(_grade("mallory", 407, 12))),
    "nesting past the recursion limit": ("deep.json", "[" * 100_000 + "]" * 100_000),
    "locks of the wrong type": ("bob.json", json.dumps(_grade("bob", locks="x"))),
    "a score that is text": ("carol.json", json.dumps(_grade("carol", score="<b>x</b>"))),
    "a message that is a number": ("dave.json", json.dumps({**_grade("dave"), "katas": [
        {**_grade("dave")["katas"][0], "tests": [{"name": "t", "status": "passed", "score": 12,
                                                  "max_score": 12, "message": 5}]}]})),
    "a kata id that is a list": ("erin.json", json.dumps({**_grade("erin"), "katas": [
        {**_grade("erin")["katas"][0], "id": ["a"]}]})),
    "not a number at all": ("frank.json", json.dumps(_grade("frank", score=float("nan")))),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_merge_refuses_a_hostile_shard_with_a_clear_error(shard, tmp_path, name):
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    file_name, text = HOSTILE[name]
    (hostile / file_name).write_text(text)
    with pytest.raises(ValueError, match="not a grade|holds the grade of"):
        batch.merge([shard, hostile], tmp_path / "out", [MSE])


def test_merge_follows_no_link(shard, tmp_path):
    hostile = tmp_path / "links"
    (hostile / ".grader" / "hashes").mkdir(parents=True)
    (hostile / "linky.json").write_text(json.dumps(_grade("linky")))
    (hostile / ".grader" / "hashes" / "linky").symlink_to("/etc/hostname")
    batch.merge([shard, hostile], tmp_path / "out", [MSE])
    assert not (tmp_path / "out" / ".grader" / "hashes" / "linky").exists()
    (hostile / "stolen.json").symlink_to(shard / "alice.json")
    with pytest.raises(ValueError, match="link"):
        batch.merge([shard, hostile], tmp_path / "out2", [MSE])


def test_a_huge_integer_answer_is_a_wrong_answer_not_a_grader_error(engine, tmp_path):
    root = build_submission(tmp_path / "big", {MSE: "def mse(y_pred, y):\n    return 2 ** 4000\n"})
    result = engine.grade(root, [MSE]).katas[0]
    assert result.score == 0
    assert not any("grader error" in test.message for test in result.tests)


TRICKLE = '''import os
import socket
import struct
import time


def _socket():
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                return socket.socket(fileno=os.dup(int(fd)))
        except OSError:
            pass


_S = _socket()


def mse(y_pred, y):
    _S.sendall(struct.pack("!I", 1000))
    while True:
        _S.sendall(b"\\0")
        time.sleep(0.2)
'''


def test_an_answer_that_trickles_in_meets_the_same_limits(tmp_path):
    root = build_submission(tmp_path / "trickle", {MSE: TRICKLE})
    with Engine(limits=Limits(per_test=2, per_kata=4), katas=[MSE]) as engine:
        started = time.monotonic()
        result = engine.grade(root, [MSE]).katas[0]
        took = time.monotonic() - started
    assert result.status == "timeout" and took < 20
    messages = " ".join(test.message for test in result.tests)
    assert "importing" not in messages and "time limit" in messages


def _zip(path, members: list[tuple[str, str]]) -> Submission:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members:
            archive.writestr(name, text)
    return Submission(path.stem, path)


def test_zip_members_that_clash_are_named_without_our_paths(tmp_path):
    clash = _zip(tmp_path / "clash.zip", [("exercises/mse.py/", ""), ("exercises/mse.py", "x = 1\n")])
    with pytest.raises(SubmissionError) as refused:
        unpack(clash, tmp_path / "work")
    assert str(tmp_path) not in str(refused.value) and "clash.zip" in str(refused.value)
    twice = _zip(tmp_path / "twice.zip", [("exercises/a.py", "good\n"), ("exercises\\a.py", "bad\n")])
    with pytest.raises(SubmissionError, match="twice"):
        unpack(twice, tmp_path / "work")
