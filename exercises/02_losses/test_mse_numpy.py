"""Public tests for 02_losses/mse_numpy. Run them with: pytest exercises/02_losses/test_mse_numpy.py"""

import numpy as np
import pytest
from mse_numpy import mse_np


def test_the_notebooks_first_loss():
    y_pred = np.zeros(4)  # w = 0 predicts 0 everywhere
    y = np.array([2.0, 4.0, 6.0, 8.0])
    loss = mse_np(y_pred, y)
    assert loss == pytest.approx(30.0), (
        f"mse_np([0, 0, 0, 0], [2, 4, 6, 8]) should be (4 + 16 + 36 + 64) / 4 = 30.0, got {loss}. "
        + ("Off by a factor of N = 4: take the mean, not the sum." if loss == pytest.approx(120.0) else "")
    )


def test_returns_a_python_float():
    loss = mse_np(np.array([1.0, 2.0]), np.array([1.0, 0.0]))
    assert type(loss) is float, (
        f"mse_np should return a Python float, got {type(loss).__name__}: "
        "numpy's mean gives a numpy scalar, so wrap the result in float()"
    )


def test_shape_mismatch_raises():
    with pytest.raises(ValueError):
        mse_np(np.zeros((3, 1)), np.zeros(3))  # (3,1) against (3,) would broadcast to 3x3
