"""Hidden suite for 06_sqrt/sqrt_neuron."""

import functools
import math

import numpy as np
import pytest
import torch
from torch import nn

from grader.grading import checks
from grader.suites.shared import sqrt_descent

CONTRACT = ("sqrt_neuron(n, lr, steps, seed) -> float: torch.manual_seed(seed), guess = "
            "nn.Linear(1, 1) applied to [[4.0]], loss (n − guess²)², torch.optim.SGD for `steps` "
            "steps; returns the guess after the last update as a Python float; converges to ±√n")
CALL = "sqrt_neuron(n, lr, steps, seed)"
INPUT = 4.0


# ---------------------------------------------------------------- references


@functools.cache
def start(seed: int, dtype: torch.dtype = torch.float32) -> tuple[float, float]:
    """The neuron's weight and bias right after torch.manual_seed(seed): the same torch, here.
    Only the CPU generator builds the layer; seeding it alone skips torch.manual_seed's ~1 ms
    walk over the device back-ends."""
    with torch.random.fork_rng(devices=[]):
        torch.default_generator.manual_seed(seed)
        layer = nn.Linear(1, 1, dtype=dtype)
    return float(layer.weight.detach().reshape(())), float(layer.bias.detach().reshape(()))


def descend(n: float, lr: float, steps: int, w: float, b: float, *, x: float = INPUT,
            dloss=sqrt_descent.grad, accumulate: bool = False, dtype=np.float64) -> list[float]:
    """Plain SGD on weight and bias; the guesses before the first update, then after each one."""
    n, lr, w, b, x = (dtype(v) for v in (n, lr, w, b, x))
    total_w = total_b = dtype(0.0)
    guesses = [float(x * w + b)]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            g = dloss(n, x * w + b)
            gw, gb = g * x, g
            if accumulate:
                total_w, total_b = total_w + gw, total_b + gb
                gw, gb = total_w, total_b
            w, b = w - lr * gw, b - lr * gb
            guesses.append(float(x * w + b))
    return guesses


@functools.cache
def accepted(n: float, lr: float, steps: int, seed: int) -> tuple[float, float]:
    """Right answers: the float32 neuron of the contract (computed in float64), and the same
    algorithm from a neuron built directly in float64 (its random start differs)."""
    return tuple(descend(n, lr, steps, *start(seed, dtype))[-1] for dtype in (torch.float32, torch.float64))


def wrong_answers(n: float, lr: float, steps: int, seed: int) -> dict:
    w, b = start(seed)
    right = descend(n, lr, steps, w, b)
    known = {
        "the gradients accumulate across steps: call optimizer.zero_grad() every step":
            descend(n, lr, steps, w, b, accumulate=True)[-1],
        "that is the guess from before the last update: compute neuron(input) again after the "
        "loop": right[-2],
        "the input should be [[4.0]]": descend(n, lr, steps, w, b, x=1.0)[-1],
        "that fits guess to n, not guess² to n: the loss is (n − guess²)²":
            descend(n, lr, steps, w, b, dloss=lambda n, g: 2.0 * (g - n))[-1],
    }
    if lr != 1e-3:
        known["that is SGD's default learning rate: pass lr=lr to torch.optim.SGD"] = descend(
            n, 1e-3, steps, w, b)[-1]
    return known


# ---------------------------------------------------------------- reading and judging a result


def number(outcome, inputs: str) -> float:
    return sqrt_descent.read_guess(outcome, call=CALL, inputs=inputs, contract=CONTRACT)


def explain(got: float, expected: float, known: dict) -> str:
    return sqrt_descent.explain(
        got, expected, known,
        diverging="the descent diverged (the guess ran off to a huge number, inf or nan): check the "
        "loss (n − guess²)² and that the optimizer gets lr=lr",
        other_root="you landed on the other root: where the descent ends depends on the neuron's "
        "random start, so call torch.manual_seed(seed) right before nn.Linear(1, 1)",
        otherwise="the trajectory differs from torch.manual_seed(seed), then nn.Linear(1, 1), the "
        "input [[4.0]] and torch.optim.SGD(neuron.parameters(), lr=lr)")


def shown(n: float, lr: float, steps: int, seed: int) -> str:
    return f"n = {n:g}, lr = {lr:g}, steps = {steps}, seed = {seed}"


@functools.cache
def determined(n: float, lr: float, steps: int, seed: int) -> bool:
    """float32 rounding cannot move this run's end: float32 and float64 arithmetic agree."""
    w, b = start(seed)
    wide = descend(n, lr, steps, w, b)[-1]
    narrow = descend(n, lr, steps, w, b, dtype=np.float32)[-1]
    return math.isfinite(wide) and checks.close(narrow, wide, torch.float32, rtol=2e-5)


# ---------------------------------------------------------------- tests


# The reference is within 1e-11 of √n after 20 steps in each (within 1e-6 after 6 to 13): more
# steps would only cost the learner's time (SGD steps a Linear at about 0.2 ms each)
CONVERGING = [
    pytest.param(5.0, 0.001, 20, 11, id="n5"),
    pytest.param(2.0, 0.004, 20, 12, id="n2"),
    pytest.param(10.0, 0.0008, 20, 13, id="n10"),
]
TRAJECTORIES = [
    pytest.param(5.0, 0.001, 30, 0, id="plus-root"),
    pytest.param(5.0, 0.001, 30, 7, id="minus-root"),
    pytest.param(5.0, 0.001, 3, 3, id="three-steps-across-zero"),
    pytest.param(2.0, 0.003, 5, 1, id="five-steps"),
]
PLUS_ROOT = (5.0, 0.001, 30, 0)  # the float test examines this trajectory's call
ONE_STEP = (5.0, 0.001, 1, 0)


@pytest.mark.points(1)
@pytest.mark.parametrize("n, lr, steps, seed", CONVERGING)
def test_converges_to_a_square_root(learner, n, lr, steps, seed):
    """converges to ±√n"""
    ends = [end for end in accepted(n, lr, steps, seed) if math.isfinite(end)]
    assert ends and abs(abs(ends[0]) - math.sqrt(n)) < 1e-6  # the judge's own check: it converges
    inputs = shown(n, lr, steps, seed)
    got = number(learner.call("sqrt_neuron", n, lr, steps, seed), inputs)
    if not checks.close(abs(got), math.sqrt(n), torch.float32):
        checks.fail(f"{CALL}: |guess| should settle at √n = {math.sqrt(n):.6g}; "
                    + explain(got, ends[0], wrong_answers(n, lr, steps, seed)),
                    inputs=inputs, expected=math.sqrt(n), received=got, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.parametrize("n, lr, steps, seed", TRAJECTORIES)
def test_follows_the_seeded_trajectory(learner, n, lr, steps, seed):
    """the seed fixes the start, and so the sign and value of the result"""
    inputs = shown(n, lr, steps, seed)
    expected = accepted(n, lr, steps, seed)
    got = number(sqrt_descent.call_once(learner, "sqrt_neuron", n, lr, steps, seed), inputs)
    if not determined(n, lr, steps, seed):  # only the magnitude is fixed then
        if not checks.close(abs(got), abs(expected[0]), torch.float32):
            checks.fail(f"{CALL}: |guess| is off", inputs=inputs, expected=abs(expected[0]),
                        received=got, contract=CONTRACT)
        return
    if not any(checks.close(got, end, torch.float32) for end in expected if math.isfinite(end)):
        checks.fail(f"{CALL}: {explain(got, expected[0], wrong_answers(n, lr, steps, seed))}",
                    inputs=inputs, expected=expected[0], received=got, contract=CONTRACT)


@pytest.mark.points(1)
def test_one_step_uses_the_right_gradient(learner):
    """one SGD step moves the guess by −lr·(x² + 1)·(−4g(n − g²)), checked by central differences"""
    n, lr, _, seed = ONE_STEP
    inputs = shown(n, lr, 1, seed)
    got = number(learner.call("sqrt_neuron", n, lr, 1, seed), inputs)
    if not any(checks.close(got, end, torch.float32) for end in accepted(n, lr, 1, seed)):
        w, b = start(seed)
        g0 = INPUT * w + b
        implied = (g0 - got) / (lr * (INPUT**2 + 1))  # the dLoss/dguess the step used
        right = sqrt_descent.grad(n, g0)
        known = wrong_answers(n, lr, 1, seed)
        why = explain(got, descend(n, lr, 1, w, b)[-1], known)
        if why.startswith("the trajectory differs"):
            why = sqrt_descent.step_miss(implied, right)
        checks.fail(f"{CALL}: after one step: {why}", inputs=inputs,
                    expected=descend(n, lr, 1, w, b)[-1], received=got, contract=CONTRACT)

    # the judge's reference step against central differences of the loss in (weight, bias)
    w, b = start(seed)
    h = 1e-6

    def loss(w: float, b: float) -> float:
        return (n - (INPUT * w + b) ** 2) ** 2

    dw = (loss(w + h, b) - loss(w - h, b)) / (2 * h)
    db = (loss(w, b + h) - loss(w, b - h)) / (2 * h)
    numeric = INPUT * (w - lr * dw) + (b - lr * db)
    if not (checks.close(got, numeric, torch.float32)
            or checks.close(got, accepted(n, lr, 1, seed)[1], torch.float32)):
        checks.fail(f"{CALL}: one step does not match central differences of the loss",
                    inputs=inputs, expected=numeric, received=got, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_same_seed_same_answer(learner):
    """the same seed gives the same answer on every call"""
    args = (5.0, 0.001, 5, 42)
    first = number(learner.call("sqrt_neuron", *args), shown(*args))
    second = number(learner.call("sqrt_neuron", *args), shown(*args))
    if first != second and not (math.isnan(first) and math.isnan(second)):
        checks.fail(f"{CALL}: two calls with the same seed gave different answers: call "
                    "torch.manual_seed(seed) first, then build nn.Linear(1, 1)", inputs=shown(*args),
                    expected=first, received=second, contract=CONTRACT)


@pytest.mark.points(1)
@pytest.mark.rule
def test_returns_python_float(learner):
    """returns a Python float"""
    args = PLUS_ROOT
    outcome = sqrt_descent.call_once(learner, "sqrt_neuron", *args)
    if type(outcome.value) is not float:
        checks.python_float(outcome, accepted(*args)[0], call=CALL, inputs=shown(*args),
                            contract=CONTRACT)


# The references depend on constants only: found once at collection, in the grader, so each judge
# forked from it shares them (start, accepted and determined are cached)
for _case in [*CONVERGING, *TRAJECTORIES]:
    accepted(*_case.values)
for _case in TRAJECTORIES:
    determined(*_case.values)
accepted(*ONE_STEP)
