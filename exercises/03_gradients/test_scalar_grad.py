"""Public tests for 03_gradients/scalar_grad.

Run them with: pytest exercises/03_gradients/test_scalar_grad.py
"""

import numpy as np
import pytest
from scalar_grad import dmse_dw

X = np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)
Y = 2 * X


def check_gradient(grad, x, y, w, text):
    """grad is (2/N)·Σ xᵢ(w·xᵢ − yᵢ); name the classic slips."""
    x64, y64 = x.astype(np.float64), y.astype(np.float64)
    n = len(x)
    right = float(2 / n * np.sum(x64 * (w * x64 - y64)))
    if grad == pytest.approx(right, rel=1e-5, abs=1e-6):
        return
    why = "the values are off"
    for wrong, label in [
        (right * n, f"off by a factor of N = {n}: the 1/N is missing. The loss is a mean, so its "
                    "gradient is a mean too (the notebook's part 1 drops it)"),
        (right / 2, "half the expected value: the factor 2 from differentiating the square is missing"),
        (-right, "the sign is flipped: the residual is w·x − y, prediction minus target"),
        (-right * n, f"off by a factor of −N = −{n}: the 1/N is missing and the sign is flipped"),
        (float(np.mean((w * x64 - y64) ** 2)),
         "that is the loss itself, not its derivative with respect to w"),
    ]:
        if grad == pytest.approx(wrong, rel=1e-5):
            why = label
            break
    raise AssertionError(f"{text}: dL/dw = (2/N)·Σ xᵢ(w·xᵢ − yᵢ) = {right}, got {grad}. {why}")


def test_the_notebooks_first_gradient():
    grad = dmse_dw(X, Y, 0.0)
    # (2/4) * sum(x * (0 - 2x)) = (2/4) * (-60) = -30; part 1 of the notebook, without 1/N, says -120
    check_gradient(grad, X, Y, 0.0, "x = [1, 2, 3, 4], y = 2x, w = 0")
    check_gradient(dmse_dw(X, Y, 2.0), X, Y, 2.0, "at w = 2 the line fits y = 2x exactly, so dL/dw = 0")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_returns_a_python_float(dtype):
    x = np.array([0.5, -1.5, 3.0, 2.0, -4.0], dtype=dtype)
    y = np.array([2.0, 1.0, -3.5, 0.0, 7.0], dtype=dtype)
    grad = dmse_dw(x, y, 1.25)
    assert type(grad) is float, (
        f"dmse_dw should return a Python float, got {type(grad).__name__}: wrap numpy's result in float()"
    )
    check_gradient(grad, x, y, 1.25, f"{np.dtype(dtype).name} data, w = 1.25")


def test_large_values_and_inputs_left_alone():
    x = np.array([-300.0, 1200.0, -45.5, 7.0, 2500.0])
    y = np.array([5e3, -2e4, 1e2, 0.0, -7.5e3])
    x_before, y_before = x.copy(), y.copy()
    check_gradient(dmse_dw(x, y, -12.5), x, y, -12.5, "large and negative x, y and w")
    assert np.array_equal(x, x_before) and np.array_equal(y, y_before), (
        "dmse_dw changed x or y: compute on new arrays, not in place (no -=, *= or out=)"
    )
