"""`grader watch`: the current kata's public tests, run again on every save.

The watcher imports torch, numpy and pytest once; each run is a child forked from it, so a
kata's module is imported fresh while torch is already loaded, and a verdict comes in a fraction
of a second. Keys: n next kata to do, p previous, h hint, l list, r run again, q quit. It moves
on only when asked.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import queue
import select
import signal
import sys
import tempfile
import termios
import threading
import time
import tty
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.text import Text

from grader.learner import curves, public, verdict
from grader.learner.progress import Progress
from grader.manifest import Kata, Manifest
from grader.model import KataResult

RUN_LIMIT = 60.0  # seconds for one run of a kata's public tests, all together
KEYS = "n next kata to do · p previous · h hint · l list · r run again · q quit"


class Runner:
    """Runs one kata's public tests in a child forked from this warm process."""

    def __init__(self, repo: Path, per_test: float = 10.0) -> None:
        os.environ.setdefault("OMP_NUM_THREADS", "1")  # a parallel op before fork hangs the child
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        import numpy  # noqa: F401 - loaded once here, shared by every run
        import pytest  # noqa: F401
        import torch  # noqa: F401

        from grader.sandbox import warmup

        warmup.warm_torch()
        self.exercises = (repo / "exercises").resolve()
        self.per_test = per_test
        self.scratch = Path(tempfile.mkdtemp(prefix="grader-watch-"))
        self._child: int | None = None  # the run under way, if any
        self._warm_pytest()

    def _warm_pytest(self) -> None:
        """Import pytest's plugins here, once (collecting nothing), then freeze what the runs share:
        each forked run starts with them loaded instead of importing them again."""
        import pytest

        empty = self.scratch / "empty"
        empty.mkdir(exist_ok=True)
        with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
            pytest.main([*public.arguments_for([str(empty)], empty, self.per_test), "--collect-only"])
        gc.collect()
        gc.freeze()

    def run(self, kata: Kata) -> KataResult:
        """The kata's public tests, run in a fresh child: its verdict."""
        test_file = self.exercises / kata.public_test
        results = self.scratch / "results.json"
        results.unlink(missing_ok=True)
        if test_file.is_file():
            self._in_child(lambda: self._run_tests(test_file, results))
        return public.kata_result(self.exercises, kata, public.read_outcomes(results).get(kata.id))

    def curve(self, kata: Kata) -> curves.Curve | None:
        """For a training-loop kata: its losses (and picture) on the seed data, and the reference run's."""
        if kata.id not in curves.SEED_RUNS:
            return None
        results = self.scratch / "curve.json"
        results.unlink(missing_ok=True)
        self._in_child(lambda: self._run_seed(kata, results))
        try:
            data = json.loads(results.read_text())
        except (OSError, ValueError):
            data = {"problem": "the run on the seed data crashed or took too long"}
        return curves.curve_from(kata.id, data)

    def _in_child(self, work: Callable[[], None]) -> None:
        """Fork; in the child, quiet and free of kata modules imported before, do ``work``."""
        pid = os.fork()
        if pid == 0:
            try:
                devnull = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(devnull, fd)
                os.chdir(self.scratch)
                _forget_katas()
                work()
            finally:
                os._exit(0)
        self._child = pid
        try:
            self._wait(pid)
        finally:
            self._child = None

    def cancel(self) -> None:
        """Stop the run under way, if any: the learner asked for another, or to quit."""
        pid = self._child
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def _run_seed(self, kata: Kata, results: Path) -> None:
        data: dict = {"reference": curves.reference_run(kata.id)}
        try:
            data.update(curves.seed_run(self.exercises / kata.relative_file, kata.id))
        except BaseException as error:  # noqa: BLE001 - the learner's run failing is its result
            data["problem"] = f"{type(error).__name__}: {error}"[:300]
        if data["reference"] is None:
            with contextlib.suppress(Exception):
                data["reference"] = curves.reference_from_solutions(kata)
        results.write_text(json.dumps(data))

    def _run_tests(self, test_file: Path, results: Path) -> None:
        import pytest

        os.environ[public.RESULTS_ENV] = str(results)
        pytest.main(public.arguments_for([str(test_file)], self.exercises, self.per_test))

    @staticmethod
    def _wait(pid: int) -> None:
        deadline = time.monotonic() + RUN_LIMIT
        while time.monotonic() < deadline:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                return
            time.sleep(0.005)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _forget_katas() -> None:
    """A kata module imported before the fork (by whoever started the runner) must not stand in
    for the file on disk: drop every module named like a kata or its tests."""
    from grader import manifest

    for kata in manifest.load().katas:
        for name in (kata.stem, f"test_{kata.stem}"):
            sys.modules.pop(name, None)


class Keys:
    """Single key presses from the terminal, without Enter, restored on exit."""

    def __init__(self) -> None:
        self.fd = sys.stdin.fileno() if sys.stdin.isatty() else None
        self.saved = termios.tcgetattr(self.fd) if self.fd is not None else None

    def __enter__(self) -> Keys:
        if self.fd is not None:
            tty.setcbreak(self.fd)
        return self

    def __exit__(self, *_: object) -> None:
        if self.fd is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)

    def read(self, timeout: float) -> str | None:
        if self.fd is None:
            time.sleep(timeout)
            return None
        ready, _, _ = select.select([self.fd], [], [], timeout)
        return os.read(self.fd, 1).decode(errors="ignore").lower() if ready else None


def _watch_files(folder: Path, changes: queue.Queue, stop: threading.Event) -> None:
    import watchfiles

    # step: a save is one batch of changes once 50 ms pass without another (an editor may write twice)
    for batch in watchfiles.watch(folder, stop_event=stop, step=50, debounce=400,
                                  watch_filter=watchfiles.PythonFilter()):
        changes.put(batch)


def kata_saved(paths: list[str], exercises: Path, manifest: Manifest) -> Kata | None:
    """The kata whose own file was saved (the last one, if several were), or None when what was
    saved is no kata's file (a test, a helper module)."""
    files = {(exercises / kata.relative_file).resolve(): kata for kata in manifest.katas}
    saved = [files[Path(path).resolve()] for path in paths if Path(path).resolve() in files]
    return saved[-1] if saved else None


class Watch:
    def __init__(self, repo: Path, manifest: Manifest, progress: Progress, console: Console,
                 kata: Kata | None = None) -> None:
        self.repo, self.manifest, self.progress, self.console = repo, manifest, progress, console
        self.kata = kata or progress.current(manifest) or manifest.katas[-1]
        self.runs = 0
        self.result: KataResult | None = None
        self.curve: curves.Curve | None = None
        self.note: Text | None = None
        self.generation = 0  # each run asked for; a verdict of an older one is dropped
        self.shown = 0  # the run whose verdict is on screen
        self.worker: threading.Thread | None = None
        self.finished: queue.Queue = queue.Queue()

    @property
    def running(self) -> bool:
        """A run was asked for whose verdict is not on screen yet."""
        return self.shown != self.generation

    def run(self, runner: Runner) -> None:
        """Run the kata's public tests in the background (keys stay live): a run under way is
        stopped first. ``collect`` shows the verdict when it comes."""
        if self.worker is not None and self.worker.is_alive():
            runner.cancel()
            self.worker.join()
        self.generation += 1
        generation, kata = self.generation, self.kata

        def work() -> None:
            result = runner.run(kata)
            curve = runner.curve(kata) if generation == self.generation else None
            self.finished.put((generation, kata, result, curve))

        self.worker = threading.Thread(target=work, daemon=True)
        self.worker.start()
        self.console.print(Text(f"running {kata.id}'s public tests… (keys work meanwhile)", style="dim"))

    def collect(self) -> None:
        """Show the verdict of the latest run, once it is in."""
        with contextlib.suppress(queue.Empty):
            while True:
                generation, kata, result, curve = self.finished.get_nowait()
                if generation != self.generation or kata != self.kata:
                    continue
                self.result, self.curve, self.shown = result, curve, generation
                self.runs += 1
                self.progress.record(kata.id, result.status == "passed")
                self.note = None
                self.show()

    def show(self) -> None:
        self.progress.reload()  # a check or reset in another terminal shows here too
        solved = len(self.progress.solved)
        self.console.clear()
        self.console.print(Text(f"{self.kata.id}: {self.kata.title}", style="bold"),
                           Text(f"  ({solved}/{len(self.manifest.katas)} solved · run {self.runs})",
                                style="dim"))
        self.console.print(f"watching exercises/{self.kata.relative_file}: save it to run its "
                           "public tests again", style="dim", highlight=False)
        self.console.print()
        if self.result is not None:
            following = self.progress.current(self.manifest)  # as check and list name it
            self.console.print(verdict.render(self.result, self.kata, following))
            if self.curve is not None:
                self.console.print(verdict.render_curve(self.curve, self.repo / "exercises" /
                                                        self.kata.relative_file))
            if self.result.status == "passed" and following:
                self.console.print(Text("  Press n to move on.", style="green"))
        if self.note is not None:
            self.console.print()
            self.console.print(self.note)
        if self.running:
            self.console.print(Text(f"running {self.kata.id}'s public tests…", style="dim"))
        self.console.print()
        self.console.print(KEYS, style="dim", highlight=False)

    def to_do(self) -> Kata | None:
        """Where n goes: the first kata not yet solved (list's ▶, check's "Next:"), or the one
        after this kata when this is it (skipping ahead)."""
        first = self.progress.current(self.manifest)
        return first if first is not None and first is not self.kata else self._after(self.kata)

    def _after(self, kata: Kata, step: int = 1) -> Kata | None:
        katas = list(self.manifest.katas)
        position = katas.index(kata) + step
        return katas[position] if 0 <= position < len(katas) else None

    def hint(self) -> None:
        shown = self.progress.next_hint(self.kata)
        if shown is None:
            text = "\n".join(f"  {n}. {hint}" for n, hint in enumerate(self.kata.hints, start=1))
            self.note = Text(f"No more hints; all of them:\n{text}", style="yellow")
        else:
            self.note = Text(f"Hint {shown[0]} of {len(self.kata.hints)}: {shown[1]}", style="yellow")
        self.show()

    def listing(self) -> None:
        self.progress.reload()
        current = self.progress.current(self.manifest)
        lines = [f"  {'✓' if k.id in self.progress.solved else '▶' if k is current else '·'} {k.id}"
                 for k in self.manifest.katas]
        self.note = Text("\n".join(lines))
        self.show()


def watch(repo: Path, manifest: Manifest, progress: Progress, console: Console | None = None,
          kata: Kata | None = None) -> int:
    console = console or Console()
    console.print("loading torch…", style="dim")
    runner = Runner(repo)
    session = Watch(repo, manifest, progress, console, kata)
    changes: queue.Queue = queue.Queue()
    stop = threading.Event()
    watcher = threading.Thread(target=_watch_files, args=(repo / "exercises", changes, stop), daemon=True)
    watcher.start()
    session.run(runner)
    try:
        with Keys() as keys:
            while True:
                key = keys.read(0.02)
                session.collect()
                if key == "q":
                    break
                if key in ("n", "p"):
                    following = session.to_do() if key == "n" else session._after(session.kata, -1)
                    if following is not None:
                        session.kata = following
                        session.run(runner)
                elif key == "r":
                    session.run(runner)
                elif key == "h":
                    session.hint()
                elif key == "l":
                    session.listing()
                saved: list[str] = []
                with contextlib.suppress(queue.Empty):
                    while True:
                        saved += [path for _, path in changes.get_nowait()]
                if saved:  # another kata's file saved: the learner is working on that one now
                    session.kata = kata_saved(saved, runner.exercises, manifest) or session.kata
                    session.run(runner)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        runner.cancel()
    return 0
