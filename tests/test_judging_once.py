"""What the hidden suites lean on to pay for work once: ``Learner.shared`` (one learner call for the
tests that judge it alike) and ``checks.OnMiss`` (wrong answers worked out only on a miss)."""

from __future__ import annotations

import pytest
import torch

from grader.grading import checks
from grader.sandbox.seam import Learner


def test_a_shared_call_is_made_once_per_learner_process():
    learner = Learner("02_losses/mse", submission=None, zygote=None)
    made = []

    def make():
        made.append(learner.process)
        return len(made)

    learner.process = first = object()
    assert [learner.shared("seed", make) for _ in range(3)] == [1, 1, 1]
    assert learner.shared("other", make) == 2  # another key is another call
    learner.process = object()  # the kata's process was replaced: a Ref into the old one is void
    assert learner.shared("seed", make) == 3
    assert made[0] is first and len(made) == 3


def test_a_shared_call_that_raises_is_made_again_by_the_next_test():
    learner = Learner("02_losses/mse", submission=None, zygote=None)
    calls = []

    def fails():
        calls.append(1)
        raise TimeoutError("the learner's call hung")

    for _ in range(2):
        with pytest.raises(TimeoutError):
            learner.shared("seed", fails)
    assert len(calls) == 2


def test_wrong_answers_are_worked_out_only_when_an_answer_misses():
    worked = []

    def wrong_answers():
        worked.append(1)
        return {"the sign is flipped": torch.tensor([-1.0, -2.0])}

    known = checks.OnMiss(wrong_answers)
    expected = torch.tensor([1.0, 2.0])
    assert checks.close(torch.tensor([1.0, 2.0]), expected, torch.float64) and worked == []
    why = checks.explain_miss(torch.tensor([-1.0, -2.0]), expected, known=known)
    assert "the sign is flipped" in why
    checks.explain_miss(torch.tensor([-1.0, -2.0]), expected, known=known)
    assert worked == [1]  # worked out once, read as often as needed
