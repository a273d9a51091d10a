"""Hidden suite for 03_gradients/scalar_grad."""

import numpy as np
import pytest
import torch

from grader.grading import cases, checks

CONTRACT = ("dmse_dw(x, y, w: float) -> float: numpy; model ŷ = w·x, loss MSE; "
            "returns (2/N)·Σ xᵢ(w·xᵢ − yᵢ) as a Python float")
CALL = "dmse_dw(x, y, w)"


def data(seed: int, n: int, dtype: torch.dtype, slope: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    x = cases.randn(seed, n, dtype=torch.float64, scale=2.0, shift=1.0)
    y = slope * x + cases.randn(seed + 1, n, dtype=torch.float64, scale=0.5)
    return x.to(dtype).numpy(), y.to(dtype).numpy()


def loss(x: np.ndarray, y: np.ndarray, w: float) -> float:
    x64, y64 = x.astype(np.float64), y.astype(np.float64)
    return float(np.mean((w * x64 - y64) ** 2))


def reference(x: np.ndarray, y: np.ndarray, w: float) -> float:
    x64, y64 = x.astype(np.float64), y.astype(np.float64)
    return float(2 / len(x64) * np.sum(x64 * (w * x64 - y64)))


def wrong_answers(x: np.ndarray, y: np.ndarray, w: float) -> dict:
    n = len(x)
    right = reference(x, y, w)
    return {
        f"off by a factor of N = {n}: the 1/N is missing. The loss is a mean, so its gradient "
        "is a mean too (the notebook's part 1 drops it)": right * n,
        "half the expected value: the factor 2 from differentiating the square is missing": right / 2,
        "the sign is flipped: the residual is w·x − y, prediction minus target": -right,
        f"off by a factor of −N = −{n}: the 1/N is missing and the sign is flipped": -right * n,
        "that is the loss itself, not its derivative with respect to w": loss(x, y, w),
    }


def check_value(outcome, x, y, w, dtype, expected=None, **tolerance) -> None:
    """The value, read leniently (a numpy float or a 1-element array is fine: the type has its own test)."""
    inputs = {"x": x, "y": y, "w": w}
    expected = reference(x, y, w) if expected is None else expected
    got = checks.as_number(outcome, call=CALL, inputs=inputs, contract=CONTRACT, what="a Python float",
                           shape_hint="sum (or average) over the data points", bool_scalars=True,
                           floats_only=True)
    checks.python_float(got, expected, call=CALL, inputs=inputs, contract=CONTRACT,
                        known=wrong_answers(x, y, w), dtype=dtype, **tolerance)


CASES = [
    pytest.param(dtype, n, w, id=f"{cases.dtype_id(dtype)}-N{n}")
    for dtype in cases.DTYPES
    for n, w in [(1, -0.5), (8, 0.75), (50, 3.5)]
]


@pytest.mark.points(1)
@pytest.mark.parametrize("dtype, n, w", CASES)
def test_matches_closed_form(learner, dtype, n, w):
    """(2/N)·Σ xᵢ(w·xᵢ − yᵢ)"""
    x, y = data(81, n, dtype)
    check_value(learner.call("dmse_dw", x, y, w), x, y, w, dtype)


@pytest.mark.points(1)
def test_matches_finite_differences(learner):
    """matches central differences of the MSE in float64"""
    x, y = data(91, 12, torch.float64, slope=-1.5)
    w, h = 0.8, 1e-4
    numerical = (loss(x, y, w + h) - loss(x, y, w - h)) / (2 * h)
    check_value(learner.call("dmse_dw", x, y, w), x, y, w, torch.float64, expected=numerical,
                rtol=1e-6)


@pytest.mark.points(1)
def test_notebook_numbers(learner):
    """the gradient-descent notebook's data: −30 at w = 0 (the notebook's part 1 says −120)"""
    x = np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)
    y = 2 * x
    check_value(learner.call("dmse_dw", x, y, 0.0), x, y, 0.0, torch.float32)
    check_value(learner.call("dmse_dw", x, y, 2.0), x, y, 2.0, torch.float32)


@pytest.mark.points(1)
def test_large_and_negative_values(learner):
    """large and negative values"""
    x = np.array([-300.0, 1200.0, -45.5, 7.0, 2500.0], dtype=np.float64)
    y = np.array([5e3, -2e4, 1e2, 0.0, -7.5e3], dtype=np.float64)
    check_value(learner.call("dmse_dw", x, y, -12.5), x, y, -12.5, torch.float64)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_returns_python_float(learner, dtype):
    """returns a Python float, not a numpy scalar"""
    x, y = data(101, 6, dtype)
    seen = learner.call("dmse_dw", x, y, 1.25).value
    if type(seen) is not float:  # the value itself is the other tests' business
        checks.python_float(seen, reference(x, y, 1.25), call=CALL,
                            inputs={"x": x, "y": y, "w": 1.25}, contract=CONTRACT, dtype=dtype)


@pytest.mark.points(1)
@pytest.mark.rule
def test_inputs_unchanged(learner):
    """leaves x and y as they were"""
    x, y = data(111, 5, torch.float32)
    outcome = learner.call("dmse_dw", x, y, 0.5)
    outcome.value  # noqa: B018 - surfaces an exception first
    for name, before, after in (("x", x, outcome.args[0]), ("y", y, outcome.args[1])):
        checks.array_unchanged(before, after, name=name, call="dmse_dw", contract=CONTRACT,
                               fix="compute on new arrays, not in place (no -=, *= or out=)")
