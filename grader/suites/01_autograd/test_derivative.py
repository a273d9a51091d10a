"""Hidden suite for 01_autograd/derivative."""

import math

import pytest
import torch

from grader.grading import checks
from grader.sandbox.codec import Scenario

CONTRACT = ("derivative(f, x: float) -> float: f'(x) by autograd, as a Python float; "
            "f maps a 0-d float64 tensor to a 0-d tensor")

# Value tests read the number leniently (a 0-d tensor or a numpy scalar is fine there: the type
# has its own test) and at a tolerance a float32 slip still meets (that has its own test too).
VALUE_RTOL, VALUE_ATOL = 1e-5, 1e-7


# The closed-form slopes are checked against float64 central differences, at every case's x, in
# tests/test_published_numbers_01_02_04_14.py (not in each grade).


def poly_value(coeffs: list[float], x: float) -> float:
    return sum(c * x**k for k, c in enumerate(coeffs))


def poly_slope(coeffs: list[float], x: float) -> float:
    return sum(k * c * x ** (k - 1) for k, c in enumerate(coeffs) if k > 0)


def sin_exp_value(x: float) -> float:
    return math.sin(x) * math.exp(x / 2)


def sin_exp_slope(x: float) -> float:
    return math.exp(x / 2) * (math.cos(x) + math.sin(x) / 2)


def central_difference(g, x: float, delta: float = 1e-5) -> float:
    return (g(x + delta) - g(x - delta)) / (2 * delta)


def as_number(outcome, *, call: str, inputs: str) -> float:
    """The returned number, whatever reasonable type it came in (the type is tested elsewhere)."""
    return checks.as_number(outcome, call=call, inputs=inputs, contract=CONTRACT,
                            what="a number, the slope f'(x)")


def check_slope(outcome, expected: float, *, f_text: str, x: float, f_of_x: float,
                rtol: float = VALUE_RTOL, atol: float = VALUE_ATOL) -> None:
    call = f"derivative(f, {x!r})"
    inputs = f"f(x) = {f_text}, x = {x!r}"
    got = as_number(outcome, call=call, inputs=inputs)
    if not checks.close(got, expected, rtol=rtol, atol=atol):
        why = checks.explain_miss(torch.tensor(got, dtype=torch.float64),
                                  torch.tensor(expected, dtype=torch.float64),
                                  known={"you returned f(x) itself, not its slope f'(x)": f_of_x})
        checks.fail(f"{call}: {why}", inputs=inputs, expected=expected, received=got,
                    contract=CONTRACT)


def poly_text(coeffs: list[float]) -> str:
    text = ""
    for k, c in enumerate(coeffs):
        if c == 0:
            continue
        power = "" if k == 0 else ("·x" if k == 1 else f"·x^{k}")
        term = f"{abs(c):g}{power}"
        text += (f"−{term}" if c < 0 else term) if not text else (f" − {term}" if c < 0 else f" + {term}")
    return text or "0"


POLY_CASES = [
    pytest.param([1.0, -2.0, 0.5], 1.5, id="quadratic"),
    pytest.param([0.0, 0.0, 0.0, 1.0], -2.0, id="cube-negative-x"),
    # the slope here is 0, what `return 0.0` gives: a rule, worth points once the slopes are right
    pytest.param([3.0, 0.0, -1.0, 0.0, 0.25], 0.0, id="quartic-at-zero", marks=pytest.mark.rule),
    pytest.param([0.0, 7.0], 3.25, id="line"),
    pytest.param([2.0, -1.0, 0.0, 0.001], 123.5, id="cubic-large-x"),
]


@pytest.mark.points(1)
@pytest.mark.parametrize("coeffs, x", POLY_CASES)
def test_polynomials(learner, coeffs, x):
    """slope of a polynomial"""
    outcome = learner.call("derivative", Scenario("poly", {"coeffs": coeffs}), x)
    check_slope(outcome, poly_slope(coeffs, x), f_text=poly_text(coeffs), x=x, f_of_x=poly_value(coeffs, x))


SIN_EXP_XS = [0.7, -3.2, 4.0]


@pytest.mark.points(1)
@pytest.mark.parametrize("x", SIN_EXP_XS)
def test_sin_exp(learner, x):
    """slope of sin(x)·exp(x/2)"""
    outcome = learner.call("derivative", Scenario("sin_exp", {"reduce": "sum"}), x)
    check_slope(outcome, sin_exp_slope(x), f_text="sin(x)·exp(x/2)", x=x, f_of_x=sin_exp_value(x))


@pytest.mark.points(1)
@pytest.mark.parametrize("x", [-1.25, 2.5])
def test_matches_finite_differences(learner, x):
    """agrees with a float64 central difference"""
    outcome = learner.call("derivative", Scenario("sin_exp"), x)
    numeric = central_difference(sin_exp_value, x, 1e-6)
    check_slope(outcome, numeric, f_text="sin(x)·exp(x/2)", x=x, f_of_x=sin_exp_value(x),
                rtol=1e-6, atol=1e-8)


@pytest.mark.points(2)
def test_returns_python_float(learner):
    """returns a Python float"""
    coeffs = [0.0, 1.0, 1.0]
    outcome = learner.call("derivative", Scenario("poly", {"coeffs": coeffs}), 2.0)
    checks.python_float(outcome, 5.0, call="derivative(f, 2.0)",
                        inputs="f(x) = x + x^2, x = 2.0", contract=CONTRACT, rtol=VALUE_RTOL,
                        atol=VALUE_ATOL)


@pytest.mark.points(2)
def test_gives_f_a_0d_float64_tensor(learner):
    """gives f a 0-d float64 tensor, and so float64 accuracy"""
    # f(x) = (x − 1000)², expanded: the slope 2(x − 1000) at x = 1000.3 comes out of a
    # cancellation between numbers near 2000, so float32 leaves only 4 good digits.
    c, x = 1000.0, 1000.3
    coeffs = [c * c, -2 * c, 1.0]
    outcome = learner.call("derivative", Scenario("derivative_checked", {"coeffs": coeffs}), x)
    call, inputs = f"derivative(f, {x!r})", f"f(x) = {c:g}² − {2 * c:g}·x + x^2, x = {x!r}"
    if outcome.raised is not None and outcome.raised.is_a("TypeError") and \
            outcome.raised.message.startswith("f takes"):
        checks.fail(f"{call}: {outcome.raised.message}. Build it with "
                    "torch.tensor(x, dtype=torch.float64, requires_grad=True)",
                    inputs=inputs, contract=CONTRACT)
    expected = 2 * (x - c)
    got = as_number(outcome, call=call, inputs=inputs)
    if not checks.close(got, expected, torch.float64):
        if checks.close(got, expected, torch.float32):
            why = ("only float32-accurate: the slope should carry float64 precision "
                   "(autograd on a float64 tensor, not a finite difference)")
        else:
            why = checks.explain_miss(torch.tensor(got), torch.tensor(expected))
        checks.fail(f"{call}: {why}", inputs=inputs, expected=expected, received=got,
                    contract=CONTRACT)
