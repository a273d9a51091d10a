"""Hidden suite for 06_sqrt/sqrt_guess."""

from collections.abc import Callable

import pytest
import torch

from grader.grading import checks
from grader.suites.shared import sqrt_descent

CONTRACT = ("sqrt_by_descent(n, guess, lr, steps) -> float: gradient descent on the guess itself "
            "with loss (n − guess²)²; returns the guess after the last update, as a Python float")
CALL = "sqrt_by_descent(n, guess, lr, steps)"


# ---------------------------------------------------------------- references (float64)


def descend(n: float, guess: float, lr: float, steps: int, *, factor: float = 1.0,
            accumulate: bool = False) -> float:
    g, total = float(guess), 0.0
    for _ in range(steps):
        step = factor * sqrt_descent.grad(n, g)
        total = total + step if accumulate else step
        g = g - lr * total
    return g


def wrong_answers(n: float, guess: float, lr: float, steps: int) -> dict:
    return {
        "the gradient accumulates across steps: clear guess.grad after each update "
        "(guess.grad.zero_() or guess.grad = None)": descend(n, guess, lr, steps, accumulate=True),
        "the factor 2 is missing: d/dg (n − g²)² = 2(n − g²)·(−2g) = −4g(n − g²)":
            descend(n, guess, lr, steps, factor=0.5),
        "the factor 2 is doubled: d/dg (n − g²)² = −4g(n − g²)": descend(n, guess, lr, steps, factor=2.0),
        "the sign of the step is flipped: go against the gradient, guess − lr·gradient":
            descend(n, guess, lr, steps, factor=-1.0),
    }


# ---------------------------------------------------------------- reading and judging a result


def number(outcome, inputs: str) -> float:
    return sqrt_descent.read_guess(outcome, call=CALL, inputs=inputs, contract=CONTRACT)


def explain(got: float, expected: float, known: dict) -> str:
    return sqrt_descent.explain(
        got, expected, known, other_root=sqrt_descent.OTHER_ROOT,
        diverging="the descent diverged (the guess ran off to a huge number, inf or nan): step "
        "against the gradient, guess − lr·gradient, with the gradient −4g(n − g²)",
        otherwise=f"the guess is off by {abs(got - expected):.3g}")


def check_guess(got: float, expected: float, *, inputs: str, known: Callable[[], dict]) -> None:
    """``known`` makes the known wrong answers, only to explain a miss."""
    if not checks.close(got, expected, torch.float32):
        checks.fail(f"{CALL}: {explain(got, expected, known())}", inputs=inputs, expected=expected,
                    received=got, contract=CONTRACT)


def shown(n: float, guess: float, lr: float, steps: int) -> str:
    return f"n = {n:g}, guess = {guess:g}, lr = {lr:g}, steps = {steps}"


# ---------------------------------------------------------------- tests


SEED = (5.0, 4.0, 0.01, 20)  # its reference rounds to 2.23607: tests/test_published_numbers_06_09.py


@pytest.mark.points(1)
def test_seed_square_root_of_five(learner):
    """the seed: n=5, guess=4, lr 0.01, 20 steps gives 2.23607"""
    args = SEED
    expected = descend(*args)
    got = number(sqrt_descent.call_once(learner, "sqrt_by_descent", *args), shown(*args))
    check_guess(got, expected, inputs=shown(*args), known=lambda: wrong_answers(*args))
    if abs(got - 2.23607) > 5e-6:
        checks.fail(f"{CALL}: the seed run should give 2.23607 (to 5 decimals)", inputs=shown(*args),
                    expected=2.23607, received=got, contract=CONTRACT)


VALUE_CASES = [
    pytest.param(2.0, 1.0, 0.05, 10, id="sqrt2"),
    pytest.param(5.0, -4.0, 0.01, 20, id="negative-start"),
    pytest.param(0.25, 1.0, 0.1, 15, id="small-n"),
    pytest.param(9.0, 2.0, 0.005, 5, id="few-steps"),
    pytest.param(100.0, 12.0, 0.0005, 8, id="n100"),
    pytest.param(1e4, 90.0, 2e-6, 30, id="large"),
]


@pytest.mark.points(1)
@pytest.mark.parametrize("n, guess, lr, steps", VALUE_CASES)
def test_matches_gradient_descent(learner, n, guess, lr, steps):
    """the guess after `steps` descent steps"""
    expected = descend(n, guess, lr, steps)
    got = number(learner.call("sqrt_by_descent", n, guess, lr, steps), shown(n, guess, lr, steps))
    check_guess(got, expected, inputs=shown(n, guess, lr, steps),
                known=lambda: wrong_answers(n, guess, lr, steps))


@pytest.mark.points(1)
@pytest.mark.parametrize("n, guess, lr", [(5.0, 4.0, 0.01), (2.0, -3.0, 0.01)],
                         ids=["n5-guess4", "n2-guess-3"])
def test_one_step_uses_the_right_gradient(learner, n, guess, lr):
    """one step moves the guess by −lr·(−4g(n − g²)), the derivative checked by central differences"""
    inputs = shown(n, guess, lr, 1)
    got = number(learner.call("sqrt_by_descent", n, guess, lr, 1), inputs)
    implied = (guess - got) / lr  # the gradient the learner's step used

    def loss(g: float) -> float:
        return (n - g * g) ** 2

    h = 1e-6
    numeric = (loss(guess + h) - loss(guess - h)) / (2 * h)
    closed = sqrt_descent.grad(n, guess)
    assert abs(numeric - closed) <= 1e-6 * max(1.0, abs(closed))  # the judge's own check
    for reference, name in [(closed, "−4g(n − g²)"), (numeric, "central differences")]:
        if not checks.close(implied, reference, torch.float32):
            why = sqrt_descent.step_miss(implied, reference)
            checks.fail(f"{CALL}: after one step, (guess − result)/lr should be the gradient "
                        f"{name}; {why}", inputs=inputs, expected=reference, received=implied,
                        contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_returns_python_float(learner):
    """returns a Python float"""
    args = SEED
    outcome = sqrt_descent.call_once(learner, "sqrt_by_descent", *args)
    if type(outcome.value) is not float:
        checks.python_float(outcome, descend(*args), call=CALL, inputs=shown(*args),
                            contract=CONTRACT)
