"""Hidden suite for 06_sqrt/sqrt_params."""

from collections.abc import Callable
from typing import NamedTuple

import pytest
import torch

from grader.grading import checks
from grader.suites.shared import sqrt_descent

CONTRACT = ("sqrt_shift(n, input_val, lr, steps) -> float: guess = input_val + shift, shift starts "
            "at 1.0; sqrt_shift_scale(n, input_val, lr, steps) -> float: guess = input_val·scale + "
            "shift, both start at 1.0; loss (n − guess²)², plain gradient descent on the parameters; "
            "each returns the guess after the last update, as a Python float")


# ---------------------------------------------------------------- references (float64)


class Run(NamedTuple):
    guesses: list[float]  # before the first update, then after each one
    scale: float
    shift: float

    @property
    def final(self) -> float:
        return self.guesses[-1]


def descend(n: float, x: float, lr: float, steps: int, *, with_scale: bool, factor: float = 1.0,
            accumulate: bool = False, scale_input: bool = True,
            order: tuple[str, ...] | None = None) -> Run:
    scale, shift, total_a, total_b = 1.0, 1.0, 0.0, 0.0
    guesses = [x * scale + shift]
    for _ in range(steps):
        if order is None:  # both gradients at the same point, then both updates
            g = factor * sqrt_descent.grad(n, x * scale + shift)
            da = g * (x if scale_input else 1.0) if with_scale else 0.0
            db = g
            if accumulate:
                total_a, total_b = total_a + da, total_b + db
                da, db = total_a, total_b
            scale, shift = scale - lr * da, shift - lr * db
        else:  # one parameter after the other, the second one seeing the first one's update
            for which in order:
                g = sqrt_descent.grad(n, x * scale + shift)
                if which == "scale":
                    scale -= lr * g * x
                else:
                    shift -= lr * g
        guesses.append(x * scale + shift)
    return Run(guesses, scale, shift)


def reference(fn: str, n: float, x: float, lr: float, steps: int) -> float:
    return descend(n, x, lr, steps, with_scale=fn == "sqrt_shift_scale").final


def wrong_answers(fn: str, n: float, x: float, lr: float, steps: int) -> dict:
    with_scale = fn == "sqrt_shift_scale"
    right = descend(n, x, lr, steps, with_scale=with_scale)
    known = {
        "that is the final shift, not the guess: return the guess made with the final "
        "parameters": right.shift,
        "the gradient accumulates across steps: clear the parameters' .grad after each update":
            descend(n, x, lr, steps, with_scale=with_scale, accumulate=True).final,
        "that is the guess from before the last update: return the guess computed with the "
        "updated parameters": right.guesses[-2],
        "the factor 2 is missing: d/dguess (n − guess²)² = −4·guess·(n − guess²)":
            descend(n, x, lr, steps, with_scale=with_scale, factor=0.5).final,
        "the sign of the step is flipped: go against the gradient, parameter − lr·gradient":
            descend(n, x, lr, steps, with_scale=with_scale, factor=-1.0).final,
    }
    if with_scale:
        known.update({
            "that is the final scale, not the guess: return the guess made with the final "
            "parameters": right.scale,
            "only shift learned: scale must descend too (guess = input_val·scale + shift)":
                descend(n, x, lr, steps, with_scale=False).final,
            "the scale's gradient is missing the factor input_val (d guess / d scale = input_val)":
                descend(n, x, lr, steps, with_scale=True, scale_input=False).final,
        })
        for order in [("scale", "shift"), ("shift", "scale")]:
            known[f"{order[0]} was updated before {order[1]}'s gradient was taken: compute both "
                  "gradients at the same point, then update both"] = descend(
                n, x, lr, steps, with_scale=True, order=order).final
    return known


# ---------------------------------------------------------------- reading and judging a result


def number(outcome, call: str, inputs: str) -> float:
    return sqrt_descent.read_guess(outcome, call=call, inputs=inputs, contract=CONTRACT)


def explain(got: float, expected: float, known: dict) -> str:
    matches = sqrt_descent.matching(got, known)
    if (not sqrt_descent.diverged(got, expected) and len(matches) == 2
            and all("was updated before" in label for label in matches)):
        return ("scale and shift were updated one after the other: compute both gradients at "
                "the same point, then update both")
    return sqrt_descent.explain(
        got, expected, known, other_root=sqrt_descent.OTHER_ROOT,
        diverging="the descent diverged (the guess ran off to a huge number, inf or nan): step "
        "against the gradient, with the gradient −4·guess·(n − guess²)·d guess/d parameter",
        otherwise=f"the guess is off by {abs(got - expected):.3g}")


def check_guess(got: float, expected: float, *, call: str, inputs: str, known: Callable[[], dict]) -> None:
    """``known`` makes the known wrong answers, only to explain a miss."""
    if not checks.close(got, expected, torch.float32):
        checks.fail(f"{call}: {explain(got, expected, known())}", inputs=inputs, expected=expected,
                    received=got, contract=CONTRACT)


def shown(n: float, x: float, lr: float, steps: int) -> str:
    return f"n = {n:g}, input_val = {x:g}, lr = {lr:g}, steps = {steps}"


def run(learner, fn: str, n: float, x: float, lr: float, steps: int) -> float:
    call = f"{fn}(n, input_val, lr, steps)"
    got = number(learner.call(fn, n, x, lr, steps), call, shown(n, x, lr, steps))
    check_guess(got, reference(fn, n, x, lr, steps), call=call, inputs=shown(n, x, lr, steps),
                known=lambda: wrong_answers(fn, n, x, lr, steps))
    return got


# ---------------------------------------------------------------- tests


@pytest.mark.points(1)
@pytest.mark.parametrize("lr, root", [(0.0005, 1.0), (0.001, -1.0)], ids=["lr0.0005-plus", "lr0.001-minus"])
def test_seed_two_minima(learner, lr, root):
    """the seed: sqrt_shift_scale with n=5, input 4 reaches +2.236 with lr 0.0005 and −2.236 with lr 0.001"""
    args = (5.0, 4.0, lr, 100)  # the reference settles there: tests/test_published_numbers_06_09.py
    got = run(learner, "sqrt_shift_scale", *args)
    if abs(got - root * 2.236) > 5e-4:
        checks.fail(f"sqrt_shift_scale(n, input_val, lr, steps): the seed run should settle near "
                    f"{root * 2.236:+.3f}", inputs=shown(*args), expected=root * 2.236,
                    received=got, contract=CONTRACT)


SHIFT_CASES = [
    pytest.param(5.0, 4.0, 0.01, 30, id="notebook-run"),
    pytest.param(10.0, -5.0, 0.002, 15, id="negative-input"),
]
SHIFT_SCALE_CASES = [
    pytest.param(5.0, 4.0, 0.001, 5, id="overshoot-few-steps"),
    pytest.param(0.5, -1.5, 0.01, 20, id="small-n-negative-input"),
]


@pytest.mark.points(1)
@pytest.mark.parametrize("n, x, lr, steps", SHIFT_CASES)
def test_shift_matches_gradient_descent(learner, n, x, lr, steps):
    """sqrt_shift: the guess after `steps` descent steps on shift"""
    run(learner, "sqrt_shift", n, x, lr, steps)


@pytest.mark.points(1)
@pytest.mark.parametrize("n, x, lr, steps", SHIFT_SCALE_CASES)
def test_shift_scale_matches_gradient_descent(learner, n, x, lr, steps):
    """sqrt_shift_scale: the guess after `steps` descent steps on scale and shift together"""
    run(learner, "sqrt_shift_scale", n, x, lr, steps)


@pytest.mark.points(1)
@pytest.mark.parametrize("fn, n, x, lr", [("sqrt_shift", 5.0, 4.0, 0.001),
                                          ("sqrt_shift_scale", 3.0, 2.0, 0.002)],
                         ids=["sqrt_shift", "sqrt_shift_scale"])
def test_one_step_uses_the_right_gradient(learner, fn, n, x, lr):
    """one step follows the gradient, checked in closed form and by central differences"""
    with_scale = fn == "sqrt_shift_scale"
    call, inputs = f"{fn}(n, input_val, lr, steps)", shown(n, x, lr, 1)

    def loss(scale: float, shift: float) -> float:
        return (n - (x * scale + shift) ** 2) ** 2

    h = 1e-6
    d_shift = (loss(1.0, 1.0 + h) - loss(1.0, 1.0 - h)) / (2 * h)
    d_scale = (loss(1.0 + h, 1.0) - loss(1.0 - h, 1.0)) / (2 * h) if with_scale else 0.0
    numeric = x * (1.0 - lr * d_scale) + (1.0 - lr * d_shift)
    expected = reference(fn, n, x, lr, 1)
    assert abs(numeric - expected) <= 1e-6 * max(1.0, abs(expected))  # the judge's own check

    got = number(learner.call(fn, n, x, lr, 1), call, inputs)
    if not checks.close(got, expected, torch.float32):
        why = explain(got, expected, wrong_answers(fn, n, x, lr, 1))
        if why.startswith("the guess is off"):
            # the gradient the step used, in units of dLoss/dguess
            spread = lr * (x * x + 1.0) if with_scale else lr
            implied, right = (x + 1.0 - got) / spread, sqrt_descent.grad(n, x + 1.0)
            why = sqrt_descent.step_miss(implied, right)
        checks.fail(f"{call}: after one step from scale = shift = 1: {why}", inputs=inputs,
                    expected=expected, received=got, contract=CONTRACT)
    if not checks.close(got, numeric, torch.float32):
        checks.fail(f"{call}: one step does not match central differences of the loss",
                    inputs=inputs, expected=numeric, received=got, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("fn", ["sqrt_shift", "sqrt_shift_scale"])
def test_returns_python_float(learner, fn):
    """returns a Python float"""
    args = (5.0, 4.0, 0.0005, 20)
    outcome = learner.call(fn, *args)
    if type(outcome.value) is not float:
        checks.python_float(outcome, reference(fn, *args), call=f"{fn}(n, input_val, lr, steps)",
                            inputs=shown(*args), contract=CONTRACT)
