"""Public tests for 04_updates/sgd_numpy. Run them with: pytest exercises/04_updates/test_sgd_numpy.py"""

import numpy as np
import pytest
from sgd_numpy import sgd_update


def named_mistake(got, w, grad, lr):
    """Which classic slip gives this value, if any."""
    w, grad = np.asarray(w, dtype=np.float64), np.asarray(grad, dtype=np.float64)
    for wrong, why in [
        (w + lr * grad, "the sign is flipped: step against the gradient, w - lr * grad"),
        (w - grad, "the learning rate is missing: the step is lr * grad, not grad"),
        (lr * grad, "you returned the step lr * grad, not the updated weights w - lr * grad"),
        (-lr * grad, "you returned the step -lr * grad, not the updated weights w - lr * grad"),
    ]:
        if np.allclose(np.asarray(got, dtype=np.float64), wrong):
            return why
    return "the values are off"


def test_first_step_of_the_notebook():
    # w = 0 on X = [1, 2, 3, 4], y = 2X: the MSE gradient is -30, so lr 0.01 moves w to 0.3
    w_new = sgd_update(0.0, -30.0, 0.01)
    assert type(w_new) is float, (
        f"for float inputs return a Python float, got {type(w_new).__name__}: w - lr * grad of two floats "
        "is one (np.asarray makes numpy scalars)"
    )
    assert w_new == pytest.approx(0.3), (
        f"sgd_update(w=0.0, grad=-30.0, lr=0.01) should be 0 - 0.01 * (-30) = 0.3, got {w_new}: "
        + named_mistake(w_new, 0.0, -30.0, 0.01)
    )
    w_new = sgd_update(2.5e4, -8.0e5, 1e-3)  # large values
    assert type(w_new) is float and w_new == pytest.approx(2.58e4), (
        f"sgd_update(2.5e4, -8.0e5, 1e-3) should be 2.5e4 + 800 = 25800.0, got {w_new!r}"
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_arrays_step_downhill_in_their_dtype(dtype):
    w = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -4.0]], dtype=dtype)
    grad = np.array([[4.0, -1.0, 0.0], [2.0, 6.0, -8.0]], dtype=dtype)
    w_new = sgd_update(w, grad, 0.5)
    expected = np.array([[-1.0, -1.5, 0.5], [2.0, -3.0, 0.0]])
    assert isinstance(w_new, np.ndarray) and w_new.shape == w.shape, (
        f"for arrays return a numpy array of the shape of w {w.shape}, got {w_new!r}"
    )
    assert w_new.dtype == dtype, (
        f"sgd_update returned a {w_new.dtype} array for {np.dtype(dtype).name} inputs: work in the dtype of "
        "the inputs (w - lr * grad keeps it; np.array(w, dtype=float) does not)"
    )
    assert np.allclose(w_new, expected), (
        f"sgd_update(w={w.tolist()}, grad={grad.tolist()}, lr=0.5) should be w - 0.5 * grad = "
        f"{expected.tolist()}, got {w_new.tolist()}: " + named_mistake(w_new, w, grad, 0.5)
    )


def test_leaves_w_and_grad_alone():
    w = np.array([1.0, 2.0])
    grad = np.array([1.0, -1.0])
    w_new = sgd_update(w, grad, 0.1)
    assert w.tolist() == [1.0, 2.0] and w_new is not w, (
        f"sgd_update changed the caller's w to {w.tolist()}: `w -= lr * grad` updates the array in place; "
        "return w - lr * grad, a new array, instead"
    )
    assert grad.tolist() == [1.0, -1.0], f"sgd_update changed the caller's grad to {grad.tolist()}"
