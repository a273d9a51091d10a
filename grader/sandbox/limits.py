"""The time limits learner code runs under: one place, and no torch, so that light commands
(`grader --help`, `list`, `hint`) start in a tenth of a second."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Wall-clock limits, in seconds; past each one the learner's processes are killed."""

    per_test: float = 10.0  # one hidden test (pytest-timeout)
    per_kata: float = 30.0  # all of one kata's learner-side time, across its tests
    after_hang: float = 1.0  # each later call of a kata that has hung once (real calls take ms)
    per_import: float = 10.0  # importing a kata file runs only definitions: seconds are plenty
    # all of one submission's learner time, every kata together: correct code needs a few
    # seconds, so this only stops code that is slow everywhere from costing a class its turn
    per_submission: float = 120.0

    def stated(self) -> dict[str, float]:
        """The limits a grade states, so a learner whose code timed out knows what it met."""
        return {"per_test": self.per_test, "per_kata": self.per_kata,
                "per_submission": self.per_submission}

    @property
    def judge_deadline(self) -> float:
        """Wall-clock time a judge may take for one submission: its learner budget, and as long
        again for the suites' own work and the kills and restarts on the way."""
        return 2 * self.per_submission + 60.0
