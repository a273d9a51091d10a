"""Kata 04_updates/sgd_numpy: one plain gradient-descent update, in numpy."""

import numpy as np


def sgd_update(w: float | np.ndarray, grad: float | np.ndarray, lr: float) -> float | np.ndarray:
    """Return the weights after one step downhill: w - lr * grad.

    - w and grad are either two Python floats or two numpy arrays of the same shape.
    - For floats, return a Python float. For arrays, return a new array of the same shape and
      dtype (float32 in, float32 out).
    - Step against the gradient: the gradient points uphill, so subtract it.
    - Do not modify w: the caller keeps the old weights. `w -= ...` on an array would change
      the caller's array too.
    """
    raise NotImplementedError("04_updates/sgd_numpy: your code goes here (see the docstring)")
