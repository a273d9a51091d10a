"""Public tests for 04_updates/sgd_numpy. Run them with: pytest exercises/04_updates/test_sgd_numpy.py"""

import numpy as np
import pytest
from sgd_numpy import sgd_update


def test_first_step_of_the_notebook():
    # w = 0 on X = [1, 2, 3, 4], y = 2X: the MSE gradient is -30, so lr 0.01 moves w to 0.3
    w_new = sgd_update(0.0, -30.0, 0.01)
    assert type(w_new) is float, f"for float inputs return a Python float, got {type(w_new).__name__}"
    assert w_new == pytest.approx(0.3), (
        f"sgd_update(w=0.0, grad=-30.0, lr=0.01) should be 0 - 0.01 * (-30) = 0.3, got {w_new}"
        + (" (the sign is flipped: subtract lr * grad)" if w_new == pytest.approx(-0.3) else "")
    )


def test_arrays_step_downhill():
    w = np.array([1.0, -2.0, 0.5])
    grad = np.array([4.0, -1.0, 0.0])
    w_new = sgd_update(w, grad, 0.5)
    expected = np.array([-1.0, -1.5, 0.5])
    assert isinstance(w_new, np.ndarray), f"for arrays return a numpy array, got {type(w_new).__name__}"
    assert np.allclose(w_new, expected), (
        f"sgd_update(w={w.tolist()}, grad={grad.tolist()}, lr=0.5) should be w - 0.5 * grad = "
        f"{expected.tolist()}, got {np.asarray(w_new).tolist()}"
    )


def test_leaves_w_alone():
    w = np.array([1.0, 2.0])
    sgd_update(w, np.array([1.0, 1.0]), 0.1)
    assert w.tolist() == [1.0, 2.0], (
        f"sgd_update changed the caller's w to {w.tolist()}: compute w - lr * grad as a new array "
        "instead of `w -= lr * grad`"
    )
