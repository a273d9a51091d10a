"""Public tests for 02_losses/mse_numpy. Run them with: pytest exercises/02_losses/test_mse_numpy.py"""

import numpy as np
import pytest
from mse_numpy import mse_np


def named_mistake(got, y_pred, y):
    """Which classic slip gives this value, if any."""
    d = y_pred.astype(np.float64) - y.astype(np.float64)
    for wrong, why in [
        ((d**2).sum(), f"off by a factor of N = {d.size}: take the mean, not the sum."),
        (d.mean() ** 2, "you took the mean of the differences, not of their squares."),
        (np.abs(d).mean(), "you took the mean of absolute differences (that is the L1 loss)."),
        (np.sqrt((d**2).mean()), "the square root is one step too many: that is the RMSE."),
    ]:
        if got == pytest.approx(float(wrong), rel=1e-5):
            return why
    return "the values are off."


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_notebooks_first_loss(dtype):
    y_pred = np.zeros(4, dtype=dtype)  # w = 0 predicts 0 everywhere
    y = np.array([2.0, 4.0, 6.0, 8.0], dtype=dtype)
    loss = mse_np(y_pred, y)
    assert type(loss) is float, (
        f"mse_np should return a Python float, got {type(loss).__name__}: numpy's mean gives a numpy "
        "scalar, so wrap the result in float()"
    )
    assert loss == pytest.approx(30.0), (
        f"mse_np([0, 0, 0, 0], [2, 4, 6, 8]) should be (4 + 16 + 36 + 64) / 4 = 30.0, got {loss}: "
        + named_mistake(loss, y_pred, y)
    )


def test_large_negative_and_two_dimensional():
    y_pred = np.array([[-1e4, 2.5], [2e4, 0.0], [-3.5e3, -7.0]])
    y = np.array([[1e4, -0.5], [-2e4, 1.0], [0.0, -7.0]])
    loss = mse_np(y_pred, y)
    expected = float(np.mean((y_pred - y) ** 2))
    assert type(loss) is float and loss == pytest.approx(expected, rel=1e-9), (
        f"mse_np of these (3, 2) arrays should be {expected}, got {loss!r}: "
        + named_mistake(float(loss), y_pred, y) + " The mean runs over every element."
    )


@pytest.mark.parametrize("shapes", [((3, 1), (3,)), ((3,), (3, 1)), ((3,), (4,))],
                         ids=["column-vs-vector", "vector-vs-column", "lengths"])
def test_shape_mismatch_raises(shapes):
    try:
        result = mse_np(np.ones(shapes[0]), np.zeros(shapes[1]))
    except ValueError:
        return
    raise AssertionError(
        f"mse_np(y_pred of shape {shapes[0]}, y of shape {shapes[1]}) should raise ValueError "
        f"(compare y_pred.shape with y.shape first); it returned {result!r}. An (N, 1) column "
        "minus an (N,) vector broadcasts to an N x N matrix and a wrong loss"
    )


def test_leaves_its_inputs_alone():
    y_pred = np.array([1.5, -2.0, 3.0], dtype=np.float32)
    y = np.array([1.0, 1.0, 1.0], dtype=np.float32)
    mse_np(y_pred, y)
    assert y_pred.tolist() == [1.5, -2.0, 3.0] and y.tolist() == [1.0, 1.0, 1.0], (
        f"mse_np changed y_pred or y (now {y_pred.tolist()} and {y.tolist()}): compute on new arrays "
        "(d = y_pred - y), not in place (no -=, **= or out=)"
    )
