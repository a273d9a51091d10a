"""Figures about a whole class, computed once for every class-level view (report, terminal,
feedback): per kata, how many pass and the real mistakes behind the rest; per learner, the
outcome of each kata and what they need, most in need first.

A mistake is what a failing test says, grouped by its first line with the numbers masked. Work
that is not there is counted apart and never called a mistake: a stub still raising
NotImplementedError ("not written yet"), a missing file, and a submission that could not be
read; so are a side rule's "its points count once the results are right", which only follows
from another failure.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from grader.model import Grade, KataResult, TestResult

_NUMBER = re.compile(r"(?<![\w.])-?\d+(\.\d+)?(e-?\d+)?(?![\w.])")
NOT_WRITTEN_MARK = "is not written yet"  # grader/sandbox/seam.py, grader/grading/checks.py
GATED_MARK = "this check passes; its points count once"  # grader/grading/plugin.py
UNREADABLE_MARK = "could not read the submission"  # grader/model.py, not_graded

# a kata's outcome for one learner, from best to worst, with the mark the report shows for it
PASSED, PARTIAL, FAILED, BROKEN, TIMEOUT = "passed", "partial", "failed", "does not run", "timed out"
NOT_WRITTEN, MISSING, UNREADABLE = "not written", "missing", "unreadable"
ABSENT = (NOT_WRITTEN, MISSING, UNREADABLE)  # no work to judge: never a mistake


MAX_MISTAKE = 160  # characters of a mistake's first line shown in the class's views


def shorten(text: str, limit: int = MAX_MISTAKE) -> str:
    """Text of at most ``limit`` characters: whole, or cut at the last word boundary that fits,
    with "…" (cut inside a word only when a word alone is longer than half the room)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > (limit - 1) // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:–-") + "…"


def points(value: float) -> str:
    """Points as every class view shows them (report, feedback files, terminal): whole, or to at
    most two decimals, halves rounded up (836.25, 887.85, 8.67, 10)."""
    if not math.isfinite(value):
        return f"{value:g}"
    exact = Decimal(repr(float(value))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    text = f"{exact:f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def diagnosis(message: str) -> str:
    """The mistake a message names, without the numbers that vary from case to case."""
    first = message.splitlines()[0] if message else "(no message)"
    return _NUMBER.sub("#", first)[:160]


def _first_line(test: TestResult) -> str:
    return test.message.splitlines()[0] if test.message else "(no message)"


def is_mistake(test: TestResult) -> bool:
    """A failing test that says what is wrong with written code (not "not written yet", not a
    side rule waiting for the results, not an unreadable submission)."""
    if test.status == "passed":
        return False
    first = _first_line(test)
    return not (NOT_WRITTEN_MARK in first or first.startswith((GATED_MARK, UNREADABLE_MARK)))


def mistake_tests(kata: KataResult) -> list[TestResult]:
    """The kata's failing tests that say what is wrong, one per distinct first line, in test order.
    A hang is one mistake: once a test has timed out, the tests after it that time out (the same
    hang, met again: "... in time (1 s, as an earlier call already hung)") add nothing."""
    found: dict[str, TestResult] = {}
    hung = False
    for test in kata.tests:
        if not is_mistake(test):
            continue
        if test.status == "timeout":
            if hung:
                continue
            hung = True
        found.setdefault(_first_line(test), test)
    return list(found.values())


def mistakes(kata: KataResult) -> list[str]:
    """The kata's distinct mistakes (first lines, in test order, cut at a word to MAX_MISTAKE)."""
    return list(dict.fromkeys(shorten(_first_line(test)) for test in mistake_tests(kata)))


def outcome(kata: KataResult, problem: str = "") -> str:
    """What became of one learner's kata: PASSED ... UNREADABLE."""
    if problem:
        return UNREADABLE
    if kata.status == "passed":
        return PASSED
    if kata.status == "missing":
        return MISSING
    if kata.score == 0 and not any(is_mistake(test) for test in kata.tests):
        if any(NOT_WRITTEN_MARK in _first_line(test) for test in kata.tests):
            return NOT_WRITTEN
    if kata.status == "timeout":
        return TIMEOUT
    if kata.status == "error":
        return BROKEN
    return PARTIAL if kata.score > 0 else FAILED


@dataclass
class KataFigures:
    id: str
    max_score: float
    passed: int = 0
    graded: int = 0
    mean_score: float = 0.0
    outcomes: Counter = field(default_factory=Counter)  # outcome -> submissions
    mistakes: Counter = field(default_factory=Counter)  # a real wording -> submissions making it

    @property
    def pass_rate(self) -> float:
        return self.passed / self.graded if self.graded else 0.0

    @property
    def written(self) -> int:
        """Submissions with work of their own in this kata."""
        return self.graded - sum(self.outcomes[absent] for absent in ABSENT)


@dataclass
class LearnerFigures:
    submission: str
    score: float
    max_score: float
    outcomes: dict[str, str]  # kata id -> outcome
    problem: str = ""
    stuck: list[str] = field(default_factory=list)  # topics with work in them, none of it passing
    stopped_at: str = ""  # the topic from which on nothing is written, though most of the class has
    nothing_written: bool = False
    topics_with_work: set[str] = field(default_factory=set)

    @property
    def fraction(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0

    @property
    def need(self) -> tuple:
        """Sorts the learner who most needs a teacher first: not graded, then the lowest share of
        the points, then the most topics stuck in."""
        return (not self.problem, round(self.fraction, 6), -len(self.stuck), not self.stopped_at,
                self.submission)

    @property
    def flags(self) -> list[str]:
        """What to look at, in words."""
        found = []
        if self.problem:
            found.append("not graded")
        elif self.nothing_written:
            found.append("nothing written")
        if self.stuck:
            found.append("stuck in " + ", ".join(self.stuck))
        if self.stopped_at:
            found.append(f"stopped at {self.stopped_at}")
        return found


@dataclass
class ClassFigures:
    count: int
    max_score: float
    scores: list[float]
    katas: list[KataFigures]
    learners: list[LearnerFigures] = field(default_factory=list)  # most in need first

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores) if self.scores else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.scores) if self.scores else 0.0


def topic_of(kata_id: str) -> str:
    return kata_id.split("/")[0]


def _learner(grade: Grade, kata_ids: list[str]) -> LearnerFigures:
    by_id = {kata.id: kata for kata in grade.katas}
    outcomes = {kata_id: outcome(by_id[kata_id], grade.problem) for kata_id in kata_ids if kata_id in by_id}
    figures = LearnerFigures(grade.submission, grade.score, grade.max_score, outcomes, grade.problem)
    if grade.problem or not outcomes:
        return figures
    topics: dict[str, list[str]] = {}
    for kata_id, result in outcomes.items():
        topics.setdefault(topic_of(kata_id), []).append(result)
    written = {topic: [r for r in results if r not in ABSENT] for topic, results in topics.items()}
    figures.stuck = [topic for topic, results in written.items() if results and PASSED not in results]
    figures.topics_with_work = {topic for topic, results in written.items() if results}
    figures.nothing_written = not any(written.values())
    if not figures.nothing_written:
        order = list(topics)
        last_with_work = max(number for number, topic in enumerate(order) if written[topic])
        if last_with_work + 1 < len(order):
            figures.stopped_at = order[last_with_work + 1]
    return figures


def summarize_class(grades: list[Grade], kata_ids: list[str]) -> ClassFigures:
    figures = {kata_id: KataFigures(id=kata_id, max_score=0) for kata_id in kata_ids}
    totals: dict[str, list[float]] = {kata_id: [] for kata_id in kata_ids}
    wordings: dict[str, dict[str, Counter]] = {kata_id: {} for kata_id in kata_ids}
    masked: dict[str, Counter] = {kata_id: Counter() for kata_id in kata_ids}
    for grade in grades:
        for kata in grade.katas:
            entry = figures.get(kata.id)
            if entry is None:
                continue
            entry.graded += 1
            entry.max_score = kata.max_score
            entry.passed += kata.status == "passed"
            result = outcome(kata, grade.problem)
            entry.outcomes[result] += 1
            totals[kata.id].append(kata.score)
            if result in ABSENT:
                continue
            # one count per submission and mistake, however many tests repeat it
            found = mistakes(kata)
            for message in found:
                wordings[kata.id].setdefault(diagnosis(message), Counter())[message] += 1
            masked[kata.id].update({diagnosis(message) for message in found})
    for kata_id, entry in figures.items():
        entry.mean_score = statistics.fmean(totals[kata_id]) if totals[kata_id] else 0.0
        # grouped without their numbers, shown as the most common real wording of each group
        # (ties: the first in sorted order): "off by a factor of N = 7", never "N = #"
        entry.mistakes = Counter({
            sorted(wordings[kata_id][key].items(), key=lambda item: (-item[1], item[0]))[0][0]: count
            for key, count in masked[kata_id].items()})
    learners = [_learner(grade, kata_ids) for grade in grades]
    # stopping before a topic counts only where most of the class has reached it: graded mid-course,
    # nobody has "stopped" at the topics still to come
    reached = Counter(topic for learner in learners for topic in learner.topics_with_work)
    for learner in learners:
        if learner.stopped_at and 2 * reached[learner.stopped_at] < len(learners):
            learner.stopped_at = ""
    learners.sort(key=lambda learner: learner.need)
    return ClassFigures(count=len(grades), max_score=max((g.max_score for g in grades), default=0),
                        scores=[grade.score for grade in grades], katas=list(figures.values()),
                        learners=learners)


def top_mistakes(kata: KataFigures, count: int = 3) -> list[tuple[str, int]]:
    """The kata's most common mistakes: (wording, submissions), most common first."""
    return sorted(kata.mistakes.items(), key=lambda item: (-item[1], item[0]))[:count]
