"""Figures about a whole class, computed once for every class-level view (report, terminal)."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from grader.model import Grade

_NUMBER = re.compile(r"(?<![\w.])-?\d+(\.\d+)?(e-?\d+)?(?![\w.])")


def diagnosis(message: str) -> str:
    """The mistake a message names, without the numbers that vary from case to case."""
    first = message.splitlines()[0] if message else "(no message)"
    return _NUMBER.sub("#", first)[:160]


@dataclass
class KataFigures:
    id: str
    max_score: float
    passed: int = 0
    graded: int = 0
    mean_score: float = 0.0
    diagnoses: Counter = field(default_factory=Counter)

    @property
    def pass_rate(self) -> float:
        return self.passed / self.graded if self.graded else 0.0


@dataclass
class ClassFigures:
    count: int
    max_score: float
    scores: list[float]
    katas: list[KataFigures]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores) if self.scores else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.scores) if self.scores else 0.0


def summarize_class(grades: list[Grade], kata_ids: list[str]) -> ClassFigures:
    figures = {kata_id: KataFigures(id=kata_id, max_score=0) for kata_id in kata_ids}
    totals: dict[str, list[float]] = {kata_id: [] for kata_id in kata_ids}
    wordings: dict[str, dict[str, Counter]] = {kata_id: {} for kata_id in kata_ids}
    for grade in grades:
        for kata in grade.katas:
            entry = figures.get(kata.id)
            if entry is None:
                continue
            entry.graded += 1
            entry.max_score = kata.max_score
            entry.passed += kata.status == "passed"
            totals[kata.id].append(kata.score)
            # one count per submission and diagnosis, however many tests repeat it
            failing = {test.message.splitlines()[0] if test.message else "(no message)"
                       for test in kata.tests if test.status != "passed"}
            for message in failing:
                wordings[kata.id].setdefault(diagnosis(message), Counter())[message[:160]] += 1
            entry.diagnoses.update({diagnosis(message) for message in failing})
    for kata_id, entry in figures.items():
        entry.mean_score = statistics.fmean(totals[kata_id]) if totals[kata_id] else 0.0
        # grouped without their numbers, shown as the most common real wording of each group:
        # "off by a factor of N = 7", never a placeholder "N = #"
        entry.diagnoses = Counter({wordings[kata_id][masked].most_common(1)[0][0]: count
                                   for masked, count in entry.diagnoses.items()})
    return ClassFigures(count=len(grades), max_score=max((g.max_score for g in grades), default=0),
                        scores=[grade.score for grade in grades], katas=list(figures.values()))
