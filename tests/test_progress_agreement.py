"""Watch, check, list, hint and reset agree on progress whatever order they run in: `grader watch`
on a pseudo-terminal while the other commands run beside it, and those commands one after another.

Each step is followed by the same questions to every place progress shows: `grader list`, watch's
screen (its solved count, its kata, its own list under `l`) and `.grader-progress.json`; each must
answer what a model of the learner's steps says, so none loses or invents a solved kata or a hint.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from typing import NamedTuple

from grader import cli
from grader.learner.progress import STATE_FILE
from grader.learner.watch import KEYS

from . import test_learner_loop
from .conftest import SOLUTIONS
from .terminal import Terminal

repo = test_learner_loop.repo  # the fixture: a learner repository made by `grader release`, cwd inside it

A, B, C, D = "01_autograd/derivative", "01_autograd/vjp", "02_losses/mse", "01_autograd/accumulation"

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
CLEAR = "\x1b[2J"  # watch clears the screen before each redraw
MARK = re.compile(r"^\s*([✓▶·])\s+(\S+)\s.*?\s(\d+)/(\d+)\s*$", re.M)  # a row of `grader list`
WATCH_MARK = re.compile(r"^  ([✓▶·]) (\S+)$", re.M)  # a row of watch's list (key l)
HEADER = re.compile(r"\A\s*(\S+): .*?\((\d+)/(\d+) solved · run (\d+)\)", re.S)


@dataclass
class Model:
    """What the learner did, so what every command should show."""

    order: list[str]  # the katas in manifest order
    solved: set[str] = field(default_factory=set)
    hints: dict[str, int] = field(default_factory=dict)

    @property
    def current(self) -> str | None:
        return next((kata for kata in self.order if kata not in self.solved), None)

    def marks(self) -> dict[str, str]:
        return {kata: "✓" if kata in self.solved else "▶" if kata == self.current else "·"
                for kata in self.order}

    def hint(self, kata: str) -> int:
        """The number the next hint of ``kata`` must carry."""
        self.hints[kata] = self.hints.get(kata, 0) + 1
        return self.hints[kata]


def _solve(repo, kata: str) -> None:
    shutil.copyfile(SOLUTIONS / f"{kata}.py", repo / "exercises" / f"{kata}.py")


def _listed(capsys, model: Model) -> dict[str, str]:
    """`grader list`, read back: its marks; its hint counts and summary checked against the model."""
    assert cli.main(["list"]) == 0
    shown = capsys.readouterr().out
    rows = {found.group(2): found for found in MARK.finditer(shown)}
    assert set(rows) == set(model.order), shown
    for kata, row in rows.items():
        assert int(row.group(3)) == model.hints.get(kata, 0), (kata, shown)
    summary = f"{len(model.solved)} of {len(model.order)} katas solved" + (
        f"; next: {model.current}" if model.current else "")
    assert summary in shown, shown
    return {kata: row.group(1) for kata, row in rows.items()}


def _saved(repo) -> tuple[set[str], dict[str, int]]:
    data = json.loads((repo / STATE_FILE).read_text())
    assert len(data["solved"]) == len(set(data["solved"])), data  # no kata solved twice
    return set(data["solved"]), data["hints_shown"]


class Watching:
    """`grader watch` on a pseudo-terminal, read screen by screen."""

    def __init__(self, repo, kata: str) -> None:
        self.terminal = Terminal([sys.executable, "-m", "grader", "watch", kata], repo)

    def screen(self, done, since: int, timeout: float = 30.0) -> str:
        """The first whole screen drawn after ``since`` (an offset in what was printed) for which
        ``done`` holds: one that ends with the keys line, no run under way."""
        deadline = time.monotonic() + timeout
        while True:
            printed = self.terminal.seen
            if CLEAR in printed[since:]:
                latest = ESCAPES.sub("", printed.rsplit(CLEAR, 1)[1]).replace("\r", "")
                if latest.rstrip().endswith(KEYS) and "public tests…" not in latest and done(latest):
                    return latest
            if time.monotonic() > deadline:
                raise TimeoutError(f"not on watch's screen in {timeout} s; it shows {printed[-800:]!r}")
            self.terminal.read_for(0.02)

    def mark(self) -> int:
        return len(self.terminal.seen)

    def verdict(self, kata: str, passed: bool, after_run: int, since: int, timeout: float = 30.0) -> str:
        """Wait for the verdict of a run later than ``after_run``."""
        line = f"{'✓' if passed else '✗'} {kata}"

        def done(screen: str) -> bool:
            header = HEADER.match(screen)
            return header is not None and int(header.group(4)) > after_run and line in screen

        return self.screen(done, since, timeout)

    def press(self, key: str, done) -> str:
        since = self.mark()
        self.terminal.press(key)
        return self.screen(done, since)


def _agree(repo, capsys, watching: Watching, model: Model, kata: str, where: str) -> int:
    """`grader list`, watch (its header and its list) and the progress file all say what the model
    says; the run number watch shows."""
    assert _saved(repo) == (model.solved, model.hints), where
    assert _listed(capsys, model) == model.marks(), where
    screen = watching.press("l", lambda screen: WATCH_MARK.search(screen) is not None)
    header = HEADER.match(screen)
    assert header is not None, (where, screen)
    assert header.group(1) == kata, (where, screen)  # watch stays on the kata it watches
    solved = (int(header.group(2)), int(header.group(3)))
    assert solved == (len(model.solved), len(model.order)), (where, screen)
    shown = {found.group(2): found.group(1) for found in WATCH_MARK.finditer(screen)}
    assert shown == model.marks(), (where, screen)
    return int(header.group(4))


class Katas(NamedTuple):
    """The katas one order of steps works on: watched (A), checked beside watch (B), hinted (C),
    checked while watch runs A (D)."""

    A: str
    B: str
    C: str
    D: str | None = None


# each order on katas of its own, so that one watch session (torch loaded once) serves both
ORDERS = [(Katas(A, B, C, D),
           ("solve A in watch", "check B", "hints", "reset A --yes", "solve A while D is checked")),
          (Katas("02_losses/mse_numpy", "03_gradients/scalar_grad", "02_losses/sqrt_loss"),
           ("check B", "hints", "reset A, confirmed", "solve A in watch"))]


def test_watch_and_the_other_commands_agree_while_watch_runs(repo, manifest, capsys, monkeypatch):
    """Watch on A; beside it A is solved (watch sees the save), B solved and checked, hints asked
    for C and A from both sides, A reset, and A solved again while D is checked (watch runs A while
    `check D` starts up and runs); after each step all of them show the same progress. Two orders
    of these steps, one after the other: a save of the second order's A moves watch there."""
    monkeypatch.setenv("COLUMNS", "200")  # one line per row of `grader list`
    model = Model([kata.id for kata in manifest.katas])
    for katas, _ in ORDERS:
        for kata in (katas.B, katas.D):
            if kata is not None:
                _solve(repo, kata)  # solved in the editor before watch started: only `check` notices
    first = ORDERS[0][0].A
    watching = Watching(repo, first)
    try:
        runs = int(HEADER.match(watching.verdict(first, False, 0, 0, timeout=120)).group(4))  # torch loads
        for katas, steps in ORDERS:
            if katas.A != first:  # the learner opens and saves the next A: watch moves to it
                since = watching.mark()
                kata_file = repo / "exercises" / f"{katas.A}.py"
                kata_file.write_text(kata_file.read_text())
                watching.verdict(katas.A, False, runs, since)
                runs = _agree(repo, capsys, watching, model, katas.A, f"watch moved to {katas.A}")
            for step in steps:
                _step(repo, capsys, monkeypatch, watching, model, katas, step, runs)
                runs = _agree(repo, capsys, watching, model, katas.A, f"{katas}: after {step!r} of {steps}")
    finally:
        code = watching.terminal.close()
    assert code == 0
    assert _saved(repo) == (model.solved, model.hints)


def _step(repo, capsys, monkeypatch, watching: Watching, model: Model, katas: Katas, step: str,
          runs: int) -> None:
    """One step of the learner's, beside watch (whose last run was number ``runs``): the model
    follows it; what the command said is checked; a save of A waits for watch's verdict."""
    since = watching.mark()
    if step in ("solve A in watch", "solve A while D is checked"):
        _solve(repo, katas.A)
        model.solved.add(katas.A)
        if step == "solve A while D is checked":  # watch runs A while `check D` starts and runs D
            assert cli.main(["check", katas.D]) == 0
            assert f"✓ {katas.D}" in capsys.readouterr().out
            model.solved.add(katas.D)
        screen = watching.verdict(katas.A, True, runs, since)
        if step == "solve A in watch" and model.current is not None:  # watch names check's next kata
            assert f"Next: {model.current} (" in screen, screen
    elif step == "check B":
        assert cli.main(["check", katas.B]) == 0
        model.solved.add(katas.B)
        said = capsys.readouterr().out
        assert f"✓ {katas.B}" in said and f"Next: {model.current} (" in said, said
    elif step == "hints":
        for _ in range(2):
            assert cli.main(["hint", katas.C]) == 0
            assert f"Hint {model.hint(katas.C)} of 3 for {katas.C}:" in capsys.readouterr().out
        number = model.hint(katas.A)  # h in watch, on A: the numbering goes on from either side
        watching.press("h", lambda screen: f"Hint {number} of 3:" in screen)
        assert cli.main(["hint", katas.A]) == 0
        assert f"Hint {model.hint(katas.A)} of 3 for {katas.A}:" in capsys.readouterr().out
    else:
        if step == "reset A, confirmed":
            monkeypatch.setattr("builtins.input", lambda prompt: "y")
        assert cli.main(["reset", katas.A, *(["--yes"] if "--yes" in step else [])]) == 0
        assert "Restored" in capsys.readouterr().out
        model.solved.discard(katas.A)
        watching.verdict(katas.A, False, runs, since)  # the stub saved: watch runs it again


# what each command does to the model, and what it must say; `check A` passes while A's file is solved
SEQUENCES = [("check A", "hint A", "reset A", "hint A", "list", "reset A, declined"),
             ("reset A", "check A", "list", "hint A", "reset A, declined", "hint A"),
             ("hint A", "reset A, declined", "hint A", "check A", "reset A", "list"),
             ("list", "hint A", "reset A, declined", "reset A", "hint A", "check A")]


def test_no_order_of_the_commands_loses_or_invents_progress(repo, manifest, capsys, monkeypatch):
    """A solved with 2 of its 3 hints seen, B solved: check, hint, reset (confirmed or not) and list
    run one after another, in several orders; after each, the progress file and `grader list` say
    what the learner did: B stays solved, A's hints stop at 3, A is solved exactly while its file
    passes and was checked so."""
    monkeypatch.setenv("COLUMNS", "200")
    order = [kata.id for kata in manifest.katas]
    start = {"solved": [B, A], "hints_shown": {A: 2, C: 1}}
    for sequence in SEQUENCES:
        _solve(repo, A)
        (repo / STATE_FILE).write_text(json.dumps(start))
        model = Model(order, set(start["solved"]), dict(start["hints_shown"]))
        a_passes = True
        for command in sequence:
            if command == "check A":
                assert cli.main(["check", A]) == (0 if a_passes else 1)
                (model.solved.add if a_passes else model.solved.discard)(A)
                said = capsys.readouterr().out
                assert f"{'✓' if a_passes else '✗'} {A}" in said, said
                assert not a_passes or f"Next: {model.current} (" in said, said
            elif command == "hint A":
                assert cli.main(["hint", A]) == 0
                said = capsys.readouterr().out
                if model.hints[A] < 3:
                    assert f"Hint {model.hint(A)} of 3 for {A}:" in said
                else:
                    assert said.startswith(f"No more hints for {A}; all 3 again:")
            elif command == "reset A":
                assert cli.main(["reset", A, "--yes"]) == 0
                capsys.readouterr()
                model.solved.discard(A)
                a_passes = False
            elif command == "reset A, declined":
                monkeypatch.setattr("builtins.input", lambda prompt: "n")
                assert cli.main(["reset", A]) == 1
                assert "Left as it was." in capsys.readouterr().out
            assert _saved(repo) == (model.solved, model.hints), (sequence, command)
            assert _listed(capsys, model) == model.marks(), (sequence, command)
        assert B in model.solved and model.hints == {A: 3, C: 1}
