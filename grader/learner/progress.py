"""A learner's saved progress: which katas are solved and how many hints each has shown, kept in
`.grader-progress.json` at the repository's root so `grader list` and `grader watch` resume where
the learner stopped."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from grader.manifest import Kata, Manifest

STATE_FILE = ".grader-progress.json"
LOCK_FILE = ".grader-progress.lock"  # taken while a change is made; ignored by git like the state


class NotALearnerRepo(Exception):
    pass


def find_repo(start: Path) -> Path:
    """The folder holding `exercises/`: ``start`` or one of its parents (as git finds `.git`)."""
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / "exercises").is_dir():
            return folder
    raise NotALearnerRepo(f"no exercises/ folder in {start.resolve()} or above it: "
                          "run this inside your kata repository")


@dataclass
class Progress:
    repo: Path
    solved: list[str] = field(default_factory=list)
    hints_shown: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, repo: Path) -> Progress:
        progress = cls(repo)
        progress.reload()
        return progress

    def reload(self) -> None:
        """Read the file again: `grader check`, `hint` or `reset` may have run in another terminal
        while `grader watch` shows its screen."""
        try:
            data = json.loads((self.repo / STATE_FILE).read_text())
            self.solved = [str(k) for k in data.get("solved", [])]
            self.hints_shown = {str(k): int(v) for k, v in data.get("hints_shown", {}).items()}
        except (OSError, ValueError, AttributeError, TypeError):
            self.solved, self.hints_shown = [], {}  # no file yet, or one edited into nonsense

    @contextlib.contextmanager
    def _changing(self) -> Iterator[None]:
        """One change at a time, made to what is on disk now and written at once, so that two
        commands (watch in one terminal, check in another) never undo each other's progress."""
        with open(self.repo / LOCK_FILE, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self.reload()
            yield
            text = json.dumps({"solved": self.solved, "hints_shown": self.hints_shown}, indent=2) + "\n"
            handle, temporary = tempfile.mkstemp(dir=self.repo, prefix=".grader-progress-")
            with os.fdopen(handle, "w") as file:
                file.write(text)
            os.replace(temporary, self.repo / STATE_FILE)

    def record(self, kata_id: str, passed: bool) -> None:
        """What a check found: a kata that passes is solved; one that fails no longer is. Saved."""
        with self._changing():
            if passed and kata_id not in self.solved:
                self.solved.append(kata_id)
            elif not passed and kata_id in self.solved:
                self.solved.remove(kata_id)

    def current(self, manifest: Manifest) -> Kata | None:
        """The first kata, in manifest order, not yet solved; None when all are."""
        return next((kata for kata in manifest.katas if kata.id not in self.solved), None)

    def next_hint(self, kata: Kata) -> tuple[int, str] | None:
        """The next hint for ``kata`` (1-based number, text), remembered as shown. Saved."""
        with self._changing():
            shown = self.hints_shown.get(kata.id, 0)
            if shown >= len(kata.hints):
                return None
            self.hints_shown[kata.id] = shown + 1
            return shown + 1, kata.hints[shown]
