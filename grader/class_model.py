"""A class: its grades, and what a batch learns about each submission beyond them (when its graded
commit was made; which of its katas are near-identical to another learner's), with what the views
are told (the assignment's name, the deadline). The one input of every class-level view:
grades.csv, gradebook.csv, similar.csv, report.html, the feedback files and the terminal summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from grader.model import Grade

DEFAULT_ASSIGNMENT = "Gradient-descent katas"
LATE, ON_TIME, UNKNOWN = "late", "on time", "unknown"

Spans = tuple[tuple[int, int], ...]  # character ranges [start, end) of a text

# what "similar work" means (grader/course/similarity.py finds it; the report states it)
SIMILAR_SHARE = 0.8  # each file's own code at least 80% found in the other
COMMON_PASSAGE = 10  # a passage in more submissions of a kata than this is nobody's own (MOSS's -m)


@dataclass(frozen=True)
class SimilarPair:
    """Two submissions' files of one kata that are near-identical once names, layout, comments
    and the stub's own text are set aside. ``first`` sorts before ``second``."""

    kata: str
    first: str
    second: str
    share_first: float  # the share of first's own code (neither stub nor common) found in second
    share_second: float
    code_first: str  # the files as graded (control characters removed), and where the shared
    code_second: str  # code is in each
    spans_first: Spans = ()
    spans_second: Spans = ()

    @property
    def similarity(self) -> float:
        """How alike the two are: the smaller of the two shares."""
        return min(self.share_first, self.share_second)


@dataclass
class ClassRecord:
    grades: list[Grade]
    kata_ids: list[str]
    assignment: str = DEFAULT_ASSIGNMENT
    deadline: datetime | None = None
    # submission id -> when its graded commit was made; absent or None: not a repository
    committed: dict[str, datetime | None] = field(default_factory=dict)
    similar: list[SimilarPair] = field(default_factory=list)

    def lateness(self, submission: str) -> str:
        """LATE, ON_TIME or UNKNOWN against the deadline; "" when there is no deadline."""
        if self.deadline is None:
            return ""
        moment = self.committed.get(submission)
        if moment is None:
            return UNKNOWN
        return LATE if moment > self.deadline else ON_TIME

    def late_by(self, submission: str) -> timedelta | None:
        """How long after the deadline the graded commit was made; None unless it is late."""
        if self.lateness(submission) != LATE:
            return None
        return self.committed[submission] - self.deadline  # type: ignore[operator]

    def similar_to(self, submission: str) -> list[SimilarPair]:
        return [pair for pair in self.similar if submission in (pair.first, pair.second)]


def duration(delta: timedelta) -> str:
    """A lateness in words a teacher reads at a glance: 40 min, 3 h 5 min, 2 days 4 h."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} day{'s' if days > 1 else ''}" + (f" {hours} h" if hours else "")
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"
