"""A learner's saved progress: which katas are solved and how many hints each has shown, kept in
`.grader-progress.json` at the repository's root so `grader list` and `grader watch` resume where
the learner stopped."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from grader.manifest import Kata, Manifest

STATE_FILE = ".grader-progress.json"


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
        path = repo / STATE_FILE
        try:
            data = json.loads(path.read_text())
            return cls(repo, solved=[str(k) for k in data.get("solved", [])],
                       hints_shown={str(k): int(v) for k, v in data.get("hints_shown", {}).items()})
        except (OSError, ValueError, AttributeError, TypeError):
            return cls(repo)  # no file yet, or one edited into nonsense: start afresh

    def save(self) -> None:
        text = json.dumps({"solved": self.solved, "hints_shown": self.hints_shown}, indent=2) + "\n"
        handle, temporary = tempfile.mkstemp(dir=self.repo, prefix=".grader-progress-")
        with os.fdopen(handle, "w") as file:
            file.write(text)
        os.replace(temporary, self.repo / STATE_FILE)

    def record(self, kata_id: str, passed: bool) -> None:
        """What a check found: a kata that passes is solved; one that fails no longer is."""
        if passed and kata_id not in self.solved:
            self.solved.append(kata_id)
        elif not passed and kata_id in self.solved:
            self.solved.remove(kata_id)

    def current(self, manifest: Manifest) -> Kata | None:
        """The first kata, in manifest order, not yet solved; None when all are."""
        return next((kata for kata in manifest.katas if kata.id not in self.solved), None)

    def next_hint(self, kata: Kata) -> tuple[int, str] | None:
        """The next hint for ``kata`` (1-based number, text), remembering it was shown."""
        shown = self.hints_shown.get(kata.id, 0)
        if shown >= len(kata.hints):
            return None
        self.hints_shown[kata.id] = shown + 1
        return shown + 1, kata.hints[shown]
