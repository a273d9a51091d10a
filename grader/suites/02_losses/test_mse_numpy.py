"""Hidden suite for 02_losses/mse_numpy."""

import numpy as np
import pytest
import torch

from grader.grading import cases, checks

CONTRACT = ("mse_np(y_pred, y) -> float: mean of squared differences of two numpy arrays, "
            "as a Python float; ValueError when the shapes differ")
CALL = "mse_np(y_pred, y)"


def arrays(seed: int, shape: tuple, dtype: torch.dtype, scale: float = 1.0,
           shift: float = 0.0) -> np.ndarray:
    return cases.randn(seed, *shape, dtype=dtype, scale=scale, shift=shift).numpy()


def reference(y_pred: np.ndarray, y: np.ndarray) -> float:
    d = y_pred.astype(np.float64) - y.astype(np.float64)
    return float(np.mean(d**2))


def wrong_answers(y_pred: np.ndarray, y: np.ndarray) -> dict:
    d = y_pred.astype(np.float64) - y.astype(np.float64)
    return {
        "you took the mean of the differences, not of their squares": float(d.mean() ** 2),
        "you took the mean of absolute differences (that is the L1 loss)": float(np.abs(d).mean()),
        "the square root is one step too many: that is the RMSE": float(np.sqrt((d**2).mean())),
    }


def judged(y_pred: np.ndarray, y: np.ndarray, dtype) -> tuple:
    """(y_pred, y, dtype, the loss, the known wrong answers), computed once at collection."""
    return y_pred, y, dtype, reference(y_pred, y), wrong_answers(y_pred, y)


def call_and_check(learner, case: tuple) -> None:
    """The value, read leniently (a numpy float or a 1-element array is fine: the type has its own test)."""
    y_pred, y, dtype, expected, known = case
    outcome = learner.call("mse_np", y_pred, y)
    inputs = {"y_pred": y_pred, "y": y}
    got = checks.as_number(outcome, call=CALL, inputs=inputs, contract=CONTRACT, what="a Python float",
                           shape_hint="take the mean over every element", bool_scalars=True,
                           floats_only=True)
    checks.python_float(got, expected, call=CALL, inputs=inputs, contract=CONTRACT,
                        n=y.size, known=known, dtype=dtype)


def unchanged(before: np.ndarray, after, name: str) -> None:
    checks.array_unchanged(before, after, name=name, call="mse_np", contract=CONTRACT,
                           fix="compute on new arrays (d = y_pred - y), not in place (no -=, **= or out=)")


def closed_form_case(dtype, shape: tuple[int, ...]) -> tuple:
    return judged(arrays(11, shape, dtype, scale=3.0), arrays(12, shape, dtype, scale=2.0, shift=1.0), dtype)


CASES = [pytest.param(closed_form_case(*p.values), id=p.id)
         for p in cases.dtype_and_shape([(7,), (1,), (5, 3)])]


@pytest.mark.points(1)
@pytest.mark.parametrize("case", CASES)
def test_matches_closed_form(learner, case):
    """mean of squared differences"""
    call_and_check(learner, case)


NOTEBOOK = judged(np.zeros(4, dtype=np.float32), np.array([2.0, 4.0, 6.0, 8.0], dtype=np.float32),
                  torch.float32)


@pytest.mark.points(1)
def test_notebook_numbers(learner):
    """the gradient-descent notebook's first loss: 30.0"""
    call_and_check(learner, NOTEBOOK)


LARGE = judged(np.array([-1e4, 2e4, -3.5e3], dtype=np.float64), np.array([1e4, -2e4, 0.0], dtype=np.float64),
               torch.float64)


@pytest.mark.points(1)
def test_large_and_negative_values(learner):
    """large and negative values"""
    call_and_check(learner, LARGE)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("dtype", cases.DTYPES, ids=cases.dtype_id)
def test_returns_python_float(learner, dtype):
    """returns a Python float, not a numpy scalar"""
    y_pred = arrays(41, (6,), dtype)
    y = arrays(42, (6,), dtype)
    seen = learner.call("mse_np", y_pred, y).value
    if type(seen) is not float:  # the value itself is the other tests' business
        checks.python_float(seen, reference(y_pred, y), call=CALL,
                            inputs={"y_pred": y_pred, "y": y}, contract=CONTRACT, dtype=dtype)


@pytest.mark.points(1)
@pytest.mark.rule
@pytest.mark.parametrize("shapes", [((4, 1), (4,)), ((4,), (4, 1)), ((3,), (4,))],
                         ids=["column-vs-vector", "vector-vs-column", "lengths"])
def test_shape_mismatch_raises(learner, shapes):
    """ValueError when the shapes differ"""
    a, b = np.ones(shapes[0]), np.zeros(shapes[1])
    outcome = learner.call("mse_np", a, b)
    checks.raises(outcome, "ValueError", call=CALL,
                  inputs=f"y_pred of shape {shapes[0]}, y of shape {shapes[1]}", contract=CONTRACT,
                  why="an (N,1) column broadcast against an (N,) vector gives a wrong loss")


@pytest.mark.points(1)
@pytest.mark.rule
def test_inputs_unchanged(learner):
    """leaves its inputs as they were"""
    y_pred = arrays(31, (5,), torch.float32)
    y = arrays(32, (5,), torch.float32)
    outcome = learner.call("mse_np", y_pred, y)
    outcome.value  # noqa: B018 - surfaces an exception first
    unchanged(y_pred, outcome.args[0], "y_pred")
    unchanged(y, outcome.args[1], "y")
