"""The grading engine: judges a submission by running the hidden suites against its learner processes.

An ``Engine`` owns one learner-process server (``zygote``) for as many submissions as it grades.
Each submission is judged in a forked judge process running the hidden suites under pytest, so
the suites' state starts fresh every time and a judge that dies costs only its submission.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import selectors
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from grader import manifest as manifest_module
from grader.grading.judge import CollectedSuites
from grader.manifest import SUITES_DIR, Kata, Manifest
from grader.model import Grade, KataResult, TestResult, not_graded, summarize, summarize_kata
from grader.sandbox import environment, lockdown, server, warmup
from grader.sandbox.limits import Limits
from grader.sandbox.seam import ZygoteClient
from grader.submission import Located, SubmissionError, locate, submission_id


def _debug() -> bool:
    return bool(os.environ.get("GRADER_DEBUG"))


class Engine:
    """Grades submissions; use as a context manager so its server is always stopped."""

    def __init__(self, manifest: Manifest | None = None, suites: Path = SUITES_DIR,
                 limits: Limits | None = None, locked: bool = True, many: bool = False,
                 secrets: Iterable[Path] = (), katas: list[str] | None = None) -> None:
        """``many``: many submissions will follow, so forks are worth making cheaper up front.
        ``secrets``: folders learner code must never read besides the grader's own (a class
        folder, an output folder), wherever they are. ``katas``: ids, topics or stems; only their
        suites are collected (a start costs what the chosen katas need), and only they are graded."""
        self.manifest = manifest or manifest_module.load()
        self.katas = self.manifest.select(katas)
        self.suites = suites
        self.limits = limits or Limits()
        self.test_seconds = 0.0  # judge-side time inside tests, over every grade
        self._workdir = tempfile.mkdtemp(prefix="grader-")
        self.socket_path = os.path.join(self._workdir, "zygote.sock")
        # learner processes must hash strings alike on every run, and hold none of the caller's
        # variables: forked from here only if this process does and holds none (the command line
        # sees to both), else from a fresh interpreter started so
        fork = os.environ.get("PYTHONHASHSEED") == "0" and environment.kept(os.environ) == os.environ
        options = {"locked": locked, "huge_pages": many, "secrets": secrets, "quiet": not _debug()}
        if fork:
            warmup.warm_torch()  # once, for the server forked now and for the judges forked later
            self._zygote = server.start(self.socket_path, fork=True, **options)
        else:
            self._zygote = server.start(self.socket_path, **options)
            warmup.warm_torch()  # while the server warms up too: judges fork from here already warm
        try:
            # only now, after the server has forked: no learner process holds a hidden suite
            self._suites = CollectedSuites(self.katas, self.suites, self.limits)
            if many:
                warmup.use_huge_pages()  # one judge forked per submission: cheaper too
            self.locks: dict = self._zygote.wait_ready()  # the locks learner processes run under
        except BaseException:
            self.close()
            raise
        lockdown.not_dumpable()

    def close(self) -> None:
        self._zygote.stop()
        shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ------------------------------------------------------------ grading

    def grade(self, submission: Path, katas: list[str] | None = None) -> Grade:
        """Grade one submission (a folder holding its kata files, however deep); ``katas`` narrows
        it to ids, topics or file stems. One that holds no kata files scores 0, saying why."""
        name = submission_id(submission.resolve().name)
        try:
            job = Job(name=name, located=locate(submission, self.manifest.katas))
        except SubmissionError as error:  # a grade all the same: zero, saying why
            grade = not_graded(name, [(kata.id, kata.points) for kata in self._chosen(katas)], str(error))
            grade.locks, grade.limits = self.locks, self.limits.stated()
            return grade
        graded: list[Grade] = []
        self.grade_many([job], katas, workers=1, on_graded=lambda _, grade: graded.append(grade))
        return graded[0]

    def grade_many(self, jobs: Iterable[Job], katas: list[str] | None = None, workers: int = 1,
                   on_graded: Callable[[Job, Grade], None] | None = None) -> None:
        """Grade submissions with up to ``workers`` judges at once; report each as it finishes."""
        selected = self._chosen(katas)
        pending = iter(jobs)
        running: dict[int, _JudgeRun] = {}
        with selectors.DefaultSelector() as selector:
            while True:
                while len(running) < max(workers, 1):
                    job = next(pending, None)
                    if job is None:
                        break
                    run = self._start_judge(job, selected if job.katas is None else self._chosen(job.katas))
                    running[run.fd] = run
                    selector.register(run.fd, selectors.EVENT_READ)
                if not running:
                    return
                soonest = min(run.deadline for run in running.values())
                events = selector.select(timeout=max(soonest - time.monotonic(), 0))
                finished = [running[key.fd] for key, _ in events if running[key.fd].read()]
                finished += [run for run in running.values()
                             if run not in finished and time.monotonic() >= run.deadline]
                for run in finished:
                    selector.unregister(run.fd)
                    del running[run.fd]
                    grade = self._finish(run, run.katas)
                    if on_graded is not None:
                        on_graded(run.job, grade)

    def _chosen(self, katas: list[str] | None) -> list[Kata]:
        """The katas these patterns name, all of the engine's if none; each must be one it collected."""
        if not katas:
            return list(self.katas)
        chosen = self.manifest.select(katas)
        uncollected = [kata.id for kata in chosen if kata not in self.katas]
        if uncollected:
            raise KeyError("this engine was started for other katas; not collected: "
                           + ", ".join(uncollected))
        return chosen

    def _start_judge(self, job: Job, katas: list[Kata]) -> _JudgeRun:
        """Fork a judge process for one submission; its results come back as JSON on a pipe."""
        read_end, write_end = os.pipe()
        # Ctrl-C waits while forking: Python ignores (only prints) an interrupt that lands in its
        # after-fork hooks, and the batch would go on as if never stopped
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read_end)
                # Ctrl-C reaches the whole terminal's process group: the grader stops its judges
                # itself, and a judge must never report the interrupt as its submission's grade
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
                _die_with_parent()
                try:
                    _silence_unless_debugging()
                    payload = self._suites.run(job.located, katas, ZygoteClient(self.socket_path))
                except BaseException as error:  # noqa: BLE001 - reported as this submission's error
                    payload = {"judge_error": f"{type(error).__name__}: {error}"}
                with os.fdopen(write_end, "w") as pipe:
                    pipe.write(json.dumps(payload))
            finally:
                os._exit(0)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        os.close(write_end)
        os.set_blocking(read_end, False)
        return _JudgeRun(job=job, katas=katas, pid=pid, fd=read_end,
                         deadline=time.monotonic() + self.limits.judge_deadline)

    def _finish(self, run: _JudgeRun, katas: list[Kata]) -> Grade:
        try:
            os.kill(run.pid, signal.SIGKILL)  # a judge past its deadline; harmless if done
        except ProcessLookupError:
            pass
        os.waitpid(run.pid, 0)
        os.close(run.fd)
        try:
            raw = json.loads(b"".join(run.chunks) or b"{}")
        except json.JSONDecodeError:
            raw = {}
        self.test_seconds += float(raw.get("test_seconds", 0.0))
        if "results" in raw:
            results = {kata_id: [TestResult(**test) for test in tests]
                       for kata_id, tests in raw["results"].items()}
        else:
            problem = raw.get("judge_error", "the judge did not finish in time, or crashed")
            results = {kata.id: [TestResult(name="hidden suite", status="error", score=0,
                                            max_score=kata.points, message=f"grader error: {problem}")]
                       for kata in katas}
        grade = summarize(run.job.name, [self._kata_result(run.job.located, kata, results.get(kata.id))
                                         for kata in katas])
        seconds = raw.get("kata_seconds", {})
        for kata in grade.katas:
            kata.seconds = round(float(seconds.get(kata.id, 0.0)), 3)
        grade.locks = self.locks
        grade.limits = self.limits.stated()
        return grade

    def _kata_result(self, located: Located, kata: Kata, tests: list[TestResult] | None) -> KataResult:
        missing = located.is_missing(kata.id)
        if not tests:
            tests = [TestResult(name="hidden suite", status="error", score=0, max_score=kata.points,
                                message="grader error: the hidden suite did not run")]
        return summarize_kata(kata.id, kata.points, tests, missing)


@dataclass(frozen=True)
class Job:
    """One submission to grade: its name in the results and where its kata files are."""

    name: str
    located: Located
    katas: list[str] | None = None  # its own selection of katas, instead of grade_many's


@dataclass(eq=False)
class _JudgeRun:
    job: Job
    katas: list[Kata]
    pid: int
    fd: int
    deadline: float
    chunks: list[bytes] = field(default_factory=list)

    def read(self) -> bool:
        """Take what the judge wrote; True once it has closed its end."""
        while True:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                return False
            if not chunk:
                return True
            self.chunks.append(chunk)


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C waits until the block is done (a grade saved and counted are one step)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _die_with_parent() -> None:
    """A judge must not outlive the grader that forked it (kill -9 of a batch included)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _silence_unless_debugging() -> None:
    """A judge's output would land in the caller's JSON or table."""
    if not _debug():
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the judge
