"""The grading engine: judges a submission by running the hidden suites against its learner processes.

An ``Engine`` owns one learner-process server (``zygote``) for as many submissions as it grades.
Each submission is judged in a forked judge process running the hidden suites under pytest, so
the suites' state starts fresh every time and a judge that dies costs only its submission.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader import manifest as manifest_module
from grader import warmup
from grader.manifest import Kata, Manifest
from grader.model import Grade, KataResult, TestResult, summarize, summarize_kata
from grader.seam import Limits
from grader.submission import exercises_folder, submission_name

SUITES_DIR = Path(__file__).with_name("suites")
SINGLE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


def suite_file(kata: Kata, suites: Path = SUITES_DIR) -> Path:
    return suites / kata.topic / f"test_{kata.stem}.py"


def _debug() -> bool:
    return bool(os.environ.get("GRADER_DEBUG"))


class Engine:
    """Grades submissions; use as a context manager so its server is always stopped."""

    def __init__(self, manifest: Manifest | None = None, suites: Path = SUITES_DIR,
                 limits: Limits | None = None) -> None:
        self.manifest = manifest or manifest_module.load()
        self.suites = suites
        self.limits = limits or Limits()
        self._workdir = tempfile.mkdtemp(prefix="grader-")
        self.socket_path = os.path.join(self._workdir, "zygote.sock")
        env = {**os.environ, **SINGLE_THREAD, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"}
        self._zygote = subprocess.Popen(
            [sys.executable, "-m", "grader.zygote", self.socket_path],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=None if _debug() else subprocess.DEVNULL, env=env,
        )
        warmup.warm_torch()  # while the server warms up too: judges fork from here already warm
        ready = self._zygote.stdout.readline()
        if ready.strip() != b"ready":
            self.close()
            raise RuntimeError("the learner-process server did not start")

    def close(self) -> None:
        if self._zygote.poll() is None:
            self._zygote.terminate()
            try:
                self._zygote.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._zygote.kill()
        shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ------------------------------------------------------------ grading

    def grade(self, submission: Path, katas: list[str] | None = None) -> Grade:
        """Grade one submission; ``katas`` narrows it to ids, topics or file stems."""
        exercises = exercises_folder(submission)
        selected = self.manifest.select(katas)
        results = self._judge(exercises, selected)
        kata_results = [self._kata_result(exercises, kata, results.get(kata.id)) for kata in selected]
        return summarize(submission_name(submission), kata_results)

    def _kata_result(self, exercises: Path, kata: Kata, tests: list[TestResult] | None) -> KataResult:
        missing = not (exercises / kata.relative_file).is_file()
        if not tests:
            tests = [TestResult(name="hidden suite", status="error", score=0, max_score=kata.points,
                                message="grader error: the hidden suite did not run")]
        return summarize_kata(kata.id, kata.points, tests, missing)

    def _judge(self, exercises: Path, katas: list[Kata]) -> dict[str, list[TestResult]]:
        """Run the suites in a forked judge process; its results come back as JSON on a pipe."""
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read_end)
                try:
                    payload = {"results": _run_suites(exercises, katas, self.suites,
                                                      self.socket_path, self.limits)}
                except BaseException as error:  # noqa: BLE001 - reported as this submission's error
                    payload = {"judge_error": f"{type(error).__name__}: {error}"}
                with os.fdopen(write_end, "w") as pipe:
                    pipe.write(json.dumps(payload))
            finally:
                os._exit(0)
        os.close(write_end)
        chunks = []
        deadline = time.monotonic() + self.limits.per_submission
        with os.fdopen(read_end, "rb") as pipe:
            while True:
                ready, _, _ = select.select([pipe], [], [], max(deadline - time.monotonic(), 0))
                if not ready:
                    os.kill(pid, signal.SIGKILL)
                    break
                chunk = os.read(pipe.fileno(), 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
        os.waitpid(pid, 0)
        try:
            raw = json.loads(b"".join(chunks) or b"{}")
        except json.JSONDecodeError:
            raw = {}
        if "results" not in raw:
            problem = raw.get("judge_error", "the judge process ended without a result")
            return {kata.id: [TestResult(name="hidden suite", status="error", score=0,
                                         max_score=kata.points, message=f"grader error: {problem}")]
                    for kata in katas}
        return {kata_id: [TestResult(**test) for test in tests]
                for kata_id, tests in raw["results"].items()}


def _run_suites(exercises: Path, katas: list[Kata], suites: Path, socket_path: str,
                limits: Limits) -> dict:
    """In the judge process: pytest over the chosen katas' hidden suites."""
    import pytest

    from grader.plugin import GradingPlugin
    from grader.seam import ZygoteClient

    if not _debug():
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the judge
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    plugin = GradingPlugin(exercises.resolve(), ZygoteClient(socket_path), limits)
    files = [str(suite_file(kata, suites)) for kata in katas if suite_file(kata, suites).is_file()]
    if files:
        pytest.main([
            *files, "-q", "-c", os.devnull, "--rootdir", str(suites),
            "-p", "pytest_timeout", "-p", "no:cacheprovider",
            "-p", "no:unraisableexception", "-p", "no:threadexception",
            "--assert=plain", "--import-mode=importlib",
            "-o", f"timeout={limits.per_test:g}", "-o", "timeout_method=signal",
        ], plugins=[plugin])
    return {kata_id: [vars(test) for test in tests] for kata_id, tests in plugin.results.items()}
