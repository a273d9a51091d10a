"""Judge logic shared by the 06_sqrt suites: gradient descent on the loss (n − guess²)².

The derivative in closed form, reading the returned guess, and naming what is wrong with it.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from grader.grading import checks

OTHER_ROOT = "you landed on the other root (the sign of the guess is flipped)"


def grad(n: float, g: float) -> float:
    """d/dg (n − g²)² = −4g(n − g²)."""
    return -4.0 * g * (n - g * g)


def read_guess(outcome: Any, *, call: str, inputs: str, contract: str) -> float:
    """The returned number, read leniently (the float type has its own test)."""
    return checks.as_number(outcome, call=call, inputs=inputs, contract=contract,
                            what="the final guess as a number (a Python float)")


def diverged(got: float, expected: float) -> bool:
    """The guess ran off to a huge number, inf or nan."""
    return not math.isfinite(got) or abs(got) > 1e6 * max(1.0, abs(expected))


def matching(got: float, known: dict) -> list[str]:
    """The labels of the known wrong answers that `got` is (at float32 tolerance), in order."""
    return [label for label, wrong in known.items()
            if math.isfinite(wrong) and checks.close(got, wrong, torch.float32)]


def explain(got: float, expected: float, known: dict, *, diverging: str, other_root: str,
            otherwise: str) -> str:
    """Why `got` is not `expected`: a divergence, a known mistake, the other root, or otherwise."""
    if diverged(got, expected):
        return diverging
    matches = matching(got, known)
    if matches:
        return matches[0]
    if checks.close(-got, expected, torch.float32):
        return other_root
    return otherwise


def step_miss(implied: float, right: float) -> str:
    """Name what is wrong with the gradient one step used, in units of dLoss/dguess."""
    why = checks.explain_miss(torch.tensor(implied, dtype=torch.float64),
                              torch.tensor(right, dtype=torch.float64), dtype=torch.float32)
    if why.startswith("the values are off"):
        return (f"the step used the gradient {implied:.6g} where −4·guess·(n − guess²) = "
                f"{right:.6g}")
    return why


def call_once(learner: Any, function: str, *args: Any) -> Any:
    """learner.call(function, *args), made once per submission for the tests that examine that
    call alike (see Learner.shared)."""
    return learner.shared((function, *args), lambda: learner.call(function, *args))
