"""The adversarial corpus (tests/adversarial/README.md): every attack from learner code must fail.

One batch grades every attack and, separately, every attack's honest twin. Then, per attack: the
attacked kata scores no more than its twin (exactly as much for attacks that would spoil an honest
answer if they worked), every other kata grades as in the plain solutions;
and for the whole corpus: nothing is left running, the grader's files are unchanged, no packet
reached a listener on this machine, the result files are the grader's own, and the next
submission grades exactly as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

from grader import manifest as manifest_module
from grader.course import batch
from grader.grading.engine import Job
from grader.model import Grade
from grader.submission import Located

from .conftest import REPO, SOLUTIONS, build_submission
from .test_isolation import live_children

CORPUS = Path(__file__).with_name("adversarial")
ATTACK = re.compile(r"^[ \t]*# attack:begin.*?^[ \t]*# attack:end[^\n]*\n", re.S | re.M)
WATCHED = [REPO / "grader", REPO / "solutions", REPO / "exercises"]


@dataclass(frozen=True)
class Case:
    id: str
    kata: str
    needs: str | None
    same: bool  # the attack would spoil an honest answer: the kata must score just as its twin
    source: str
    files: Path | None

    @property
    def twin(self) -> str:
        return ATTACK.sub("", self.source)

    @property
    def submission(self) -> str:
        return "attack-" + self.id.replace("/", "-")


def _header(source: str, key: str) -> str | None:
    found = re.search(rf"^# {key}: (\S+)", source, re.M)
    return found.group(1) if found else None


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CORPUS.glob("*/*.py")):
        source = path.read_text()
        files = path.with_suffix(".files")
        cases.append(Case(id=f"{path.parent.name}/{path.stem}", kata=_header(source, "kata"),
                          needs=_header(source, "needs"), same=_header(source, "expect") == "same",
                          source=source,
                          files=files if files.is_dir() else None))
    return cases


CASES = load_cases()
MANIFEST = manifest_module.load()


def _fingerprint() -> dict[str, str]:
    """A hash per file of the grader, the solutions and the stubs (bytecode caches aside)."""
    prints = {}
    for folder in WATCHED:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                prints[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return prints


class Listener:
    """A TCP and a UDP socket on 127.0.0.1 that count whatever reaches them."""

    def __init__(self) -> None:
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", self.port))
        self.reached = 0
        for sock in (self.tcp, self.udp):
            sock.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self._count, daemon=True)
        self.thread.start()

    def _count(self) -> None:
        while self.running:
            for receive in (self.tcp.accept, lambda: self.udp.recvfrom(64)):
                try:
                    receive()
                    self.reached += 1
                except OSError:
                    pass

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.tcp.close()
        self.udp.close()


@pytest.fixture(scope="module")
def listener():
    found = Listener()
    yield found
    found.close()


@pytest.fixture(scope="module")
def graded(quick_engine, listener, tmp_path_factory):
    """Grade the corpus once: baseline, attacks (a batch with result files), twins, and after."""
    root = tmp_path_factory.mktemp("attacks")
    # a case whose lock is missing here is not run at all: it could harm this machine
    cases = [case for case in CASES if not _lock_missing(case, quick_engine.locks)]
    baseline = quick_engine.grade(SOLUTIONS)
    before = _fingerprint()
    twins = root / "twins"
    grades, files = [], {}
    for group, katas in _neighbourhoods(cases).items():
        attacks = root / "class" / group
        for case in cases:
            if _group(case) == group:
                build_submission(attacks / case.submission, {case.kata: case.source})
                if case.files:
                    shutil.copytree(case.files, attacks / case.submission, dirs_exist_ok=True)
        out = root / "out" / group
        grades += batch.run_batch(quick_engine, attacks, out, workers=3, katas=katas).grades
        files.update({path.stem: json.loads(path.read_text()) for path in out.glob("attack-*.json")})
    for case in cases:
        build_submission(twins / case.submission, {case.kata: case.twin})
    twin_grades: dict[str, Grade] = {}
    exercises = PurePosixPath("exercises")
    # a twin is compared on its own kata only
    quick_engine.grade_many([Job(case.submission, Located(twins / case.submission, exercises), [case.kata])
                             for case in cases], workers=3,
                            on_graded=lambda job, grade: twin_grades.__setitem__(job.name, grade))
    deadline = time.monotonic() + 5
    while live_children(quick_engine._zygote.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    left_running = live_children(quick_engine._zygote.pid)
    return {
        "baseline": {kata.id: kata for kata in baseline.katas},
        "attacks": {grade.submission: grade for grade in grades},
        "files": files,
        "twins": twin_grades,
        "left_running": left_running,
        "fingerprints": (before, _fingerprint()),
        "after": quick_engine.grade(SOLUTIONS),
        "baseline_grade": baseline,
        "locks": quick_engine.locks,
    }


def _group(case: Case) -> str:
    return "losses" if case.kata.startswith("02_losses/") else "others"


def _neighbourhoods(cases: list[Case]) -> dict[str, list[str]]:
    """Which katas each attack is graded beside: those attacking 02_losses beside topics 01-02,
    the others beside every other attacked kata (01, 03-06). Each attacked kata has neighbours
    graded before and after it in its submission, for half the work of one set for all."""
    losses = sorted({kata.id for kata in MANIFEST.katas if kata.topic in ("01_autograd", "02_losses")})
    others = sorted({case.kata for case in cases if _group(case) == "others"})
    return {"losses": losses, "others": others}


@pytest.fixture(scope="module")
def quick_engine(listener):
    from grader.grading.engine import Engine
    from grader.sandbox.limits import Limits

    os.environ["ADVERSARIAL_PORT"] = str(listener.port)  # the server passes it on to learners
    # each attack is graded beside the other attacked katas (15 of topics 01-06), not all 49:
    # isolation shows as well, in a third of the time
    attacked = sorted({case.kata for case in CASES})
    with Engine(limits=Limits(per_test=2, per_kata=6, per_import=3), katas=attacked) as running:
        yield running


def _lock_missing(case: Case, locks: dict) -> str | None:
    if case.needs and case.needs not in locks.get("active", []):
        return f"the {case.needs} lock is not active here: {locks['inactive'].get(case.needs)}"
    return None


def test_the_corpus_has_two_cases_of_every_attack():
    categories = {case.id.split("/")[0] for case in CASES}
    assert len(categories) >= 13
    for category in categories:
        assert sum(case.id.startswith(category + "/") for case in CASES) >= 2, category
    for case in CASES:
        assert case.kata and case.twin != case.source, f"{case.id}: needs a kata and an attack"


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_attacked_kata_earns_what_its_honest_twin_earns(graded, case):
    reason = _lock_missing(case, graded["locks"])
    if reason:
        pytest.skip(reason)
    attacked = {kata.id: kata for kata in graded["attacks"][case.submission].katas}[case.kata]
    twin = {kata.id: kata for kata in graded["twins"][case.submission].katas}[case.kata]
    messages = [test.message for test in attacked.tests if test.message][:3]
    if case.same:
        assert attacked.score == twin.score, f"{case.id}: {attacked.score} vs twin {twin.score}; {messages}"
    else:
        assert attacked.score <= twin.score, f"{case.id}: {attacked.score} vs twin {twin.score}; {messages}"


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_every_other_kata_grades_as_without_the_attack(graded, case):
    reason = _lock_missing(case, graded["locks"])
    if reason:
        pytest.skip(reason)
    for kata in graded["attacks"][case.submission].katas:
        if kata.id != case.kata:
            assert kata == graded["baseline"][kata.id], f"{case.id} changed {kata.id}"


def test_nothing_is_left_running(graded):
    assert graded["left_running"] == []


def test_the_graders_files_are_unchanged(graded):
    before, after = graded["fingerprints"]
    assert before == after


def test_result_files_are_the_graders_own(graded):
    assert graded["files"] == {sid: grade.to_dict() for sid, grade in graded["attacks"].items()}
    assert graded["files"]  # the batch wrote them


def test_the_next_submission_grades_as_before(graded):
    assert graded["after"].without_timings() == graded["baseline_grade"].without_timings()


def test_no_packet_reached_this_machine(graded, listener):
    if "network" not in graded["locks"]["active"]:
        pytest.skip(f"network lock inactive: {graded['locks']['inactive']['network']}")
    assert listener.reached == 0
